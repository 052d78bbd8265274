@testable import EventFormats
import Testing

struct CSVReaderTests {
    /// All records of `text`, read with the given chunk size.
    private func records(_ text: String, chunkSize: Int = 1 << 20) throws -> [[String]] {
        let reader = CSVReader(bytes: Array(text.utf8), chunkSize: chunkSize)
        var result: [[String]] = []
        while let record = try reader.next() {
            result.append(record.fields)
        }
        return result
    }

    @Test func readsSimpleRecords() throws {
        #expect(try records("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test func readsLastRecordWithoutLineBreak() throws {
        #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test func keepsEmptyFields() throws {
        #expect(try records(",x,\n,,\n") == [["", "x", ""], ["", "", ""]])
    }

    @Test func unescapesQuotedFields() throws {
        let text = "\"a,b\",\"say \"\"hi\"\"\",\"\"\n"
        #expect(try records(text) == [["a,b", "say \"hi\"", ""]])
    }

    @Test func keepsLineBreaksInsideQuotes() throws {
        let text = "id,note\n1,\"line one\nline two\r\nline three\"\n2,x\n"
        #expect(try records(text) == [["id", "note"], ["1", "line one\nline two\r\nline three"], ["2", "x"]])
    }

    @Test func acceptsCRLFAndLoneCR() throws {
        #expect(try records("a,b\r\n1,2\r\n3,4\r5,6\r") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
    }

    @Test func skipsCompletelyBlankLines() throws {
        #expect(try records("\n\na,b\n\n\r\n1,2\n\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func keepsWhitespaceOnlyLinesAsRecords() throws {
        #expect(try records("a\n \n") == [["a"], [" "]])
    }

    @Test func dropsLeadingByteOrderMark() throws {
        #expect(try records("\u{FEFF}user,item\nu,i\n") == [["user", "item"], ["u", "i"]])
        #expect(try records("\u{FEFF}user,item\nu,i\n", chunkSize: 1) == [["user", "item"], ["u", "i"]])
    }

    @Test func keepsByteOrderMarkAfterTheStart() throws {
        #expect(try records("a\n\u{FEFF}b\n") == [["a"], ["\u{FEFF}b"]])
    }

    @Test func keepsBareQuotesInsideUnquotedFields() throws {
        #expect(try records("ab\"c,d\n") == [["ab\"c", "d"]])
    }

    @Test func sameRecordsForEveryChunkSize() throws {
        let text = "\u{FEFF}user,item,note\r\n\"u\"\"1\",\"i,1\",\"multi\r\nline \"\"quoted\"\"\"\r\n\r\nu2,é,\"\"\r\nu3,\"x\",y"
        let expected = try records(text)
        #expect(expected == [
            ["user", "item", "note"], ["u\"1", "i,1", "multi\r\nline \"quoted\""], ["u2", "é", ""], ["u3", "x", "y"],
        ])
        for chunkSize in 1...text.utf8.count {
            #expect(try records(text, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func reportsTheLineEachRecordStartsOn() throws {
        let reader = CSVReader(bytes: Array("h\n\n\"a\nb\"\nc\r\n\r\nd".utf8), chunkSize: 2)
        var lines: [Int] = []
        while let record = try reader.next() {
            lines.append(record.line)
        }
        #expect(lines == [1, 3, 5, 7])
    }

    @Test func countsTheBytesConsumedUpToTheEndOfEachRecord() throws {
        let text = "user,item\nu1,\"i\n1\"\nu22,i2\n"
        for chunkSize in [1, 3, 7, 1 << 20] {
            let reader = CSVReader(bytes: Array(text.utf8), chunkSize: chunkSize)
            var offsets: [Int] = []
            while try reader.next() != nil {
                offsets.append(reader.bytesConsumed)
            }
            #expect(offsets == [10, 19, 26], "chunk size \(chunkSize)")
            #expect(reader.bytesConsumed == text.utf8.count)
        }
    }

    @Test func rejectsUnterminatedQuote() {
        let reader = CSVReader(bytes: Array("a,b\n1,\"open\n2,3\n".utf8), chunkSize: 3)
        #expect(throws: CSVError.unterminatedQuote(line: 2)) {
            while try reader.next() != nil {}
        }
    }

    @Test func rejectsTextAfterClosingQuote() {
        let reader = CSVReader(bytes: Array("a,b\n\"x\"y,1\n".utf8))
        #expect(throws: CSVError.textAfterClosingQuote(line: 2)) {
            while try reader.next() != nil {}
        }
    }

    @Test func rejectsRecordsLongerThanTheLimit() {
        let reader = CSVReader(bytes: Array("ok\n\"\(String(repeating: "x", count: 100))".utf8), chunkSize: 8, maxRecordLength: 50)
        #expect(throws: CSVError.recordTooLong(line: 2, limit: 50)) {
            while try reader.next() != nil {}
        }
    }

    @Test func readsEmptyInput() throws {
        #expect(try records("").isEmpty)
        #expect(try records("\u{FEFF}").isEmpty)
        #expect(try records("\n\r\n").isEmpty)
    }

    @Test func reportsMissingFile() {
        #expect {
            _ = try CSVReader(path: "/nonexistent/recsmith/events.csv")
        } throws: { error in
            guard case let .cannotOpen(path, code, _) = error as? CSVError else { return false }
            return path == "/nonexistent/recsmith/events.csv" && code != 0
        }
    }
}
