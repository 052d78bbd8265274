import Evaluation
import JSON
import Markup

extension EvaluationReportPage {
    /// Times and the headline metrics of every model, at every cut-off.
    var leaderboard: ReportSection {
        var columns = ["model", "fit s", "recommend s"]
        for k in report.ks { columns += ["NDCG@\(k)", "recall@\(k)", "precision@\(k)"] }
        columns += ["coverage@\(headlineK)", "popularity pct@\(headlineK)"]
        let rows = report.models.map { model in
            var row = [model.model, formatSignificant(model.fitSeconds, significant: 3),
                       formatSignificant(model.recommendSeconds, significant: 3)]
            for k in report.ks {
                let metrics = model.metrics(atK: k)
                row += [metrics?.ndcg, metrics?.recall, metrics?.precision].map { $0.map { formatNumber($0, decimals: 4) } ?? "–" }
            }
            let headline = model.metrics(atK: headlineK)
            row.append(headline.map { formatNumber($0.coverage, decimals: 4) } ?? "–")
            row.append(headline?.popularityPercentile.map { formatNumber($0, decimals: 1) } ?? "–")
            return row
        }
        let note = report.seeds.isEmpty ? "" : " Seeded models: means over the seeds."
        return ReportSection(
            id: "leaderboard", heading: "Leaderboard",
            body: MetricTable(caption: "Means over the test users." + note, columns: columns, rows: rows).html)
    }

    /// NDCG, recall and precision against the cut-off, one line per model.
    var accuracy: ReportSection {
        let metrics: [(id: String, name: String, value: (MetricsAtK) -> Double)] = [
            ("ndcg", "NDCG", \.ndcg), ("recall", "Recall", \.recall), ("precision", "Precision", \.precision),
        ]
        let figures = metrics.map { metric in
            let series = report.models.enumerated().map { index, model in
                ChartSeries(
                    name: model.model, points: model.metrics.map { (Double($0.k), metric.value($0)) },
                    colour: colour(ofModelAt: index))
            }
            let chart = LineChart(
                id: "chart-\(metric.id)", title: "\(metric.name)@k per model", xTitle: "cut-off k",
                yTitle: metric.name, series: series)
            return ReportSection.figure(
                chart: metric.id, svg: chart.svg, caption: "\(metric.name) at every cut-off k, one line per model.")
        }
        return ReportSection(
            id: "accuracy", heading: "Accuracy at every cut-off",
            body: "<div class=\"charts\">\(figures.joined())</div>")
    }

    /// Fit time (log axis) against NDCG at the headline cut-off: what accuracy costs.
    var speed: ReportSection {
        let series = report.models.enumerated().map { index, model in
            ChartSeries(
                name: model.model, points: [(model.fitSeconds, model.metrics(atK: headlineK)?.ndcg ?? 0)],
                colour: colour(ofModelAt: index))
        }
        let chart = ScatterChart(
            id: "chart-fit-time", title: "Fit time against NDCG@\(headlineK)", xTitle: "fit time, seconds (log)",
            yTitle: "NDCG@\(headlineK)", series: series, xScale: LogScale(covering: series.flatMap(\.points).map(\.x)))
        let figure = ReportSection.figure(
            chart: "fit-time", svg: chart.svg,
            caption: "Wall time of fitting on train against NDCG@\(headlineK); up and to the left is better.")
        return ReportSection(id: "speed", heading: "Fit time and accuracy", body: "<div class=\"charts\">\(figure)</div>")
    }

    /// Catalogue coverage and mean popularity percentile of the recommended items: who recommends only blockbusters.
    var popularity: ReportSection {
        let k = headlineK
        let coverage = BarChart(
            id: "chart-coverage", title: "Catalogue coverage@\(k)", valueTitle: "share of the catalogue recommended",
            bars: report.models.enumerated().map { index, model in
                .init(name: model.model, value: model.metrics(atK: k)?.coverage ?? 0, colour: colour(ofModelAt: index))
            })
        let percentile = BarChart(
            id: "chart-popularity", title: "Mean popularity percentile@\(k)",
            valueTitle: "mean train-popularity percentile of recommended items",
            bars: report.models.enumerated().map { index, model in
                .init(
                    name: model.model, value: model.metrics(atK: k)?.popularityPercentile ?? 0,
                    colour: colour(ofModelAt: index))
            }, scale: LinearScale(covering: [0, 100]))
        let figures = ReportSection.figure(
            chart: "coverage", svg: coverage.svg,
            caption: "Distinct items in any test user's top-\(k) over the catalogue size.")
            + ReportSection.figure(
                chart: "popularity", svg: percentile.svg,
                caption: "Where the recommended items stand in train popularity, 100 the most popular; a model "
                    + "near 100 recommends only blockbusters.")
        return ReportSection(
            id: "popularity", heading: "Coverage and popularity bias", body: "<div class=\"charts\">\(figures)</div>")
    }

    /// The metric and, where the model has one, the training loss after every epoch (`--curve`).
    var learningCurves: ReportSection? {
        let curved = report.models.enumerated().filter { !$0.element.curve.isEmpty }
        guard !curved.isEmpty else { return nil }
        let metricName = curved[0].element.curveMetric ?? "metric"
        let metric = LineChart(
            id: "chart-curve", title: "Learning curves: \(metricName) per epoch", xTitle: "epoch", yTitle: metricName,
            series: curved.map { index, model in
                ChartSeries(name: model.model, points: model.curve.map { (Double($0.epoch), $0.metric) }, colour: colour(ofModelAt: index))
            })
        var figures = ReportSection.figure(
            chart: "curve", svg: metric.svg, caption: "\(metricName) on the test data after every epoch of fitting.")
        let lossy = curved.filter { $0.element.curve.allSatisfy { $0.loss != nil } }
        if !lossy.isEmpty {
            let loss = LineChart(
                id: "chart-loss", title: "Training loss per epoch", xTitle: "epoch", yTitle: "training loss",
                series: lossy.map { index, model in
                    ChartSeries(name: model.model, points: model.curve.map { (Double($0.epoch), $0.loss ?? 0) }, colour: colour(ofModelAt: index))
                }, yFromZero: false)
            figures += ReportSection.figure(chart: "loss", svg: loss.svg, caption: "The training loss after every epoch.")
        }
        return ReportSection(
            id: "curves", heading: "Learning curves", body: "<div class=\"charts\">\(figures)</div>")
    }

    /// Every setting tried by `--grid`, with its validation score.
    var gridSearch: ReportSection? {
        guard !report.grid.isEmpty else { return nil }
        let tables = report.grid.map { search in
            MetricTable(
                caption: "\(search.model): \(search.metric) on the validation split (best marked ★)",
                columns: ["setting", search.metric],
                rows: search.trials.enumerated().map { index, trial in
                    [trial.parameters.map { "\($0.name)=\($0.value.serialized())" }.joined(separator: ", ")
                        + (index == search.bestIndex ? " ★" : ""), formatNumber(trial.score, decimals: 4)]
                }).html
        }
        return ReportSection(id: "grid", heading: "Grid search", body: tables.joined())
    }

    /// The split's sizes and fingerprints (docs/EVALUATION.md §7) and the command line that made this report.
    var splitAndCommand: ReportSection {
        let split = report.split
        var facts: [(String, String)] = [
            ("kind", split.kind), ("train pairs", "\(split.trainPairs)"), ("train users", "\(split.trainUsers)"),
            ("catalogue items", "\(split.trainItems)"), ("test users", "\(split.testUsers)"),
            ("test pairs", "\(split.testPairs)"),
        ]
        if let input = split.inputPairs { facts.append(("input pairs", "\(input)")) }
        facts.append(("train SHA-256", split.fingerprints.train))
        facts.append(("test SHA-256", split.fingerprints.test))
        if let input = split.fingerprints.input { facts.append(("input SHA-256", input)) }
        return .splitAndCommand(facts: facts, commandLine: context.commandLine)
    }
}
