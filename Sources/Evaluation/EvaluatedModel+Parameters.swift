import JSON
import Models

extension EvaluatedModel {
    /// The hyper-parameters this model reports under `"params"` and accepts in `--grid`, with how to read
    /// and set each one on ``ModelParameters``. Names follow implicit's keyword arguments.
    package var tunableParameters: [TunableParameter] {
        switch self {
        case .pop:
            []
        case .itemknn:
            [.integer("K", \.itemKNN.neighbors)]
        case .als:
            [
                .integer("factors", \.als.factors), .real("regularization", \.als.regularization),
                .real("alpha", \.als.alpha), .integer("iterations", \.als.iterations),
            ]
        case .bpr:
            [
                .integer("factors", \.bpr.factors), .real("learning_rate", \.bpr.learningRate),
                .real("regularization", \.bpr.regularization), .integer("iterations", \.bpr.epochs),
            ]
        case .trending:
            [.seconds("half_life_s", \.trending.halfLifeSeconds)]
        case .content:
            [
                .choice("weighting", \.content.weighting), .seconds("half_life_s", \.content.halfLifeSeconds),
                .real("category_weight", \.content.categoryWeight), .real("label_weight", \.content.labelWeight),
                .real("text_weight", \.content.textWeight),
            ]
        case .random:
            []
        case .softmax:
            [.real("tau", \.softmax.temperature), .integer("K", \.softmax.candidates)]
        case .ease:
            [.real("lambda", \.ease.regularization), .integer("max_items", \.ease.maxItems)]
        case .svd:
            [
                .integer("factors", \.svd.factors), .integer("power_iterations", \.svd.powerIterations),
                .integer("oversamples", \.svd.oversamples),
            ]
        case .markov:
            [.real("smoothing", \.markov.smoothing), .integer("window", \.markov.window), .real("decay", \.markov.decay)]
        case .autoencoder:
            [
                .integer("hidden", \.autoencoder.hidden), .integer("second_hidden", \.autoencoder.secondHidden),
                .integer("epochs", \.autoencoder.epochs), .integer("batch_size", \.autoencoder.batchSize),
                .real("learning_rate", \.autoencoder.learningRate), .real("dropout", \.autoencoder.dropout),
                .real("weight_decay", \.autoencoder.weightDecay), .integer("full_softmax_items", \.autoencoder.fullSoftmaxItems),
                .integer("negatives", \.autoencoder.negatives), .choice("sampling", \.autoencoder.sampling),
            ]
        case .sequence:
            [
                .integer("hidden", \.sequence.hidden), .integer("epochs", \.sequence.epochs),
                .integer("batch_size", \.sequence.batchSize), .integer("window", \.sequence.window),
                .real("learning_rate", \.sequence.learningRate), .integer("negatives", \.sequence.negatives),
            ]
        case .mlp:
            [
                .integer("factors", \.mlp.factors), .integer("hidden", \.mlp.hidden), .integer("layers", \.mlp.layers),
                .integer("epochs", \.mlp.epochs), .integer("batch_size", \.mlp.batchSize),
                .real("learning_rate", \.mlp.learningRate), .real("weight_decay", \.mlp.weightDecay),
                .integer("negatives", \.mlp.negatives),
            ]
        }
    }

    /// The `"params"` object of this model under `parameters`.
    package func reportedParameters(_ parameters: ModelParameters) -> [(name: String, value: JSONValue)] {
        tunableParameters.map { ($0.name, $0.value(in: parameters)) }
    }

    /// The tunable parameter called `name`, if any.
    package func tunableParameter(named name: String) -> TunableParameter? {
        tunableParameters.first { $0.name == name }
    }
}
