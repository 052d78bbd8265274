import Foundation
import JSON

/// The terminal table of an evaluation: split summary, then one row per model and cut-off, models ranked by
/// NDCG at the smallest cut-off (best first).
package enum Leaderboard {
    /// The table as text (ends with a newline).
    package static func render(_ report: EvaluationReport) -> String {
        let split = report.split
        var lines = [
            "protocol \(EvaluationReport.protocolName), split \(split.kind): \(split.trainPairs) train pairs, "
                + "\(split.trainUsers) users × \(split.trainItems) items; \(split.testUsers) test users, "
                + "\(split.testPairs) test pairs",
            "fingerprints: train \(split.fingerprints.train.prefix(16))…, test \(split.fingerprints.test.prefix(16))…",
        ]
        for search in report.grid {
            let best = search.best.parameters.map { "\($0.name)=\($0.value.serialized(indent: 0))" }
            lines.append(
                "grid \(search.model): best \(best.joined(separator: " ")) "
                    + "(\(search.metric) \(format(search.best.score)) on validation, \(search.trials.count) settings)")
        }
        lines.append("")
        let header = ["model", "k", "recall", "precision", "hit_rate", "ndcg", "map", "coverage", "short", "fit_s", "rec_s"]
        var rows = [header]
        let firstK = report.ks.first ?? 0
        let ranked = report.models.enumerated().sorted { lhs, rhs in
            let left = lhs.element.metrics(atK: firstK)?.ndcg ?? 0, right = rhs.element.metrics(atK: firstK)?.ndcg ?? 0
            return left != right ? left > right : lhs.offset < rhs.offset
        }
        for (_, result) in ranked {
            for metrics in result.metrics {
                rows.append([
                    result.model, String(metrics.k), format(metrics.recall), format(metrics.precision),
                    format(metrics.hitRate), format(metrics.ndcg), format(metrics.map), format(metrics.coverage),
                    String(metrics.shortLists), seconds(result.fitSeconds), seconds(result.recommendSeconds),
                ])
            }
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }
            lines.append(cells.joined(separator: "  "))
            if index == 0 {
                lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Four decimals, rounded from the exact binary value (as C's and Python's `%.4f` do).
    static func format(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    static func seconds(_ value: Double) -> String {
        String(format: value < 10 ? "%.3f" : "%.1f", value)
    }
}
