import SynclineCore
import Yams

/// Reads a YAML node tree with the position of every value at hand, so each error says where it is,
/// and every mapping is checked for keys nobody reads (typos).
struct YAMLNodeReader {
    let file: String

    func error(_ node: Node?, _ message: String) -> ProviderFileError {
        ProviderFileError(
            file: file,
            line: node?.mark?.line ?? 0,
            column: node?.mark?.column ?? 0,
            message: message
        )
    }

    /// A mapping's entries by key, refusing duplicate keys and keys outside `allowed`.
    func mapping(_ node: Node, _ what: String, allowed: [String]) throws -> Fields {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping") }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw error(key, "keys in \(what) must be plain strings") }
            guard allowed.contains(name) else {
                let hint = Self.closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw error(
                    key,
                    "unknown key '\(name)' in \(what)\(hint); expected one of: \(allowed.sorted().joined(separator: ", "))"
                )
            }
            guard entries[name] == nil else { throw error(key, "duplicate key '\(name)' in \(what)") }
            entries[name] = (key, value)
        }
        return Fields(reader: self, node: node, what: what, entries: entries)
    }

    /// The entries of one mapping, read by name.
    struct Fields {
        let reader: YAMLNodeReader
        let node: Node
        let what: String
        let entries: [String: (key: Node, value: Node)]

        subscript(_ key: String) -> Node? { entries[key]?.value }

        func required(_ key: String) throws -> Node {
            guard let value = entries[key]?.value else {
                throw reader.error(node, "\(what) is missing the required key '\(key)'")
            }
            return value
        }

        func string(_ key: String) throws -> String {
            try reader.string(required(key), "'\(key)' in \(what)")
        }

        func optionalString(_ key: String) throws -> String? {
            try self[key].map { try reader.string($0, "'\(key)' in \(what)") }
        }

        func int(_ key: String) throws -> Int? {
            guard let value = self[key] else { return nil }
            guard let scalar = value.scalar, let number = Int(scalar.string) else {
                throw reader.error(value, "'\(key)' in \(what) must be a whole number")
            }
            return number
        }

        func bool(_ key: String) throws -> Bool? {
            guard let value = self[key] else { return nil }
            switch value.scalar?.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw reader.error(value, "'\(key)' in \(what) must be true or false")
            }
        }

        func strings(_ key: String) throws -> [String] {
            guard let value = self[key] else { return [] }
            guard let sequence = value.sequence else {
                throw reader.error(value, "'\(key)' in \(what) must be a list")
            }
            return try sequence.map { try reader.string($0, "an item of '\(key)' in \(what)") }
        }

        func stringMap(_ key: String) throws -> [String: String] {
            guard let value = self[key] else { return [:] }
            guard let mapping = value.mapping else {
                throw reader.error(value, "'\(key)' in \(what) must be a mapping of names to values")
            }
            var result: [String: String] = [:]
            for (name, item) in mapping {
                guard let name = name.scalar?.string else {
                    throw reader.error(name, "keys in '\(key)' must be strings")
                }
                result[name] = try reader.string(item, "'\(key).\(name)' in \(what)")
            }
            return result
        }

        /// A path into a JSON response: a dotted string (`paging.next.after`) or a list of keys, for keys that
        /// contain dots themselves (`["@odata.nextLink"]`).
        func path(_ key: String) throws -> [String]? {
            guard let value = self[key] else { return nil }
            if let sequence = value.sequence {
                let keys = try sequence.map { try reader.string($0, "an item of '\(key)' in \(what)") }
                guard !keys.isEmpty else { throw reader.error(value, "'\(key)' in \(what) must not be empty") }
                return keys
            }
            let text = try reader.string(value, "'\(key)' in \(what)")
            let keys = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !keys.contains(where: \.isEmpty) else {
                throw reader.error(value, "'\(key)' in \(what) is not a valid path: \(text)")
            }
            return keys
        }

        func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T?
        where T.RawValue == String {
            guard let value = self[key] else { return nil }
            let text = try reader.string(value, "'\(key)' in \(what)")
            guard let parsed = T(rawValue: text) else {
                let options = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error(value, "'\(key)' in \(what) must be one of: \(options); got '\(text)'")
            }
            return parsed
        }
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard let scalar = node.scalar else { throw error(node, "\(what) must be a single value") }
        return scalar.string
    }

    /// The allowed key nearest to a misspelt one, when it is close enough to be a typo.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let scored = allowed.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (best, score) = scored, score <= max(2, key.count / 3) else { return nil }
        return best
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
