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
        keys.withUnsafeBufferPointer { keys in
            buckets.withUnsafeBufferPointer { buckets in Self.slot(of: key, keys: keys, buckets: buckets, mask: mask) }
        }
    }

    /// `slot(of:)` over the tables' storage, which the pass over a record opens once: reaching the arrays for
    /// every key retained and released them, and checked bounds, for each key of every record.
    @inline(__always)
    private static func slot(
        of key: String,
        keys: UnsafeBufferPointer<String>,
        buckets: UnsafeBufferPointer<Int>,
        mask: Int
    ) -> Int? {
        var bucket = hash(key) & mask
        let count = key.utf8.count
        while true {
            let entry = buckets[bucket]
            if entry == 0 { return nil }
            // Lengths first: comparing two different strings of equal length is the slow path of `==`.
            if keys[entry - 1].utf8.count == count, keys[entry - 1] == key { return entry - 1 }
            bucket = (bucket + 1) & mask
        }
    }

    /// Calls `body` with where the keys are in `record`, by slot (nil when missing, or when `record` is not an
    /// object). Small records are scanned once; records with many more keys than the rules read are looked up key
    /// by key. The positions live on the stack for the call: an array of them per record cost an allocation and a
    /// lookup of its generic type in the runtime's locked cache.
    func withSlots<Result>(_ record: JSONValue, _ body: (SourceSlots) -> Result) -> Result {
        let members: [String: JSONValue]
        if case .object(let object) = record { members = object } else { members = [:] }
        return withUnsafeTemporaryAllocation(of: Dictionary<String, JSONValue>.Index?.self, capacity: keys.count) {
            indices in
            indices.initialize(repeating: nil)
            defer { indices.deinitialize() }
            if !members.isEmpty {
                if members.count > keys.count * 4 {
                    for slot in keys.indices { indices[slot] = members.index(forKey: keys[slot]) }
                } else {
                    keys.withUnsafeBufferPointer { keys in
                        buckets.withUnsafeBufferPointer { buckets in
                            var index = members.startIndex
                            let end = members.endIndex
                            while index != end {
                                let key = members.keys[index]
                                if let slot = Self.slot(of: key, keys: keys, buckets: buckets, mask: mask) {
                                    indices[slot] = index
                                }
                                members.formIndex(after: &index)
                            }
                        }
                    }
                }
            }
            return body(SourceSlots(members: members, indices: UnsafeBufferPointer(indices)))
        }
    }

    /// Length and first byte, mixed: enough to tell most of a mapping's keys apart (the table probes past the
    /// rest), and the cheapest bytes of a string to read, which matters once per key of every record.
    private static func hash(_ key: String) -> Int {
        let utf8 = key.utf8
        var value = UInt64(truncatingIfNeeded: utf8.count) &* 0x9E37_79B9_7F4A_7C15
        // Subscripted, not `first`: the generic `first` was a third of the pass over a record's keys.
        value ^= UInt64(utf8.isEmpty ? 0 : utf8[utf8.startIndex]) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: value ^ (value >> 29))
    }
}

/// A record's members and where the keys of a `SourceKeys` are among them, valid only inside `withSlots`.
/// Positions, not copies of the values: an array of values cost a copy of each and a generic destroy of each
/// element per record.
struct SourceSlots {
    let members: [String: JSONValue]
    let indices: UnsafeBufferPointer<Dictionary<String, JSONValue>.Index?>

    /// The value of the key in `slot`, nil when the record does not have it.
    subscript(slot: Int) -> JSONValue? {
        indices[slot].map { members.values[$0] }
    }
}
