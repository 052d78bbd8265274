import Foundation
import JSON

/// The terminal table of an evaluation: split summary, then one row per model and cut-off, models ranked by
/// NDCG at the smallest cut-off (best first), then the learning curves when there are any.
package enum Leaderboard {
    /// The table as text (ends with a newline).
    package static func render(_ report: EvaluationReport) -> String {
        let split = report.split
        let input = split.inputPairs.map { ", \($0) input pairs" } ?? ""
        var lines = [
            "protocol \(report.protocolName), split \(split.kind): \(split.trainPairs) train pairs, "
                + "\(split.trainUsers) users × \(split.trainItems) items; \(split.testUsers) test users, "
                + "\(split.testPairs) test pairs\(input)",
            "fingerprints: train \(split.fingerprints.train.prefix(16))…, test \(split.fingerprints.test.prefix(16))…"
                + (split.fingerprints.input.map { ", input \($0.prefix(16))…" } ?? ""),
        ]
        let foldIns = report.models.compactMap { result in result.foldIn.map { "\(result.model) \($0)" } }
        if !foldIns.isEmpty {
            lines.append("fold-in of test users: \(foldIns.joined(separator: ", "))")
        }
        if !report.seeds.isEmpty {
            lines.append(
                "seeds \(report.seeds.map(String.init).joined(separator: ",")): seeded models show mean±sd over the runs, "
                    + "times are means")
        }
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
                let spread = result.metricsSD(atK: metrics.k)
                func cell(_ value: (MetricsAtK) -> Double) -> String {
                    format(value(metrics)) + (spread.map { "±" + format(value($0)) } ?? "")
                }
                rows.append([
                    result.model, String(metrics.k), cell(\.recall), cell(\.precision), cell(\.hitRate), cell(\.ndcg),
                    cell(\.map), cell(\.coverage), String(metrics.shortLists), seconds(result.fitSeconds),
                    seconds(result.recommendSeconds),
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
        for result in report.models {
            guard let metric = result.curveMetric else { continue }
            lines.append(contentsOf: curveLines(result, metric: metric))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// At most about 20 rows per curve: every epoch up to 20, else every ⌈n/20⌉ epochs and the last (the JSON has all).
    private static func curveLines(_ result: ModelResult, metric: String) -> [String] {
        let curve = result.curve
        let step = max(1, (curve.count + 19) / 20)
        let hasLoss = curve.contains { $0.loss != nil }
        var lines = [
            "",
            "curve \(result.model): \(metric) on the test data after each epoch, cumulative fit seconds"
                + (hasLoss ? ", training loss" : "") + (step > 1 ? " (every \(step) epochs)" : ""),
        ]
        for (index, point) in curve.enumerated() where (index + 1) % step == 0 || index == curve.count - 1 {
            let epoch = String(point.epoch)
            var line = String(repeating: " ", count: max(0, 6 - epoch.count)) + epoch
                + "  \(format(point.metric))  \(seconds(point.seconds))"
            if let loss = point.loss { line += String(format: "  %.6f", loss) }
            lines.append(line)
        }
        return lines
    }

    /// Four decimals, rounded from the exact binary value (as C's and Python's `%.4f` do).
    package static func format(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    static func seconds(_ value: Double) -> String {
        String(format: value < 10 ? "%.3f" : "%.1f", value)
    }
}
