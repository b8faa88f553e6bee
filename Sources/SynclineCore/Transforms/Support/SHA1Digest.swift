/// SHA-1 (FIPS 180-4) in pure Swift, only because name-based UUIDs version 5 (RFC 9562) are defined over it;
/// `stable_uuid` uses it so host applications can compute the same ids with any standard UUID library.
struct SHA1Digest {
    /// The 20 bytes of the digest.
    let bytes: [UInt8]

    init(_ data: some Sequence<UInt8>) {
        var message = Array(data)
        let bitLength = UInt64(message.count) &* 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]
        var schedule = [UInt32](repeating: 0, count: 80)
        for blockStart in stride(from: 0, to: message.count, by: 64) {
            for word in 0..<16 {
                let offset = blockStart + word * 4
                schedule[word] =
                    UInt32(message[offset]) << 24 | UInt32(message[offset + 1]) << 16
                    | UInt32(message[offset + 2]) << 8 | UInt32(message[offset + 3])
            }
            for word in 16..<80 {
                schedule[word] =
                    (schedule[word - 3] ^ schedule[word - 8] ^ schedule[word - 14] ^ schedule[word - 16])
                    .rotatedLeft(1)
            }
            var (a, b, c, d, e) = (state[0], state[1], state[2], state[3], state[4])
            for round in 0..<80 {
                let mixed: UInt32
                let constant: UInt32
                switch round {
                case 0..<20:
                    mixed = (b & c) | (~b & d)
                    constant = 0x5a82_7999
                case 20..<40:
                    mixed = b ^ c ^ d
                    constant = 0x6ed9_eba1
                case 40..<60:
                    mixed = (b & c) | (b & d) | (c & d)
                    constant = 0x8f1b_bcdc
                default:
                    mixed = b ^ c ^ d
                    constant = 0xca62_c1d6
                }
                let temp = a.rotatedLeft(5) &+ mixed &+ e &+ constant &+ schedule[round]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(30), a, temp)
            }
            for (index, value) in [a, b, c, d, e].enumerated() {
                state[index] = state[index] &+ value
            }
        }
        self.bytes = state.flatMap { word in
            [
                UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                UInt8(truncatingIfNeeded: word),
            ]
        }
    }
}
