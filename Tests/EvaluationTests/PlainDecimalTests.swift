@testable import Evaluation
import Testing

struct PlainDecimalTests {
    @Test(arguments: [
        (964_982_703.0, "964982703"), (1.5, "1.5"), (-0.75, "-0.75"), (1_686_767_400.123456, "1686767400.123456"),
        (1e-5, "0.00001"), (1.25e-7, "0.000000125"), (1e20, "100000000000000000000"), (1.5e21, "1500000000000000000000"),
    ])
    func formatsPlainDecimals(value: Double, expected: String) {
        #expect(PlainDecimal.format(value) == expected)
        #expect(Double(PlainDecimal.format(value)) == value)
    }
}
