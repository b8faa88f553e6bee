import Foundation

/// A string with `{{scope.name}}` placeholders (`{{config.url}}/api`, `ticket_id={{parent.id}}`), parsed once
/// so a definition can be checked for unknown names before anything runs.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    /// A piece of a template: literal text or a reference to a value.
    public enum Part: Sendable, Hashable {
        case text(String)
        case reference(scope: String, name: String)
    }

    public let parts: [Part]
    public let description: String

    /// The scopes a template may refer to.
    public static let scopes: Set<String> = ["config", "token", "parent", "cursor", "record", "credentials", "params"]

    public init(parsing source: String) throws(TemplateError) {
        var parts: [Part] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(message: "'{{' without a closing '}}' in \(source)")
            }
            let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let pieces = inner.split(separator: ".", maxSplits: 1).map(String.init)
            guard pieces.count == 2, Self.scopes.contains(pieces[0]), !pieces[1].isEmpty else {
                throw TemplateError(
                    message: "'{{\(inner)}}' is not a reference; use {{scope.name}} with scope one of "
                        + Self.scopes.sorted().joined(separator: ", ")
                )
            }
            parts.append(.reference(scope: pieces[0], name: pieces[1]))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
        self.description = source
    }

    /// Every `scope.name` the template refers to.
    public var references: [(scope: String, name: String)] {
        parts.compactMap {
            if case .reference(let scope, let name) = $0 { return (scope, name) }
            return nil
        }
    }

    /// Fills the template; `value(scope, name)` returns nil for a value that is not set, which is an error.
    public func render(_ value: (String, String) -> String?) throws(TemplateError) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .reference(let scope, let name):
                guard let resolved = value(scope, name) else {
                    throw TemplateError(message: "\(scope).\(name) is not set (needed by \(description))")
                }
                result += resolved
            }
        }
        return result
    }

    public static func == (lhs: Template, rhs: Template) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// A template that cannot be parsed or filled.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
