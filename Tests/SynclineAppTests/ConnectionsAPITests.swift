import Foundation
import NIOHTTP1
import SynclineApp
import SynclineCore
import SynclineTestSupport
import Testing

/// Connections over the REST API of a real `serve`, against the HaloPSA sandbox it mounts: create with a
/// connection test, validation that names the field, credential changes re-tested, disconnect, delete with
/// confirmation, the activity trail, tenant isolation on every route, and no secret in any answer or log.
@Suite("Connections API")
struct ConnectionsAPITests {
    /// Long enough that its masked hint shows four characters.
    static let secret = "sandbox-secret-value-for-tests-1a2b"

    static func withAPI(_ body: @Sendable (ServedAPI) async throws -> Void) async throws {
        try await ServedAPI.with(configure: { $0.sandboxClientSecret = secret }, body)
    }

    static func halo(_ api: ServedAPI, name: String = "Main", secret: String = secret) throws -> String {
        try ServedAPI.json([
            "provider": "halopsa", "name": .string(name), "config": ["url": .string(api.sandboxHaloURL)],
            "credentials": ["client_id": "demo", "client_secret": .string(secret)],
        ])
    }

    static func create(_ api: ServedAPI, _ key: String, name: String = "Main") async throws -> String {
        try await api.makeHaloConnection(key: key, name: name, secret: secret)
    }

    @Test("creating with credentials that pass the test makes an active connection; secrets show only masked")
    func createActive() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let answer = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: try Self.halo(api))
            #expect(answer.status == 201, "\(answer.text)")
            #expect(answer.object["status"] == "active")
            #expect(answer.object["setup_step"] == "completed")
            #expect(answer.object["config"]?.objectValue?["scope"] == "all")
            let credentials = answer.object["credentials"]?.objectValue ?? [:]
            #expect(credentials["set"] == ["client_id", "client_secret"])
            #expect(credentials["hints"]?.objectValue?["client_secret"] == "••••1a2b")
            #expect(!answer.text.contains(Self.secret))
            let list = try await api.call(.GET, "/api/v1/connections", key: tenant.key)
            #expect(list.data.count == 1)
            #expect(!list.text.contains(Self.secret))
        }
    }

    @Test("credentials that fail the test are a 422 with the provider's words, and nothing is saved")
    func createFailing() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let answer = try await api.call(
                .POST,
                "/api/v1/connections",
                key: tenant.key,
                body: try Self.halo(api, secret: "not-the-secret")
            )
            #expect(answer.status == 422)
            #expect(answer.error["code"] == "connection_test_failed")
            #expect(answer.error["field"] == "credentials")
            let list = try await api.call(.GET, "/api/v1/connections", key: tenant.key)
            #expect(list.data.isEmpty)
        }
    }

    @Test(
        "bad input is a 4xx JSON error naming the field, never a 5xx",
        arguments: [
            (#"{"name": "x"}"#, 400, "provider"),
            (#"{"provider": "nope", "name": "x"}"#, 400, "provider"),
            (#"{"provider": 7, "name": "x"}"#, 400, "provider"),
            (#"{"provider": "halopsa", "name": 12, "config": {"url": "https://h.example.com"}}"#, 400, "name"),
            (#"{"provider": "halopsa", "name": "x"}"#, 400, "config.url"),
            (#"{"provider": "halopsa", "name": "x", "config": {"url": "not a url"}}"#, 400, "config.url"),
            (
                #"{"provider": "halopsa", "name": "x", "config": {"url": "https://h.example.com", "bogus": 1}}"#, 400,
                "config.bogus"
            ),
            (
                #"{"provider": "halopsa", "name": "x", "config": {"url": "https://h.example.com"}, "credentials": {"client_id": "a"}}"#,
                400, "credentials.client_secret"
            ),
            (
                #"{"provider": "halopsa", "name": "x", "config": {"url": "https://h.example.com"}, "credentials": "s"}"#,
                400, "credentials"
            ),
            (#"{"provider": "halopsa", "name": "x", "colour": "red"}"#, 400, "colour"),
            (
                #"{"provider": "halopsa", "name": "x", "config": {"url": "https://h.example.com"}, "activate": "yes"}"#,
                400, "activate"
            ),
        ]
    )
    func badInput(body: String, status: Int, field: String) async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let answer = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: body)
            #expect(answer.status == status, "\(answer.text)")
            #expect(answer.error["field"] == .string(field), "\(answer.text)")
            #expect(answer.error["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("invalid JSON, a non-object body and an oversized body are 400, 400 and 413")
    func malformedBodies() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let invalid = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: "{nope")
            #expect(invalid.status == 400)
            #expect(invalid.error["code"] == "invalid_json")
            let array = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: "[1]")
            #expect(array.status == 400)
            let huge = try await api.call(
                .POST,
                "/api/v1/connections",
                key: tenant.key,
                body: #"{"name": ""# + String(repeating: "x", count: 1_100_000) + #""}"#
            )
            #expect(huge.status == 413)
            #expect(huge.error["code"] == "body_too_large")
        }
    }

    @Test("a second connection with the same provider and name is a 409")
    func duplicate() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            _ = try await Self.create(api, tenant.key)
            let again = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: try Self.halo(api))
            #expect(again.status == 409)
            #expect(again.error["field"] == "name")
        }
    }

    @Test("changing credentials re-tests them: a failing change is refused and the stored ones keep working")
    func credentialsChange() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let id = try await Self.create(api, tenant.key)
            let wrong = try await api.call(
                .PUT,
                "/api/v1/connections/\(id)/credentials",
                key: tenant.key,
                body: #"{"credentials": {"client_secret": "wrong-secret"}}"#
            )
            #expect(wrong.status == 422)
            let test = try await api.call(.POST, "/api/v1/connections/\(id)/test", key: tenant.key)
            #expect(test.status == 200)
            #expect(test.object["ok"] == .bool(true), "\(test.text)")
            let submitted = try await api.call(
                .POST,
                "/api/v1/connections/\(id)/test",
                key: tenant.key,
                body: #"{"credentials": {"client_secret": "wrong-secret"}}"#
            )
            #expect(submitted.object["ok"] == .bool(false))
            #expect(submitted.object["error"]?.objectValue?["code"] == "unauthorized")
            let right = try await api.call(
                .PUT,
                "/api/v1/connections/\(id)/credentials",
                key: tenant.key,
                body: try ServedAPI.json(["credentials": ["client_secret": .string(Self.secret)]])
            )
            #expect(right.status == 200, "\(right.text)")
            let activity = try await api.call(.GET, "/api/v1/connections/\(id)/activity", key: tenant.key)
            let actions = activity.data.compactMap { $0.objectValue?["action"]?.stringValue }
            #expect(actions.contains("connection.created"))
            #expect(actions.contains("credentials.set"))
            #expect(actions.contains("connection.tested"))
            #expect(actions.contains("credentials.updated"))
            #expect(activity.data.allSatisfy { $0.objectValue?["actor"]?.stringValue?.hasPrefix("key:sk_") == true })
            #expect(!activity.text.contains(Self.secret) && !activity.text.contains("wrong-secret"))
        }
    }

    @Test("setup steps move forward one at a time; completing the wizard activates the connection")
    func setupSteps() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            var body = try #require(try JSONValue.parse(try Self.halo(api)).objectValue)
            body["activate"] = .bool(false)
            let created = try await api.call(
                .POST,
                "/api/v1/connections",
                key: tenant.key,
                body: try JSONValue.object(body).jsonString()
            )
            #expect(created.object["status"] == "setup_incomplete")
            #expect(created.object["setup_step"] == "mapping")
            let id = try #require(created.object["id"]?.stringValue)
            let skip = try await api.call(
                .PATCH,
                "/api/v1/connections/\(id)",
                key: tenant.key,
                body: #"{"setup_step": "completed"}"#
            )
            #expect(skip.status == 409)
            #expect(skip.error["field"] == "setup_step")
            let next = try await api.call(
                .PATCH,
                "/api/v1/connections/\(id)",
                key: tenant.key,
                body: #"{"setup_step": "sync_config"}"#
            )
            #expect(next.object["setup_step"] == "sync_config")
            let done = try await api.call(
                .PATCH,
                "/api/v1/connections/\(id)",
                key: tenant.key,
                body: #"{"setup_step": "completed"}"#
            )
            #expect(done.object["status"] == "active", "\(done.text)")
        }
    }

    @Test("expiring_within lists connections whose credentials expire inside the window, soonest first")
    func expiring() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let soon = try await Self.create(api, tenant.key, name: "Soon")
            _ = try await Self.create(api, tenant.key, name: "Never")
            let inThreeDays = Date().addingTimeInterval(3 * 86_400).formatted(.iso8601)
            let patched = try await api.call(
                .PATCH,
                "/api/v1/connections/\(soon)",
                key: tenant.key,
                body: #"{"credential_expires_at": "\#(inThreeDays)"}"#
            )
            #expect(patched.status == 200, "\(patched.text)")
            let week = try await api.call(.GET, "/api/v1/connections?expiring_within=7d", key: tenant.key)
            #expect(week.data.compactMap { $0.objectValue?["id"]?.stringValue } == [soon])
            let day = try await api.call(.GET, "/api/v1/connections?expiring_within=1d", key: tenant.key)
            #expect(day.data.isEmpty)
            let bad = try await api.call(.GET, "/api/v1/connections?expiring_within=soon", key: tenant.key)
            #expect(bad.status == 400)
            #expect(bad.error["field"] == "expiring_within")
        }
    }

    @Test("delete needs the name as confirmation; disconnect forgets the credentials")
    func deleteAndDisconnect() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            let first = try await Self.create(api, tenant.key, name: "First")
            let second = try await Self.create(api, tenant.key, name: "Second")
            let unconfirmed = try await api.call(.DELETE, "/api/v1/connections/\(first)", key: tenant.key)
            #expect(unconfirmed.status == 409)
            #expect(unconfirmed.error["code"] == "confirmation_required")
            #expect(try await api.call(.GET, "/api/v1/connections/\(first)", key: tenant.key).status == 200)
            let confirmed = try await api.call(.DELETE, "/api/v1/connections/\(first)?confirm=First", key: tenant.key)
            #expect(confirmed.status == 200)
            #expect(try await api.call(.GET, "/api/v1/connections/\(first)", key: tenant.key).status == 404)
            let disconnected = try await api.call(.POST, "/api/v1/connections/\(second)/disconnect", key: tenant.key)
            #expect(disconnected.object["status"] == "disconnected")
            #expect(disconnected.object["credentials"]?.objectValue?["set"] == [])
            let stored = try await api.storedCredentials(tenantID: tenant.id, connectionID: second)
            #expect(stored == nil)
        }
    }

    @Test("every route with another tenant's ids is a 404 and changes nothing")
    func isolation() async throws {
        try await Self.withAPI { api in
            let acme = try await api.makeTenant("Acme")
            let globex = try await api.makeTenant("Globex")
            let acmeConnection = try await Self.create(api, acme.key)
            _ = try await Self.create(api, globex.key)
            let run = try await api.call(
                .POST,
                "/api/v1/connections/\(acmeConnection)/syncs/clients/run",
                key: acme.key
            )
            #expect(run.status == 202, "\(run.text)")
            let job = try #require(run.object["id"]?.stringValue)
            let before = try await api.call(.GET, "/api/v1/connections/\(acmeConnection)", key: acme.key)
            let c = "/api/v1/connections/\(acmeConnection)"
            let routes: [(HTTPMethod, String, String?)] = [
                (.GET, c, nil),
                (.PATCH, c, #"{"name": "Stolen"}"#),
                (.DELETE, c + "?confirm=Main", nil),
                (.PUT, c + "/credentials", #"{"credentials": {"client_secret": "x"}}"#),
                (.POST, c + "/test", nil),
                (.POST, c + "/disconnect", nil),
                (.GET, c + "/activity", nil),
                (.GET, c + "/oauth/authorize", nil),
                (.GET, c + "/syncs", nil),
                (.PATCH, c + "/syncs/clients", #"{"enabled": false}"#),
                (.POST, c + "/syncs/clients/run", nil),
                (.POST, c + "/syncs/clients/reset", nil),
                (.POST, c + "/pause", nil),
                (.POST, c + "/resume", nil),
                (.GET, c + "/runs", nil),
                (.GET, "/api/v1/jobs/\(job)", nil),
                (.POST, "/api/v1/jobs/\(job)/retry", nil),
                (.POST, "/api/v1/jobs/\(job)/cancel", nil),
            ]
            for (method, path, body) in routes {
                let answer = try await api.call(method, path, key: globex.key, body: body)
                #expect(answer.status == 404, "\(method) \(path): \(answer.status) \(answer.text)")
                #expect(answer.error["code"] == "not_found", "\(method) \(path)")
            }
            let globexList = try await api.call(.GET, "/api/v1/connections", key: globex.key)
            #expect(!globexList.text.contains(acmeConnection))
            let after = try await api.call(.GET, "/api/v1/connections/\(acmeConnection)", key: acme.key)
            #expect(after.object["name"] == before.object["name"])
            #expect(after.object["status"] == before.object["status"])
            #expect(after.object["credentials"] == before.object["credentials"])
            #expect(try await api.call(.GET, "/api/v1/jobs/\(job)", key: acme.key).status == 200)
        }
    }

    @Test("no answer and no log line of a full connection flow contains a stored secret or API key")
    func secretScan() async throws {
        try await Self.withAPI { api in
            let tenant = try await api.makeTenant("Acme")
            var texts: [String] = []
            let created = try await api.call(.POST, "/api/v1/connections", key: tenant.key, body: try Self.halo(api))
            texts.append(created.text)
            let id = try #require(created.object["id"]?.stringValue)
            for (method, path, body) in [
                (HTTPMethod.GET, "/api/v1/connections", nil), (.GET, "/api/v1/connections/\(id)", nil),
                (.POST, "/api/v1/connections/\(id)/test", nil),
                (
                    .PUT, "/api/v1/connections/\(id)/credentials",
                    try ServedAPI.json(["credentials": ["client_secret": .string(Self.secret)]])
                ),
                (.POST, "/api/v1/connections/\(id)/syncs/clients/run", nil),
                (.GET, "/api/v1/connections/\(id)/activity", nil), (.GET, "/api/v1/connections/\(id)/runs", nil),
                (.POST, "/api/v1/connections/\(id)/disconnect", nil),
                (.GET, "/api/v1/connections/\(id)/activity", nil),
            ] as [(HTTPMethod, String, String?)] {
                texts.append(try await api.call(method, path, key: tenant.key, body: body).text)
            }
            texts.append(api.logs.text)
            #expect(api.logs.text.contains("Provider request"), "debug logs were captured")
            for text in texts {
                #expect(!text.contains(Self.secret))
                #expect(!text.contains(tenant.key))
                #expect(!text.contains(api.operatorKey))
            }
            // Nor does the database: every file in the data directory (SQLite file, WAL, key file) byte for byte.
            let directory = URL(fileURLWithPath: api.configuration.dataDirectory)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.contains("syncline.sqlite"))
            for file in files {
                let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
                #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "\(file) holds the secret in plain text")
                #expect(bytes.range(of: Data(tenant.key.utf8)) == nil, "\(file) holds an API key in plain text")
            }
        }
    }
}
