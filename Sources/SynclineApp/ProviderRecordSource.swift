import SynclineCore
import SynclineProviders

/// Adapts a provider session's listing of one entity type to the engine's `RecordSource` port. It lives in the
/// composition root because the engine must not import the provider runtime (ARCHITECTURE.md, modules).
public struct ProviderRecordSource: RecordSource {
    let session: ProviderSession
    let entity: EntityType
    /// The mapping the records go through, resolved by the composition root.
    public let mapping: CompiledMapping?

    /// Fails with a configuration error naming the entity types when the provider has no `entityType`.
    public init(session: ProviderSession, entityType: String, mapping: CompiledMapping? = nil) throws {
        guard let entity = session.connection.definition.entityType(named: entityType) else {
            let known = session.connection.definition.entityTypes.map(\.name).joined(separator: ", ")
            throw ProviderError(
                .configuration,
                "\(session.connection.definition.name) has no entity type '\(entityType)'; it has \(known)"
            )
        }
        self.session = session
        self.entity = entity
        self.mapping = mapping
    }

    public var idField: String { entity.idField }
    public var cursorField: String? { entity.incremental?.field }

    public func pages(
        params: [String: String],
        since cursor: String?,
        resumingFrom checkpoint: String?
    ) throws -> any AsyncSequence<SourcePage, any Error> {
        let resume = try checkpoint.map { try ListingCheckpoint(encoded: $0) }
        return try session.pages(of: entity.name, params: params, since: cursor, resumingFrom: resume).map { page in
            SourcePage(
                number: page.number,
                records: page.records,
                checkpoint: try page.checkpoint.encoded(),
                total: page.total
            )
        }
    }

    public func statistics() async -> SourceStatistics {
        let stats = await session.stats
        let (seconds, attoseconds) = stats.timeWaitedOnRateLimits.components
        return SourceStatistics(
            requests: stats.requests,
            retries: stats.retries,
            rateLimitWaitMilliseconds: seconds * 1000 + attoseconds / 1_000_000_000_000_000
        )
    }
}
