/// A lookup table that scans its entries when it has a few and hashes otherwise: a value map's table is mostly a
/// handful of statuses, and hashing the key looked up cost more than comparing it with each of them.
struct SmallTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries: [(key: Key, value: Value)]
    private let table: [Key: Value]

    init(_ table: [Key: Value]) {
        let small = table.count <= 8
        self.entries = small ? Array(table.map { (key: $0.key, value: $0.value) }) : []
        self.table = small ? [:] : table
    }

    subscript(key: Key) -> Value? {
        if table.isEmpty {
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        return table[key]
    }
}
