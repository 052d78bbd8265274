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

    @Test func showsSpreadsFoldInsAndCurves() throws {
        var report = try EvaluationReportTests.sampleReport()
        report.protocolName = EvaluationReport.version2
        report.seeds = [1, 2]
        report.models[0].foldIn = "least-squares"
        report.models[0].metricsSD = report.models[0].metrics.map { metrics in
            var spread = metrics
            spread.ndcg = 0.0125
            return spread
        }
        report.models[0].curveMetric = "ndcg@10"
        report.models[0].curve = (1...45).map { CurvePoint(epoch: $0, metric: 0.01 * Double($0), seconds: 0.1 * Double($0), loss: 1) }
        let table = Leaderboard.render(report)
        #expect(table.hasPrefix("protocol recsmith-eval-v2"))
        #expect(table.contains("fold-in of test users: als least-squares"))
        #expect(table.contains("seeds 1,2: seeded models show mean±sd"))
        #expect(table.contains("0.2500±0.0125"))
        #expect(table.contains("curve als: ndcg@10 on the test data after each epoch, cumulative fit seconds, training loss (every 3 epochs)"))
        let curveRows = table.split(separator: "\n").drop { !$0.hasPrefix("curve als") }.dropFirst()
        #expect(curveRows.map { Int($0.split(separator: " ")[0])! } == Array(stride(from: 3, through: 45, by: 3)))
        #expect(curveRows.last == "    45  0.4500  4.500  1.000000")
    }
}
