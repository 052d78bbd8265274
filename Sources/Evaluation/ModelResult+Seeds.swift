#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ModelResult {
    /// One result from the runs of a model under several seeds (`--seeds`): times and metrics are the means over
    /// `runs`, ``metricsSD`` their sample standard deviations (n − 1; NaN, written `null`, for a single run),
    /// `short_lists` the largest over runs, the curve the first run's. `runs` must be non-empty and share cut-offs.
    static func aggregating(_ runs: [ModelResult]) -> ModelResult {
        precondition(!runs.isEmpty, "at least one run")
        let first = runs[0]
        let count = Double(runs.count)
        var result = first
        result.seed = nil
        result.fitSeconds = runs.map(\.fitSeconds).reduce(0, +) / count
        result.recommendSeconds = runs.map(\.recommendSeconds).reduce(0, +) / count
        result.metrics = first.metrics.indices.map { index in
            MetricsAtK.mean(of: runs.map { $0.metrics[index] })
        }
        result.metricsSD = first.metrics.indices.map { index in
            MetricsAtK.standardDeviation(of: runs.map { $0.metrics[index] })
        }
        result.runs = runs
        return result
    }
}

extension MetricsAtK {
    /// The mean of every rate over `records` (same `k`); `users` of the first, `short_lists` the largest; the
    /// popularity percentile only when every record has one.
    static func mean(of records: [MetricsAtK]) -> MetricsAtK {
        let count = Double(records.count)
        func average(_ value: (MetricsAtK) -> Double) -> Double { records.map(value).reduce(0, +) / count }
        return MetricsAtK(
            k: records[0].k, recall: average(\.recall), precision: average(\.precision), hitRate: average(\.hitRate),
            ndcg: average(\.ndcg), map: average(\.map), coverage: average(\.coverage), users: records[0].users,
            shortLists: records.map(\.shortLists).max() ?? 0,
            popularityPercentile: measured(records).map { values in values.reduce(0, +) / count })
    }

    /// The sample standard deviation (n − 1) of every rate over `records`; NaN for fewer than two.
    static func standardDeviation(of records: [MetricsAtK]) -> MetricsAtK {
        func spread(_ value: (MetricsAtK) -> Double) -> Double {
            guard records.count > 1 else { return .nan }
            let values = records.map(value)
            let mean = values.reduce(0, +) / Double(values.count)
            return sqrt(values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1))
        }
        return MetricsAtK(
            k: records[0].k, recall: spread(\.recall), precision: spread(\.precision), hitRate: spread(\.hitRate),
            ndcg: spread(\.ndcg), map: spread(\.map), coverage: spread(\.coverage), users: records[0].users,
            shortLists: 0, popularityPercentile: measured(records).map { _ in spread { $0.popularityPercentile ?? 0 } })
    }

    /// The popularity percentiles of `records`, or nil unless every record measured one.
    private static func measured(_ records: [MetricsAtK]) -> [Double]? {
        let values = records.compactMap(\.popularityPercentile)
        return values.count == records.count ? values : nil
    }
}
