import Foundation
import Logging
import SynclineCore

/// What to import: one (connection, entity type), why, and with which parameters.
public struct ImportJob: Sendable {
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var trigger: SyncTrigger
    /// Listing parameters (a timesheet date range). A listing with parameters is partial: it never marks unseen
    /// records deleted.
    public var parameters: [String: String]
    public var jobID: String?
    /// Ignore the saved cursor and list everything (and mark what is gone as deleted).
    public var forceFull: Bool

    public init(
        tenantID: String,
        connectionID: String,
        entityType: String,
        trigger: SyncTrigger,
        parameters: [String: String] = [:],
        jobID: String? = nil,
        forceFull: Bool = false
    ) {
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.trigger = trigger
        self.parameters = parameters
        self.jobID = jobID
        self.forceFull = forceFull
    }
}

/// A run that failed, with the run as recorded, so a caller (the worker) can retry or give up by its class.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var run: SyncRun
    public var underlying: any Error
    public var description: String { run.error ?? "\(underlying)" }
}

/// The import flow of a sync: pages from the source, each stored with its checkpoint in one transaction, the
/// cursor advanced only when the listing completes, records a full sync no longer sees marked deleted, and the
/// whole recorded as a run. A bad record is skipped and reported; it never fails the run.
public struct ImportRunner: Sendable {
    let records: any RecordStore
    let progress: any ImportProgressStore
    let runs: any RunStore
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        records: any RecordStore,
        progress: any ImportProgressStore,
        runs: any RunStore,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.records = records
        self.progress = progress
        self.runs = runs
        self.now = now
        self.logger = logger
    }

    /// Runs `job` against `source`; `onPage` sees the run after every stored page (progress bars, live views).
    @discardableResult
    public func run(
        _ job: ImportJob,
        from source: any RecordSource,
        onPage: @Sendable (SyncRun) async -> Void = { _ in }
    ) async throws -> SyncRun {
        let saved = try await progress.progress(
            tenantID: job.tenantID,
            connectionID: job.connectionID,
            entityType: job.entityType
        )
        let incremental = source.cursorField != nil && !job.forceFull
        let since = incremental ? saved.cursor : nil
        let fullSync = since == nil && job.parameters.isEmpty
        var run = SyncRun(
            id: Identifier.make(prefix: "run"),
            tenantID: job.tenantID,
            connectionID: job.connectionID,
            entityType: job.entityType,
            trigger: job.trigger,
            parameters: job.parameters.mapValues { .string($0) },
            jobID: job.jobID,
            startedAt: now()
        )
        // A checkpoint left by an attempt that did not finish is resumed; records keep being marked under the
        // run that started the listing, so deletion marking at the end still sees the whole listing.
        let resume = job.forceFull ? nil : saved.checkpoint
        run.resumed = resume != nil
        let listingRunID = resume.flatMap { _ in saved.checkpointRunID } ?? run.id
        var highestCursor = resume != nil ? saved.pendingCursor : nil
        var failures: [RecordFailure] = []
        // A source may count across runs (a provider session serves a connection's every job): count from here.
        let baseline = await source.statistics()
        let abandoned = try await runs.abandonRunning(
            tenantID: job.tenantID,
            connectionID: job.connectionID,
            entityType: job.entityType,
            reason: "interrupted: the worker stopped before the run finished; a later run resumed it",
            at: run.startedAt
        )
        if abandoned > 0 { logger.info("Runs of a stopped worker marked failed", metadata: ["count": "\(abandoned)"]) }
        try await runs.start(run)
        var metadata: Logger.Metadata = [
            "syncline.connection": "\(job.connectionID)", "syncline.entity": "\(job.entityType)",
            "syncline.run": "\(run.id)",
        ]
        if run.resumed { metadata["syncline.resumed"] = "true" }
        logger.debug("Import started", metadata: metadata)

        let mapping = source.mapping
        do {
            try await ReadAhead.pages(
                of: source,
                params: job.parameters,
                since: since,
                resumingFrom: resume,
                prepare: {
                    [idField = source.idField, cursorField = source.cursorField, hasher = records.contentHasher] page in
                    PreparedPage(page, idField: idField, cursorField: cursorField, mapping: mapping, hasher: hasher)
                }
            ) { page in
                run.counts.failed += page.failed
                run.counts.warnings += page.warnings
                failures += page.failures.prefix(100 - failures.count)
                if let cursor = page.highestCursor, cursor > (highestCursor ?? "") { highestCursor = cursor }
                let counts = try await records.write(
                    PageWrite(
                        tenantID: job.tenantID,
                        connectionID: job.connectionID,
                        entityType: job.entityType,
                        runID: listingRunID,
                        records: page.records,
                        checkpoint: page.source.checkpoint,
                        cursorSeen: highestCursor,
                        fullSync: fullSync,
                        model: mapping?.mapping.model
                    )
                )
                run.counts = run.counts + counts
                run.pages += 1
                if let total = page.source.total { run.expectedRecords = total }
                await apply(source.statistics(), since: baseline, to: &run)
                await onPage(run)
            }
            if fullSync {
                run.counts.deleted = try await records.finishFullSync(
                    tenantID: job.tenantID,
                    connectionID: job.connectionID,
                    entityType: job.entityType,
                    runID: listingRunID
                )
            }
            try await progress.complete(
                tenantID: job.tenantID,
                connectionID: job.connectionID,
                entityType: job.entityType,
                cursor: source.cursorField == nil ? nil : (highestCursor ?? saved.cursor)
            )
            run.status = .succeeded
        } catch {
            run.status = .failed
            run.error = Self.message(error)
            run.errorClass = Self.errorClass(error).rawValue
        }
        await apply(source.statistics(), since: baseline, to: &run)
        run.finishedAt = now()
        try await runs.finish(run, failures: failures)
        logger.debug(
            "Import finished",
            metadata: metadata.merging(
                [
                    "syncline.status": "\(run.status.rawValue)", "syncline.pages": "\(run.pages)",
                    "syncline.created": "\(run.counts.created)", "syncline.updated": "\(run.counts.updated)",
                ],
                uniquingKeysWith: { $1 }
            )
        )
        if run.status == .failed {
            throw ImportFailure(run: run, underlying: ImportRunError(message: run.error ?? "failed"))
        }
        return run
    }

    private func apply(_ statistics: SourceStatistics, since baseline: SourceStatistics, to run: inout SyncRun) {
        run.requests = statistics.requests - baseline.requests
        run.retries = statistics.retries - baseline.retries
        run.rateLimitWaitMilliseconds = statistics.rateLimitWaitMilliseconds - baseline.rateLimitWaitMilliseconds
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? ProviderError { return error.message }
        return "\(error)"
    }

    /// How a failure should be treated: retried later, given up on, or sent to the tenant to fix credentials.
    public enum ErrorClass: String, Sendable {
        case retryable, permanent, auth
    }

    public static func errorClass(_ error: any Error) -> ErrorClass {
        guard let error = error as? ProviderError else { return .retryable }
        if error.code == .unauthorized || error.code == .forbidden { return .auth }
        return error.isRetryable ? .retryable : .permanent
    }
}

/// A page made ready to write, off the writer's path (`ReadAhead` prepares the next page while one is written):
/// each record's id, mapped form, stored text and hash, and what this page adds to the run's failures, warnings
/// and highest cursor. A bad record is counted here and left out; it never fails the page.
struct PreparedPage: Sendable {
    /// The page as it came, without its records (they are in `records`).
    var source: SourcePage
    var records: [IncomingRecord] = []
    var failed = 0
    var warnings = 0
    /// The page's first 100 failures; the run keeps the first 100 of all pages.
    var failures: [RecordFailure] = []
    var highestCursor: String?

    init(
        _ page: SourcePage,
        idField: String,
        cursorField: String?,
        mapping: CompiledMapping?,
        hasher: ContentHasher = .portable
    ) {
        source = SourcePage(number: page.number, records: [], checkpoint: page.checkpoint, total: page.total)
        records.reserveCapacity(page.records.count)
        for record in page.records {
            guard let id = record.memberText(idField) else {
                fail("page \(page.number)", "a record has no '\(idField)'")
                continue
            }
            if let field = cursorField, let value = record.memberText(field), value > (highestCursor ?? "") {
                highestCursor = value
            }
            var mapped: JSONValue?
            if let mapping {
                let result = mapping.apply(record)
                if result.failed {
                    // Kept raw and reported: a record the mapping cannot make sense of does not stop the run.
                    fail(id, result.failures.map(\.description).joined(separator: "; "))
                } else {
                    mapped = .object(result.value)
                    if !result.warnings.isEmpty { warnings += 1 }
                }
            }
            do {
                records.append(try IncomingRecord(externalID: id, raw: record, mapped: mapped, hasher: hasher))
            } catch {
                // A value JSON cannot hold (a transform divided by zero): the record is skipped, not the page.
                fail(id, "the record cannot be stored as JSON: \(error)")
            }
        }
    }

    private mutating func fail(_ externalID: String, _ error: String) {
        failed += 1
        if failures.count < 100 { failures.append(RecordFailure(externalID: externalID, error: error)) }
    }
}

/// The message of a failed run, when the failure did not come with a type of its own.
struct ImportRunError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
