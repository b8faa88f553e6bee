import Foundation

/// Where a job stands in the queue. `retrying` is a failed attempt waiting for its backoff to pass.
public enum JobStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, running, succeeded, retrying, dead, cancelled

    /// Statuses a worker may still claim (once `run_at` has passed).
    public static let waiting: [JobStatus] = [.pending, .retrying]
    /// Statuses that end a job's life unless a person retries it.
    public var isFinal: Bool { self == .succeeded || self == .dead || self == .cancelled }
}

/// What runs first: a person waiting on "Sync now" before the scheduler's routine work.
public enum JobPriority: Int, Sendable, Hashable, Codable, Comparable {
    case scheduled = 0
    case manual = 10

    public static func < (left: JobPriority, right: JobPriority) -> Bool { left.rawValue < right.rawValue }
}

/// One durable unit of work (run a sync, refresh a token, deliver a webhook), as the queue stores it.
public struct Job: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    /// Jobs of one connection never run at the same time; nil for work that belongs to no connection.
    public var connectionID: String?
    /// What the job does (`sync.import`), which picks its handler.
    public var kind: String
    public var payload: [String: JSONValue]
    public var priority: Int
    public var status: JobStatus
    /// Attempts started so far; a manual retry starts counting again.
    public var attempts: Int
    public var maxAttempts: Int
    /// The job is not claimed before this time (backoff, scheduled start).
    public var runAt: Date
    /// The fencing token of the current lease: it only ever increases, so a stale worker's completion or a
    /// rescuer's claim can never overwrite what a newer lease holder did.
    public var leaseToken: Int64
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// At most one waiting or running job carries a given key (one pending sync per connection and entity type).
    public var uniqueKey: String?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// What a long job reports while it runs (`{"processed": 5000, "changed": 120}`); nil until it reports.
    public var progress: [String: JSONValue]?

    public init(
        id: String,
        tenantID: String,
        connectionID: String?,
        kind: String,
        payload: [String: JSONValue],
        priority: Int,
        status: JobStatus,
        attempts: Int,
        maxAttempts: Int,
        runAt: Date,
        leaseToken: Int64,
        leaseOwner: String?,
        leaseExpiresAt: Date?,
        uniqueKey: String?,
        lastError: String?,
        createdAt: Date,
        updatedAt: Date,
        finishedAt: Date?,
        progress: [String: JSONValue]? = nil
    ) {
        self.progress = progress
        self.id = id
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.kind = kind
        self.payload = payload
        self.priority = priority
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.leaseToken = leaseToken
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.uniqueKey = uniqueKey
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }
}

/// A job to add to the queue.
public struct NewJob: Sendable, Hashable {
    public var tenantID: String
    public var connectionID: String?
    public var kind: String
    public var payload: [String: JSONValue]
    public var priority: JobPriority
    public var runAt: Date?
    public var maxAttempts: Int
    public var uniqueKey: String?

    public init(
        tenantID: String,
        connectionID: String?,
        kind: String,
        payload: [String: JSONValue] = [:],
        priority: JobPriority = .scheduled,
        runAt: Date? = nil,
        maxAttempts: Int = 5,
        uniqueKey: String? = nil
    ) {
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.kind = kind
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }
}

/// What enqueueing did: a new job, or the waiting one that already holds the unique key.
public struct EnqueueResult: Sendable, Hashable {
    public var job: Job
    /// False when an equal job was already waiting or running and no new one was made.
    public var created: Bool

    public init(job: Job, created: Bool) {
        self.job = job
        self.created = created
    }
}

/// A claimed job and the token that proves the lease in every later call.
public struct JobLease: Sendable, Hashable {
    public var job: Job
    public var id: String { job.id }
    public var token: Int64 { job.leaseToken }

    public init(job: Job) {
        self.job = job
    }
}

/// Filters for listing jobs; nil fields do not filter.
public struct JobFilter: Sendable, Hashable {
    public var status: JobStatus?
    public var connectionID: String?
    public var kind: String?
    public var limit: Int

    public init(status: JobStatus? = nil, connectionID: String? = nil, kind: String? = nil, limit: Int = 100) {
        self.status = status
        self.connectionID = connectionID
        self.kind = kind
        self.limit = limit
    }
}
