@testable import Evaluation
import EventFormats
import Testing

struct InteractionSetTests {
    private func row(_ user: String, _ item: String, _ time: Double, weight: Double? = nil) -> EventRow {
        EventRow(user: user, item: item, timestamp: time, weight: weight, line: 0)
    }

    /// The pairs as `(user, item, t)` id triples, in storage order.
    private func triples(_ set: InteractionSet) -> [String] {
        (0..<set.pairCount).map {
            "\(set.userIDs[Int(set.pairUsers[$0])]) \(set.itemIDs[Int(set.pairItems[$0])]) \(set.pairTimes[$0])"
        }
    }

    @Test func collapsesDuplicatesToTheLargestTimestamp() {
        let set = InteractionSet(rows: [row("u", "a", 5), row("u", "b", 1), row("u", "a", 9), row("u", "a", 2)])
        #expect(triples(set) == ["u a 9.0", "u b 1.0"])
    }

    @Test func dropsRowsBelowMinimumWeightBeforeDeduplicating() {
        let rows = [
            row("u", "a", 1, weight: 4), row("u", "a", 9, weight: 1),  // the later duplicate is filtered out first
            row("v", "b", 2, weight: 3.5), row("w", "c", 3),  // missing weight counts as 1
        ]
        let set = InteractionSet(rows: rows, minWeight: 3.5)
        #expect(triples(set) == ["u a 1.0", "v b 2.0"])
        #expect(set.userIDs == ["u", "v"])  // "w" never enters
        #expect(InteractionSet(rows: rows).pairCount == 3)
    }

    @Test func ordersIdsByUTF8Bytes() {
        let set = InteractionSet(rows: [
            row("9", "é", 1), row("10", "z", 1), row("Z", "e\u{301}", 1), row("a", "Z", 1), row("b", "\u{FF21}", 1),
        ])
        #expect(set.userIDs == ["10", "9", "Z", "a", "b"])
        // "Z" 5A < "e"+U+0301 65 CC 81 < "z" 7A < "é" C3 A9 < "Ａ" EF BC A1
        #expect(set.itemIDs.map { Array($0.utf8) } == [[0x5A], [0x65, 0xCC, 0x81], [0x7A], [0xC3, 0xA9], [0xEF, 0xBC, 0xA1]])
    }

    @Test func keepsCanonicallyEquivalentIdsApart() {
        let set = InteractionSet(rows: [row("u", "\u{E9}", 1), row("u", "e\u{301}", 2)])
        #expect(set.itemIDs.count == 2)
        #expect(set.pairCount == 2)
    }

    @Test func ranksMatchIdOrder() {
        let set = InteractionSet(rows: [row("b", "y", 1), row("a", "x", 2), row("c", "x", 3)])
        #expect(triples(set) == ["b y 1.0", "a x 2.0", "c x 3.0"])
        #expect(set.pairUsers == [1, 0, 2])
        #expect(set.pairItems == [1, 0, 0])
    }

    @Test func loadsAFileAndReportsBadRows() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("events.csv", "user,item,timestamp,weight\nu,a,1,1\nu,a,3,1\nv,b,2,\n")
        let set = try InteractionSet.load(path: path)
        #expect(set.pairCount == 2)
        let bad = try directory.write("bad.csv", "user,item,timestamp\nu,a,1\nu,a\n")
        #expect {
            _ = try InteractionSet.load(path: bad)
        } throws: { error in
            guard case let .input(inner) = error as? EvaluationError else { return false }
            return inner == .fieldCountMismatch(line: 3, expected: 3, found: 2)
        }
    }
}
