import Foundation

/// A record as one page delivers it: its id at the provider, its raw JSON and its incremental cursor value.
public struct IncomingRecord: Sendable, Hashable {
    public var externalID: String
    public var raw: JSONValue
    /// The mapped (unified model) form, when a mapping applies; stored beside the raw record.
    public var mapped: JSONValue?

    public init(externalID: String, raw: JSONValue, mapped: JSONValue? = nil) {
        self.externalID = externalID
        self.raw = raw
        self.mapped = mapped
    }
}

/// One page to write: the records plus where the listing stands after it, saved in the same transaction so a
/// restarted job resumes exactly after the last page whose records were stored.
public struct PageWrite: Sendable {
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var runID: String
    public var records: [IncomingRecord]
    /// Where the listing resumes (opaque to the store); nil once the listing is complete.
    public var checkpoint: String?
    /// The highest incremental cursor value seen so far in this run.
    public var cursorSeen: String?
    /// Full syncs mark what they see, so what they did not see can be marked deleted at the end.
    public var fullSync: Bool
    /// The model the page's mapped records are of (`company`), so they can be read by model; nil when unmapped.
    public var model: String?

    public init(
        tenantID: String,
        connectionID: String,
        entityType: String,
        runID: String,
        records: [IncomingRecord],
        checkpoint: String?,
        cursorSeen: String?,
        fullSync: Bool,
        model: String? = nil
    ) {
        self.model = model
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.runID = runID
        self.records = records
        self.checkpoint = checkpoint
        self.cursorSeen = cursorSeen
        self.fullSync = fullSync
    }
}

/// A change in the per-connection feed: created, updated or deleted, in sequence order.
public struct RecordChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case created, updated, deleted
    }

    public var sequence: Int64
    public var kind: Kind
    public var entityType: String
    public var externalID: String
    public var raw: JSONValue?
    public var mapped: JSONValue?
    public var changedAt: Date

    public init(
        sequence: Int64,
        kind: Kind,
        entityType: String,
        externalID: String,
        raw: JSONValue?,
        mapped: JSONValue?,
        changedAt: Date
    ) {
        self.sequence = sequence
        self.kind = kind
        self.entityType = entityType
        self.externalID = externalID
        self.raw = raw
        self.mapped = mapped
        self.changedAt = changedAt
    }
}

/// Where the import of one (connection, entity type) stands between runs.
public struct ImportProgress: Sendable, Hashable {
    /// The incremental cursor the next run starts from; nil means a full sync.
    public var cursor: String?
    /// A listing checkpoint left by a run that did not finish; the next attempt resumes there.
    public var checkpoint: String?
    /// The run that left the checkpoint; a resumed listing keeps marking records under that run.
    public var checkpointRunID: String?
    /// The highest cursor value the unfinished listing had seen.
    public var pendingCursor: String?

    public init(
        cursor: String? = nil,
        checkpoint: String? = nil,
        checkpointRunID: String? = nil,
        pendingCursor: String? = nil
    ) {
        self.cursor = cursor
        self.checkpoint = checkpoint
        self.checkpointRunID = checkpointRunID
        self.pendingCursor = pendingCursor
    }
}
