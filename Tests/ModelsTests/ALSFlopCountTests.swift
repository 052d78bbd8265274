import LinearAlgebra
import Models
import Testing

struct ALSFlopCountTests {
    /// 3 users × 4 items: u0 has i0 and i1, u1 has i1, u2 nothing.
    private func smallMatrix(users: Int = 3) throws -> CSRMatrix {
        try CSRMatrix(rowCount: users, columnCount: 4, rows: [0, 0, 1], columns: [0, 1, 1], values: [1, 1, 1])
    }

    @Test func countsEveryCallOfTheSolver_byHand() throws {
        // f = 2, s = 1, counted call by call from ALSSolver.conjugateGradient.
        // A row with 2 entries: G·x 8, residual loop 6, gram·x 8, Gᵀ·t 8, r·r 4 = 34; one step: G·p 8,
        // t ∘ w 2, gram·p 8, Gᵀ·t 8, p·Ap 4, two axpys 8, r·r 4, p update 4 = 46; 80 in all.
        // A row with 1 entry: 4 + 3 + 8 + 4 + 4 = 23, then 4 + 1 + 8 + 4 + 4 + 8 + 4 + 4 = 37; 60 in all.
        // Users: u0 (2 entries) + u1 (1) = 140, and the 4-item gram 4·2·3 + 2 = 26.
        // Items: i0 (1 entry) + i1 (2) = 140, and the 3-user gram 3·2·3 + 2 = 20.
        let count = ALSFlopCount(interactions: try smallMatrix(), factors: 2, cgSteps: 1)
        #expect(count.gram == 46)
        #expect(count.entries + count.rows == 280)
        #expect(count.total == 326)
    }

    @Test func entryTermsScaleWithEntries_rowTermsWithSolvedRows() throws {
        let count = ALSFlopCount(interactions: try smallMatrix(), factors: 64, cgSteps: 3)
        // 3 entries, counted once per half: 2 · 3 · (4·64·4 + 3 + 3).
        #expect(count.entries == 2 * 3 * 1030)
        // 2 users and 2 items are solved: 4 · (2·64²·4 + 2·64 + 10·64·3).
        #expect(count.rows == 4 * (32_768 + 128 + 1_920))
    }

    @Test func usersWithoutEntries_costOnlyTheirShareOfTheGram() throws {
        let base = ALSFlopCount(interactions: try smallMatrix(users: 3), factors: 8, cgSteps: 3)
        let padded = ALSFlopCount(interactions: try smallMatrix(users: 5), factors: 8, cgSteps: 3)
        #expect(padded.entries == base.entries)
        #expect(padded.rows == base.rows)
        #expect(padded.gram - base.gram == 2 * 8 * 9)
    }
}
