import LinearAlgebra
@testable import Models
import Testing

struct MFTests {
    /// Ratings as training data (the ratings are also the interactions, as `recsmith evaluate` passes them).
    private func ratingData(users: Int, items: Int, _ entries: [(Int32, Int32, Float)]) throws -> TrainingData {
        let matrix = try CSRMatrix(
            rowCount: users, columnCount: items, rows: entries.map(\.0), columns: entries.map(\.1), values: entries.map(\.2))
        return TrainingData(
            interactions: matrix, lastSeen: [Double](repeating: 0, count: matrix.nonzeroCount), ratings: matrix)
    }

    /// A fully observed additive matrix r = 3 + a_u + c_i with Σa = Σc = 0.
    private let userEffects: [Float] = [0.5, -1, 0.5]
    private let itemEffects: [Float] = [1, -0.5, 0.25, -0.75]
    private func additiveData() throws -> TrainingData {
        var entries: [(Int32, Int32, Float)] = []
        for user in 0..<3 {
            for item in 0..<4 { entries.append((Int32(user), Int32(item), 3 + userEffects[user] + itemEffects[item])) }
        }
        return try ratingData(users: 3, items: 4, entries)
    }

    /// A rank-2 rating matrix with biases, every third pair missing (held out by the tests that need it).
    private func lowRankRatings(users: Int = 40, items: Int = 30, seed: UInt64 = 3) throws -> TrainingData {
        var generator = Xoshiro256StarStar(seed: seed)
        let u = (0..<users * 2).map { _ in generator.nextGaussian() }, v = (0..<items * 2).map { _ in generator.nextGaussian() }
        var entries: [(Int32, Int32, Float)] = []
        for user in 0..<users {
            for item in 0..<items where (user + item) % 3 != 0 {
                let value = 3 + 0.3 * Float(user % 3) - 0.2 * Float(item % 4) + 0.5 * (u[2 * user] * v[2 * item] + u[2 * user + 1] * v[2 * item + 1])
                entries.append((Int32(user), Int32(item), value))
            }
        }
        return try ratingData(users: users, items: items, entries)
    }

    @Test func alsFindsTheExactBiasesOfAFullyObservedAdditiveMatrix() throws {
        // With factors 0 and a vanishing λ, least squares fits r exactly; the ridge picks the zero-sum biases.
        let parameters = MFParameters(factors: 0, solver: .als, alsIterations: 50, alsRegularization: 1e-5)
        let model = try MF.fit(try additiveData(), parameters: parameters, seed: 1)
        #expect(model.globalMean == 3)
        for user in 0..<3 { #expect(abs(model.userBiases[user] - userEffects[user]) < 1e-3, "user \(user)") }
        for item in 0..<4 { #expect(abs(model.itemBiases[item] - itemEffects[item]) < 1e-3, "item \(item)") }
    }

    @Test func alsFirstHalfSweepIsTheClosedFormRidgeMean() throws {
        // From zero item biases, one user solve with factors 0 is b_u = Σ_i (r_ui − μ) / (n_u + λ).
        let parameters = MFParameters(factors: 0, solver: .als, alsIterations: 1, alsRegularization: 2)
        let data = try ratingData(users: 2, items: 2, [(0, 0, 5), (0, 1, 4), (1, 0, 1)])
        var observed: [Float] = []
        _ = try MF.fit(data, parameters: parameters, seed: 1) { _, build in
            observed = (build() as! MF).userBiases
        }
        let mean: Float = 10.0 / 3
        #expect(abs(observed[0] - ((5 - mean) + (4 - mean)) / (2 + 2)) < 1e-5)
        #expect(abs(observed[1] - (1 - mean) / (1 + 2)) < 1e-5)
    }

    @Test func ridgeSolverGivesTheNormalEquationsSolutionInItsDualForm() {
        // Two rows of width 4 (dual form, 2×2) against the 4×4 normal equations solved by hand in float64.
        let rows: [Float] = [1, 0.5, -1, 2, 1, 1, 0.25, -0.5], targets: [Float] = [1.5, -0.5], lambda: Float = 0.7
        let solver = RidgeSolver(width: 4, capacity: 2)
        solver.rows.update(from: rows, count: 8)
        solver.targets.update(from: targets, count: 2)
        var x = [Float](repeating: 0, count: 4)
        #expect(x.withUnsafeMutableBufferPointer { solver.solve(count: 2, regularization: lambda, into: $0.baseAddress!) })
        var system = [Double](repeating: 0, count: 16), rightSide = [Double](repeating: 0, count: 4)
        for i in 0..<4 {
            for j in 0..<4 { system[i * 4 + j] = Double(rows[i] * rows[j] + rows[4 + i] * rows[4 + j]) + (i == j ? Double(lambda) : 0) }
            rightSide[i] = Double(rows[i] * targets[0] + rows[4 + i] * targets[1])
        }
        #expect(CholeskySolver.solve(&system, &rightSide, size: 4))
        for index in 0..<4 { #expect(abs(Double(x[index]) - rightSide[index]) < 1e-5) }
    }

    @Test func sgdLossDecreasesEveryEpochAndIsReproducibleForASeed() throws {
        let data = try lowRankRatings()
        let parameters = MFParameters(factors: 4, epochs: 15, learningRate: 0.02, regularization: 0.02)
        var losses: [Double] = []
        let model = try MF.fit(data, parameters: parameters, seed: 9) { _, build in
            losses.append((build() as! MF).loss(on: data.ratings!, regularization: parameters.regularization))
        }
        #expect(losses.count == 15)
        for epoch in 1..<losses.count { #expect(losses[epoch] < losses[epoch - 1], "epoch \(epoch + 1)") }
        let again = try MF.fit(data, parameters: parameters, seed: 9)
        #expect(again.userFactors == model.userFactors && again.itemBiases == model.itemBiases)
        let other = try MF.fit(data, parameters: parameters, seed: 10)
        #expect(other.userFactors != model.userFactors)
    }

    @Test func bothSolversPredictHeldOutRatingsOfALowRankMatrix() throws {
        let data = try lowRankRatings()
        for solver in MFParameters.Solver.allCases {
            let parameters = MFParameters(
                factors: 2, solver: solver, epochs: 200, learningRate: 0.02, regularization: 0.01, alsIterations: 30,
                alsRegularization: 0.5)
            let model = try MF.fit(data, parameters: parameters, seed: 2)
            var squared: Float = 0, count: Float = 0, spread: Float = 0
            var generator = Xoshiro256StarStar(seed: 3)
            let u = (0..<80).map { _ in generator.nextGaussian() }, v = (0..<60).map { _ in generator.nextGaussian() }
            for user in 0..<40 {
                for item in 0..<30 where (user + item) % 3 == 0 {
                    let truth = 3 + 0.3 * Float(user % 3) - 0.2 * Float(item % 4) + 0.5 * (u[2 * user] * v[2 * item] + u[2 * user + 1] * v[2 * item + 1])
                    let predicted = model.predict(user: model.userVector(of: Int32(user)), item: Int32(item)).rating
                    squared += (predicted - truth) * (predicted - truth)
                    spread += (truth - model.globalMean) * (truth - model.globalMean)
                    count += 1
                }
            }
            // Held-out error well below the spread of the ratings around their mean.
            #expect((squared / count).squareRoot() < 0.3 * (spread / count).squareRoot(), "\(solver)")
        }
    }

    @Test func predictsFromTheKnownPartsAndSaysWhichWereUsed() throws {
        let data = try lowRankRatings()
        let model = try MF.fit(data, parameters: MFParameters(factors: 3, epochs: 5), seed: 1)
        let user = model.userVector(of: 2)
        #expect(model.predict(user: user, item: 5).parts == [.globalMean, .userBias, .itemBias, .factors])
        #expect(model.predict(user: nil, item: 5).parts == [.globalMean, .itemBias])
        #expect(model.predict(user: user, item: 99).parts == [.globalMean, .userBias])
        let alone = model.predict(user: nil, item: nil)
        #expect(alone.parts == [.globalMean] && alone.rating == model.globalMean)
        let unknownItem = model.predict(user: user, item: nil).rating
        #expect(abs(unknownItem - min(model.ratingRange.upperBound, model.globalMean + user![0])) < 1e-6)
        // Predictions are clipped to the training scale.
        for item in 0..<30 {
            #expect(model.ratingRange.contains(model.predict(user: user, item: Int32(item)).rating))
        }
    }

    @Test func ranksOnlyRatedItemsByPredictedRatingAndFoldsInNewUsers() throws {
        // Item 3 has no rating: never ranked. A user the model never saw is ranked from a fold-in of their ratings.
        let data = try ratingData(users: 3, items: 4, [(0, 0, 5), (0, 1, 1), (1, 0, 4), (1, 2, 2), (2, 1, 3), (2, 2, 3)])
        let model = try MF.fit(data, parameters: MFParameters(factors: 2, solver: .als, alsIterations: 5), seed: 1)
        #expect(model.rankedItemCount == 3)
        let scores = try #require(allScores(model, UserQuery(user: 0, history: [], weights: [])))
        #expect(scores[3] == -.infinity)
        for item in 0..<3 {
            let predicted = model.predict(user: model.userVector(of: 0), item: Int32(item))
            #expect(abs(min(max(scores[item], 1), 5) - predicted.rating) < 1e-5)
        }
        #expect(allScores(model, UserQuery(user: nil, history: [0], weights: [5])) == nil)
        let folded = try #require(model.foldIn(items: [0, 3], ratings: [5, 1]))
        #expect(folded.count == 3)
        var query = UserQuery(user: nil, history: [], weights: [])
        query.factors = folded
        #expect(allScores(model, query) != nil)
        #expect(model.foldIn(items: [3], ratings: [4]) == nil)
    }

    @Test func aBaselineHasNoSimilarItemsAndFactorsHaveCosineNeighbours() throws {
        let data = try lowRankRatings()
        let baseline = try MF.fit(data, parameters: MFParameters(factors: 0, solver: .als), seed: 1)
        #expect(baseline.similarItems(to: 1, count: 5) == [])
        let model = try MF.fit(data, parameters: MFParameters(factors: 3, epochs: 5), seed: 1)
        let similar = try #require(model.similarItems(to: 1, count: 5))
        #expect(similar.count == 5 && !similar.contains { $0.item == 1 })
    }

    @Test func refusesTrainingDataWithoutRatings() throws {
        let data = try makeBinaryData(users: 2, items: 2, [(0, 0), (1, 1)])
        #expect(throws: ModelError.missingRatings(kind: .mf)) { try MF.fit(data, seed: 1) }
        #expect(throws: ModelError.self) { try MF.fit(try additiveData(), parameters: MFParameters(factors: -1), seed: 1) }
    }

    @Test func survivesAnArchiveRoundTrip() throws {
        let data = try lowRankRatings()
        var parameters = MFParameters(factors: 3, epochs: 3)
        parameters.explicitTypes = ["rating", "stars"]
        let model = try MF.fit(data, parameters: parameters, seed: 1)
        let decoded = try #require(try ModelArchive.decode(try ModelArchive.encode(model)) as? MF)
        #expect(decoded.userFactors == model.userFactors && decoded.itemFactors == model.itemFactors)
        #expect(decoded.userBiases == model.userBiases && decoded.itemBiases == model.itemBiases)
        #expect(decoded.globalMean == model.globalMean && decoded.ratingRange == model.ratingRange)
        #expect(decoded.userRatingCounts == model.userRatingCounts && decoded.explicitTypes == ["rating", "stars"])
        #expect(decoded.foldInRegularization == model.foldInRegularization)
    }
}
