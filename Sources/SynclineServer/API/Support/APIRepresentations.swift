import Foundation
import SynclineCore

/// The wire form of each resource, written out key by key in snake_case.
enum APIRepresentation {
    static func sync(_ sync: SyncDefinition) -> JSONValue {
        .object([
            "id": .string(sync.id),
            "connection_id": .string(sync.connectionID),
            "entity_type": .string(sync.entityType),
            "direction": .string(sync.direction.rawValue),
            "enabled": .bool(sync.enabled),
            "schedule": scheduleValue(sync.schedule),
            "jitter_seconds": .number(Double(sync.jitterSeconds)),
            "parameters": .object(sync.parameters.mapValues { .string($0) }),
            "next_run_at": isoTime(sync.nextRunAt),
            "last_run_at": isoTime(sync.lastRunAt),
            "last_status": sync.lastStatus.map { .string($0.rawValue) } ?? .null,
            "consecutive_failures": .number(Double(sync.consecutiveFailures)),
        ])
    }

    static func scheduleValue(_ schedule: Schedule) -> JSONValue {
        switch schedule {
        case .interval(let minutes): .object(["interval_minutes": .number(Double(minutes))])
        case .cron(let expression, let zone): .object(["cron": .string(expression), "time_zone": .string(zone)])
        case .manual: .object(["manual": .bool(true)])
        }
    }

    static func job(_ job: Job) -> JSONValue {
        .object([
            "id": .string(job.id),
            "kind": .string(job.kind),
            "connection_id": job.connectionID.map { .string($0) } ?? .null,
            "payload": .object(job.payload),
            "priority": .string(job.priority >= JobPriority.manual.rawValue ? "manual" : "scheduled"),
            "status": .string(job.status.rawValue),
            "attempts": .number(Double(job.attempts)),
            "max_attempts": .number(Double(job.maxAttempts)),
            "run_at": isoTime(job.runAt),
            "last_error": job.lastError.map { .string($0) } ?? .null,
            "created_at": isoTime(job.createdAt),
            "updated_at": isoTime(job.updatedAt),
            "finished_at": isoTime(job.finishedAt),
            "progress": job.progress.map { .object($0) } ?? .null,
        ])
    }

    static func run(_ run: SyncRun) -> JSONValue {
        .object([
            "id": .string(run.id),
            "entity_type": .string(run.entityType),
            "direction": .string(run.direction.rawValue),
            "trigger": .string(run.trigger.rawValue),
            "parameters": .object(run.parameters),
            "job_id": run.jobID.map { .string($0) } ?? .null,
            "status": .string(run.status.rawValue),
            "started_at": isoTime(run.startedAt),
            "finished_at": isoTime(run.finishedAt),
            "duration_ms": run.durationMilliseconds.map { .number(Double($0)) } ?? .null,
            "pages": .number(Double(run.pages)),
            "requests": .number(Double(run.requests)),
            "retries": .number(Double(run.retries)),
            "rate_limit_wait_ms": .number(Double(run.rateLimitWaitMilliseconds)),
            "records_seen": .number(Double(run.counts.seen)),
            "records_created": .number(Double(run.counts.created)),
            "records_updated": .number(Double(run.counts.updated)),
            "records_unchanged": .number(Double(run.counts.unchanged)),
            "records_deleted": .number(Double(run.counts.deleted)),
            "records_failed": .number(Double(run.counts.failed)),
            "warnings": .number(Double(run.counts.warnings)),
            "resumed": .bool(run.resumed),
            "error": run.error.map { .string($0) } ?? .null,
            "error_class": run.errorClass.map { .string($0) } ?? .null,
        ])
    }
}
