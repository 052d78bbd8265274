import Foundation
import Hashing
import LinearAlgebra
@testable import Models
import NeuralLayers
import TestSupport
import Testing

struct MLPTests {
    private static let small = MLPParameters(
        factors: 8, hidden: 16, layers: 2, epochs: 40, batchSize: 32, learningRate: 0.003, weightDecay: 1)

    // MARK: Gradient check

    /// The network's parameters in float64, for the reference loss.
    private struct Reference {
        var users: [Double], items: [Double], userBiases: [Double], itemBiases: [Double]
        var weights: [[Double]], biases: [[Double]]
    }

    /// The mean loss of the batch computed from scratch in float64: `[p_u, q_i]` through the layers (ReLU after all
    /// but the last), `z = offset + b_u + b_i + o`, squared error or binary cross-entropy.
    private static func referenceLoss(
        _ p: Reference, factors f: Int, widths: [Int], offset: Double, objective: MLPParameters.Objective,
        examples: [(user: Int, item: Int, target: Double)]
    ) -> Double {
        var total = 0.0
        for example in examples {
            var activation = Array(p.users[example.user * f..<(example.user + 1) * f])
                + Array(p.items[example.item * f..<(example.item + 1) * f])
            for (layer, width) in (widths + [1]).enumerated() {
                var next = p.biases[layer]
                for column in 0..<width {
                    for row in activation.indices { next[column] += activation[row] * p.weights[layer][row * width + column] }
                }
                activation = layer < widths.count ? next.map { max(0, $0) } : next
            }
            let z = offset + p.userBiases[example.user] + p.itemBiases[example.item] + activation[0]
            switch objective {
            case .rating: total += (z - example.target) * (z - example.target)
            case .ranking: total += max(z, 0) + log1p(exp(-abs(z))) - example.target * z
            }
        }
        return total / Double(examples.count)
    }

    /// Checks `analytic` against float64 central differences of `loss` at `point` (`GradientCheck.compare`).
    private static func expectMatches(
        _ analytic: [Float], at point: [Double], _ name: String, sourceLocation: SourceLocation = #_sourceLocation,
        loss: ([Double]) -> Double
    ) {
        let (worst, largest) = GradientCheck.compare(analytic, at: point, loss: loss)
        #expect(largest > 1e-6, "\(name): the check needs a non-trivial gradient", sourceLocation: sourceLocation)
        #expect(worst <= GradientCheck.tolerance, "\(name): worst relative error \(worst)", sourceLocation: sourceLocation)
    }

    @Test(arguments: MLPParameters.Objective.allCases)
    func gradientOfTheWholeNetworkMatchesCentralDifferences(_ objective: MLPParameters.Objective) {
        let parameters = MLPParameters(objective: objective, factors: 3, hidden: 6, layers: 2, batchSize: 8, negatives: 1)
        let offset: Float = objective == .rating ? 3.5 : 0
        let network = MLPNetwork(userCount: 4, itemCount: 5, parameters: parameters, offset: offset, seed: 11)
        var generator = Xoshiro256StarStar(seed: 12)
        for table in [network.userBiases.table, network.itemBiases.table] + network.layers.map(\.bias) {
            for index in 0..<table.value.count { table.value.base[index] = generator.nextUnitFloat() - 0.5 }
        }
        // Users and items repeat within the batch: their rows' gradients must accumulate.
        let examples: [(user: Int, item: Int, target: Double)] = objective == .rating
            ? [(0, 1, 4), (1, 1, 2.5), (0, 3, 5), (2, 4, 1), (3, 0, 3), (2, 1, 4.5)]
            : [(0, 1, 1), (1, 1, 0), (0, 3, 0), (2, 4, 1), (3, 0, 1), (2, 1, 0)]
        for example in examples {
            network.append(user: Int32(example.user), item: Int32(example.item), target: Float(example.target))
        }
        let loss = network.lossAndGradient()
        func doubles(_ tensor: Tensor) -> [Double] { tensor.buffer.map(Double.init) }
        let point = Reference(
            users: doubles(network.users.table.value), items: doubles(network.items.table.value),
            userBiases: doubles(network.userBiases.table.value), itemBiases: doubles(network.itemBiases.table.value),
            weights: network.layers.map { doubles($0.weights.value) }, biases: network.layers.map { doubles($0.bias.value) })
        func reference(_ p: Reference) -> Double {
            Self.referenceLoss(p, factors: 3, widths: parameters.hiddenWidths, offset: Double(offset), objective: objective,
                               examples: examples)
        }
        #expect(abs(loss - reference(point)) < 1e-5 * max(1, abs(loss)))
        Self.expectMatches(Array(network.users.table.gradient.buffer), at: point.users, "∂P") {
            var p = point
            p.users = $0
            return reference(p)
        }
        Self.expectMatches(Array(network.items.table.gradient.buffer), at: point.items, "∂Q") {
            var p = point
            p.items = $0
            return reference(p)
        }
        Self.expectMatches(Array(network.userBiases.table.gradient.buffer), at: point.userBiases, "∂b_u") {
            var p = point
            p.userBiases = $0
            return reference(p)
        }
        Self.expectMatches(Array(network.itemBiases.table.gradient.buffer), at: point.itemBiases, "∂b_i") {
            var p = point
            p.itemBiases = $0
            return reference(p)
        }
        for (index, layer) in network.layers.enumerated() {
            Self.expectMatches(Array(layer.weights.gradient.buffer), at: point.weights[index], "∂W\(index + 1)") {
                var p = point
                p.weights[index] = $0
                return reference(p)
            }
            Self.expectMatches(Array(layer.bias.gradient.buffer), at: point.biases[index], "∂b\(index + 1)") {
                var p = point
                p.biases[index] = $0
                return reference(p)
            }
        }
    }

    // MARK: Scoring

    @Test func scoringWithPrecomputedItemHalvesEqualsTheConcatenatedNetwork() throws {
        let data = try plantedData(users: 30, items: 20)
        var parameters = Self.small
        parameters.epochs = 2
        parameters.layers = 3
        let model = try MLP.fit(data, parameters: parameters, seed: 4)
        let scores = try #require(allScores(model, trainingQuery(data, user: 7)))
        let f = model.factors
        for item in 0..<model.itemCount where model.itemCounts[item] > 0 {
            var activation = model.userEmbeddings.withRow(7) { $0.map(Double.init) }
                + model.itemEmbeddings.withRow(item) { $0.map(Double.init) }
            for (index, layer) in model.layers.enumerated() {
                var next = layer.bias.map(Double.init)
                for column in next.indices {
                    for row in activation.indices { next[column] += activation[row] * Double(layer.weights[row, column]) }
                }
                activation = index < model.layers.count - 1 ? next.map { max(0, $0) } : next
            }
            let z = Double(model.userBiases[7] + model.itemBiases[item]) + activation[0]
            #expect(activation.count == 1 && model.layers[0].inputWidth == 2 * f)
            #expect(abs(Double(scores[item]) - 1 / (1 + exp(-z))) < 1e-5, "item \(item)")
        }
    }

    // MARK: Learning

    /// Planted groups with one of each user's in-group items, drawn at random, held out; returns the training data and
    /// the held-out items.
    private func heldOutPlanted() throws -> (data: TrainingData, heldOut: [Int32]) {
        let full = try plantedData(users: 160, items: 60, inGroup: 0.4, noise: 0.02, seed: 8)
        var generator = Xoshiro256StarStar(seed: 9)
        var pairs: [(Int32, Int32)] = [], heldOut: [Int32] = []
        for user in 0..<full.interactions.rowCount {
            let items = full.interactions.columns[full.interactions.entryRange(ofRow: user)]
            let inGroup = items.filter { Int($0) % 4 == user % 4 }
            let planted = inGroup.isEmpty ? -1 : inGroup[generator.nextIndex(below: inGroup.count)]
            heldOut.append(planted)
            for item in items where item != planted { pairs.append((Int32(user), item)) }
        }
        return (try makeBinaryData(users: 160, items: 60, pairs), heldOut)
    }

    /// Mean over users of the share of their unseen items the held-out item outranks.
    private func heldOutAUC(_ model: any Recommender, _ data: TrainingData, _ heldOut: [Int32]) -> Double {
        var total = 0.0, users = 0
        for user in 0..<data.interactions.rowCount where heldOut[user] >= 0 {
            let query = trainingQuery(data, user: user)
            guard let scores = allScores(model, query) else { continue }
            let seen = Set(query.history)
            let others = (0..<Int32(model.itemCount)).filter { !seen.contains($0) && $0 != heldOut[user] }
            total += Double(others.count { scores[Int(heldOut[user])] > scores[Int($0)] }) / Double(others.count)
            users += 1
        }
        return total / Double(users)
    }

    @Test func learnsPlantedTastesAndBeatsPopularityOnHeldOutItems() throws {
        let (data, heldOut) = try heldOutPlanted()
        let model = try MLP.fit(data, parameters: Self.small, seed: 1)
        let popular = try ModelTrainer.fit(.popular, on: data, seed: 1)
        let mlp = heldOutAUC(model, data, heldOut), baseline = heldOutAUC(popular, data, heldOut)
        #expect(mlp > 0.75 && mlp > baseline + 0.15, "mlp \(mlp), popular \(baseline)")
    }

    /// Ratings of `users` × 40 items from biases and a planted rank-2 taste, and the rule that made them; the pairs with
    /// `(user + item) % 4 == 0` are held out, as are all of the users in `heldOutUsers`.
    private static func plantedRatings(
        users: Int = 60, heldOutUsers: Set<Int> = []
    ) throws -> (data: TrainingData, rating: (Int, Int) -> Float) {
        var generator = Xoshiro256StarStar(seed: 3)
        let items = 40
        let u = (0..<users * 2).map { _ in generator.nextGaussian() }, v = (0..<items * 2).map { _ in generator.nextGaussian() }
        let rating = { (user: Int, item: Int) -> Float in
            3 + 0.4 * Float(user % 3) - 0.3 * Float(item % 4) + 0.6 * (u[2 * user] * v[2 * item] + u[2 * user + 1] * v[2 * item + 1])
        }
        var rows: [Int32] = [], columns: [Int32] = [], values: [Float] = []
        for user in 0..<users where !heldOutUsers.contains(user) {
            for item in 0..<items where (user + item) % 4 != 0 {
                rows.append(Int32(user))
                columns.append(Int32(item))
                values.append(rating(user, item))
            }
        }
        let matrix = try CSRMatrix(rowCount: users, columnCount: items, rows: rows, columns: columns, values: values)
        return (TrainingData(interactions: matrix, lastSeen: [Double](repeating: 0, count: values.count), ratings: matrix), rating)
    }

    private static let ratingParameters = MLPParameters(
        objective: .rating, factors: 8, hidden: 16, epochs: 60, batchSize: 32, learningRate: 0.01, weightDecay: 0)

    @Test func predictsHeldOutRatingsBetterThanTheGlobalMean() throws {
        let users = 60, items = 40
        let (data, rating) = try Self.plantedRatings(users: users)
        let model = try MLP.fit(data, parameters: Self.ratingParameters, seed: 2)
        var squared = 0.0, meanSquared = 0.0, count = 0.0
        for user in 0..<users {
            for item in 0..<items where (user + item) % 4 == 0 {
                let truth = Double(rating(user, item))
                let predicted = Double(model.predict(user: Int32(user), item: Int32(item)))
                squared += (predicted - truth) * (predicted - truth)
                meanSquared += (Double(model.offset) - truth) * (Double(model.offset) - truth)
                count += 1
            }
        }
        let rmse = (squared / count).squareRoot(), baseline = (meanSquared / count).squareRoot()
        #expect(rmse < 0.7 * baseline, "mlp \(rmse), global mean \(baseline)")
        // Unknown parts fall back to what is known: μ alone for an unknown user and item.
        #expect(model.predict(user: Int32?.none, item: nil) == model.offset)
        #expect(model.predict(user: 0, item: nil) == min(max(model.offset + model.userBiases[0], model.ratingRange.lowerBound),
                                                            model.ratingRange.upperBound))
    }

    @Test func ratingPredictionsOfATrainedUsersVectorNameTheirPartsAndMatchTheTrainedUser() throws {
        let model = try MLP.fit(try Self.plantedRatings(users: 20).data, parameters: Self.ratingParameters, seed: 2)
        #expect(model.predictsRatings && model.explicitTypes == ["rating"])
        let vector = try #require(model.userVector(of: 3))
        #expect(vector.count == model.factors + 1 && vector[0] == model.userBiases[3])
        for item: Int32 in [0, 5, 39] {
            let prediction = model.predict(user: vector, item: item)
            #expect(prediction.rating == model.predict(user: 3, item: item))
            #expect(prediction.parts == [.globalMean, .userBias, .itemBias, .factors])
        }
        #expect(model.predict(user: vector, item: 40).parts == [.globalMean, .userBias])
        #expect(model.predict(user: nil, item: 5).parts == [.globalMean, .itemBias])
        #expect(model.predict(user: nil, item: nil) == RatingPrediction(rating: model.offset, parts: [.globalMean]))
        #expect(model.userVector(of: 20) == nil && model.userVector(of: -1) == nil)
    }

    @Test func foldsInAUserFromTheirRatingsCloserThanLeavingThemOut() throws {
        let newcomer = 17
        let (data, rating) = try Self.plantedRatings(users: 60, heldOutUsers: [newcomer])
        let model = try MLP.fit(data, parameters: Self.ratingParameters, seed: 2)
        #expect(!model.knows(user: Int32(newcomer)))
        let rated = (0..<40).filter { (newcomer + $0) % 4 != 0 }, heldOut = (0..<40).filter { (newcomer + $0) % 4 == 0 }
        let items = rated.map { Int32($0) }, ratings = rated.map { rating(newcomer, $0) }
        let folded = try #require(model.foldIn(items: items, ratings: ratings))
        #expect(folded.count == model.factors + 1)
        #expect(model.foldIn(items: items, ratings: ratings) == folded, "the same ratings fold in the same")
        /// RMSE over `items` of the predictions for `vector`.
        func rmse(_ vector: [Float]?, _ items: [Int]) -> Double {
            let squared = items.map { item -> Double in
                let error = Double(model.predict(user: vector, item: Int32(item)).rating - rating(newcomer, item))
                return error * error
            }
            return (squared.reduce(0, +) / Double(items.count)).squareRoot()
        }
        #expect(rmse(folded, rated) < 0.6 * rmse(nil, rated), "fits the ratings it was given")
        #expect(rmse(folded, heldOut) < rmse(nil, heldOut), "and predicts the others better than μ + b_i")
        #expect(model.foldIn(items: [40, -1], ratings: [5, 5]) == nil, "no known item")
    }

    @Test func rankingObjectiveFoldsInNoRatingsAndPredictsNone() throws {
        let model = try MLP.fit(try plantedData(users: 20, items: 12), parameters: Self.small, seed: 1)
        #expect(!model.predictsRatings)
        #expect(model.foldIn(items: [1, 2], ratings: [4, 5]) == nil)
    }

    @Test func foldsInANewcomerFromTheirHistory() throws {
        let data = try plantedData()
        let model = try MLP.fit(data, parameters: Self.small, seed: 2)
        #expect(model.foldsInUsers)
        let history: [Int32] = [1, 5, 9, 13]
        let folded = try #require(model.foldIn(history: history, weights: [1, 1, 1, 1]))
        #expect(model.foldIn(history: history, weights: [1, 1, 1, 1]) == folded, "the same history folds in the same")
        let query = UserQuery(user: nil, history: history, weights: [1, 1, 1, 1])
        let top = recommend(model, for: query, count: 5, excluding: history)
        #expect(top.count == 5 && top.filter { $0.item % 4 == 1 }.count >= 4, "\(top)")
        var cached = query
        cached.factors = folded
        #expect(allScores(model, cached) == allScores(model, query))
        #expect(model.foldIn(history: [], weights: []) == nil)
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
    }

    @Test func ratingObjectiveNeedsRatingsAndAnswersOnlyTrainedUsers() throws {
        let binary = try makeBinaryData(users: 2, items: 2, [(0, 0), (1, 1)])
        var parameters = Self.small
        parameters.objective = .rating
        #expect(throws: ModelError.missingRatings(kind: .mlp)) { try MLP.fit(binary, parameters: parameters, seed: 1) }
        let model = try MLP.fit(try plantedData(users: 20, items: 12), parameters: parameters, seed: 1)
        #expect(!model.foldsInUsers && model.foldIn(history: [1, 2], weights: [1, 1]) == nil)
        #expect(allScores(model, UserQuery(user: nil, history: [1, 2], weights: [1, 1])) == nil)
        let scores = try #require(allScores(model, UserQuery(user: 0, history: [], weights: [])))
        let rated = scores.filter(\.isFinite)
        #expect(!rated.isEmpty && rated.allSatisfy { $0 > 0 && $0 < 7 }, "\(scores)")
    }

    // MARK: Reproducibility, archive, epochs, validation

    @Test func theSameSeedGivesTheSameModelOnAnyNumberOfWorkers() throws {
        let data = try plantedData(users: 60, items: 40)
        var one = Self.small, two = Self.small
        one.epochs = 3
        two.epochs = 3
        one.threads = 1
        two.threads = 2
        let first = try MLP.fit(data, parameters: one, seed: 9)
        let second = try MLP.fit(data, parameters: two, seed: 9)
        #expect(first.userEmbeddings == second.userEmbeddings && first.itemEmbeddings == second.itemEmbeddings)
        #expect(first.layers == second.layers && first.itemBiases == second.itemBiases)
        let other = try MLP.fit(data, parameters: one, seed: 10)
        #expect(other.itemEmbeddings != first.itemEmbeddings)
    }

    @Test(arguments: MLPParameters.Objective.allCases)
    func survivesAnArchiveRoundTripBitForBit(_ objective: MLPParameters.Objective) throws {
        let data = try plantedData(users: 40, items: 30)
        var parameters = Self.small
        parameters.objective = objective
        parameters.epochs = 2
        parameters.layers = 3
        let model = try MLP.fit(data, parameters: parameters, seed: 5, explicitTypes: ["rating", "stars"])
        let bytes = try ModelArchive.encode(model)
        let decoded = try #require(try ModelArchive.decode(bytes) as? MLP)
        #expect(try ModelArchive.encode(decoded) == bytes)
        #expect(decoded.objective == objective && decoded.layers == model.layers && decoded.itemHalves == model.itemHalves)
        #expect(decoded.explicitTypes == ["rating", "stars"])
        for user in [0, 7, 39] {
            #expect(allScores(decoded, trainingQuery(data, user: user)) == allScores(model, trainingQuery(data, user: user)))
        }
        #expect(decoded.foldIn(history: [1, 2, 3], weights: [1, 1, 1]) == model.foldIn(history: [1, 2, 3], weights: [1, 1, 1]))
    }

    @Test func readsAnArchiveWrittenBeforeItKeptTheExplicitTypes() throws {
        let model = try MLP.fit(try plantedData(users: 20, items: 12), parameters: Self.small, seed: 1, explicitTypes: ["stars"])
        let bytes = try ModelArchive.encode(model)
        // The same archive without the types at the end of the payload: length patched, checksum recomputed.
        let payloadEnd = bytes.count - 8, typesSize = 4 + 4 + "stars".utf8.count
        var older = Array(bytes[..<(payloadEnd - typesSize)])
        withUnsafeBytes(of: UInt64(older.count - ModelArchive.headerSize).littleEndian) {
            older.replaceSubrange(32..<40, with: $0)
        }
        withUnsafeBytes(of: older.withUnsafeBytes { Checksum64.of($0) }.littleEndian) { older.append(contentsOf: $0) }
        let decoded = try #require(try ModelArchive.decode(older) as? MLP)
        #expect(decoded.explicitTypes == MLP.defaultExplicitTypes && decoded.layers == model.layers)
    }

    @Test func reportsEveryEpochAndStopsWhenCancelled() throws {
        let data = try plantedData(users: 40, items: 30)
        var parameters = Self.small
        parameters.epochs = 4
        try expectEpochReportsAndCancellation(.mlp, epochs: 4) { cancellation, observer throws(ModelError) in
            _ = try MLP.fit(data, parameters: parameters, seed: 1, cancellation: cancellation, observer: observer)
        }
    }

    @Test func rejectsInvalidParameters() throws {
        let data = try plantedData(users: 10, items: 10)
        for (parameters, name) in [
            (MLPParameters(factors: 0), "factors"), (MLPParameters(hidden: 0), "hidden"), (MLPParameters(layers: 5), "layers"),
            (MLPParameters(epochs: 0), "epochs"), (MLPParameters(batchSize: 0), "batchSize"),
            (MLPParameters(learningRate: 0), "learningRate"), (MLPParameters(weightDecay: -1), "weightDecay"),
            (MLPParameters(negatives: 0), "negatives"), (MLPParameters(threads: -1), "threads"),
        ] {
            #expect {
                try MLP.fit(data, parameters: parameters, seed: 1)
            } throws: { error in
                guard case let ModelError.invalidParameter(kind, found, _, _) = error else { return false }
                return kind == .mlp && found == name
            }
        }
    }

    @Test func similarItemsAreTheNearestItemEmbeddings() throws {
        let data = try plantedData()
        let model = try MLP.fit(data, parameters: Self.small, seed: 3)
        let similar = try #require(model.similarItems(to: 2, count: 5))
        #expect(similar.count == 5 && !similar.contains { $0.item == 2 })
    }
}
