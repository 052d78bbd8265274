import Evaluation
import EventStore
import Foundation
import Replay
import Testing
import TestSupport

/// Replay on the hand-made store of `ReplayStore` (its comment lists every event), with popularity as the candidate,
/// whose rankings can be worked out by hand: a 3, b 2, c 1, d 1 users before the first day, ties to the smaller id.
struct ReplayTests {
    private static let firstDay = ReplayStore.firstDay

    /// Replays the fixture store with `models` over `days` days at cut-offs 1, 2 and 3.
    private static func replay(days: Int = 4, models: [EvaluatedModel]? = [.pop]) throws -> ReplayReport {
        let directory = NSTemporaryDirectory() + "recsmith-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ReplayStore.write(to: directory + "/store.sqlite")
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: directory + "/store.sqlite", readOnly: true))
        defer { store.close() }
        var options = ReplayOptions(days: days)
        options.ks = [3, 1, 2]
        options.models = models
        return try Replay(options: options).run(on: store)
    }

    private static func candidate(_ name: String, in report: ReplayReport) throws -> ReplayReport.Candidate {
        try #require(report.candidates.first { $0.model == name })
    }

    @Test func countsEachDayOfTheWindowWithRepeatsAndColdEventsUnscored() throws {
        let report = try Self.replay()
        #expect(report.window == ReplayWindow(endingAt: Double(Self.firstDay + 3) * 86_400 + 1, days: 4))
        // Day, attributed, scored, repeat, cold, pairs fitted on.
        #expect(report.perDay.map { [$0.day, $0.attributed, $0.scored, $0.repeats, $0.cold, $0.trainPairs] } == [
            [Self.firstDay, 6, 3, 1, 2, 7], [Self.firstDay + 1, 2, 2, 0, 0, 12], [Self.firstDay + 3, 1, 1, 0, 0, 14],
        ])
        #expect((report.attributed, report.scored, report.repeats, report.cold) == (9, 6, 1, 2))
    }

    @Test func countsAHitWhenTheItemIsInTheTopKAmongItemsNewToTheUser() throws {
        let report = try Self.replay()
        #expect(report.ks == [1, 2, 3])
        let pop = try Self.candidate("popular", in: report)
        #expect(pop.notReplayed == nil)
        // u1 (who had a) gets b first only because a is masked; u4's c comes third, after a and b.
        #expect((pop.score.scored, pop.score.hits) == (6, [3, 5, 6]))
        #expect(pop.score.hitRate(at: 0) == 0.5)
    }

    @Test func splitsHitsByTheModelThatServedTheListAndSharesItsEvents() throws {
        let report = try Self.replay()
        #expect(report.servedModels.map(\.model) == ["popular", "mf"])
        #expect(report.servedModels.map(\.events) == [7, 2])
        let pop = try Self.candidate("popular", in: report)
        #expect(pop.byServed.map(\.scored) == [5, 1])
        #expect(pop.byServed.map(\.hits) == [[3, 4, 5], [0, 1, 1]])
        let share = try #require(report.served(by: "popular")).share
        #expect(abs(share - 7.0 / 9) < 1e-12)
        #expect(report.served(by: "als") == nil)
    }

    @Test func listsAServedModelThatEvaluateCannotFitAsNotReplayed() throws {
        let report = try Self.replay()
        #expect(report.candidates.map(\.model) == ["popular", "mf"])
        let mf = try Self.candidate("mf", in: report)
        #expect(mf.notReplayed != nil)
        #expect(mf.score.scored == 0)
    }

    @Test func windowEndsWithTheDayOfTheLatestAttributedEvent() throws {
        let report = try Self.replay(days: 2)
        #expect(report.window.firstDay == Self.firstDay + 2)
        #expect(report.window.lastDay == Self.firstDay + 3)
        #expect(report.perDay.map(\.day) == [Self.firstDay + 3])
        // u2 had a and b; c (3 users by then) comes before d (2).
        let pop = try Self.candidate("popular", in: report)
        #expect((pop.score.scored, pop.score.hits) == (1, [0, 1, 1]))
    }

    @Test func addsTheServedModelsToTheCandidatesAndIsReproducibleWithASeed() throws {
        let first = try Self.replay(models: [.als, .random])
        #expect(first.candidates.map(\.model) == ["popular", "mf", "als", "random"])
        #expect(try Self.replay(models: [.als, .random]) == first)
    }

    @Test func replaysEvaluatesDefaultModelsWhenNoneAreNamed() throws {
        let report = try Self.replay(models: nil)
        #expect(report.candidates.map(\.model) == ["popular", "mf", "itemknn", "als", "bpr", "trending"])
        #expect(report.candidates.filter { $0.notReplayed == nil }.allSatisfy { $0.score.scored == 6 })
    }

    @Test func storeWithoutAttributedEventsIsAnError() throws {
        let directory = NSTemporaryDirectory() + "recsmith-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteEventStore(path: directory + "/store.sqlite")
        defer { store.close() }
        _ = try store.append([Event(user: "u", item: "i", timestamp: 1_700_000_000)])
        #expect {
            try Replay(options: ReplayOptions(days: 7)).run(on: store)
        } throws: { error in
            if case ReplayError.noAttributedEvents = error { return true }
            return false
        }
    }

    @Test(arguments: [0, 366, -1])
    func rejectsDaysOutsideOneTo365(_ days: Int) {
        #expect(throws: ReplayError.self) { try ReplayOptions(days: days).validate() }
    }
}
