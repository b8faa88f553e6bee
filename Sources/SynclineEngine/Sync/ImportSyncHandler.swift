import Foundation
import Logging
import Metrics
import SynclineCore

/// Runs `sync.import` jobs: the connection is loaded, its breaker consulted, the import run, and the outcome
/// written to the sync, the breaker and (for every status change) the activity log. Failures go back to the
/// worker pool as `JobError`s so it retries what may pass and stops what will not.
public struct ImportSyncHandler: JobHandler {
    let connections: any ConnectionStore
    let sources: any RecordSourceFactory
    let runner: ImportRunner
    let syncs: any SyncStore
    let circuits: any CircuitStore
    let activity: any ActivityLog
    let wallClock: @Sendable () -> Date
    let makeBreaker: @Sendable () -> CircuitBreaker
    /// Where each tenant's fiscal year starts, for `current_fiscal_year` windows (January when nil).
    let tenants: (any TenantStore)?

    public init(
        connections: any ConnectionStore,
        sources: any RecordSourceFactory,
        runner: ImportRunner,
        syncs: any SyncStore,
        circuits: any CircuitStore,
        activity: any ActivityLog,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        makeBreaker: @escaping @Sendable () -> CircuitBreaker = { CircuitBreaker() },
        tenants: (any TenantStore)? = nil
    ) {
        self.tenants = tenants
        self.connections = connections
        self.sources = sources
        self.runner = runner
        self.syncs = syncs
        self.circuits = circuits
        self.activity = activity
        self.wallClock = wallClock
        self.makeBreaker = makeBreaker
    }

    public func handle(_ job: Job, logger: Logger) async throws {
        var request = try SyncJobs.importJob(from: job)
        if request.parameters["window"] != nil {
            // Evaluated now, when the job runs: an hourly schedule of the current fiscal year stays current.
            let month = try await tenants?.find(id: request.tenantID)?.fiscalYearStartMonth ?? 1
            do {
                var resolved = try SyncWindow.resolve(request.parameters, now: wallClock(), fiscalYearStartMonth: month)
                resolved["window"] = request.parameters["window"]
                request.parameters = resolved
            } catch {
                throw JobError(.permanent, "the sync's parameters are not valid: \(error.message)")
            }
        }
        guard let connection = try await connections.find(id: request.connectionID, tenantID: request.tenantID) else {
            throw JobError(.permanent, "connection \(request.connectionID) no longer exists")
        }
        var breaker =
            try await circuits.breaker(tenantID: connection.tenantID, connectionID: connection.id)
            ?? makeBreaker()
        switch connection.status {
        case .active:
            break
        case .error where breaker.state != .closed:
            // The breaker is open: this run is its probe once the cool-down is over, and waits until then.
            let decision = breaker.requestRun(at: wallClock())
            guard decision.allowed else {
                let wait = breaker.coolDownEndsAt.map { max(0, $0.timeIntervalSince(wallClock())) } ?? 60
                throw JobError(
                    .retryable,
                    "the connection's circuit is open after repeated failures",
                    retryAfter: .milliseconds(Int64(wait * 1000))
                )
            }
            try await circuits.save(
                breaker,
                status: .error,
                probeAt: nil,
                tenantID: connection.tenantID,
                connectionID: connection.id,
                now: wallClock()
            )
        default:
            throw JobError(.permanent, "the connection is \(connection.status.rawValue); it does not sync")
        }

        let source: any RecordSource
        do {
            source = try await sources.source(for: connection, entityType: request.entityType)
        } catch let error as JobError {
            if error.disposition == .auth { try await markAuthFailure(connection, error.message) }
            throw error
        }
        do {
            let run = try await runner.run(request, from: source)
            try await finish(connection, request, breaker: &breaker, status: .succeeded, error: nil)
            Self.countRecords(run, provider: connection.provider)
        } catch let failure as ImportFailure {
            try await finish(connection, request, breaker: &breaker, status: .failed, error: failure.run.error)
            let message = failure.run.error ?? "the import failed"
            switch failure.run.errorClass {
            case "auth":
                try await markAuthFailure(connection, message)
                throw JobError(.auth, message)
            case "permanent":
                throw JobError(.permanent, message)
            default:
                throw JobError(.retryable, message)
            }
        }
    }

    /// Notes the run on its sync and on the breaker; an opened or closed breaker changes the connection status.
    private func finish(
        _ connection: Connection,
        _ request: ImportJob,
        breaker: inout CircuitBreaker,
        status: RunStatus,
        error: String?
    ) async throws {
        let now = wallClock()
        _ = try await syncs.recordOutcome(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: request.entityType,
            status: status,
            at: now
        )
        let transition = breaker.record(success: status == .succeeded, at: now)
        var newStatus = connection.status
        var probeAt: Date?
        if let transition {
            switch transition.to {
            case .open:
                newStatus = .error
                probeAt = breaker.coolDownEndsAt
            case .closed:
                newStatus = .active
            case .halfOpen:
                break
            }
        } else if case .open = breaker.state {
            probeAt = breaker.coolDownEndsAt
        }
        try await circuits.save(
            breaker,
            status: newStatus,
            probeAt: probeAt,
            tenantID: connection.tenantID,
            connectionID: connection.id,
            now: now
        )
        guard newStatus != connection.status else { return }
        var details: [String: JSONValue] = [
            "from": .string(connection.status.rawValue), "to": .string(newStatus.rawValue),
            "consecutive_failures": .number(Double(breaker.consecutiveFailures)),
            "entity_type": .string(request.entityType),
        ]
        if let error { details["error"] = .string(error) }
        if let probeAt { details["probe_at"] = .string(ISO8601DateFormatter().string(from: probeAt)) }
        try await activity.record(
            newStatus == .error ? "connection.circuit_opened" : "connection.circuit_closed",
            for: connection,
            details: details,
            at: now
        )
    }

    /// Credentials refused after a refresh: the connection waits for a person, with the provider's message.
    private func markAuthFailure(_ connection: Connection, _ message: String) async throws {
        guard var current = try await connections.find(id: connection.id, tenantID: connection.tenantID) else { return }
        let previous = current.status
        current.status = .error
        current.updatedAt = wallClock()
        try await connections.update(current)
        try await activity.record(
            "connection.auth_failed",
            for: connection,
            details: [
                "from": .string(previous.rawValue), "to": .string("error"), "error": .string(message),
            ],
            at: wallClock()
        )
    }

    static func countRecords(_ run: SyncRun, provider: String) {
        for (change, count) in [
            ("created", run.counts.created), ("updated", run.counts.updated),
            ("deleted", run.counts.deleted),
        ] where count > 0 {
            Counter(label: "syncline_records_total", dimensions: [("provider", provider), ("change", change)])
                .increment(by: count)
        }
        if run.rateLimitWaitMilliseconds > 0 {
            FloatingPointCounter(label: "syncline_rate_limit_wait_seconds_total", dimensions: [("provider", provider)])
                .increment(by: Double(run.rateLimitWaitMilliseconds) / 1000)
        }
        if let duration = run.durationMilliseconds {
            Timer(label: "syncline_sync_duration_seconds", dimensions: [("provider", provider)])
                .recordMilliseconds(duration)
        }
    }
}
