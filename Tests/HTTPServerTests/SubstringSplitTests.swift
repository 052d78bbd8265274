import Testing
@testable import HTTPServer

struct SubstringSplitTests {
    /// `split(byte:)` must cut exactly where the standard library's `split(separator:)` does.
    @Test(arguments: ["", "a", "&", "&&", "a&b", "&a&&b&", "k=10&model=als&exclude=a%2Cb", "é&ü=✓&&", "a=b=c", "=", "a="])
    func splitsLikeTheStandardLibrary(_ text: String) {
        let input = Substring(text)
        for omitting in [true, false] {
            for maxSplits in [0, 1, 2, Int.max] {
                for byte in [UInt8(ascii: "&"), UInt8(ascii: "=")] {
                    let expected = input.split(separator: Character(Unicode.Scalar(byte)), maxSplits: maxSplits,
                                               omittingEmptySubsequences: omitting)
                    #expect(input.split(byte: byte, maxSplits: maxSplits, omittingEmptySubsequences: omitting) == expected,
                            "\(text) maxSplits \(maxSplits) omitting \(omitting)")
                }
            }
        }
    }
}
