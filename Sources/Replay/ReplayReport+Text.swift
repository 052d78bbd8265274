import EventFormats
import Evaluation

extension ReplayReport {
    /// The report as the CLI prints it: what was replayed, a row per candidate, and each replayed candidate's hit
    /// rate on the lists of each served model.
    package var text: String {
        let first = ks.first ?? 0
        var lines = [
            "replay \(RFC3339.date(days: window.firstDay)) … \(RFC3339.date(days: window.lastDay)) (\(days) UTC days), "
                + "k \(ks.map(String.init).joined(separator: ",")), seed \(seed), \(factors) factors",
            "\(attributed) attributed events on \(perDay.count) days: \(scored) scored, \(repeats) repeat (the user had the "
                + "item before the day), \(cold) cold (user or item without events before the day); repeat and cold are not scored",
            "",
        ]
        var header = ["model", "served", "share", "scored"]
        for k in ks { header += ["hits@\(k)", "hit@\(k)"] }
        var rows = [header]
        var notes: [String] = []
        for candidate in candidates {
            let served = served(by: candidate.model)
            var row = [candidate.model, served.map { String($0.events) } ?? "-", served.map { Leaderboard.format($0.share) } ?? "-"]
            if let reason = candidate.notReplayed {
                notes.append("\(candidate.model) is not replayed: \(reason)")
                rows.append(row + ["-"] + ks.flatMap { _ in ["-", "-"] })
                continue
            }
            row.append(String(candidate.score.scored))
            for index in ks.indices {
                row += [String(candidate.score.hits[index]), Self.rate(candidate.score.hitRate(at: index))]
            }
            rows.append(row)
        }
        lines += Self.aligned(rows) + notes
        lines += ["", "hit@\(first) on the scored events of each served model's lists (scored events in brackets)"]
        let replayed = candidates.filter { $0.notReplayed == nil }
        var matrix = [["model"] + servedModels.indices.map { index in
            "\(servedModels[index].model) (\(replayed.first?.byServed[index].scored ?? 0))"
        }]
        for candidate in replayed {
            matrix.append([candidate.model] + candidate.byServed.map { Self.rate($0.hitRate(at: 0)) })
        }
        lines += Self.aligned(matrix)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A rate with four decimals, `-` when nothing was scored.
    private static func rate(_ value: Double) -> String {
        value.isNaN ? "-" : Leaderboard.format(value)
    }

    /// Rows as left-aligned columns two spaces apart.
    private static func aligned(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] + 2 - cell.count)
            }.joined()
        }
    }
}
