import EventFormats
import EventStore
import Testing

private let now = 1_800_000_000.0
private let validator = EventValidator()

private func validate(_ inputs: [EventInput], with validator: EventValidator = validator) -> Result<[Event], EventValidationError> {
    Result { () throws(EventValidationError) in try validator.validate(inputs, now: now) }
}

private func issues(_ inputs: [EventInput], with validator: EventValidator = validator) -> [ValidationIssue] {
    guard case .failure(.invalidEvents(let issues)) = validate(inputs, with: validator) else { return [] }
    return issues
}

private func issues(_ input: EventInput) -> [ValidationIssue] { issues([input]) }

private func event(_ input: EventInput) -> Event? { try? validate([input]).get().first }

@Suite struct EventValidatorTests {
    @Test func appliesDefaultsToAMinimalEvent() {
        #expect(event(EventInput(user: "u", item: "i")) == Event(user: "u", item: "i", type: "view", weight: 1, timestamp: now))
    }

    @Test(arguments: [("view", 1), ("click", 1), ("cart", 2), ("purchase", 3)] as [(String, Float)])
    func weighsEventsByType(type: String, weight: Float) {
        #expect(event(EventInput(user: "u", item: "i", type: type))?.weight == weight)
    }

    @Test func weighsRatingsByTheirValue() {
        #expect(event(EventInput(user: "u", item: "i", type: "rating", value: 4.5))?.weight == 4.5)
        #expect(issues(EventInput(user: "u", item: "i", type: "rating")) == [ValidationIssue(index: 0, field: .value, reason: .missing)])
        #expect(issues(EventInput(user: "u", item: "i", type: "rating", value: 0)) == [ValidationIssue(index: 0, field: .value, reason: .notPositive)])
    }

    @Test func ignoresValueForTypesNotWeighedByIt() {
        #expect(event(EventInput(user: "u", item: "i", type: "view", value: 0))?.weight == 1)
    }

    @Test func letsAnExplicitWeightOverrideTheType() {
        #expect(event(EventInput(user: "u", item: "i", type: "purchase", weight: 0.25))?.weight == 0.25)
        #expect(event(EventInput(user: "u", item: "i", type: "rating", weight: 2))?.weight == 2)
    }

    @Test func acceptsUnconfiguredTypeOnlyWithWeight() {
        #expect(event(EventInput(user: "u", item: "i", type: "share", weight: 5))?.type == "share")
        #expect(issues(EventInput(user: "u", item: "i", type: "share")) == [ValidationIssue(index: 0, field: .type, reason: .unknownType("share"))])
    }

    @Test func usesConfiguredTypeWeights() {
        let custom = EventValidator(configuration: .init(typeWeights: EventTypeWeights(rules: ["like": .fixed(4)]), defaultType: "like"))
        let result = try? custom.validate([EventInput(user: "u", item: "i")], now: now)
        #expect(result?.first?.weight == 4)
        #expect(result?.first?.type == "like")
    }

    @Test func requiresUserAndItem() {
        #expect(issues(EventInput()) == [
            ValidationIssue(index: 0, field: .user, reason: .missing),
            ValidationIssue(index: 0, field: .item, reason: .missing),
        ])
    }

    @Test func rejectsEmptyUserID() {
        #expect(issues(EventInput(user: "", item: "i")) == [ValidationIssue(index: 0, field: .user, reason: .empty)])
    }

    @Test func limitsIdentifiersTo256Bytes() {
        let fits = String(repeating: "é", count: 128)
        let tooLong = fits + "x"
        #expect(event(EventInput(user: fits, item: fits, id: fits)) != nil)
        #expect(issues(EventInput(user: tooLong, item: tooLong, type: String(repeating: "t", count: 257), id: tooLong)) == [
            ValidationIssue(index: 0, field: .user, reason: .tooLong(limit: 256)),
            ValidationIssue(index: 0, field: .item, reason: .tooLong(limit: 256)),
            ValidationIssue(index: 0, field: .type, reason: .tooLong(limit: 256)),
            ValidationIssue(index: 0, field: .id, reason: .tooLong(limit: 256)),
        ])
    }

    @Test func rejectsIdentifiersHoldingNUL() {
        #expect(issues(EventInput(user: "a\u{0}b", item: "\u{0}", type: "v\u{0}", weight: 1, id: "k\u{0}")) == [
            ValidationIssue(index: 0, field: .user, reason: .controlCharacter),
            ValidationIssue(index: 0, field: .item, reason: .controlCharacter),
            ValidationIssue(index: 0, field: .type, reason: .containsNUL),
            ValidationIssue(index: 0, field: .id, reason: .controlCharacter),
        ])
    }

    @Test(arguments: ["a\u{1}", "tab\there", "line\n", "\r", "del\u{7F}", "c1\u{80}", "c1\u{9F}end", "\u{85}"])
    func rejectsIdentifiersHoldingControlCharacters(id: String) {
        #expect(issues(EventInput(user: id, item: id, id: id)) == [
            ValidationIssue(index: 0, field: .user, reason: .controlCharacter),
            ValidationIssue(index: 0, field: .item, reason: .controlCharacter),
            ValidationIssue(index: 0, field: .id, reason: .controlCharacter),
        ])
    }

    @Test(arguments: [" ", "   ", "\u{A0}", "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{2060}\u{200D}", "\u{3000}\u{180E}", "\u{E0041}", "\u{FE0F}"])
    func rejectsIdentifiersWithNothingVisible(id: String) {
        #expect(issues(EventInput(user: id, item: id, id: id)) == [
            ValidationIssue(index: 0, field: .user, reason: .invisible),
            ValidationIssue(index: 0, field: .item, reason: .invisible),
            ValidationIssue(index: 0, field: .id, reason: .invisible),
        ])
        #expect(issues(EventInput(user: id, item: "i")).first?.message.contains("visible") == true)
    }

    @Test(arguments: [" u ", "\u{200B}x", "é", "\u{A0}\u{A1}", "ü\u{AD}", "日本", "😀", "\u{E000}", "a\u{FEFF}", "\u{A0}x"])
    func acceptsIdentifiersWithAVisibleCharacterVerbatim(id: String) {
        let accepted = event(EventInput(user: id, item: id, id: id))
        #expect(accepted?.user == id)
        #expect(accepted?.item == id)
        #expect(accepted?.id == id)
    }

    @Test func rejectsEmptyTypeAndID() {
        #expect(issues(EventInput(user: "u", item: "i", type: "", id: "")) == [
            ValidationIssue(index: 0, field: .type, reason: .empty),
            ValidationIssue(index: 0, field: .id, reason: .empty),
        ])
    }

    @Test(arguments: [0.0, -1.0, 1e-50, 5e-324])
    func rejectsWeightsThatAreNotPositive(weight: Double) {
        #expect(issues(EventInput(user: "u", item: "i", weight: weight)) == [ValidationIssue(index: 0, field: .weight, reason: .notPositive)])
    }

    @Test(arguments: [Double.infinity, -.infinity, .nan, 1e39, 3.402823466385289e+38])
    func rejectsWeightsThatAreNotFiniteFloats(weight: Double) {
        #expect(issues(EventInput(user: "u", item: "i", weight: weight)) == [ValidationIssue(index: 0, field: .weight, reason: .notFinite)])
    }

    @Test func acceptsWeightsFromTheSmallestFloat32ToTheMaximum() {
        let smallest = Double(Float.leastNonzeroMagnitude)
        #expect(event(EventInput(user: "u", item: "i", weight: smallest))?.weight == Float.leastNonzeroMagnitude)
        #expect(event(EventInput(user: "u", item: "i", weight: 1_000_000))?.weight == 1_000_000)
    }

    @Test(arguments: [1_000_000.5, 1e7, Double(Float.greatestFiniteMagnitude)])
    func rejectsWeightsAboveTheMaximum(weight: Double) {
        #expect(issues(EventInput(user: "u", item: "i", weight: weight))
            == [ValidationIssue(index: 0, field: .weight, reason: .aboveMaximum(1_000_000))])
    }

    @Test func appliesAConfiguredMaximumToRatingValuesToo() {
        let strict = EventValidator(configuration: .init(maxWeight: 5))
        #expect(issues([EventInput(user: "u", item: "i", type: "rating", value: 6)], with: strict)
            == [ValidationIssue(index: 0, field: .value, reason: .aboveMaximum(5))])
        #expect((try? validate([EventInput(user: "u", item: "i", type: "rating", value: 5)], with: strict).get())?.first?.weight == 5)
    }

    @Test func acceptsTimestampsInEveryForm() {
        #expect(event(EventInput(user: "u", item: "i", timestamp: .seconds(1_700_000_000.5)))?.timestamp == 1_700_000_000.5)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("1700000000.25")))?.timestamp == 1_700_000_000.25)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("2023-11-14T22:13:20Z")))?.timestamp == 1_700_000_000)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .seconds(0)))?.timestamp == 0)
    }

    @Test func acceptsTimestampsBefore1970() {
        // 0141-12-15T22:51:50-13:10 (schemathesis found it refused): Python's datetime gives -57_687_422_290.
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("0141-12-15T22:51:50-13:10")))?.timestamp == -57_687_422_290)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .seconds(-1)))?.timestamp == -1)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("-86400.5")))?.timestamp == -86_400.5)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("1969-12-31T23:59:59Z")))?.timestamp == -1)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("0000-01-01T00:00:00Z")))?.timestamp == -62_167_219_200)
        // The earliest instant RFC 3339 can write, in both forms.
        #expect(event(EventInput(user: "u", item: "i", timestamp: .text("0000-01-01T00:00:00+23:59")))?.timestamp == earliestTimestamp)
        #expect(event(EventInput(user: "u", item: "i", timestamp: .seconds(-62_167_305_540)))?.timestamp == earliestTimestamp)
    }

    @Test func rejectsTimestampsOutOfRange() {
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .seconds(earliestTimestamp - 0.5))) == [
            ValidationIssue(index: 0, field: .timestamp, reason: .tooEarly)
        ])
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .text("-62167305541"))) == [
            ValidationIssue(index: 0, field: .timestamp, reason: .tooEarly)
        ])
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .seconds(-1e300))).first?.message.contains("0000-01-01T00:00:00+23:59") == true)
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .seconds(now + 86_401))) == [
            ValidationIssue(index: 0, field: .timestamp, reason: .inFuture(limit: 86_400))
        ])
        #expect(event(EventInput(user: "u", item: "i", timestamp: .seconds(now + 86_400))) != nil)
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .seconds(.infinity))) == [ValidationIssue(index: 0, field: .timestamp, reason: .notFinite)])
        #expect(issues(EventInput(user: "u", item: "i", timestamp: .text("yesterday"))) == [
            ValidationIssue(index: 0, field: .timestamp, reason: .unparseableTimestamp)
        ])
    }

    @Test func reportsEveryFieldWithTheWrongJSONType() {
        let input = EventInput(wrongTypes: Set(EventField.allCases))
        #expect(issues(input) == [
            ValidationIssue(index: 0, field: .user, reason: .wrongType(expected: "a string")),
            ValidationIssue(index: 0, field: .item, reason: .wrongType(expected: "a string")),
            ValidationIssue(index: 0, field: .type, reason: .wrongType(expected: "a string")),
            ValidationIssue(index: 0, field: .timestamp, reason: .wrongType(expected: "a number or a string")),
            ValidationIssue(index: 0, field: .weight, reason: .wrongType(expected: "a number")),
            ValidationIssue(index: 0, field: .value, reason: .wrongType(expected: "a number")),
            ValidationIssue(index: 0, field: .id, reason: .wrongType(expected: "a string")),
            ValidationIssue(index: 0, field: .recommendationID, reason: .wrongType(expected: "a string")),
        ])
    }

    @Test func reportsEveryBadIndexAndRejectsTheWholeBatch() {
        let batch = [
            EventInput(user: "u", item: "i"),
            EventInput(item: "i", weight: -2),
            EventInput(user: "u", item: "i", type: "purchase"),
            EventInput(user: "u", item: "", timestamp: .text("soon")),
        ]
        #expect(issues(batch) == [
            ValidationIssue(index: 1, field: .user, reason: .missing),
            ValidationIssue(index: 1, field: .weight, reason: .notPositive),
            ValidationIssue(index: 3, field: .item, reason: .empty),
            ValidationIssue(index: 3, field: .timestamp, reason: .unparseableTimestamp),
        ])
        #expect(issues(batch).first?.description == "events[1].user: is required")
    }

    @Test func limitsBatchSize() {
        let small = EventValidator(configuration: .init(maxBatchSize: 3))
        let batch = Array(repeating: EventInput(user: "u", item: "i"), count: 4)
        guard case .failure(let error) = validate(batch, with: small) else {
            Issue.record("a batch over the limit was accepted")
            return
        }
        #expect(error == .batchTooLarge(count: 4, limit: 3))
        #expect((try? validate(Array(batch.prefix(3)), with: small).get())?.count == 3)
    }

    @Test func acceptsAnEmptyBatch() {
        #expect((try? validate([]).get()) == [])
    }

    @Test func keepsIDAndOrder() throws {
        let events = try validator.validate(
            [EventInput(user: "a", item: "x", id: "1"), EventInput(user: "b", item: "y", id: "2")], now: now)
        #expect(events.map(\.user) == ["a", "b"])
        #expect(events.map(\.id) == ["1", "2"])
    }
}
