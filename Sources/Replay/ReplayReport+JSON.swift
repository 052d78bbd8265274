import EventFormats
import Evaluation
import JSON

extension ReplayReport {
    /// The report as `--json` writes it (README, Command line): the window, the event counts, each day, and per
    /// candidate what it served and its hits overall and on each served model's lists.
    package var json: JSONValue {
        .object([
            ("replay", .object([
                ("days", .integer(days)), ("first_day", .string(RFC3339.date(days: window.firstDay))),
                ("last_day", .string(RFC3339.date(days: window.lastDay))), ("ks", .array(ks.map { .integer($0) })),
                ("seed", ModelResult.seedJSON(seed)), ("factors", .integer(factors)),
            ])),
            ("events", .object([
                ("attributed", .integer(attributed)), ("scored", .integer(scored)), ("repeat", .integer(repeats)),
                ("cold", .integer(cold)),
            ])),
            ("per_day", .array(perDay.map { day in
                .object([
                    ("day", .string(RFC3339.date(days: day.day))), ("attributed", .integer(day.attributed)),
                    ("scored", .integer(day.scored)), ("repeat", .integer(day.repeats)), ("cold", .integer(day.cold)),
                    ("train_pairs", .integer(day.trainPairs)),
                ])
            })),
            ("models", .array(candidates.map(json))),
        ])
    }

    private func json(_ candidate: Candidate) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("model", .string(candidate.model)),
            ("served", served(by: candidate.model).map { .object([("events", .integer($0.events)), ("share", .number($0.share))]) } ?? .null),
            ("replayed", .bool(candidate.notReplayed == nil)),
        ]
        guard candidate.notReplayed == nil else {
            members.append(("reason", .string(candidate.notReplayed ?? "")))
            return .object(members)
        }
        members += json(candidate.score)
        members.append(("by_served_model", .array(servedModels.indices.map { index in
            .object([("model", .string(servedModels[index].model))] + json(candidate.byServed[index]))
        })))
        return .object(members)
    }

    private func json(_ score: Score) -> [(key: String, value: JSONValue)] {
        [
            ("scored", .integer(score.scored)),
            ("hits", .array(ks.indices.map { index in
                .object([("k", .integer(ks[index])), ("hits", .integer(score.hits[index])), ("hit_rate", .number(score.hitRate(at: index)))])
            })),
        ]
    }
}
