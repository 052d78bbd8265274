import Evaluation
import EventFormats

/// A real evaluation of a small synthetic event set (pop, item-kNN, ALS and BPR with learning curves), with the
/// second model renamed to a hostile label: markup that would run a script and load an image if it were not
/// escaped.
enum ReportFixture {
    /// The hostile model name.
    static let hostileName = "<script>window.injected = true</script>\"><img src=x onerror=\"window.injected = true\">"

    static let report: EvaluationReport = {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var rows: [EventRow] = []
        for user in 0..<80 {
            for event in 0..<25 {
                // Skewed towards low item numbers, so popularity differs between items.
                let item = min(next(120), next(120), next(120))
                rows.append(EventRow(user: "u\(user)", item: "i\(item)", timestamp: Double(user * 100 + event), line: rows.count + 2))
            }
        }
        let options = EvaluationOptions(
            split: .leaveLastOut, ks: [5, 10, 20], models: [.pop, .itemknn, .als, .bpr], factors: 8, curve: true)
        do {
            var report = try EvaluationRunner(options: options).run(on: InteractionSet(rows: rows))
            report.models[1].model = hostileName
            return report
        } catch {
            fatalError("the fixture's evaluation failed: \(error)")
        }
    }()
}
