import Foundation
import Testing
@testable import Observability

struct LineLogHandlerTests {
    private let fields: [(key: String, value: String)] = [
        ("level", "info"), ("msg", "retrain done"), ("path", "/users/a b/x"), ("quote", #"say "hi"\#n"#), ("empty", ""),
    ]

    @Test func writesLogfmtQuotingOnlyWhatNeedsIt() {
        #expect(LineLogHandler.line(fields, format: .logfmt)
                == #"level=info msg="retrain done" path="/users/a b/x" quote="say \"hi\"\n" empty="""# + "\n")
    }

    @Test func writesOneJSONObjectPerLine() throws {
        let line = LineLogHandler.line(fields, format: .json)
        #expect(line.hasSuffix("}\n"))
        #expect(!line.dropLast().contains("\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object == ["level": "info", "msg": "retrain done", "path": "/users/a b/x", "quote": "say \"hi\"\n", "empty": ""])
    }
}

struct DoubleQuotedTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect("a \"b\" \\ c".doubleQuoted == #""a \"b\" \\ c""#)
        #expect("x\ny\r\tz\u{1}\u{7F}é".doubleQuoted == #""x\ny\r\tz\u0001\u007Fé""#)
    }
}
