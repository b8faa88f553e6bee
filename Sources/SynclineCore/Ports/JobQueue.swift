import Foundation

/// The durable job queue: at-least-once delivery with leases. Every call that acts on a claimed job carries
/// its lease token, and does nothing (answers false) when the lease has moved on.
public protocol JobQueue: Sendable {
    /// Adds a job; when `uniqueKey` is held by a waiting or running job, answers that one instead (and raises
    /// its priority or brings its start forward if the new request asks for that).
    func enqueue(_ job: NewJob, now: Date) async throws -> EnqueueResult

    /// Claims up to `limit` runnable jobs for `owner` until `now + lease`: highest priority first, at most one per
    /// connection, none of a connection that already has a running job. A job whose lease expired is runnable
    /// again (its worker died); one that has used its last attempt becomes `dead` instead.
    func claim(owner: String, limit: Int, lease: Duration, now: Date) async throws -> [JobLease]

    /// Extends a lease; false when the lease is no longer ours.
    func heartbeat(_ lease: JobLease, until: Date, now: Date) async throws -> Bool
    /// Extends every lease a worker process holds (running, waiting their turn, or done and not yet
    /// acknowledged) in one statement per chunk; answers the ids whose lease was still ours.
    func heartbeat(_ leases: [JobLease], until: Date, now: Date) async throws -> Set<String>
    /// Records how far a running job has come, for the API; false when the lease is no longer ours.
    func reportProgress(_ lease: JobLease, _ progress: [String: JSONValue], now: Date) async throws -> Bool

    /// Marks jobs succeeded in one statement; answers the ids whose lease was still ours.
    func complete(_ leases: [JobLease], now: Date) async throws -> Set<String>

    /// Records a failed attempt: back to the queue at `retryAt`, or `dead` when `retryAt` is nil (a permanent
    /// error) or the attempts are used up. Answers the new status, or nil when the lease is no longer ours.
    func fail(_ lease: JobLease, error: String, retryAt: Date?, now: Date) async throws -> JobStatus?

    /// Gives a job back without using an attempt (graceful shutdown); false when the lease is no longer ours.
    func release(_ lease: JobLease, now: Date) async throws -> Bool

    /// Cancels a job of `tenantID` that has not finished; a running one stops at its next heartbeat.
    func cancel(id: String, tenantID: String, now: Date) async throws -> Job
    /// Puts a dead, failed or cancelled job back in the queue with its attempts reset.
    func retry(id: String, tenantID: String, now: Date) async throws -> Job
    /// Cancels every waiting job of a connection (pausing it); answers how many.
    func cancelWaiting(connectionID: String, tenantID: String, now: Date) async throws -> Int

    func find(id: String, tenantID: String) async throws -> Job?
    /// Newest first.
    func list(tenantID: String, filter: JobFilter) async throws -> [Job]
    /// How many jobs are in each status, across tenants (queue depth for metrics).
    func depth() async throws -> [JobStatus: Int]
}
