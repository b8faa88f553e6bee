/// What a transform may read besides the value in hand: the whole record (for templates and multi-field ids)
/// and the caller's link tables (for lookups), so transforms stay pure functions of their inputs.
public struct TransformContext: Sendable, Hashable {
    /// The record being mapped: the source record going forward, the target record in reverse.
    public var record: JSONValue
    /// Link tables by link kind: external id -> host-application id (`["site": ["halo-17": "site_9"]]`).
    public var links: [String: [String: String]]

    public init(record: JSONValue = .null, links: [String: [String: String]] = [:]) {
        self.record = record
        self.links = links
    }
}
