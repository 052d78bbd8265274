import EventFormats
import Foundation
import Testing

struct EventCSVReaderTests {
    private func rows(_ text: String, chunkSize: Int = 1 << 20) throws -> [EventRow] {
        let reader = try EventCSVReader(bytes: Array(text.utf8), chunkSize: chunkSize)
        var result: [EventRow] = []
        while let row = try reader.next() {
            result.append(row)
        }
        return result
    }

    @Test func readsRequiredColumns() throws {
        let result = try rows("user,item,timestamp\nu1,i1,100\nu2,i2,2026-11-22T10:00:00Z\n")
        #expect(result == [
            EventRow(user: "u1", item: "i1", timestamp: 100, line: 2),
            EventRow(user: "u2", item: "i2", timestamp: 1_795_341_600, line: 3),
        ])
    }

    @Test func findsColumnsByNameInAnyOrderAndCase() throws {
        let text = "\u{FEFF} Type ,extra,TIMESTAMP,Weight, item ,user\r\npurchase,zzz,7.5,3,sku-9,u42\r\nview,,8,,sku-1,u42\r\n"
        let result = try rows(text)
        #expect(result == [
            EventRow(user: "u42", item: "sku-9", timestamp: 7.5, weight: 3, type: "purchase", line: 2),
            EventRow(user: "u42", item: "sku-1", timestamp: 8, weight: nil, type: "view", line: 3),
        ])
    }

    @Test func readsTheRecommendationIDColumnAsExportWritesIt() throws {
        let result = try rows("user,item,timestamp,weight,type,id,recommendation_id\nu,i,1,1,click,e1,Xk3v9QpL0aZ_7mB\nu,j,2,1,view,,\n")
        #expect(result.map(\.recommendationID) == ["Xk3v9QpL0aZ_7mB", nil])
    }

    @Test func takesIdsVerbatim() throws {
        let result = try rows("user,item,timestamp\n\" U1 \",\"a,\"\"b\"\"\",1\n")
        #expect(result.first?.user == " U1 ")
        #expect(result.first?.item == "a,\"b\"")
    }

    @Test func leavesEmptyOptionalFieldsNil() throws {
        let result = try rows("user,item,timestamp,weight,type\nu,i,1,,\n")
        #expect(result.first?.weight == nil)
        #expect(result.first?.type == nil)
    }

    @Test func skipsBlankLines() throws {
        #expect(try rows("user,item,timestamp\n\nu,i,1\n\n\nu,j,2\n").map(\.line) == [3, 6])
    }

    @Test func rejectsMissingColumn() {
        #expect(throws: EventCSVError.missingColumn(name: "timestamp", header: ["user", "item", "time"])) {
            _ = try rows("user,item,time\n")
        }
    }

    @Test func rejectsDuplicateColumn() {
        #expect(throws: EventCSVError.duplicateColumn(name: "user")) {
            _ = try rows("user,item,timestamp,USER\n")
        }
    }

    @Test func rejectsEmptyInput() {
        #expect(throws: EventCSVError.missingHeader) {
            _ = try rows("\n\n")
        }
    }

    @Test func rejectsFieldCountMismatchWithLineNumber() {
        #expect(throws: EventCSVError.fieldCountMismatch(line: 4, expected: 3, found: 4)) {
            _ = try rows("user,item,timestamp\nu,i,1\n\nu,i,1,extra\n")
        }
        #expect(throws: EventCSVError.fieldCountMismatch(line: 2, expected: 3, found: 1)) {
            _ = try rows("user,item,timestamp\n   \n")
        }
    }

    @Test func rejectsEmptyIds() {
        #expect(throws: EventCSVError.emptyField(line: 2, column: "user")) {
            _ = try rows("user,item,timestamp\n,i,1\n")
        }
        #expect(throws: EventCSVError.emptyField(line: 3, column: "item")) {
            _ = try rows("user,item,timestamp\nu,i,1\nu,\"\",1\n")
        }
    }

    @Test func rejectsBadTimestamp() {
        #expect(throws: EventCSVError.invalidTimestamp(line: 2, text: "yesterday")) {
            _ = try rows("user,item,timestamp\nu,i,yesterday\n")
        }
    }

    @Test func readsTimestampsBefore1970() throws {
        let result = try rows("user,item,timestamp\nu,i,-1.5\nu,j,0141-12-15T22:51:50-13:10\nu,k,-62167305540\n")
        #expect(result.map(\.timestamp) == [-1.5, -57_687_422_290, earliestTimestamp])
    }

    @Test func rejectsTimestampsBeforeTheEarliestRFC3339Instant() {
        #expect(throws: EventCSVError.timestampTooEarly(line: 2, text: "-62167305541")) {
            _ = try rows("user,item,timestamp\nu,i,-62167305541\n")
        }
    }

    @Test func rejectsBadWeight() {
        #expect(throws: EventCSVError.invalidWeight(line: 2, text: "heavy")) {
            _ = try rows("user,item,timestamp,weight\nu,i,1,heavy\n")
        }
        #expect(throws: EventCSVError.invalidWeight(line: 2, text: "inf")) {
            _ = try rows("user,item,timestamp,weight\nu,i,1,inf\n")
        }
    }

    @Test func acceptsScientificWeights() throws {
        #expect(try rows("user,item,timestamp,weight\nu,i,1, 2.5e-1 \n").first?.weight == 0.25)
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array("user,item,timestamp\n".utf8)
        bytes += [0x75, 0xFF] + Array(",i,1\n".utf8)
        #expect(throws: EventCSVError.invalidUTF8(line: 2, column: "user")) {
            let reader = try EventCSVReader(bytes: bytes)
            while try reader.next() != nil {}
        }
    }

    @Test func wrapsCSVSyntaxErrors() {
        #expect(throws: EventCSVError.csv(.unterminatedQuote(line: 2))) {
            _ = try rows("user,item,timestamp\n\"u,i,1\n")
        }
    }

    @Test func streamsAFileInSmallChunks() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("recsmith-eventcsv-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "user,item,timestamp,weight\r\n"
        for index in 0..<500 {
            text += "u\(index % 7),\"item \"\"\(index)\"\"\nx\",\(1_000 + index),\(index % 5)\r\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try EventCSVReader(path: path, chunkSize: 7)
        var count = 0
        while let row = try reader.next() {
            #expect(row.item == "item \"\(count)\"\nx")
            #expect(row.timestamp == Double(1_000 + count))
            #expect(row.line == 2 + 2 * count)
            count += 1
        }
        #expect(count == 500)
    }
}

struct EventCSVReaderIDColumnTests {
    @Test func readsOptionalIDColumn() throws {
        let reader = try EventCSVReader(bytes: Array("user,item,timestamp,id\nu,i,1,e-1\nu,j,2,\n".utf8))
        #expect(try reader.next()?.id == "e-1")
        #expect(try reader.next()?.id == nil)
        #expect(try reader.next() == nil)
    }
}
