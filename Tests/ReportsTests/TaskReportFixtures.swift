import Evaluation
import EventFormats
import Models

/// Real `--task rating` and `--task pairs` runs on small planted data, with learning curves, small enough to
/// evaluate in well under a second.
enum TaskReportFixtures {
    /// Three folds of ratings from planted user and item offsets; mf and baseline with curves.
    static let rating: RatingReport = {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var users: [String] = [], items: [String] = [], ratings: [Float] = []
        for user in 0..<40 {
            for item in 0..<30 where next(3) == 0 {
                users.append("u\(user)")
                items.append("i\(item)")
                ratings.append(Float(min(5, max(1, 1 + (user % 3) + (item % 3) + next(2)))))
            }
        }
        let parameters = MFParameters(factors: 4, epochs: 6, alsIterations: 2, threads: 1)
        do {
            return try RatingEvaluation(folds: 3, models: [.mf, .mfALS, .baseline], parameters: parameters, curve: true)
                .run(on: RatingSet(users: users, items: items, ratings: ratings))
        } catch {
            fatalError("the rating fixture's evaluation failed: \(error)")
        }
    }()

    /// ``relations`` split; pair MF with and without biases, with curves.
    static let pairs: PairsEvaluation.Report = {
        var parameters = PairMFParameters(factors: 8, epochs: 5, threads: 1)
        parameters.learningRate = 0.05
        do {
            return try PairsEvaluation(parameters: parameters, seed: 3, curve: true).run(on: RelationSplit(relations))
        } catch {
            fatalError("the pairs fixture's evaluation failed: \(error)")
        }
    }()

    /// Each of 80 items related to the next four of its cluster (`item % 4`).
    static let relations: [Relation] = (0..<80).flatMap { from in
        (1...4).map { step in Relation(from: "i\(from)", to: "i\((from + 4 * step) % 80)", type: "also_bought", weight: 1) }
    }
}
