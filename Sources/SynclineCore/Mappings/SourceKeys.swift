/// The top-level keys a mapping's rules read, found in a record in one pass over its keys instead of one hashed
/// lookup per rule: hashing a Swift string costs more than the whole pass for records of a few dozen keys.
struct SourceKeys: Sendable {
    /// The distinct first keys of the rules' source paths; a key's position is its slot.
    let keys: [String]
    /// An open-addressing table over a cheap hash of the keys: slot + 1, or 0 for an empty bucket.
    private let buckets: [Int]
    private let mask: Int

    init(_ keys: [String]) {
        self.keys = keys
        var size = 8
        while size < keys.count * 4 { size *= 2 }
        var buckets = [Int](repeating: 0, count: size)
        for (slot, key) in keys.enumerated() {
            var bucket = Self.hash(key) & (size - 1)
            while buckets[bucket] != 0 { bucket = (bucket + 1) & (size - 1) }
            buckets[bucket] = slot + 1
        }
        self.buckets = buckets
        self.mask = size - 1
    }

    /// The slot of `key`, nil when no rule reads it.
    func slot(of key: String) -> Int? {
        var bucket = Self.hash(key) & mask
        while true {
            let entry = buckets[bucket]
            if entry == 0 { return nil }
            if keys[entry - 1] == key { return entry - 1 }
            bucket = (bucket + 1) & mask
        }
    }

    /// The values of the keys in `record`, by slot (nil when missing, or when `record` is not an object). Small
    /// records are scanned once; records with many more keys than the rules read are looked up key by key.
    func read(_ record: JSONValue) -> [JSONValue?] {
        guard !keys.isEmpty else { return [] }
        var slots = [JSONValue?](repeating: nil, count: keys.count)
        guard case .object(let members) = record else { return slots }
        if members.count > keys.count * 4 {
            for slot in keys.indices { slots[slot] = members[keys[slot]] }
            return slots
        }
        for (key, value) in members {
            if let slot = slot(of: key) { slots[slot] = value }
        }
        return slots
    }

    /// Length and first and last bytes, mixed: enough to tell a mapping's keys apart, and O(1) to compute.
    /// Reads the bytes in one buffer: `utf8.last` on a string walks generic index code each time.
    private static func hash(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { utf8 in
            guard let first = utf8.first, let last = utf8.last else { return 0 }
            var value = UInt64(truncatingIfNeeded: utf8.count)
            value = (value &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(first) &* 0xBF58_476D_1CE4_E5B9)
            value ^= UInt64(last) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: value ^ (value >> 29))
        }
    }
}
