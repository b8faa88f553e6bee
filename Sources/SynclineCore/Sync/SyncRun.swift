import Foundation

/// Why a sync ran; manual triggers are what a tenant asked for now, the rest the system decided.
public enum SyncTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    case schedule, manual, webhook, retry
}

/// Which way data moves: provider → Syncline (import) or Syncline → provider (export, write-back).
public enum SyncDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case `import`, export, bidirectional
}

/// The outcome of a run while and after it executes.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running, succeeded, failed
}

/// How a record of a page fared against what was stored.
public struct RecordCounts: Sendable, Hashable, Codable {
    public var seen = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var deleted = 0
    public var failed = 0
    public var warnings = 0

    public init(
        seen: Int = 0,
        created: Int = 0,
        updated: Int = 0,
        unchanged: Int = 0,
        deleted: Int = 0,
        failed: Int = 0,
        warnings: Int = 0
    ) {
        self.seen = seen
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.deleted = deleted
        self.failed = failed
        self.warnings = warnings
    }

    public static func + (left: RecordCounts, right: RecordCounts) -> RecordCounts {
        RecordCounts(
            seen: left.seen + right.seen,
            created: left.created + right.created,
            updated: left.updated + right.updated,
            unchanged: left.unchanged + right.unchanged,
            deleted: left.deleted + right.deleted,
            failed: left.failed + right.failed,
            warnings: left.warnings + right.warnings
        )
    }
}

/// A record that could not be imported: skipped and reported, it does not fail the run.
public struct RecordFailure: Sendable, Hashable, Codable {
    public var externalID: String
    public var error: String

    public init(externalID: String, error: String) {
        self.externalID = externalID
        self.error = error
    }
}

/// One executed sync job, as the runs history shows it.
public struct SyncRun: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var direction: SyncDirection
    public var trigger: SyncTrigger
    /// The job's parameters (a date range), as JSON.
    public var parameters: [String: JSONValue]
    public var jobID: String?
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    public var pages = 0
    public var requests = 0
    public var retries = 0
    public var rateLimitWaitMilliseconds: Int64 = 0
    public var counts = RecordCounts()
    public var error: String?
    /// `retryable`, `permanent` or `auth` when the run failed.
    public var errorClass: String?
    /// Whether this run resumed a listing another attempt had started.
    public var resumed = false
    /// How many records the provider says the listing holds, when it says (progress and ETA; not stored).
    public var expectedRecords: Int?

    public init(
        id: String,
        tenantID: String,
        connectionID: String,
        entityType: String,
        direction: SyncDirection = .import,
        trigger: SyncTrigger,
        parameters: [String: JSONValue] = [:],
        jobID: String? = nil,
        status: RunStatus = .running,
        startedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.direction = direction
        self.trigger = trigger
        self.parameters = parameters
        self.jobID = jobID
        self.status = status
        self.startedAt = startedAt
    }

    /// Milliseconds from start to finish, once finished.
    public var durationMilliseconds: Int64? {
        finishedAt.map { Int64(($0.timeIntervalSince(startedAt) * 1000).rounded()) }
    }
}
