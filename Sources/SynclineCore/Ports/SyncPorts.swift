import Foundation

/// The storage ports of the import runner: records with their change feed, import progress and run history.
/// Every call names the tenant, and the store filters by it in the query itself.

/// Imported records, upserted by (tenant, connection, entity type, external id) with a content hash.
public protocol RecordStore: Sendable {
    /// Stores one page and the listing's progress in one transaction; counts created/updated/unchanged.
    func write(_ page: PageWrite) async throws -> RecordCounts
    /// After a complete full sync: marks records of the entity type not seen by `runID` as deleted
    /// (soft delete, a change in the feed) and clears the checkpoint; returns how many.
    func finishFullSync(tenantID: String, connectionID: String, entityType: String, runID: String) async throws -> Int
    /// The changes of a connection after `sequence`, oldest first.
    func changes(tenantID: String, connectionID: String, after sequence: Int64, limit: Int) async throws
        -> [RecordChange]
    /// How many live (not deleted) records an entity type has.
    func count(tenantID: String, connectionID: String, entityType: String) async throws -> Int
    /// How the records' content hashes are computed; an import hashes what it writes with it, so that it and the
    /// store's own re-mapping can never disagree about what "unchanged" means.
    var contentHasher: ContentHasher { get }
}

extension RecordStore {
    public var contentHasher: ContentHasher { .portable }
}

/// Where each (connection, entity type) import stands: its cursor and any unfinished listing.
public protocol ImportProgressStore: Sendable {
    func progress(tenantID: String, connectionID: String, entityType: String) async throws -> ImportProgress
    /// A listing completed: the checkpoint goes, the cursor advances to `cursor` (if given).
    func complete(tenantID: String, connectionID: String, entityType: String, cursor: String?) async throws
    /// Forget the cursor and any checkpoint: the next run is a full sync from page 1.
    func reset(tenantID: String, connectionID: String, entityType: String) async throws
}

/// The runs history.
public protocol RunStore: Sendable {
    func start(_ run: SyncRun) async throws
    /// Marks runs of this (connection, entity type) still `running` as failed: syncs of one connection never
    /// run at once, so such a run belongs to a worker that died. Answers how many.
    func abandonRunning(
        tenantID: String,
        connectionID: String,
        entityType: String,
        reason: String,
        at: Date
    ) async throws -> Int
    /// Saves the final state of `run` and up to 100 of its failed records.
    func finish(_ run: SyncRun, failures: [RecordFailure]) async throws
    /// Newest first.
    func list(tenantID: String, connectionID: String, limit: Int) async throws -> [SyncRun]
    func failures(tenantID: String, runID: String) async throws -> [RecordFailure]
}
