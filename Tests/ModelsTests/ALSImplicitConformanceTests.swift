import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// implicit's ALS iterates on a small problem, written by `Benchmarks/peer/als_fixture.py`.
private struct ImplicitFixture: Decodable {
    let users: Int
    let items: Int
    let factors: Int
    let regularization: Float
    let cgSteps: Int
    let iterations: Int
    let rowOffsets: [Int]
    let columns: [Int32]
    let confidences: [Float]
    let startUsers: [Float]
    let startItems: [Float]
    let usersAfterFirstHalf: [Float]
    let usersAfter: [Float]
    let itemsAfter: [Float]

    static func load(filePath: String = #filePath) throws -> ImplicitFixture {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/implicit-als-cg.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ImplicitFixture.self, from: Data(contentsOf: url))
    }
}

struct ALSImplicitConformanceTests {
    /// Same start, same confidences (negative ones included), same CG steps: the first half-iteration agrees
    /// with implicit's to float32 rounding (~3e-7 relative), so quality differences come from the random start.
    /// Later iterations only agree to ~1% here: three CG steps on these badly conditioned systems amplify
    /// rounding (implicit's own Python and native solvers differ by 0.13% on this fixture).
    @Test func conjugateGradientIteratesMatchImplicitFromTheSameStart() throws {
        let fixture = try ImplicitFixture.load()
        let userItems = try CSRMatrix(rowCount: fixture.users, columnCount: fixture.items, rowOffsets: fixture.rowOffsets,
                                      columns: fixture.columns, values: fixture.confidences)
        let itemUsers = userItems.transposed()
        var users = try DenseMatrix(rowCount: fixture.users, columnCount: fixture.factors, storage: fixture.startUsers)
        var items = try DenseMatrix(rowCount: fixture.items, columnCount: fixture.factors, storage: fixture.startItems)
        for iteration in 0..<fixture.iterations {
            #expect(ALSSolver.solveRows(confidences: userItems, fixed: items, target: &users, regularization: fixture.regularization,
                                        solver: .conjugateGradient, cgSteps: fixture.cgSteps, threads: 1) == nil)
            if iteration == 0 { expectClose(users.storage, fixture.usersAfterFirstHalf, relativeTolerance: 1e-5) }
            #expect(ALSSolver.solveRows(confidences: itemUsers, fixed: users, target: &items, regularization: fixture.regularization,
                                        solver: .conjugateGradient, cgSteps: fixture.cgSteps, threads: 1) == nil)
        }
        expectClose(users.storage, fixture.usersAfter, relativeTolerance: 2e-2)
        expectClose(items.storage, fixture.itemsAfter, relativeTolerance: 2e-2)
    }

    private func expectClose(_ actual: [Float], _ expected: [Float], relativeTolerance: Float,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        #expect(worst <= relativeTolerance * scale, "largest difference \(worst) at scale \(scale)", sourceLocation: sourceLocation)
    }
}
