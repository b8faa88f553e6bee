/// Deterministic pseudo-random numbers keyed by (seed, stream, id, salt), so record `i` of an entity is
/// computed on demand from the seed and never stored.
struct SeededHash: Sendable {
    let seed: UInt64

    /// A well-mixed 64-bit value for one field of one record.
    func value(_ stream: UInt64, _ id: Int, _ salt: UInt64) -> UInt64 {
        var mixed = Self.mix(seed &+ (stream &* 0x9E37_79B9_7F4A_7C15))
        mixed = Self.mix(mixed ^ (UInt64(bitPattern: Int64(id)) &* 0xBF58_476D_1CE4_E5B9))
        return Self.mix(mixed ^ (salt &* 0x94D0_49BB_1331_11EB))
    }

    /// A value in `range`, uniform enough for test data.
    func int(_ stream: UInt64, _ id: Int, _ salt: UInt64, in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(value(stream, id, salt) % width)
    }

    /// One element of a non-empty list.
    func pick<Element>(_ items: [Element], _ stream: UInt64, _ id: Int, _ salt: UInt64) -> Element {
        items[int(stream, id, salt, in: 0...(items.count - 1))]
    }

    /// True for about `percent` in 100 records.
    func chance(_ percent: Int, _ stream: UInt64, _ id: Int, _ salt: UInt64) -> Bool {
        int(stream, id, salt, in: 0...99) < percent
    }

    /// SplitMix64's finaliser.
    static func mix(_ input: UInt64) -> UInt64 {
        var value = input &+ 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
