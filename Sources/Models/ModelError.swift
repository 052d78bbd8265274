/// Why a model could not be trained.
package enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The training matrix has no interactions (or no users or no items).
    case emptyTrainingData(kind: ModelKind)
    /// A hyper-parameter is outside its valid range.
    case invalidParameter(kind: ModelKind, name: String, value: String, reason: String)
    /// Training produced NaN or infinite factors (usually a learning rate or alpha that is too large).
    case nonFiniteFactors(kind: ModelKind)
    /// The exact least-squares system of one row was not positive definite (raise the regularization).
    case solverFailed(kind: ModelKind, row: Int)
    /// The training data is malformed (e.g. timestamps that do not match the entries).
    case invalidTrainingData(kind: ModelKind, reason: String)
    /// The fit was stopped through its `TrainingCancellation` (the service is shutting down).
    case cancelled(kind: ModelKind)
    /// A matrix decomposition inside the fit failed (e.g. LAPACK's SVD did not converge).
    case decompositionFailed(kind: ModelKind, reason: String)
    /// The model reads item documents (categories, labels, text) and the training data has none.
    case missingItemDocuments(kind: ModelKind)
    /// The model fits explicit ratings and the training data has none (no events of an explicit type).
    case missingRatings(kind: ModelKind)
    /// The model trains on item–item relations and the training data has none.
    case missingRelations(kind: ModelKind)

    package var description: String {
        switch self {
        case let .emptyTrainingData(kind):
            return "\(kind.rawValue): no interactions to train on"
        case let .invalidParameter(kind, name, value, reason):
            return "\(kind.rawValue): parameter \(name) = \(value) is invalid: \(reason)"
        case let .nonFiniteFactors(kind):
            return "\(kind.rawValue): training produced non-finite factors; lower the learning rate or alpha"
        case let .solverFailed(kind, row):
            return "\(kind.rawValue): least-squares system of row \(row) is not positive definite; raise regularization"
        case let .invalidTrainingData(kind, reason):
            return "\(kind.rawValue): invalid training data: \(reason)"
        case let .cancelled(kind):
            return "\(kind.rawValue): training was cancelled"
        case let .decompositionFailed(kind, reason):
            return "\(kind.rawValue): \(reason)"
        case let .missingItemDocuments(kind):
            return "\(kind.rawValue): needs item records (categories, labels, text) and none were given"
        case let .missingRatings(kind):
            return "\(kind.rawValue): needs explicit ratings (events of an explicit type such as rating) and there are none"
        case let .missingRelations(kind):
            return "\(kind.rawValue): needs item relations (POST /relations, import --relations) and none were given"
        }
    }
}
