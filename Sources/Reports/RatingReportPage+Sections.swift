import Evaluation
import Markup

extension RatingReportPage {
    /// Per model: RMSE and MAE as mean ± sample standard deviation over the folds, and the mean fit time.
    var leaderboard: ReportSection {
        let rows = report.models.map { model in
            [model.model, formatMeanSD(model.folds.map(\.rmse), decimals: 4), formatMeanSD(model.folds.map(\.mae), decimals: 4),
             formatSignificant(model.fitSeconds, significant: 3)]
        }
        return ReportSection(
            id: "leaderboard", heading: "Leaderboard",
            body: MetricTable(
                caption: "Mean ± sample standard deviation over the \(report.folds) folds; predictions clipped to each "
                    + "train fold's rating range.",
                columns: ["model", "RMSE", "MAE", "fit s"], rows: rows).html)
    }

    /// RMSE and MAE on every fold, one line per model, and the same figures as a table.
    var perFold: ReportSection {
        let metrics: [(id: String, name: String, value: (RatingFoldResult) -> Double)] = [("rmse", "RMSE", \.rmse), ("mae", "MAE", \.mae)]
        let figures = metrics.map { metric in
            let chart = LineChart(
                id: "chart-fold-\(metric.id)", title: "\(metric.name) per fold", xTitle: "fold", yTitle: metric.name,
                series: report.models.enumerated().map { index, model in
                    ChartSeries(name: model.model, points: model.folds.map { (Double($0.fold), metric.value($0)) },
                                colour: colour(ofModelAt: index))
                }, xScale: LinearScale.integers(covering: [0, Double(report.folds - 1)]), yFromZero: false)
            return ReportSection.figure(
                chart: "fold-\(metric.id)", svg: chart.svg,
                caption: "Test \(metric.name) of each fold, one line per model; lower is better.")
        }
        var columns = ["model"]
        for fold in 0..<report.folds { columns += ["RMSE \(fold)", "MAE \(fold)"] }
        let rows = report.models.map { model in
            [model.model] + model.folds.flatMap { [formatNumber($0.rmse, decimals: 4), formatNumber($0.mae, decimals: 4)] }
        }
        return ReportSection(
            id: "folds", heading: "Every fold",
            body: "<div class=\"charts\">\(figures.joined())</div>"
                + MetricTable(caption: "Test RMSE and MAE per fold.", columns: columns, rows: rows).html)
    }

    /// Mean fit time per model, as bars.
    var fitTime: ReportSection {
        let chart = BarChart(
            id: "chart-fit-time", title: "Mean fit time per fold", valueTitle: "seconds",
            bars: report.models.enumerated().map { index, model in
                .init(name: model.model, value: model.fitSeconds, colour: colour(ofModelAt: index))
            })
        let figure = ReportSection.figure(
            chart: "fit-time", svg: chart.svg, caption: "Wall time of fitting on a train fold, mean over the folds.")
        return ReportSection(id: "speed", heading: "Fit time", body: "<div class=\"charts\">\(figure)</div>")
    }

    /// Test RMSE after every epoch or sweep, averaged over the folds (`--curve`).
    var learningCurves: ReportSection? {
        let curved = report.models.enumerated().filter { !$0.element.curve.isEmpty }
        guard !curved.isEmpty else { return nil }
        let series = curved.map { index, model in
            ChartSeries(name: model.model, points: model.curve.map { (Double($0.epoch), $0.metric) }, colour: colour(ofModelAt: index))
        }
        let chart = LineChart(
            id: "chart-curve", title: "Learning curves: RMSE per epoch", xTitle: "epoch", yTitle: "RMSE", series: series,
            xScale: LinearScale.integers(covering: series.flatMap(\.points).map(\.x)), yFromZero: false)
        let figure = ReportSection.figure(
            chart: "curve", svg: chart.svg,
            caption: "Test RMSE after every SGD epoch or ALS sweep, mean over the folds.")
        return ReportSection(id: "curves", heading: "Learning curves", body: "<div class=\"charts\">\(figure)</div>")
    }

    /// The ratings, each fold's sizes and fingerprints (docs/EVALUATION.md §9), and the command line.
    var splitAndCommand: ReportSection {
        let facts = [
            ("kind", "random: fold = h64(user, item) mod \(report.folds)"), ("ratings", "\(report.ratings)"),
            ("users", "\(report.users)"), ("items", "\(report.items)"), ("seed", "\(report.seed)"),
        ]
        // Sizes are the same for every model: take the first's.
        let sizes = report.models.first?.folds ?? []
        let rows = report.fingerprints.enumerated().map { fold, fingerprints -> [String] in
            let counts: [String]
            if let size = sizes.first(where: { $0.fold == fold }) {
                counts = [String(size.trainPairs), String(size.testPairs), String(size.unknownPairs)]
            } else {
                counts = ["–", "–", "–"]
            }
            return [String(fold)] + counts + [fingerprints.train, fingerprints.test]
        }
        let table = MetricTable(
            caption: "Each fold: its pairs are the test set, the other folds train; unknown: test pairs whose user or "
                + "item has no train rating.",
            columns: ["fold", "train", "test", "unknown", "train SHA-256", "test SHA-256"], rows: rows)
        return .splitAndCommand(facts: facts, details: table.html, commandLine: context.commandLine)
    }
}
