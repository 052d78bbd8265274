import Testing
import JSON

struct JSONWriterTests {
    @Test func writesNestedDocumentsWithEscapes() {
        var json = JSONWriter()
        json.beginObject()
        json.key("name"); json.string("a\"b\\c\n\u{01}")
        json.key("list")
        json.beginArray()
        json.int(1)
        json.number(Float(0.5))
        json.null()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("nan"); json.number(Double.nan)
        json.key("ok"); json.bool(true)
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self)
            == #"{"name":"a\"b\\c\n\u0001","list":[1,0.5,null,{}],"nan":null,"ok":true}"#)
    }
}
