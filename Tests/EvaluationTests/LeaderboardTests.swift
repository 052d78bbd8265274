import Evaluation
import Testing

struct LeaderboardTests {
    @Test func rendersALeaderboard() throws {
        let table = Leaderboard.render(try EvaluationReportTests.sampleReport())
        #expect(table.contains("split leave-last-out: 6 train pairs, 5 users × 4 items; 2 test users, 2 test pairs"))
        #expect(table.contains("als"))
        #expect(table.contains("0.2500"))
        #expect(table.split(separator: "\n", omittingEmptySubsequences: false).count == 8)
    }

    @Test func ranksModelsByNDCGAtTheSmallestCutoff() throws {
        var report = try EvaluationReportTests.sampleReport()
        var better = report.models[0]
        better.model = "bpr"
        better.metrics[0].ndcg = 0.5
        report.models.append(better)
        let rows = Leaderboard.render(report).split(separator: "\n").filter { $0.hasPrefix("als") || $0.hasPrefix("bpr") }
        #expect(rows.map { String($0.prefix(3)) } == ["bpr", "bpr", "als", "als"])
    }
}
