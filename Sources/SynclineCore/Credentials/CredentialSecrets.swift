/// The secret fields of a connection (client secret, tokens). Its descriptions never show the values,
/// so a secret passed to a logger or interpolated into an error by mistake prints as redacted.
public struct CredentialSecrets: Sendable, Hashable, Codable {
    public var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    public subscript(field: String) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The names of the fields that are set, for responses that must say what is stored without saying it.
    public var fieldNames: [String] { values.keys.sorted() }
}

extension CredentialSecrets: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "CredentialSecrets(\(fieldNames.joined(separator: ", ")): <redacted>)" }
    public var debugDescription: String { description }
}

extension CredentialSecrets: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
