import Foundation
import SynclineCore

/// How an import sync travels through the queue: its kind, payload and unique key, in one place so the
/// scheduler, the API and the CLI enqueue the same thing and the handler reads it back.
public enum SyncJobs {
    public static let importKind = "sync.import"

    /// One waiting or running import per (connection, entity type, parameters).
    public static func uniqueKey(connectionID: String, entityType: String, parameters: [String: String]) -> String {
        let canonical = parameters.keys.sorted().map { "\($0)=\(parameters[$0] ?? "")" }.joined(separator: "&")
        return "sync:\(connectionID):\(entityType):\(canonical)"
    }

    public static func importJob(
        tenantID: String,
        connectionID: String,
        entityType: String,
        trigger: SyncTrigger,
        parameters: [String: String] = [:],
        forceFull: Bool = false,
        runAt: Date? = nil,
        maxAttempts: Int = 5
    ) -> NewJob {
        var payload: [String: JSONValue] = [
            "entity_type": .string(entityType),
            "trigger": .string(trigger.rawValue),
            "parameters": .object(parameters.mapValues { .string($0) }),
        ]
        if forceFull { payload["force_full"] = .bool(true) }
        return NewJob(
            tenantID: tenantID,
            connectionID: connectionID,
            kind: importKind,
            payload: payload,
            priority: trigger == .manual ? .manual : .scheduled,
            runAt: runAt,
            maxAttempts: maxAttempts,
            uniqueKey: uniqueKey(connectionID: connectionID, entityType: entityType, parameters: parameters)
        )
    }

    /// The import a queued job asks for; a payload that does not say is a permanent error.
    public static func importJob(from job: Job) throws -> ImportJob {
        guard let connectionID = job.connectionID, case .string(let entity)? = job.payload["entity_type"] else {
            throw JobError(.permanent, "job \(job.id) names no connection or entity type")
        }
        var parameters: [String: String] = [:]
        if case .object(let values)? = job.payload["parameters"] {
            for (key, value) in values { if case .string(let text) = value { parameters[key] = text } }
        }
        var trigger = SyncTrigger.schedule
        if case .string(let text)? = job.payload["trigger"], let named = SyncTrigger(rawValue: text) { trigger = named }
        if job.attempts > 1 { trigger = .retry }
        var forceFull = false
        if case .bool(let flag)? = job.payload["force_full"] { forceFull = flag }
        return ImportJob(
            tenantID: job.tenantID,
            connectionID: connectionID,
            entityType: entity,
            trigger: trigger,
            parameters: parameters,
            jobID: job.id,
            forceFull: forceFull
        )
    }
}
