import Foundation
import NIOHTTP1
import SynclineApp
import SynclineCore
import SynclineTestSupport
import Testing

/// Mappings, models and records over the REST API of a real `serve` importing from the HaloPSA sandbox it
/// mounts: the default mapping, validation, preview that saves nothing, re-applying an edited mapping to stored
/// records and reading the changes from the feed, records by model with cursors, custom models, isolation.
@Suite("Mappings and records API")
struct MappingsAPITests {
    struct Fixture {
        let api: ServedAPI
        let tenant: (id: String, key: String)
        let connection: String
    }

    /// A tenant with an active HaloPSA sandbox connection whose clients were imported once.
    static func withImportedClients(_ body: @Sendable (Fixture) async throws -> Void) async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let id = try await api.makeHaloConnection(key: tenant.key)
            let fixture = Fixture(api: api, tenant: tenant, connection: id)
            try await runClients(fixture)
            try await body(fixture)
        }
    }

    static func runClients(_ fixture: Fixture) async throws {
        let run = try await fixture.api.call(
            .POST,
            "/api/v1/connections/\(fixture.connection)/syncs/clients/run",
            key: fixture.tenant.key
        )
        try #require(run.status == 202, "\(run.text)")
        let job = try #require(run.object["id"]?.stringValue)
        try await waitForJob(fixture, job)
    }

    static func waitForJob(_ fixture: Fixture, _ job: String) async throws {
        try await eventually("job \(job) succeeded", timeout: 60) {
            let answer = try await fixture.api.call(.GET, "/api/v1/jobs/\(job)", key: fixture.tenant.key)
            if answer.object["status"] == "dead" { Issue.record("job died: \(answer.text)") }
            return answer.object["status"] == "succeeded"
        }
    }

    static func path(_ fixture: Fixture, _ rest: String) -> String {
        "/api/v1/connections/\(fixture.connection)\(rest)"
    }

    @Test("imported clients are stored mapped by the default mapping and readable by model with cursors")
    func defaultMappingAndRecords() async throws {
        try await Self.withImportedClients { fixture in
            let mapping = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key
            )
            #expect(mapping.status == 200)
            #expect(mapping.headers["syncline-mapping-source"] == "default")
            #expect(mapping.object["model"] == "company")
            let runs = try await fixture.api.call(.GET, Self.path(fixture, "/runs"), key: fixture.tenant.key)
            #expect(runs.data.first?.objectValue?["records_failed"] == 0)

            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try await fixture.api.call(
                    .GET,
                    "/api/v1/records/company?limit=10\(query)",
                    key: fixture.tenant.key
                )
                #expect(page.status == 200, "\(page.text)")
                ids += page.data.compactMap { $0.objectValue?["external_id"]?.stringValue }
                #expect(page.data.allSatisfy { $0.objectValue?["data"]?.objectValue?["name"]?.stringValue != nil })
                #expect(page.data.allSatisfy { $0.objectValue?["raw"] == nil })
                cursor = page.object["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(ids.count == 25)
            #expect(Set(ids).count == 25)
            let withRaw = try await fixture.api.call(
                .GET,
                "/api/v1/records/company?limit=1&include=raw",
                key: fixture.tenant.key
            )
            #expect(withRaw.data.first?.objectValue?["raw"]?.objectValue?["id"] != nil)
            let unknown = try await fixture.api.call(.GET, "/api/v1/records/spaceship", key: fixture.tenant.key)
            #expect(unknown.status == 404)
        }
    }

    @Test("an edited mapping re-applied to stored records shows up in the change feed, without calling HaloPSA")
    func editReapplyFeed() async throws {
        try await Self.withImportedClients { fixture in
            let before = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/records/clients?changed_since=0&limit=1000"),
                key: fixture.tenant.key
            )
            #expect(before.data.count == 25)
            let last = try #require(before.data.last?.objectValue?["sequence"]?.numberValue)
            var document = try #require(
                try await fixture.api.call(.GET, Self.path(fixture, "/mappings/clients"), key: fixture.tenant.key)
                    .object
            )
            var rules = document["rules"]?.arrayValue ?? []
            let index = try #require(rules.firstIndex { $0.objectValue?["target"] == "name" })
            var rule = rules[index].objectValue ?? [:]
            rule["transforms"] = .array((rule["transforms"]?.arrayValue ?? []) + [.object(["name": "upper"])])
            rules[index] = .object(rule)
            document["rules"] = .array(rules)
            let saved = try await fixture.api.call(
                .PUT,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key,
                body: try JSONValue.object(document).jsonString()
            )
            #expect(saved.status == 200, "\(saved.text)")
            #expect(saved.headers["syncline-mapping-source"] == "tenant")
            let reapply = try await fixture.api.call(
                .POST,
                Self.path(fixture, "/mappings/clients/reapply"),
                key: fixture.tenant.key
            )
            #expect(reapply.status == 202, "\(reapply.text)")
            let job = try #require(reapply.object["id"]?.stringValue)
            try await Self.waitForJob(fixture, job)
            let finished = try await fixture.api.call(.GET, "/api/v1/jobs/\(job)", key: fixture.tenant.key)
            #expect(finished.object["progress"]?.objectValue?["processed"] == 25)
            #expect(finished.object["progress"]?.objectValue?["changed"] == 25)

            let feed = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/records/clients?changed_since=\(Int(last))"),
                key: fixture.tenant.key
            )
            #expect(feed.data.count == 25)
            #expect(feed.data.allSatisfy { $0.objectValue?["change"] == "updated" })
            let names = feed.data.compactMap { $0.objectValue?["data"]?.objectValue?["name"]?.stringValue }
            #expect(names.count == 25)
            #expect(names.allSatisfy { $0 == $0.uppercased() })
            let sequences = feed.data.compactMap { $0.objectValue?["sequence"]?.numberValue }
            // In order and after the earlier changes (the connection's other entity types share its sequence).
            #expect(sequences == sequences.sorted() && Set(sequences).count == 25 && (sequences.first ?? 0) > last)
        }
    }

    @Test("a preview maps 10 live samples with the draft and saves nothing")
    func preview() async throws {
        try await Self.withImportedClients { fixture in
            let current = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key
            )
            var draft = current.object
            draft["rules"] = .array(
                (draft["rules"]?.arrayValue ?? []).map { value in
                    guard var rule = value.objectValue, rule["target"] == "name" else { return value }
                    rule["transforms"] = .array([.object(["name": "lower"])])
                    return .object(rule)
                }
            )
            let feedBefore = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/records/clients?changed_since=0&limit=1000"),
                key: fixture.tenant.key
            )
            let preview = try await fixture.api.call(
                .POST,
                Self.path(fixture, "/mappings/clients/preview"),
                key: fixture.tenant.key,
                body: try JSONValue.object(draft).jsonString()
            )
            #expect(preview.status == 200, "\(preview.text)")
            #expect(preview.object["source"] == "live")
            let records = preview.object["records"]?.arrayValue ?? []
            #expect(records.count == 10)
            for record in records {
                let object = record.objectValue ?? [:]
                #expect(object["raw"]?.objectValue?["name"] != nil)
                // Named as an import would store it: HaloPSA's numeric `id` as text.
                let rawID = object["raw"]?.objectValue?["id"]?.numberValue.map { String(Int64($0)) }
                #expect(rawID != nil && object["external_id"]?.stringValue == rawID)
                let name = object["mapped"]?.objectValue?["name"]?.stringValue
                #expect(name != nil && name == name?.lowercased())
                #expect(object["failures"] == [])
            }
            let stored = try await fixture.api.call(
                .POST,
                Self.path(fixture, "/mappings/clients/preview?source=stored&limit=3"),
                key: fixture.tenant.key,
                body: try JSONValue.object(draft).jsonString()
            )
            #expect(stored.object["records"]?.arrayValue?.count == 3)
            for record in stored.object["records"]?.arrayValue ?? [] {
                let rawID = record.objectValue?["raw"]?.objectValue?["id"]?.numberValue.map { String(Int64($0)) }
                #expect(rawID != nil && record.objectValue?["external_id"]?.stringValue == rawID)
            }
            // Nothing was saved: the mapping is still the default, no record changed, no job was queued.
            let after = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key
            )
            #expect(after.headers["syncline-mapping-source"] == "default")
            #expect(after.text == current.text)
            let feedAfter = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/records/clients?changed_since=0&limit=1000"),
                key: fixture.tenant.key
            )
            #expect(feedAfter.text == feedBefore.text)
            let jobs = try await fixture.api.call(.GET, "/api/v1/jobs?kind=mapping.reapply", key: fixture.tenant.key)
            #expect(jobs.data.isEmpty)
        }
    }

    @Test(
        "saving validates: every problem names the rule and the field",
        arguments: [
            (#"{"model": "company", "rules": [{"source": "name", "target": "nope"}]}"#, "rules[0].target"),
            (#"{"model": "spaceship", "rules": []}"#, "model"),
            (
                #"{"model": "company", "rules": [{"source": "name", "target": "name", "transforms": [{"name": "no_such"}]}]}"#,
                "rules[0].transforms[0].name"
            ),
            (#"{"model": "company", "rules": [{"source": "[[", "target": "name"}]}"#, "rules[0].source"),
            (#"{"model": "company", "rules": "x"}"#, "rules"),
        ]
    )
    func validation(body: String, field: String) async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let id = try await api.makeHaloConnection(key: tenant.key)
            let answer = try await api.call(
                .PUT,
                "/api/v1/connections/\(id)/mappings/clients",
                key: tenant.key,
                body: body
            )
            #expect(answer.status == 400, "\(answer.text)")
            #expect(answer.error["code"] == "invalid_mapping")
            #expect(answer.error["field"]?.stringValue?.hasPrefix(field) == true, "\(answer.text)")
            let unknownEntity = try await api.call(
                .GET,
                "/api/v1/connections/\(id)/mappings/spaceships",
                key: tenant.key
            )
            #expect(unknownEntity.status == 404)
        }
    }

    @Test("a tenant's own model can be created, listed, mapped to, and not named like a built-in one")
    func customModels() async throws {
        try await Self.withImportedClients { fixture in
            let model =
                #"{"name": "customer", "fields": [{"name": "id", "type": "string", "required": true}, {"name": "label", "type": "string"}]}"#
            let created = try await fixture.api.call(.POST, "/api/v1/models", key: fixture.tenant.key, body: model)
            #expect(created.status == 201, "\(created.text)")
            let clash = try await fixture.api.call(
                .POST,
                "/api/v1/models",
                key: fixture.tenant.key,
                body: #"{"name": "company", "fields": [{"name": "id", "type": "string"}]}"#
            )
            #expect(clash.status == 400)
            #expect(clash.error["field"] == "name")
            let models = try await fixture.api.call(.GET, "/api/v1/models", key: fixture.tenant.key)
            let names = models.data.compactMap { $0.objectValue?["name"]?.stringValue }
            #expect(names.contains("customer") && names.contains("company") && names.contains("time_entry"))
            let mapping =
                #"{"model": "customer", "rules": [{"source": "id", "target": "id", "transforms": [{"name": "to_string"}], "required": true}, {"source": "name", "target": "label"}]}"#
            let saved = try await fixture.api.call(
                .PUT,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key,
                body: mapping
            )
            #expect(saved.status == 200, "\(saved.text)")
            let reapply = try await fixture.api.call(
                .POST,
                Self.path(fixture, "/mappings/clients/reapply"),
                key: fixture.tenant.key
            )
            try await Self.waitForJob(fixture, try #require(reapply.object["id"]?.stringValue))
            let customers = try await fixture.api.call(
                .GET,
                "/api/v1/records/customer?limit=100",
                key: fixture.tenant.key
            )
            #expect(customers.data.count == 25)
            #expect(customers.data.first?.objectValue?["data"]?.objectValue?["label"]?.stringValue != nil)
            let companies = try await fixture.api.call(.GET, "/api/v1/records/company", key: fixture.tenant.key)
            #expect(companies.data.isEmpty)

            // A mapping that fails on every record (a required rule reads a field no client has) leaves them raw only:
            // they are no longer records of the model.
            let failing =
                #"{"model": "customer", "rules": [{"source": "id", "target": "id", "transforms": [{"name": "to_string"}], "required": true}, {"source": "no_such_field", "target": "label", "required": true}]}"#
            let saved2 = try await fixture.api.call(
                .PUT,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key,
                body: failing
            )
            #expect(saved2.status == 200, "\(saved2.text)")
            let again = try await fixture.api.call(
                .POST,
                Self.path(fixture, "/mappings/clients/reapply"),
                key: fixture.tenant.key
            )
            let job = try #require(again.object["id"]?.stringValue)
            try await Self.waitForJob(fixture, job)
            let progress = try await fixture.api.call(.GET, "/api/v1/jobs/\(job)", key: fixture.tenant.key)
            #expect(progress.object["progress"]?.objectValue?["failed"] == 25)
            let none = try await fixture.api.call(.GET, "/api/v1/records/customer", key: fixture.tenant.key)
            #expect(none.data.isEmpty, "\(none.text)")
        }
    }

    @Test("another tenant's connection, mappings and records are 404 and unchanged")
    func isolation() async throws {
        try await Self.withImportedClients { fixture in
            let other = try await fixture.api.makeTenant("Globex")
            let draft =
                #"{"model": "company", "rules": [{"source": "id", "target": "id", "transforms": [{"name": "to_string"}], "required": true}, {"source": "name", "target": "name", "required": true}]}"#
            let routes: [(HTTPMethod, String, String?)] = [
                (.GET, Self.path(fixture, "/mappings/clients"), nil),
                (.PUT, Self.path(fixture, "/mappings/clients"), draft),
                (.DELETE, Self.path(fixture, "/mappings/clients"), nil),
                (.POST, Self.path(fixture, "/mappings/clients/preview"), draft),
                (.POST, Self.path(fixture, "/mappings/clients/reapply"), nil),
                (.GET, Self.path(fixture, "/records/clients"), nil),
            ]
            for (method, path, body) in routes {
                let answer = try await fixture.api.call(method, path, key: other.key, body: body)
                #expect(answer.status == 404, "\(method) \(path): \(answer.text)")
            }
            let theirs = try await fixture.api.call(.GET, "/api/v1/records/company", key: other.key)
            #expect(theirs.data.isEmpty)
            let mine = try await fixture.api.call(
                .GET,
                Self.path(fixture, "/mappings/clients"),
                key: fixture.tenant.key
            )
            #expect(mine.headers["syncline-mapping-source"] == "default")
        }
    }
}
