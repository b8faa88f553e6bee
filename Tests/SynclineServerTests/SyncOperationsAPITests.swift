import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SynclineCore
import SynclineEngine
import SynclineServer
import SynclineStore
import Testing

/// The sync operations of `/api/v1` over a real SQLite store: authentication, tenant isolation, the status
/// codes and error bodies, and what each operation changes.
@Suite("Sync operations API")
struct SyncOperationsAPITests {
    struct Tenant {
        let id: String
        let key: String
        let connection: Connection
        let job: Job
    }

    struct Fixture {
        let store: SQLStore
        let acme: Tenant
        let globex: Tenant
        let operatorKey: String
    }

    static func withFixture(_ body: @escaping @Sendable (Fixture, any TestClientProtocol) async throws -> Void)
        async throws
    {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
        try await SQLStore.with(.sqliteMemory, cipher: cipher, logger: logger) { store in
            try await store.migrator.migrate()
            func tenant(_ name: String) async throws -> Tenant {
                let tenant = try await store.tenants.create(name: name)
                let key = try await store.apiKeys.issue(tenantID: tenant.id, name: "test")
                let connection = Connection(
                    id: Identifier.make(prefix: "con"),
                    tenantID: tenant.id,
                    provider: "halopsa",
                    name: "Main",
                    status: .active,
                    createdAt: Date(),
                    updatedAt: Date()
                )
                try await store.connections.create(connection)
                _ = try await store.syncs.ensure(
                    tenantID: tenant.id,
                    connectionID: connection.id,
                    defaults: [
                        SyncDefault(entityType: "clients", schedule: .interval(minutes: 60)),
                        SyncDefault(entityType: "tickets", schedule: .interval(minutes: 15)),
                    ],
                    jitterSeconds: 0,
                    now: Date()
                )
                let job = try await store.jobs.enqueue(
                    SyncJobs.importJob(
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        entityType: "tickets",
                        trigger: .schedule
                    ),
                    now: Date()
                ).job
                try await store.runs.start(
                    SyncRun(
                        id: Identifier.make(prefix: "run"),
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        entityType: "clients",
                        trigger: .schedule,
                        startedAt: Date()
                    )
                )
                return Tenant(id: tenant.id, key: key.plaintext, connection: connection, job: job)
            }
            let acme = try await tenant("Acme")
            let globex = try await tenant("Globex")
            let operatorKey = try await store.apiKeys.issue(tenantID: nil, name: "admin").plaintext
            let api = APIDependencies(
                apiKeys: store.apiKeys,
                connections: store.connections,
                syncs: store.syncs,
                jobs: store.jobs,
                runs: store.runs,
                progress: store.records,
                circuits: store.circuits,
                activity: store.activity,
                entityTypes: { $0 == "halopsa" ? ["clients", "tickets"] : nil }
            )
            let router = SynclineServer.makeRouter(
                dependencies: ServerDependencies(health: store, api: api)
            )
            try await Application(router: router).test(.router) { client in
                try await body(Fixture(store: store, acme: acme, globex: globex, operatorKey: operatorKey), client)
            }
        }
    }

    struct Answer {
        let status: HTTPResponse.Status
        let json: JSONValue
        var object: [String: JSONValue] { json.objectValue ?? [:] }
        var error: [String: JSONValue] { object["error"]?.objectValue ?? [:] }
    }

    static func call(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        key: String?,
        body: String? = nil
    ) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let text = String(buffer: response.body)
            return Answer(status: response.status, json: text.isEmpty ? .null : try JSONValue.parse(text))
        }
    }

    @Test("every route needs a tenant key: none or a bad one is 401, the operator key is 403, all as JSON errors")
    func authentication() async throws {
        try await Self.withFixture { fixture, client in
            let path = "/api/v1/connections/\(fixture.acme.connection.id)/syncs"
            let none = try await Self.call(client, .get, path, key: nil)
            #expect(none.status == .unauthorized)
            #expect(none.error["code"] == "unauthorized")
            let bad = try await Self.call(client, .get, path, key: fixture.acme.key + "x")
            #expect(bad.status == .unauthorized)
            let admin = try await Self.call(client, .get, path, key: fixture.operatorKey)
            #expect(admin.status == .forbidden)
            #expect(admin.error["code"] == "tenant_key_required")
            let ok = try await Self.call(client, .get, path, key: fixture.acme.key)
            #expect(ok.status == .ok)
            #expect(ok.object["data"]?.arrayValue?.count == 2)
            #expect(ok.object["next_cursor"] == .null)
        }
    }

    @Test("another tenant's ids are 404 on every route, and nothing of theirs changes")
    func isolation() async throws {
        try await Self.withFixture { fixture, client in
            let other = fixture.globex
            let connection = "/api/v1/connections/\(other.connection.id)"
            let calls: [(HTTPRequest.Method, String, String?)] = [
                (.get, "\(connection)/syncs", nil),
                (.patch, "\(connection)/syncs/clients", #"{"enabled": false}"#),
                (.post, "\(connection)/syncs/clients/run", nil),
                (.post, "\(connection)/syncs/clients/reset", nil),
                (.post, "\(connection)/pause", nil),
                (.post, "\(connection)/resume", nil),
                (.get, "\(connection)/runs", nil),
                (.get, "/api/v1/jobs/\(other.job.id)", nil),
                (.post, "/api/v1/jobs/\(other.job.id)/retry", nil),
                (.post, "/api/v1/jobs/\(other.job.id)/cancel", nil),
            ]
            for (method, path, body) in calls {
                let answer = try await Self.call(client, method, path, key: fixture.acme.key, body: body)
                #expect(answer.status == .notFound, "\(method) \(path)")
                #expect(answer.error["code"] == "not_found", "\(method) \(path)")
            }
            let jobs = try await Self.call(
                client,
                .get,
                "/api/v1/jobs?connection_id=\(other.connection.id)",
                key: fixture.acme.key
            )
            #expect(jobs.object["data"]?.arrayValue?.isEmpty == true)
            // Globex's data is as it was.
            let store = fixture.store
            #expect(try await store.connections.find(id: other.connection.id, tenantID: other.id)?.status == .active)
            #expect(try await store.jobs.find(id: other.job.id, tenantID: other.id)?.status == .pending)
            let syncs = try await store.syncs.list(tenantID: other.id, connectionID: other.connection.id)
            #expect(syncs.allSatisfy { $0.enabled })
        }
    }

    @Test("run now answers 202 with a manual job, the same job twice, 409 when paused, 404 for an unknown entity")
    func runNow() async throws {
        try await Self.withFixture { fixture, client in
            let base = "/api/v1/connections/\(fixture.acme.connection.id)"
            let first = try await Self.call(client, .post, "\(base)/syncs/clients/run", key: fixture.acme.key)
            #expect(first.status == .accepted)
            #expect(first.object["priority"] == "manual")
            #expect(first.object["status"] == "pending")
            let again = try await Self.call(client, .post, "\(base)/syncs/clients/run", key: fixture.acme.key)
            #expect(again.object["id"] == first.object["id"])
            // The scheduled tickets job waiting already becomes manual rather than a second job.
            let tickets = try await Self.call(client, .post, "\(base)/syncs/tickets/run", key: fixture.acme.key)
            #expect(tickets.object["id"] == .string(fixture.acme.job.id))
            #expect(tickets.object["priority"] == "manual")
            let ranged = try await Self.call(
                client,
                .post,
                "\(base)/syncs/clients/run",
                key: fixture.acme.key,
                body: #"{"parameters": {"start_date": "2026-01-01"}, "full": true}"#
            )
            #expect(ranged.status == .accepted)
            #expect(ranged.object["id"] != first.object["id"])
            let bad = try await Self.call(
                client,
                .post,
                "\(base)/syncs/clients/run",
                key: fixture.acme.key,
                body: #"{"parameters": {"start_date": 5}}"#
            )
            #expect(bad.status == .badRequest)
            #expect(bad.error["field"] == "parameters.start_date")
            let unknown = try await Self.call(client, .post, "\(base)/syncs/invoices/run", key: fixture.acme.key)
            #expect(unknown.status == .notFound)

            let paused = try await Self.call(client, .post, "\(base)/pause", key: fixture.acme.key)
            #expect(paused.status == .ok)
            #expect(paused.object["cancelled_jobs"] == 3)
            let refused = try await Self.call(client, .post, "\(base)/syncs/clients/run", key: fixture.acme.key)
            #expect(refused.status == .conflict)
            #expect(refused.error["message"] == "the connection is paused; resume it first")

            let resumed = try await Self.call(client, .post, "\(base)/resume", key: fixture.acme.key)
            #expect(resumed.status == .ok)
            #expect(resumed.object["jobs"]?.arrayValue?.count == 2)
            let store = fixture.store
            #expect(
                try await store.connections.find(id: fixture.acme.connection.id, tenantID: fixture.acme.id)?.status
                    == .active
            )
            let activity = try await store.activity.list(
                tenantID: fixture.acme.id,
                connectionID: fixture.acme.connection.id,
                limit: 20
            )
            #expect(activity.contains { $0.action == "connection.paused" && $0.actor.hasPrefix("key:sk_") })
            #expect(activity.contains { $0.action == "connection.resumed" })
        }
    }

    @Test("changing a sync validates every field by name and reschedules it")
    func changeSync() async throws {
        try await Self.withFixture { fixture, client in
            let path = "/api/v1/connections/\(fixture.acme.connection.id)/syncs/clients"
            let cron = try await Self.call(
                client,
                .patch,
                path,
                key: fixture.acme.key,
                body: #"{"schedule": {"cron": "30 6 * * 1-5", "time_zone": "Europe/Amsterdam"}, "direction": "import"}"#
            )
            #expect(cron.status == .ok)
            #expect(cron.object["schedule"] == .object(["cron": "30 6 * * 1-5", "time_zone": "Europe/Amsterdam"]))
            #expect(cron.object["next_run_at"] != .null)
            let manual = try await Self.call(
                client,
                .patch,
                path,
                key: fixture.acme.key,
                body: #"{"schedule": {"manual": true}}"#
            )
            #expect(manual.object["next_run_at"] == .null)

            let cases: [(String, String)] = [
                (#"{"schedule": {"cron": "61 * * * *", "time_zone": "UTC"}}"#, "schedule"),
                (#"{"schedule": {"interval_minutes": 0}}"#, "schedule"),
                (#"{"schedule": {"cron": "0 * * * *", "time_zone": "Mars/Olympus"}}"#, "schedule"),
                (#"{"enabled": "yes"}"#, "enabled"),
                (#"{"direction": "sideways"}"#, "direction"),
                (#"{"colour": "blue"}"#, "colour"),
                (#"{"jitter_seconds": -1}"#, "jitter_seconds"),
            ]
            for (body, field) in cases {
                let answer = try await Self.call(client, .patch, path, key: fixture.acme.key, body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.error["field"] == .string(field), "\(body)")
            }
            let invalid = try await Self.call(client, .patch, path, key: fixture.acme.key, body: "{not json")
            #expect(invalid.status == .badRequest)
            #expect(invalid.error["code"] == "invalid_json")
            let big = try await Self.call(
                client,
                .patch,
                path,
                key: fixture.acme.key,
                body: #"{"parameters": {"x": ""# + String(repeating: "a", count: 1_100_000) + #""}}"#
            )
            #expect(big.status == .contentTooLarge)

            let disabled = try await Self.call(
                client,
                .patch,
                path,
                key: fixture.acme.key,
                body: #"{"enabled": false}"#
            )
            #expect(disabled.object["enabled"] == false)
            #expect(disabled.object["next_run_at"] == .null)
        }
    }

    @Test("jobs list by status, retry a dead job, cancel a waiting one; runs list newest first with their fields")
    func jobsAndRuns() async throws {
        try await Self.withFixture { fixture, client in
            let store = fixture.store
            let lease = try #require(
                try await store.jobs.claim(owner: "w", limit: 1, lease: .seconds(60), now: Date()).first
            )
            _ = try await store.jobs.fail(
                lease,
                error: "the provider has no such entity type",
                retryAt: nil,
                now: Date()
            )

            let dead = try await Self.call(client, .get, "/api/v1/jobs?status=dead", key: fixture.acme.key)
            #expect(dead.object["data"]?.arrayValue?.compactMap { $0.objectValue?["id"] } == [.string(lease.id)])
            #expect(
                dead.object["data"]?.arrayValue?.first?.objectValue?["last_error"]
                    == "the provider has no such entity type"
            )
            let badStatus = try await Self.call(client, .get, "/api/v1/jobs?status=sleeping", key: fixture.acme.key)
            #expect(badStatus.status == .badRequest)
            #expect(badStatus.error["field"] == "status")

            let retried = try await Self.call(client, .post, "/api/v1/jobs/\(lease.id)/retry", key: fixture.acme.key)
            #expect(retried.status == .ok)
            #expect(retried.object["status"] == "pending")
            #expect(retried.object["attempts"] == 0)
            let twice = try await Self.call(client, .post, "/api/v1/jobs/\(lease.id)/retry", key: fixture.acme.key)
            #expect(twice.status == .conflict)
            let cancelled = try await Self.call(client, .post, "/api/v1/jobs/\(lease.id)/cancel", key: fixture.acme.key)
            #expect(cancelled.object["status"] == "cancelled")

            let runs = try await Self.call(
                client,
                .get,
                "/api/v1/connections/\(fixture.acme.connection.id)/runs",
                key: fixture.acme.key
            )
            let run = try #require(runs.object["data"]?.arrayValue?.first?.objectValue)
            for field in [
                "id", "entity_type", "direction", "trigger", "parameters", "job_id", "status", "started_at",
                "finished_at", "duration_ms", "pages", "requests", "records_seen", "records_created",
                "records_updated", "records_unchanged", "records_deleted", "records_failed", "warnings", "error",
            ] {
                #expect(run[field] != nil, "\(field)")
            }
            #expect(run["status"] == "running")
            let limit = try await Self.call(
                client,
                .get,
                "/api/v1/connections/\(fixture.acme.connection.id)/runs?limit=0",
                key: fixture.acme.key
            )
            #expect(limit.status == .badRequest)
        }
    }

    @Test("reset clears an entity type's cursor so the next run is a full sync")
    func reset() async throws {
        try await Self.withFixture { fixture, client in
            let store = fixture.store
            let acme = fixture.acme
            try await store.records.complete(
                tenantID: acme.id,
                connectionID: acme.connection.id,
                entityType: "tickets",
                cursor: "2026-11-30T10:00:00"
            )
            let answer = try await Self.call(
                client,
                .post,
                "/api/v1/connections/\(acme.connection.id)/syncs/tickets/reset",
                key: acme.key
            )
            #expect(answer.status == .ok)
            #expect(
                try await store.records.progress(
                    tenantID: acme.id,
                    connectionID: acme.connection.id,
                    entityType: "tickets"
                ).cursor == nil
            )
        }
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
