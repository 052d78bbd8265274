import LinearAlgebra

/// Where a sampling model (``ModelKind/samplesRankings``) gets the random numbers of one query.
enum QuerySampling {
    /// A generator seeded by `query.seed` when the query has one; otherwise by `fitSeed` on a stream named by
    /// the user's row (one shared stream for queries without a user), so such answers are fixed per user.
    static func generator(for query: UserQuery, fitSeed: UInt64) -> Xoshiro256StarStar {
        if let seed = query.seed { return Xoshiro256StarStar(seed: seed) }
        let stream = query.user.map { UInt64(UInt32(bitPattern: $0)) } ?? 1 << 32
        return Xoshiro256StarStar(seed: fitSeed, stream: stream)
    }
}
