import Foundation

/// A parsed path into a JSON value (`owner.email`, `custom_fields[0].value`, `tags[*].name`, `["odd key"]`),
/// so a mapping can name a source field to read and a target field to write without code.
///
/// Syntax: keys separated by `.`; `[n]` indexes an array (negative counts from the end); `[*]` or `.*` is a
/// wildcard over an array's elements (or an object's values in key order) and yields an array; `["..."]` or
/// `['...']` quotes a key with unusual characters (`\` escapes a quote or backslash); a leading `$` names the root.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        /// A member of an object.
        case key(String)
        /// An element of an array; negative values count from the end.
        case index(Int)
        /// Every element of an array, or every value of an object in key order.
        case wildcard
    }

    /// The steps from the root to the addressed value; empty for the root itself.
    public let components: [Component]

    /// A path from its steps.
    public init(components: [Component]) {
        self.components = components
    }

    /// Parses path text; a syntax error names the column and what was expected there.
    public init(_ text: String) throws {
        var parser = Parser(text: text)
        self.components = try parser.parse()
    }

    /// Whether the path has a wildcard, which makes it readable but not writable.
    public var hasWildcard: Bool {
        components.contains(.wildcard)
    }

    /// The canonical text of the path, which parses back to the same path.
    public var description: String {
        guard !components.isEmpty else { return "$" }
        var text = ""
        for (position, component) in components.enumerated() {
            switch component {
            case .key(let key) where Self.isPlainKey(key):
                text += position == 0 ? key : "." + key
            case .key(let key):
                let escaped = key.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"")
                text += "[\"" + escaped + "\"]"
            case .index(let index):
                text += "[\(index)]"
            case .wildcard:
                text += "[*]"
            }
        }
        return text
    }

    /// The value the path addresses, or nil when any step is missing or has the wrong type.
    /// A wildcard yields an array of what the rest of the path finds in each element, skipping elements where
    /// it finds nothing; nested wildcards yield nested arrays.
    public func evaluate(in value: JSONValue) -> JSONValue? {
        Self.evaluate(components[...], in: value)
    }

    /// A copy of `root` with `newValue` written at this path, creating missing objects and arrays on the way
    /// (arrays are padded with nulls). Throws for wildcards and for steps through a value of the wrong type.
    public func set(_ newValue: JSONValue, in root: JSONValue) throws -> JSONValue {
        guard !hasWildcard else {
            throw PathError(.notWritable, path: description, "a path with a wildcard cannot be written")
        }
        return try set(newValue, remaining: components[...], in: root, depth: 0)
    }

    /// Steps through keys and indices in a loop, recursing only for a wildcard's elements: a mapping reads a
    /// nested path for most records, and matching on (step, value) pairs copied both at every step.
    private static func evaluate(_ remaining: ArraySlice<Component>, in value: JSONValue) -> JSONValue? {
        var current = value
        for position in remaining.indices {
            switch remaining[position] {
            case .key(let key):
                guard case .object(let members) = current, let next = member(key, of: members) else { return nil }
                current = next
            case .index(let index):
                guard case .array(let items) = current else { return nil }
                let resolved = index < 0 ? items.count + index : index
                guard items.indices.contains(resolved) else { return nil }
                current = items[resolved]
            case .wildcard:
                let rest = remaining[(position + 1)...]
                switch current {
                case .array(let items):
                    return .array(items.compactMap { evaluate(rest, in: $0) })
                case .object(let members):
                    return .array(
                        members.keys.sorted().compactMap { key in members[key].flatMap { evaluate(rest, in: $0) } }
                    )
                default:
                    return nil
                }
            }
        }
        return current
    }

    /// A member by key. A small object is scanned: comparing a few keys costs less than hashing the one sought,
    /// and nested objects in records (`site.id`, `owner.email`) are mostly small.
    static func member(_ key: String, of members: [String: JSONValue]) -> JSONValue? {
        guard members.count <= 8 else { return members[key] }
        // Lengths first: `==` on two different strings of one length takes the slow path.
        let length = key.utf8.count
        for (name, value) in members where name.utf8.count == length && name == key { return value }
        return nil
    }

    /// The largest number of nulls a write may add to an array, so a typo'd index cannot exhaust memory.
    private static let maximumPadding = 10_000

    private func set(
        _ newValue: JSONValue,
        remaining: ArraySlice<Component>,
        in current: JSONValue?,
        depth: Int
    ) throws -> JSONValue {
        guard let step = remaining.first else { return newValue }
        let rest = remaining.dropFirst()
        let location = JSONPath(components: Array(components.prefix(depth))).description
        switch step {
        case .key(let key):
            var members: [String: JSONValue]
            switch current {
            case nil, .null?: members = [:]
            case .object(let existing)?: members = existing
            case let other?:
                throw PathError(
                    .typeMismatch,
                    path: description,
                    "cannot write key '\(key)' into \(Self.kind(of: other)) at '\(location)'"
                )
            }
            members[key] = try set(newValue, remaining: rest, in: members[key], depth: depth + 1)
            return .object(members)
        case .index(let index):
            var items: [JSONValue]
            switch current {
            case nil, .null?: items = []
            case .array(let existing)?: items = existing
            case let other?:
                throw PathError(
                    .typeMismatch,
                    path: description,
                    "cannot write index \(index) into \(Self.kind(of: other)) at '\(location)'"
                )
            }
            let resolved = index < 0 ? items.count + index : index
            guard resolved >= 0, resolved - items.count <= Self.maximumPadding else {
                throw PathError(
                    .indexOutOfRange,
                    path: description,
                    "index \(index) is out of range for an array of \(items.count) at '\(location)'"
                )
            }
            if resolved >= items.count {
                items.append(contentsOf: repeatElement(JSONValue.null, count: resolved - items.count + 1))
            }
            items[resolved] = try set(newValue, remaining: rest, in: items[resolved], depth: depth + 1)
            return .array(items)
        case .wildcard:
            throw PathError(.notWritable, path: description, "a path with a wildcard cannot be written")
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Characters that end an unquoted key.
    private static let delimiters: Set<Character> = [".", "[", "]", "\"", "'"]

    private static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key != "*" && key != "$"
            && !key.contains { delimiters.contains($0) || $0.isWhitespace }
    }
}

extension JSONPath {
    /// Why a path could not be parsed or written; `column` (1-based) is set for syntax errors.
    public struct PathError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The kind of failure.
        public struct Code: Sendable, Hashable, CustomStringConvertible {
            private enum Base: String, Sendable, Hashable {
                case syntax
                case notWritable = "not_writable"
                case typeMismatch = "type_mismatch"
                case indexOutOfRange = "index_out_of_range"
            }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            /// The text is not a valid path.
            public static var syntax: Self { .init(.syntax) }
            /// The path has a wildcard and so addresses no single place to write.
            public static var notWritable: Self { .init(.notWritable) }
            /// A step of the path goes through a value that is not an object or array as the step needs.
            public static var typeMismatch: Self { .init(.typeMismatch) }
            /// A negative index points before the start of an array, or an index is absurdly far past its end.
            public static var indexOutOfRange: Self { .init(.indexOutOfRange) }

            public var description: String { base.rawValue }
        }

        public let code: Code
        /// The path text as given (syntax errors) or in canonical form (write errors).
        public let path: String
        /// The 1-based character column of a syntax error.
        public let column: Int?
        public let message: String

        init(_ code: Code, path: String, column: Int? = nil, _ message: String) {
            self.code = code
            self.path = path
            self.column = column
            self.message = message
        }

        public var description: String {
            "path '\(path)': \(message)"
        }
    }
}

extension JSONPath {
    /// A hand-written recursive-descent parser over the characters of the path.
    private struct Parser {
        let text: String
        let characters: [Character]
        var position = 0

        init(text: String) {
            self.text = text
            self.characters = Array(text)
        }

        mutating func parse() throws -> [Component] {
            var components: [Component] = []
            if peek == "$", position + 1 == characters.count || [".", "["].contains(characters[position + 1]) {
                position += 1
                if peek == nil { return [] }
            } else if peek == nil {
                throw failure(expected: "a key, '[' or '$'")
            } else if peek != "[" {
                components.append(try parseKey())
            }
            while let character = peek {
                switch character {
                case ".":
                    position += 1
                    components.append(try parseKey())
                case "[":
                    components.append(try parseBracket())
                default:
                    throw failure(expected: "'.' or '['")
                }
            }
            return components
        }

        private var peek: Character? {
            position < characters.count ? characters[position] : nil
        }

        private mutating func parseKey() throws -> Component {
            let start = position
            while let character = peek, !JSONPath.delimiters.contains(character), !character.isWhitespace {
                position += 1
            }
            guard position > start else { throw failure(expected: "a key") }
            let key = String(characters[start..<position])
            return key == "*" ? .wildcard : .key(key)
        }

        private mutating func parseBracket() throws -> Component {
            position += 1
            skipSpaces()
            let component: Component
            switch peek {
            case "*":
                position += 1
                component = .wildcard
            case "\"", "'":
                component = .key(try parseQuoted())
            case let character? where character.isASCII && (character.isNumber || character == "-"):
                component = .index(try parseIndex())
            default:
                throw failure(expected: "an index, '*' or a quoted key")
            }
            skipSpaces()
            guard peek == "]" else { throw failure(expected: "']'") }
            position += 1
            return component
        }

        private mutating func parseIndex() throws -> Int {
            let start = position
            if peek == "-" { position += 1 }
            let digitsStart = position
            while let character = peek, character.isASCII, character.isNumber {
                position += 1
            }
            guard position > digitsStart else { throw failure(expected: "a digit") }
            guard let index = Int(String(characters[start..<position])) else {
                position = start
                throw failure(expected: "an index that fits in an integer")
            }
            return index
        }

        private mutating func parseQuoted() throws -> String {
            let quote = characters[position]
            position += 1
            var key = ""
            while let character = peek {
                position += 1
                if character == quote { return key }
                if character == "\\" {
                    guard let escaped = peek, escaped == quote || escaped == "\\" else {
                        throw failure(expected: "\(quote) or \\ after \\")
                    }
                    position += 1
                    key.append(escaped)
                } else {
                    key.append(character)
                }
            }
            throw failure(expected: "closing \(quote)")
        }

        private mutating func skipSpaces() {
            while peek == " " { position += 1 }
        }

        private func failure(expected: String) -> PathError {
            let found = peek.map { "'\($0)'" } ?? "end of path"
            return PathError(
                .syntax,
                path: text,
                column: position + 1,
                "expected \(expected) at column \(position + 1), found \(found)"
            )
        }
    }
}
