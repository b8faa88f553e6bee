import Logging
import SynclineCore

/// Runs the jobs of one kind (`sync.import`). Handlers are idempotent: the queue delivers at least once, and a
/// job whose worker died runs again from wherever the handler saved its progress.
public protocol JobHandler: Sendable {
    /// Does the work; throws `JobError` to say whether a failure is worth retrying.
    func handle(_ job: Job, logger: Logger) async throws
}

/// A handler made of a closure, for small kinds and for tests.
public struct ClosureJobHandler: JobHandler {
    let body: @Sendable (Job, Logger) async throws -> Void

    public init(_ body: @escaping @Sendable (Job, Logger) async throws -> Void) {
        self.body = body
    }

    public func handle(_ job: Job, logger: Logger) async throws {
        try await body(job, logger)
    }
}
