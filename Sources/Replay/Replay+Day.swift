import EventFormats
import EventStore
import Evaluation
import Models

extension Replay {
    /// An attributed event that can be scored: its user's query and its item, in the day's fit, and the list's model.
    private struct ScoredEvent {
        var query: Int
        var item: Int32
        var served: Int
    }

    /// Replays one day: fits every replayed candidate on `history` before the day began and counts, for each of
    /// the day's `events`, whether its item is in the candidate's top-k for its user.
    func replay(
        day: Int, events: ArraySlice<AttributedEvent>, history: [EventRow], into report: inout ReplayReport
    ) throws(ReplayError) {
        let dayStart = ReplayWindow.start(of: day)
        let known = history[..<Self.firstIndex(in: history, atOrAfter: dayStart)]
        let split: EvaluationSplit
        do {
            split = try EvaluationSplit.trainingOnly(InteractionSet(rows: known, minWeight: options.minWeight))
        } catch {
            throw .evaluation(error)
        }
        var users: [ExactID: Int32] = [:]
        for (row, id) in split.userIDs.enumerated() { users[ExactID(id)] = Int32(row) }
        var items: [ExactID: Int32] = [:]
        for (column, id) in split.itemIDs.enumerated() { items[ExactID(id)] = Int32(column) }
        let servedIndex = Dictionary(uniqueKeysWithValues: report.servedModels.enumerated().map { ($1.model, $0) })

        var summary = ReplayReport.Day(
            day: day, attributed: events.count, scored: 0, repeats: 0, cold: 0, trainPairs: split.trainPairCount)
        var queries: [UserQuery] = []
        var queryOfUser: [Int32: Int] = [:]
        var scored: [ScoredEvent] = []
        for event in events {
            guard let user = users[ExactID(event.user)], let item = items[ExactID(event.item)] else {
                summary.cold += 1
                continue
            }
            let seen = split.trainPairs(ofUser: user)
            guard !seen.items.contains(item) else {
                summary.repeats += 1
                continue
            }
            let query = queryOfUser[user] ?? queries.count
            if query == queries.count {
                queryOfUser[user] = query
                queries.append(EvaluationRunner.query(
                    user: user, seen: seen, referenceTime: dayStart, seed: options.seed,
                    stream: UInt64(UInt32(truncatingIfNeeded: day)) << 32 | UInt64(query)))
            }
            // Every attributed event's model is one of the served models.
            scored.append(ScoredEvent(query: query, item: item, served: servedIndex[event.model]!))
        }
        summary.scored = scored.count
        report.perDay.append(summary)
        progress(
            "\(RFC3339.date(days: day)): \(summary.attributed) attributed events, \(summary.scored) scored, "
                + "\(summary.repeats) repeat, \(summary.cold) cold; fitting on \(summary.trainPairs) pairs")
        guard !scored.isEmpty else { return }

        let training = TrainingData(
            interactions: split.training.interactions, lastSeen: split.training.lastSeen,
            itemDocuments: itemRecords?.aligned(to: split.itemIDs))
        let parameters = ModelParameters.evaluation(factors: options.factors)
        let count = report.ks.last ?? 0
        for index in report.candidates.indices where report.candidates[index].notReplayed == nil {
            guard let model = Self.evaluatedModel(named: report.candidates[index].model) else { continue }
            let fitted: any Recommender
            do {
                fitted = try EvaluationRunner.fit(model, on: training, parameters: parameters, seed: options.seed)
            } catch {
                throw .evaluation(error)
            }
            let lists = recommendBatch(fitted, for: queries, count: count)
            for event in scored {
                let rank = lists[event.query].firstIndex { $0.item == event.item }
                report.candidates[index].score.add(rank: rank, ks: report.ks)
                report.candidates[index].byServed[event.served].add(rank: rank, ks: report.ks)
            }
        }
    }

    /// The index of the first row of `rows` (in time order) at or after `time`.
    static func firstIndex(in rows: [EventRow], atOrAfter time: Double) -> Int {
        var (low, high) = (0, rows.count)
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].timestamp < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
