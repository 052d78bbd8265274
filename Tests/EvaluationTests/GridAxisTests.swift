@testable import Evaluation
import JSON
import Testing

struct GridAxisTests {
    @Test func parsesGridAxes() throws {
        let axis = try GridAxis(parsing: "als.regularization=0.01,0.1")
        #expect(axis.model == .als)
        #expect(axis.parameter.name == "regularization")
        #expect(axis.values == [0.01, 0.1])
        #expect(try GridAxis(parsing: "bpr.iterations=10,20").values == [10, 20])
        let weighting = try GridAxis(parsing: "content.weighting=bm25,tfidf")
        #expect(weighting.values == [1, 0])
        #expect(weighting.values.map(weighting.parameter.reported) == [.string("bm25"), .string("tfidf")])
        for bad in [
            "als.factors", "als=1", "knn.K=1", "als.gamma=1", "als.factors=3.5", "als.factors=x", "pop.K=1", "als.alpha=1,",
            "content.weighting=1", "content.weighting=cosine",
        ] {
            #expect(throws: EvaluationError.self, "\(bad)") { _ = try GridAxis(parsing: bad) }
        }
    }

    @Test func combinesAxesWithTheFirstVaryingSlowest() throws {
        let factors = try GridAxis(parsing: "als.factors=8,16")
        let alpha = try GridAxis(parsing: "als.alpha=1,10,40")
        let settings = GridAxis.combinations([factors, alpha]).map { setting in setting.map { "\($0.parameter.name)=\($0.value)" } }
        #expect(settings == [
            ["factors=8.0", "alpha=1.0"], ["factors=8.0", "alpha=10.0"], ["factors=8.0", "alpha=40.0"],
            ["factors=16.0", "alpha=1.0"], ["factors=16.0", "alpha=10.0"], ["factors=16.0", "alpha=40.0"],
        ])
        #expect(GridAxis.combinations([]).count == 1)
    }
}
