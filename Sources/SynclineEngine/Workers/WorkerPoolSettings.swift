import SynclineCore

/// How a worker pool claims and runs jobs. Defaults suit one server process; `syncline worker` processes on
/// PostgreSQL use the same.
public struct WorkerPoolSettings: Sendable {
    /// Jobs run at the same time by this process.
    public var concurrency: Int = 4
    /// The most jobs one claim takes. Jobs claimed beyond the free slots wait in this process with their leases
    /// kept alive; large batches pay off for many short jobs, small ones spread long syncs across processes.
    public var claimBatch: Int = 8
    /// How long a claim holds a job before another worker may take it over.
    public var lease: Duration = .seconds(60)
    /// How often a running job's lease is extended (well inside `lease`).
    public var heartbeatInterval: Duration = .seconds(15)
    /// How long to wait before looking again when the queue had nothing runnable.
    public var pollInterval: Duration = .milliseconds(500)
    /// On graceful shutdown, how long running jobs may take to finish before their leases are given back.
    public var shutdownTimeout: Duration = .seconds(30)
    /// Backoff between attempts: 1, 2, 4, 8, 16 s ... capped. The job's own `maxAttempts` decides when it dies.
    public var retry = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(300))
    /// Completions are acknowledged in one statement once this many are done, whenever a loop runs out of
    /// claimed work, and at the latest `ackDelay` after a job finished.
    public var ackBatch: Int = 64
    /// The longest a finished job waits for its acknowledgement (it shows `running` until then).
    public var ackDelay: Duration = .milliseconds(50)

    public init() {}
}
