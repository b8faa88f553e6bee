/// One step of a mapping rule as stored and sent over the API: a transform name and its arguments
/// (`{"name": "divide", "arguments": {"divisor": 100}}`).
public struct TransformStep: Sendable, Hashable, Codable {
    public var name: String
    public var arguments: [String: JSONValue]

    public init(_ name: String, arguments: [String: JSONValue] = [:]) {
        self.name = name
        self.arguments = arguments
    }

    private enum CodingKeys: String, CodingKey {
        case name
        case arguments
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.arguments = try container.decodeIfPresent([String: JSONValue].self, forKey: .arguments) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(arguments, forKey: .arguments)
    }
}
