import LinearAlgebra
@testable import Models
import Testing

struct ALSTests {
    private func parameters(
        iterations: Int = 10, solver: ALSParameters.Solver = .conjugateGradient, threads: Int = 0
    ) -> ALSParameters {
        ALSParameters(
            factors: 8, iterations: iterations, regularization: 0.05, alpha: 10, confidence: .scaled, solver: solver,
            cgSteps: 3, threads: threads)
    }

    @Test(arguments: [ALSParameters.Solver.conjugateGradient, .cholesky])
    func lossDecreasesOverIterations(solver: ALSParameters.Solver) throws {
        let data = try plantedData()
        var losses = [Double]()
        for iterations in 0...6 {
            let model = try ALS.fit(data, parameters: parameters(iterations: iterations, solver: solver), seed: 3)
            losses.append(model.loss(on: data))
        }
        for (before, after) in zip(losses, losses.dropFirst()) {
            #expect(after <= before * (1 + 1e-5), "loss rose from \(before) to \(after): \(losses)")
        }
        #expect(losses.last! < losses.first! * 0.5)
    }

    @Test func conjugateGradientConvergesToCholeskySolution() throws {
        let factors = 6, count = 9
        var generator = Xoshiro256StarStar(seed: 21)
        var fixed = DenseMatrix(rowCount: 30, columnCount: factors)
        for index in fixed.storage.indices { fixed.storage[index] = generator.nextUnitFloat() - 0.3 }
        let gram = BLAS.gram(fixed, regularization: 0.1)
        let confidences: [Float] = (0..<count).map { $0 == 4 ? -3 : Float(1 + generator.nextIndex(below: 20)) }
        let workspace = ALSWorkspace(factors: factors, capacity: count, exact: true)
        fixed.withUnsafeBufferPointer { rows in
            for entry in 0..<count {
                (workspace.gathered + entry * factors).update(from: rows.baseAddress! + entry * 3 * factors, count: factors)
            }
        }
        var exact = [Float](repeating: 0, count: factors)
        var iterative = [Float](repeating: 0, count: factors)
        var warm = [Float](repeating: 0, count: factors)
        gram.withUnsafeBufferPointer { gramBuffer in
            confidences.withUnsafeBufferPointer { signed in
                #expect(ALSSolver.exact(
                    x: &exact, count: count, confidences: signed.baseAddress!, gram: gramBuffer.baseAddress!,
                    workspace: workspace))
                // Full-length CG from zero solves the system; 3 steps warm-started near the answer stay close.
                ALSSolver.conjugateGradient(
                    x: &iterative, count: count, confidences: signed.baseAddress!, gram: gramBuffer.baseAddress!,
                    steps: 4 * factors, workspace: workspace)
                warm = exact.map { $0 * 1.05 }
                ALSSolver.conjugateGradient(
                    x: &warm, count: count, confidences: signed.baseAddress!, gram: gramBuffer.baseAddress!,
                    steps: 3, workspace: workspace)
            }
        }
        func distance(_ a: [Float], _ b: [Float]) -> Double {
            zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }.squareRoot()
        }
        let norm = distance(exact, [Float](repeating: 0, count: factors))
        #expect(distance(iterative, exact) <= 1e-3 * norm)
        // Three warm-started steps cut the 5 % starting error at least in half.
        #expect(distance(warm, exact) <= 0.5 * distance(exact.map { $0 * 1.05 }, exact))
    }

    @Test func trainingIsDeterministicWhateverTheThreadCount() throws {
        let data = try plantedData()
        let single = try ALS.fit(data, parameters: parameters(threads: 1), seed: 8)
        let parallel = try ALS.fit(data, parameters: parameters(threads: 2), seed: 8)
        #expect(single.userFactors == parallel.userFactors && single.itemFactors == parallel.itemFactors)
        let other = try ALS.fit(data, parameters: parameters(threads: 1), seed: 9)
        #expect(other.userFactors != single.userFactors)
    }

    @Test func foldInOfTrainingUserRanksLikeItsTrainedFactor() throws {
        let data = try plantedData()
        let model = try ALS.fit(data, parameters: parameters(iterations: 15), seed: 2)
        var overlaps = [Int]()
        for user in stride(from: 0, to: data.interactions.rowCount, by: 7) {
            let known = trainingQuery(data, user: user)
            let anonymous = UserQuery(user: nil, history: known.history, weights: known.weights)
            let trained = Set(recommend(model, for: known, count: 10).map(\.item))
            let folded = Set(recommend(model, for: anonymous, count: 10).map(\.item))
            #expect(folded.count == 10)
            overlaps.append(trained.intersection(folded).count)
        }
        let mean = Double(overlaps.reduce(0, +)) / Double(overlaps.count)
        #expect(mean >= 8, "mean top-10 overlap \(mean): \(overlaps)")
        #expect(model.foldIn(history: [], weights: []) == nil)
        #expect(model.foldIn(history: [999], weights: [1]) == nil)
    }

    @Test func learnsPlantedGroupsAndFindsSimilarItemsInTheSameGroup() throws {
        let data = try plantedData()
        let model = try ALS.fit(data, parameters: parameters(iterations: 15), seed: 4)
        #expect(trainingAUC(model, data) > 0.9)
        let similar = try #require(model.similarItems(to: 5, count: 5))
        #expect(similar.count == 5 && !similar.contains { $0.item == 5 })
        #expect(similar.filter { $0.item % 4 == 5 % 4 }.count >= 4)
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
    }
}
