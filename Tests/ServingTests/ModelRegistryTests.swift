import Models
import Testing
@testable import Serving

private func modelSet(pass: Int) -> ModelSet {
    let popular = Popular(userCount: 2, itemScores: [3, 1, 2])
    return ModelSet(pass: pass, trainedAt: 1_700_000_000 + Double(pass),
                    models: [TrainedModel(model: popular, trainingSeconds: 0, users: 2, items: 3, events: 4)])
}

struct ModelRegistryTests {
    @Test func swapsTheWholeSetAtOnce() {
        let registry = ModelRegistry()
        #expect(registry.snapshot == nil)
        registry.publish(modelSet(pass: 1))
        #expect(registry.snapshot?.version == "1-1700000001")
        registry.publish(modelSet(pass: 2))
        #expect(registry.snapshot?.version == "2-1700000002")
    }

    @Test func releasesAnOldSetWhenItsLastReaderFinishes() {
        let registry = ModelRegistry()
        weak var first: ModelSet?
        do {
            let set = modelSet(pass: 1)
            first = set
            registry.publish(set)
        }
        var reader: ModelSet? = registry.snapshot
        registry.publish(modelSet(pass: 2))
        #expect(first != nil, "a reader still holds the old set")
        #expect(reader?.pass == 1)
        reader = nil
        #expect(first == nil, "the old set is freed once nobody reads it")
        #expect(registry.snapshot?.pass == 2)
    }
}
