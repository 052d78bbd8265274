/// What a replay found: per day what could be scored, and per candidate how many scored events' items were in
/// its top-k, beside what the models that served the lists actually got.
package struct ReplayReport: Sendable, Equatable {
    /// Hits of one candidate on a set of scored events.
    package struct Score: Sendable, Equatable {
        /// Events scored.
        package var scored: Int
        /// Events whose item was in the candidate's top-k, one count per cut-off of the report.
        package var hits: [Int]

        /// No events yet, for `cutoffs` cut-offs.
        init(cutoffs: Int) {
            scored = 0
            hits = [Int](repeating: 0, count: cutoffs)
        }

        /// Counts an event whose item the candidate ranked at 0-based `rank` (nil: not in its list).
        mutating func add(rank: Int?, ks: [Int]) {
            scored += 1
            guard let rank else { return }
            for (index, k) in ks.enumerated() where rank < k { hits[index] += 1 }
        }

        /// Hits divided by scored events at the `index`-th cut-off; NaN when nothing was scored.
        package func hitRate(at index: Int) -> Double {
            scored == 0 ? .nan : Double(hits[index]) / Double(scored)
        }
    }

    /// A candidate's row.
    package struct Candidate: Sendable, Equatable {
        /// The model's name as the service gives it (`popular`, `als`, …).
        package var model: String
        /// Why it was not replayed (a served model `evaluate` cannot fit, or `content` without records); nil when it was.
        package var notReplayed: String?
        /// Its hits on every scored event.
        package var score: Score
        /// Its hits on the scored events of each served model's lists, in ``ReplayReport/servedModels`` order.
        package var byServed: [Score]
    }

    /// A model that served lists in the window.
    package struct Served: Sendable, Equatable {
        /// The model's name as the service gives it.
        package var model: String
        /// Attributed events of the window on lists it served.
        package var events: Int
    }

    /// One replayed day.
    package struct Day: Sendable, Equatable {
        /// Days since 1970-01-01 (UTC).
        package var day: Int
        /// Attributed events of the day.
        package var attributed: Int
        /// Events scored: user and item known before the day, item new to the user.
        package var scored: Int
        /// Events whose item the user already had before the day began.
        package var repeats: Int
        /// Events whose user or item had no event before the day began.
        package var cold: Int
        /// Distinct (user, item) pairs the candidates were fitted on.
        package var trainPairs: Int
    }

    /// The window.
    package var window: ReplayWindow
    /// The days the window asked for.
    package var days: Int
    /// Cut-offs, ascending.
    package var ks: [Int]
    /// The seed of every fit.
    package var seed: UInt64
    /// ALS, BPR and SVD factors.
    package var factors: Int
    /// The models that served lists in the window with their attributed events, most first.
    package var servedModels: [Served]
    /// Every day of the window that had attributed events.
    package var perDay: [Day]
    /// The candidates: served models first, then the others asked for.
    package var candidates: [Candidate]

    /// Attributed events in the window.
    package var attributed: Int { perDay.reduce(0) { $0 + $1.attributed } }
    /// Attributed events scored.
    package var scored: Int { perDay.reduce(0) { $0 + $1.scored } }
    /// Attributed events counted as repeats and not scored.
    package var repeats: Int { perDay.reduce(0) { $0 + $1.repeats } }
    /// Attributed events counted as cold and not scored.
    package var cold: Int { perDay.reduce(0) { $0 + $1.cold } }

    /// The attributed events of the window on lists `model` served, and their share of all; nil when it served none.
    package func served(by model: String) -> (events: Int, share: Double)? {
        guard let served = servedModels.first(where: { $0.model == model }) else { return nil }
        return (served.events, Double(served.events) / Double(max(attributed, 1)))
    }
}
