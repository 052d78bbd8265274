/// What `recsmith evaluate --task` measures (docs/EVALUATION.md §9).
package enum EvaluationTask: String, Sendable, CaseIterable {
    /// Top-N recommendation of held-out events (§§1–8): the default.
    case ranking
    /// Held-out item–item relations ranked against unrelated items: AUC-ROC (§9 `--task pairs`).
    case pairs
}
