/// Where the import runner reads records from, so the engine depends on no provider code: the composition root
/// adapts a provider session to it, tests may adapt anything that lists pages.
public protocol RecordSource: Sendable {
    /// The record member holding the provider's id (`id`, Salesforce `Id`).
    var idField: String { get }
    /// The record member holding the incremental cursor value, when the entity type has one.
    var cursorField: String? { get }
    /// The pages of a listing: from the start (`since` limits it to changes), or after a saved checkpoint.
    func pages(
        params: [String: String],
        since cursor: String?,
        resumingFrom checkpoint: String?
    ) throws -> any AsyncSequence<SourcePage, any Error>
    /// What the source has done so far (requests, retries, waits), for the run's statistics.
    func statistics() async -> SourceStatistics
    /// The mapping its records go through (the tenant's, else the provider's default); nil stores them raw only.
    var mapping: CompiledMapping? { get }
}

extension RecordSource {
    public var mapping: CompiledMapping? { nil }
}

/// One page from a `RecordSource`, with the opaque checkpoint that resumes the listing after it.
public struct SourcePage: Sendable {
    public var number: Int
    public var records: [JSONValue]
    public var checkpoint: String
    /// How many records the whole listing holds, when the provider says; for progress and an ETA.
    public var total: Int?

    public init(number: Int, records: [JSONValue], checkpoint: String, total: Int? = nil) {
        self.number = number
        self.records = records
        self.checkpoint = checkpoint
        self.total = total
    }
}

/// A source's request counters.
public struct SourceStatistics: Sendable, Hashable {
    public var requests = 0
    public var retries = 0
    public var rateLimitWaitMilliseconds: Int64 = 0

    public init(requests: Int = 0, retries: Int = 0, rateLimitWaitMilliseconds: Int64 = 0) {
        self.requests = requests
        self.retries = retries
        self.rateLimitWaitMilliseconds = rateLimitWaitMilliseconds
    }
}

/// Opens the record source of one connection's entity type: the composition root decrypts the credentials and
/// builds a provider session, so the engine never touches provider code or secrets.
public protocol RecordSourceFactory: Sendable {
    /// Fails with `JobError(.permanent)` for an unknown provider or entity type, `.auth` for missing credentials.
    func source(for connection: Connection, entityType: String) async throws -> any RecordSource
}
