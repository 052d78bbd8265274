import EventStore
import Models
import OnlineStatistics

/// Where an experiment stands: each variant's lists, CTR and conversion rate with Wilson intervals, and each
/// treatment's CTR against the control's — the difference with Newcombe's interval and an always-valid p-value
/// (mSPRT over the hourly cumulative counts, so looking every hour does not inflate false positives).
package struct ExperimentReport: Sendable {
    /// One variant's figures, over every model that answered it (a variant whose model was not trained yet is
    /// answered by the default; its lists still count for the variant, as assigned).
    package struct Variant: Sendable, Equatable {
        /// The variant's name.
        package var name: String
        /// Its configured model.
        package var model: String
        /// Its traffic weight.
        package var weight: Double
        /// Lists remembered.
        package var lists: Int
        /// Attributed lists over lists.
        package var clickThrough: ProportionEstimate
        /// Converted lists over lists.
        package var conversion: ProportionEstimate
        /// Attributed events of every type.
        package var eventsAttributed: Int
    }

    /// A treatment's CTR against the control's.
    package struct Comparison: Sendable, Equatable {
        /// The treatment variant.
        package var variant: String
        /// Treatment minus control, with its 95% interval.
        package var difference: ProportionDifference
        /// The always-valid p-value of "no difference".
        package var pValue: Double
    }

    /// The experiment.
    package let experiment: Experiment
    /// Its variants, control first.
    package let variants: [Variant]
    /// One comparison per treatment (every variant after the control).
    package let comparisons: [Comparison]
    /// The sequential test's name.
    package let test = SequentialTest.name
    /// The test's burn-in: until both arms have this many lists, its p-value stays 1.
    package let minimumLists: Int

    /// The report of `experiment` from its lists' `counts` and their `hours` (cumulated here for the test).
    package init(experiment: Experiment, counts: OnlineCounts, hours: [ExperimentHour], test: SequentialTest = SequentialTest()) {
        self.experiment = experiment
        minimumLists = test.minimumTrials
        let groups = counts.groups.filter { $0.experiment == experiment.name }
        variants = experiment.variants.map { variant in
            let mine = groups.filter { $0.variant == variant.name }
            let lists = mine.reduce(0) { $0 + $1.lists }
            return Variant(
                name: variant.name, model: variant.model.rawValue, weight: variant.weight, lists: lists,
                clickThrough: ProportionEstimate(successes: mine.reduce(0) { $0 + $1.attributedLists }, trials: lists),
                conversion: ProportionEstimate(successes: mine.reduce(0) { $0 + $1.convertedLists }, trials: lists),
                eventsAttributed: mine.reduce(0) { $0 + $1.events.values.reduce(0, +) })
        }
        let control = variants[0]
        comparisons = variants.dropFirst().map { treatment in
            Comparison(
                variant: treatment.name,
                difference: ProportionDifference(treatment: treatment.clickThrough, control: control.clickThrough),
                pValue: test.pValue(looks: Self.looks(hours, control: control.name, treatment: treatment.name)))
        }
    }

    /// The cumulative counts of the two arms at the end of every hour with lists, in order.
    static func looks(_ hours: [ExperimentHour], control: String, treatment: String) -> [SequentialTest.Look] {
        var looks: [SequentialTest.Look] = []
        var look = SequentialTest.Look(controlSuccesses: 0, controlTrials: 0, treatmentSuccesses: 0, treatmentTrials: 0)
        var index = hours.startIndex
        while index < hours.endIndex {
            let hour = hours[index].hour
            var changed = false
            while index < hours.endIndex, hours[index].hour == hour {
                let row = hours[index]
                if row.variant == control {
                    look.controlTrials += row.lists
                    look.controlSuccesses += row.attributedLists
                    changed = true
                } else if row.variant == treatment {
                    look.treatmentTrials += row.lists
                    look.treatmentSuccesses += row.attributedLists
                    changed = true
                }
                index += 1
            }
            if changed { looks.append(look) }
        }
        return looks
    }
}
