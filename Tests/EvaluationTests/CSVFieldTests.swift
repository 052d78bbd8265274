@testable import Evaluation
import Testing

struct CSVFieldTests {
    @Test func quotesFieldsThatNeedIt() {
        var buffer: [UInt8] = []
        CSVField.append("a,\"b\"", to: &buffer)
        CSVField.append("plain", to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\"a,\"\"b\"\"\"plain")
    }

    @Test func quotesLineBreaks() {
        var buffer: [UInt8] = []
        CSVField.append("a\r\nb", to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\"a\r\nb\"")
    }
}
