import Foundation
import SynclineCore
import SynclineEngine
import SynclineStore
import Testing

@Suite("Import runner")
struct ImportRunnerTests {
    func job(_ connection: Connection, entity: String = "clients", parameters: [String: String] = [:]) -> ImportJob {
        ImportJob(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: entity,
            trigger: .manual,
            parameters: parameters
        )
    }

    @Test(
        "imports every page, counts what changed, and a second run with no changes writes nothing",
        arguments: EngineBackend.available
    )
    func importAndReimport(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let runner = ImportRunner(store: store)
            let source = ScriptedSource(pages: clientPages(1...25, size: 10))

            let first = try await runner.run(job(connection), from: source)
            #expect(first.status == .succeeded)
            #expect(first.pages == 3)
            #expect(first.requests == 3)
            #expect(first.counts == RecordCounts(seen: 25, created: 25))
            #expect(
                try await store.records.count(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                ) == 25
            )

            let second = try await runner.run(job(connection), from: source)
            #expect(second.counts == RecordCounts(seen: 25, unchanged: 25))
            let feed = try await store.records.changes(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                after: 0,
                limit: 100
            )
            #expect(feed.count == 25)
            #expect(feed.map(\.sequence) == Array(1...25))

            source.replacePages(
                clientPages(1...25, size: 10).enumerated().map { index, page in
                    index == 1 ? clientPages(11...20, size: 10, name: "Renamed")[0] : page
                }
            )
            let third = try await runner.run(job(connection), from: source)
            #expect(third.counts == RecordCounts(seen: 25, updated: 10, unchanged: 15))
            let changed = try await store.records.changes(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                after: 25,
                limit: 100
            )
            #expect(changed.map(\.externalID) == (11...20).map(String.init))
            #expect(changed.allSatisfy { $0.kind == .updated })

            let runs = try await store.runs.list(tenantID: connection.tenantID, connectionID: connection.id, limit: 10)
            #expect(runs.map(\.id) == [third.id, second.id, first.id])
            #expect(runs.first?.counts == third.counts)
            #expect(runs.first?.status == .succeeded)
            #expect(runs.first?.finishedAt != nil)
        }
    }

    @Test(
        "a full sync marks records the provider no longer lists as deleted, visible in the feed",
        arguments: EngineBackend.available
    )
    func fullSyncDeletes(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let runner = ImportRunner(store: store)
            let source = ScriptedSource(pages: clientPages(1...10, size: 4))
            try await runner.run(job(connection), from: source)

            source.replacePages(clientPages(1...7, size: 4))
            let run = try await runner.run(job(connection), from: source)
            #expect(run.counts.deleted == 3)
            #expect(run.counts.unchanged == 7)
            #expect(
                try await store.records.count(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                ) == 7
            )
            let feed = try await store.records.changes(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                after: 10,
                limit: 100
            )
            #expect(feed.map(\.externalID) == ["8", "9", "10"])
            #expect(feed.allSatisfy { $0.kind == .deleted })

            // A listing with parameters (a date range) is partial: it never deletes what it did not ask for.
            source.replacePages(clientPages(1...2, size: 4))
            let partial = try await runner.run(job(connection, parameters: ["start_date": "2026-01-01"]), from: source)
            #expect(partial.counts.deleted == 0)
            #expect(
                try await store.records.count(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                ) == 7
            )
        }
    }

    @Test(
        "a run cut off mid-listing resumes from its checkpoint, and deletion still sees the whole listing",
        arguments: EngineBackend.available
    )
    func resumesFromCheckpoint(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let runner = ImportRunner(store: store)
            // Yesterday's data had 1...40; today 1...30 in pages of 10, and the provider fails after page 2.
            try await runner.run(job(connection), from: ScriptedSource(pages: clientPages(1...40, size: 10)))
            let source = ScriptedSource(pages: clientPages(1...30, size: 10, name: "Today"), failAfterPage: 2)

            let failure = await #expect(throws: ImportFailure.self) {
                try await runner.run(job(connection), from: source)
            }
            #expect(failure?.run.status == .failed)
            #expect(failure?.run.pages == 2)
            #expect(failure?.run.errorClass == "retryable")
            #expect(failure?.run.error == "the provider answered 503")
            let saved = try await store.records.progress(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: "clients"
            )
            #expect(saved.checkpoint == "page-2")

            let resumed = try await runner.run(job(connection), from: source)
            #expect(resumed.resumed)
            #expect(source.listings.map(\.resume) == [nil, "page-2"])
            #expect(resumed.pages == 1)
            #expect(resumed.counts.updated == 10)
            // 31...40 were not seen by the listing (its first part ran in the failed attempt), 1...20 were.
            #expect(resumed.counts.deleted == 10)
            #expect(
                try await store.records.count(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                ) == 30
            )
            let after = try await store.records.progress(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: "clients"
            )
            #expect(after.checkpoint == nil)
        }
    }

    @Test(
        "an incremental entity type advances its cursor and asks only for what changed since",
        arguments: EngineBackend.available
    )
    func incrementalCursor(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let runner = ImportRunner(store: store)
            let source = ScriptedSource(
                pages: [
                    clientPages(1...3, size: 3, updated: "2026-03-01T10:00:00")[0],
                    clientPages(4...5, size: 3, updated: "2026-03-02T08:00:00")[0],
                ],
                cursorField: "last_update"
            )
            try await runner.run(job(connection, entity: "tickets"), from: source)
            let progress = try await store.records.progress(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: "tickets"
            )
            #expect(progress.cursor == "2026-03-02T08:00:00")

            source.replacePages([])
            let second = try await runner.run(job(connection, entity: "tickets"), from: source)
            #expect(source.listings.last?.since == "2026-03-02T08:00:00")
            #expect(second.counts == RecordCounts())
            // An incremental run sees only changes: it must not mark the rest deleted.
            #expect(
                try await store.records.count(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "tickets"
                ) == 5
            )

            try await store.records.reset(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: "tickets"
            )
            try await runner.run(job(connection, entity: "tickets"), from: source)
            #expect(source.listings.last?.since == nil)
        }
    }

    /// Imports `pages` once into a fresh store of `backend`: the run, and the failed records it kept.
    private func importOnce(_ backend: EngineBackend, _ pages: [[JSONValue]]) async throws -> (
        run: SyncRun, failures: [RecordFailure]
    ) {
        try await backend.withStore { store, connection in
            let run = try await ImportRunner(store: store).run(job(connection), from: ScriptedSource(pages: pages))
            return (run, try await store.runs.failures(tenantID: connection.tenantID, runID: run.id))
        }
    }

    @Test("a record without an id is skipped and reported; the run still succeeds", arguments: EngineBackend.available)
    func badRecordSkipped(_ backend: EngineBackend) async throws {
        var page = clientPages(1...3, size: 5)[0]
        page.insert(.object(["name": .string("no id")]), at: 1)
        let (run, failures) = try await importOnce(backend, [page])
        #expect(run.status == .succeeded)
        #expect(run.counts.created == 3)
        #expect(run.counts.failed == 1)
        #expect(failures == [RecordFailure(externalID: "page 1", error: "a record has no 'id'")])
    }

    @Test(
        "a record holding a value JSON cannot store is skipped and reported, not the page",
        arguments: EngineBackend.available
    )
    func unstorableRecordSkipped(_ backend: EngineBackend) async throws {
        var page = clientPages(1...3, size: 5)[0]
        page.append(.object(["id": .number(99), "score": .number(.infinity)]))
        let (run, failures) = try await importOnce(backend, [page])
        #expect(run.status == .succeeded)
        #expect(run.counts.created == 3)
        #expect(run.counts.failed == 1)
        #expect(failures.map(\.externalID) == ["99"])
        #expect(failures.first?.error.contains("cannot be stored as JSON") == true)
    }

    @Test("failures of every page count, and the run keeps the first 100", arguments: EngineBackend.available)
    func failuresCapped(_ backend: EngineBackend) async throws {
        let pages = clientPages(1...4, size: 2).map { page in
            page + (0..<60).map { _ in JSONValue.object(["name": .string("no id")]) }
        }
        let (run, failures) = try await importOnce(backend, pages)
        #expect(run.status == .succeeded)
        #expect(run.counts.created == 4)
        #expect(run.counts.failed == 120)
        #expect(failures.count == 100)
        #expect(failures.prefix(60).allSatisfy { $0.externalID == "page 1" })
        #expect(failures.dropFirst(60).allSatisfy { $0.externalID == "page 2" })
    }
}
