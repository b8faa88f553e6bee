/// SHA-256 (FIPS 180-4) in pure Swift, because SynclineCore imports no crypto library. It backs the `sha256`
/// transform (stable fingerprints of values); it is not meant for secrets, which the store protects with
/// swift-crypto.
public struct SHA256Digest: Sendable {
    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// The 32 bytes of the digest.
    public let bytes: [UInt8]

    /// The digest of `data`.
    public init(_ data: some Sequence<UInt8>) {
        let digest =
            data.withContiguousStorageIfAvailable { Self.digest(UnsafeRawBufferPointer($0)) }
            ?? Array(data).withUnsafeBytes { Self.digest($0) }
        self.bytes = digest
    }

    /// Hashes `message` without copying it: whole blocks are read in place and only the last one or two, with
    /// the padding, are copied. The schedule and state live on the stack; a content hash runs for every
    /// imported record, where the first version (arrays, a copy of the message) cost more than parsing it.
    private static func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var state = (
            initialState[0], initialState[1], initialState[2], initialState[3], initialState[4], initialState[5],
            initialState[6], initialState[7]
        )
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                let whole = message.count / 64 * 64
                var start = 0
                while start < whole {
                    compress(message.baseAddress.unsafelyUnwrapped + start, &state, schedule, constants)
                    start += 64
                }
                // The rest, 0x80, zeros, and the length in bits: one block, or two when the rest is 56 bytes or more.
                var tail = [UInt8](message[whole...])
                tail.append(0x80)
                while tail.count % 64 != 56 { tail.append(0) }
                let bitLength = UInt64(message.count) &* 8
                for shift in stride(from: 56, through: 0, by: -8) {
                    tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
                }
                tail.withUnsafeBytes { padded in
                    var offset = 0
                    while offset < padded.count {
                        compress(padded.baseAddress.unsafelyUnwrapped + offset, &state, schedule, constants)
                        offset += 64
                    }
                }
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            bytes.append(UInt8(word >> 24))
            bytes.append(UInt8(truncatingIfNeeded: word >> 16))
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
        return bytes
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// One 64-byte block at `block` into `state`. A function of its own with the state passed `inout`: as a
    /// closure capturing the state, every round read and wrote it through a heap box.
    @inline(__always)
    private static func compress(
        _ block: UnsafeRawPointer,
        _ state: inout State,
        _ schedule: UnsafeMutableBufferPointer<UInt32>,
        _ constants: UnsafeBufferPointer<UInt32>
    ) {
        for word in 0..<16 {
            schedule[word] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: word * 4, as: UInt32.self))
        }
        for word in 16..<64 {
            let older = schedule[word - 15]
            let newer = schedule[word - 2]
            let sigma0 = older.rotatedRight(7) ^ older.rotatedRight(18) ^ (older >> 3)
            let sigma1 = newer.rotatedRight(17) ^ newer.rotatedRight(19) ^ (newer >> 10)
            schedule[word] = schedule[word - 16] &+ sigma0 &+ schedule[word - 7] &+ sigma1
        }
        var (a, b, c, d, e, f, g, h) = state
        for round in 0..<64 {
            let sum1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
            let choice = (e & f) ^ (~e & g)
            let temp1 = h &+ sum1 &+ choice &+ constants[round] &+ schedule[round]
            let sum0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temp2 = sum0 &+ majority
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
            state.7 &+ h
        )
    }

    /// The digest of the UTF-8 bytes of `text`.
    public init(_ text: String) {
        self.init(Array(text.utf8))
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var hex: String {
        bytes.hexString
    }
}

extension UInt32 {
    /// The bits rotated right by `count`, as the SHA family defines ROTR.
    func rotatedRight(_ count: UInt32) -> UInt32 {
        (self >> count) | (self << (32 - count))
    }

    /// The bits rotated left by `count`, as the SHA family defines ROTL.
    func rotatedLeft(_ count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}

extension Array where Element == UInt8 {
    /// The bytes as lowercase hexadecimal digits.
    var hexString: String {
        withUnsafeBytes { ContentHasher.lowercaseHex($0) }
    }
}
