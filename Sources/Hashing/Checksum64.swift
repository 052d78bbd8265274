/// A fast 64-bit checksum over bytes, for detecting corrupt files (model archives, nearest-neighbour indexes);
/// not cryptographic.
///
/// Each 8-byte little-endian word is mixed into the state by a step that is a bijection of the state, so
/// any change confined to one word always changes the result; the final avalanche spreads every bit.
package enum Checksum64 {
    /// The checksum of `bytes`.
    package static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        let wordCount = bytes.count / 8
        for word in 0..<wordCount {
            let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self))
            state = mix(state, value)
        }
        var tail: UInt64 = 0
        for index in (wordCount * 8)..<bytes.count {
            tail |= UInt64(bytes[index]) << (8 * UInt64(index - wordCount * 8))
        }
        state = mix(state, tail)
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        return state
    }

    @inline(__always)
    private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let combined = state ^ (word &* 0xFF51_AFD7_ED55_8CCD)
        return ((combined << 31) | (combined >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    }
}
