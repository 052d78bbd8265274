/// What `recsmith evaluate` measures (`--task`, docs/EVALUATION.md §9).
package enum EvaluationTask: String, CaseIterable, Sendable {
    /// Top-N recommendation of held-out pairs: NDCG, recall, precision (§1–8). The default.
    case ranking
    /// Explicit ratings predicted for held-out pairs: RMSE and MAE over hash-based folds.
    case rating
    /// Held-out item–item relations ranked against unrelated items: AUC-ROC (§9 `--task pairs`).
    case pairs
}
