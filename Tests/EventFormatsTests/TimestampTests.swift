import EventFormats
import Testing

/// Expected values come from CPython 3.11: `float(text)` for decimals and
/// `datetime.fromisoformat(text).timestamp()` for RFC 3339.
struct TimestampTests {
    @Test(arguments: [
        ("964982703", 964_982_703.0),
        ("0", 0.0),
        ("+17", 17.0),
        ("-17", -17.0),
        ("1.5", 1.5),
        ("5.", 5.0),
        (".25", 0.25),
        ("-.5", -0.5),
        ("  964982703  ", 964_982_703.0),
        ("\t12.75\t", 12.75),
        ("1704067200.1", 1_704_067_200.1),
        ("0.1", 0.1),
        ("0000000000000000000000042", 42.0),
        ("1700000000.000000000000000000000001", 1_700_000_000.0),
    ])
    func parsesPlainDecimals(text: String, expected: Double) {
        #expect(parseTimestamp(text) == expected)
    }

    @Test func roundsDecimalsCorrectly() {
        // 2^53 + 1 lies halfway between two doubles: ties-to-even gives 2^53.
        #expect(parseTimestamp("9007199254740993") == 9_007_199_254_740_992)
        // 2^53 + 3 rounds up to 2^53 + 4.
        #expect(parseTimestamp("9007199254740995") == 9_007_199_254_740_996)
        #expect(parseTimestamp("123456789012345678901234567890.5") == 1.2345678901234568e+29)
        // Just above the halfway point between 1 and its successor must round up.
        #expect(parseTimestamp("1.00000000000000011102230246251565404236316680908203126") == 1.0000000000000002)
        #expect(parseTimestamp("1.00000000000000011102230246251565404236316680908203125") == 1.0)
        #expect(parseTimestamp("0.3") == 0.3)
        #expect(parseTimestamp("-0")?.sign == .minus)
    }

    @Test(arguments: [
        ("2026-11-22T10:00:00Z", 1_795_341_600.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2026-11-22t10:00:00z", 1_795_341_600.0),
        ("2023-06-15 08:30:00-00:00", 1_686_817_800.0),
        ("2024-02-29T23:59:59.999999+01:00", 1_709_247_599.999999),
        ("2000-02-29T12:00:00.5-05:30", 951_845_400.5),
        ("1969-12-31T23:59:59.25Z", -0.75),
        ("0001-01-01T00:00:00Z", -62_135_596_800.0),
        ("1900-03-01T00:00:00Z", -2_203_891_200.0),
        ("9999-12-31T23:59:59.999999Z", 253_402_300_800.0),
        ("2023-06-15T08:30:00.123456789+14:00", 1_686_767_400.123456),
        ("2023-06-15T08:30:00.1234569+00:00", 1_686_817_800.123456),
        (" 2026-11-22T10:00:00Z ", 1_795_341_600.0),
        ("2026-11-22T10:00:00+23:59", 1_795_255_260.0),
        ("0141-12-15T22:51:50-13:10", -57_687_422_290.0),
        ("0001-01-01T00:00:00+23:59", -62_135_683_140.0),
        ("1066-10-14T09:00:00+00:00", -28_502_722_800.0),
        ("0000-01-01T00:00:00Z", -62_167_219_200.0),
        ("0000-01-01T00:00:00+23:59", -62_167_305_540.0),
    ])
    func parsesRFC3339WithOffsets(text: String, expected: Double) {
        #expect(parseTimestamp(text) == expected)
    }

    @Test func acceptsSubstrings() {
        let line = "u1,i1,2026-11-22T10:00:00Z"
        #expect(parseTimestamp(line.split(separator: ",")[2]) == 1_795_341_600)
    }

    @Test(arguments: [
        "", "   ", "abc", "1e5", "1E5", "0x10", "inf", "nan", "infinity", "1,5", "1.2.3", "++1", "+", "-", ".",
        "1 2", "١٢٣",
        "2026-11-22T10:00:00",  // no offset
        "2026-11-22",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00.Z",
        "2026-11-22T10:00:00,5Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2023-02-29T00:00:00Z",  // not a leap year
        "1900-02-29T00:00:00Z",  // divisible by 100, not by 400
        "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z",
        "2016-12-31T23:59:60Z",  // leap second
        "2026-11-22T10:00:00+24:00",
        "2026-11-22T10:00:00+01:60",
        "2026-11-22T10:00:00+0100",
        "2026-11-22T10:00:00+01",
        "2026-11-22T10:00:00ZZ",
        "2026-11-22X10:00:00Z",
        "26-11-22T10:00:00Z",
        "2026-1-22T10:00:00Z",
        "2026-11-22T10:00:00Z garbage",
    ])
    func rejectsGarbage(text: String) {
        #expect(parseTimestamp(text) == nil)
    }

    @Test func rejectsNonFiniteDecimals() {
        #expect(parseTimestamp(String(repeating: "9", count: 400)) == nil)
    }

    @Test func namesTheEarliestRFC3339Instant() {
        #expect(parseTimestamp("0000-01-01T00:00:00+23:59") == earliestTimestamp)
        #expect(parseTimestamp("-62167305540") == earliestTimestamp)
    }

    @Test func writesInstantsOutsideTheUTCYearsWithTheWidestOffsetSoTheyRoundTrip() {
        #expect(formatTimestamp(0) == "1970-01-01T00:00:00Z")
        #expect(formatTimestamp(earliestTimestamp) == "0000-01-01T00:00:00+23:59")
        #expect(formatTimestamp(earliestTimestamp + 86_340) == "0000-01-01T00:00:00Z")
        #expect(formatTimestamp(253_402_300_799.5) == "9999-12-31T23:59:59.5Z")
        #expect(formatTimestamp(253_402_300_800) == "9999-12-31T00:01:00-23:59")
        #expect(formatTimestamp(latestTimestamp) == "9999-12-31T23:59:59.999999-23:59")
        for seconds in [earliestTimestamp, earliestTimestamp + 0.5, -62_167_219_201, 253_402_300_800.25, latestTimestamp] {
            #expect(parseTimestamp(formatTimestamp(seconds)) == seconds, "\(seconds)")
        }
        #expect(formatTimestamp(latestTimestamp + 86_400) == formatTimestamp(latestTimestamp), "beyond RFC 3339: clamped")
    }

    @Test func acceptsLeapDays() {
        #expect(parseTimestamp("2000-02-29T00:00:00Z") == 951_782_400)
        #expect(parseTimestamp("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(parseTimestamp("1600-02-29T00:00:00Z") == -11_670_998_400)
    }
}
