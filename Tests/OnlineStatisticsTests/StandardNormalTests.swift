import OnlineStatistics
import Testing

struct StandardNormalTests {
    /// Reference quantiles from Python's `statistics.NormalDist().inv_cdf` (Wichura's AS 241, accurate to about 1e-16).
    @Test(arguments: [
        (1e-10, -6.361340902404056),
        (1e-5, -4.2648907939228256),
        (0.001, -3.090232306167813),
        (0.02, -2.0537489106318225),
        (0.3, -0.5244005127080407),
        (0.7, 0.5244005127080407),
        (0.9, 1.2815515655446008),
        (0.95, 1.6448536269514715),
        (0.975, 1.9599639845400536),
        (0.98, 2.053748910631822),
        (0.995, 2.5758293035489),
        (0.9995, 3.2905267314919255),
        (0.999999, 4.753424308817089),
    ])
    func quantileMatchesReferenceValuesFarBeyondNineDigits(probability: Double, expected: Double) {
        #expect(isClose(StandardNormal.quantile(probability), expected, relativeTolerance: 1e-13))
    }

    @Test func quantileOfOneHalfIsExactlyZero() {
        #expect(StandardNormal.quantile(0.5) == 0)
    }
}
