import EventStore
import Models
import OnlineLoop
import OnlineStatistics
import Testing

/// The report's figures come from the store's counts: variants summed over the models that answered them, CTR and
/// conversion intervals, the difference to control and the p-value over hourly cumulative looks.
struct ExperimentReportTests {
    private static let experiment = try! Experiment(name: "home", variants: [
        .init(name: "control", model: .popular, weight: 1), .init(name: "personal", model: .als, weight: 1),
    ])

    @Test func sumsEachVariantOverItsModelsAndComparesWithTheControl() {
        let counts = OnlineCounts(groups: [
            .init(experiment: "home", variant: "control", model: "popular", lists: 300, servedLists: 300, attributedLists: 30,
                  convertedLists: 6, events: ["click": 40]),
            .init(experiment: "home", variant: "personal", model: "als", lists: 280, servedLists: 280, attributedLists: 70,
                  convertedLists: 14, events: ["click": 90, "purchase": 14]),
            .init(experiment: "home", variant: "personal", model: "popular", lists: 20, servedLists: 20, attributedLists: 2),
            .init(experiment: "", variant: "", model: "als", lists: 999, servedLists: 999, attributedLists: 999),
        ])
        let hours = [
            ExperimentHour(hour: 10, variant: "control", lists: 150, attributedLists: 15, convertedLists: 3),
            ExperimentHour(hour: 10, variant: "personal", lists: 150, attributedLists: 36, convertedLists: 7),
            ExperimentHour(hour: 11, variant: "control", lists: 150, attributedLists: 15, convertedLists: 3),
            ExperimentHour(hour: 11, variant: "personal", lists: 150, attributedLists: 36, convertedLists: 7),
        ]
        let report = ExperimentReport(experiment: Self.experiment, counts: counts, hours: hours)
        #expect(report.variants.map(\.lists) == [300, 300])
        #expect(report.variants.map(\.clickThrough.successes) == [30, 72])
        #expect(report.variants[1].eventsAttributed == 104)
        #expect(report.variants[1].conversion == ProportionEstimate(successes: 14, trials: 300))
        let comparison = report.comparisons[0]
        #expect(comparison.variant == "personal")
        #expect(comparison.difference == ProportionDifference(treatment: ProportionEstimate(successes: 72, trials: 300),
                                                              control: ProportionEstimate(successes: 30, trials: 300)))
        // Looks after hour 10 (150 lists each: before the burn-in) and hour 11 (300 each).
        let expected = SequentialTest().pValue(looks: [
            .init(controlSuccesses: 15, controlTrials: 150, treatmentSuccesses: 36, treatmentTrials: 150),
            .init(controlSuccesses: 30, controlTrials: 300, treatmentSuccesses: 72, treatmentTrials: 300),
        ])
        #expect(comparison.pValue == expected)
        #expect(report.test == "mSPRT")
    }

    @Test func anExperimentWithoutListsHasEmptyFiguresAndNoEvidence() {
        let report = ExperimentReport(experiment: Self.experiment, counts: OnlineCounts(), hours: [])
        #expect(report.variants.map(\.lists) == [0, 0])
        #expect(report.comparisons.map(\.pValue) == [1])
    }

    @Test func figuresSumModelsOverVariantsAndKeepVariantRows() {
        let figures = OnlineFigures(OnlineCounts(groups: [
            .init(experiment: "", variant: "", model: "als", lists: 10, servedLists: 10, attributedLists: 5, events: ["click": 5],
                  positions: [3, 2]),
            .init(experiment: "home", variant: "personal", model: "als", lists: 10, servedLists: 40, attributedLists: 1,
                  convertedLists: 1, events: ["click": 1, "purchase": 1], positions: [0, 0, 2]),
        ], unattributed: ["view": 3]))
        #expect(figures.models.count == 1)
        let als = figures.models[0]
        #expect(als.lists == 20 && als.servedLists == 50)
        #expect(als.clickThrough == ProportionEstimate(successes: 6, trials: 20))
        #expect(als.events == ["click": 6, "purchase": 1])
        #expect(als.positions == [3, 2, 2])
        #expect(als.eventsPerList == 7.0 / 20)
        #expect(figures.variants.map(\.variant) == ["personal"])
        #expect(figures.unattributed == ["view": 3])
    }
}
