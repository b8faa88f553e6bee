import Foundation
import Logging
import SynclineCore
import SynclineProviders
import SynclineSandbox
import SynclineTestSupport
import Testing

/// The provider runtime against the emulated HaloPSA over real loopback HTTP: the bundled `halopsa.yaml`,
/// the real HTTP client, and an emulator that shares no code with either.
@Suite("HaloPSA end to end")
struct HaloPSAEndToEndTests {
    @Test("reads every entity type completely: each id exactly once, 10,000 clients in pages of 1000")
    func readsEverything() async throws {
        let counts = HaloPSARecordCounts(
            clients: 10_000,
            sites: 300,
            users: 700,
            assets: 400,
            agents: 9,
            tickets: 120,
            actions: 500,
            timesheets: 90
        )
        let run = HaloRun(counts: counts)
        try await run.withSession { session, sandbox in
            for entity in HaloPSAEntity.allCases {
                let read = try await Self.readAll(session, entity.rawValue)
                let expected = counts[entity]
                #expect(read.ids.count == expected, "\(entity.rawValue): read \(read.ids.count) of \(expected)")
                #expect(Set(read.ids).count == read.ids.count, "\(entity.rawValue): an id came twice")
                #expect(Set(read.ids) == Set(1...expected), "\(entity.rawValue): ids are not 1...\(expected)")
            }
            let clientPages = sandbox.emulator.requests.all.filter { $0.path.hasSuffix("/api/Client") }
            #expect(clientPages.count == 10)
            #expect(clientPages.allSatisfy { $0.queryValue("page_size") == "1000" })
            #expect(clientPages.map { $0.queryValue("page_no") } == (1...10).map { String($0) })
            let actionLists = sandbox.emulator.requests.all.filter { $0.path.hasSuffix("/api/Actions") }
            #expect(Set(actionLists.compactMap { $0.queryValue("ticket_id") }).count == counts.tickets)
            #expect(await session.stats.tokenRequests == 1)
        }
    }

    @Test("a timesheet period sends the date range and gets only that period's days")
    func timesheetPeriod() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(agents: 3, timesheets: 90))
        try await run.withSession { session, sandbox in
            let all = try await Self.readAll(session, "timesheets")
            let dates = all.records.compactMap { $0.objectValue?["date"]?.stringValue }.sorted()
            let from = try #require(dates.dropFirst(30).first).prefix(10)
            let to = try #require(dates.dropFirst(50).first).prefix(10)
            let period = try await Self.readAll(
                session,
                "timesheets",
                params: ["start_date": String(from), "end_date": String(to)]
            )
            #expect(!period.ids.isEmpty && period.ids.count < all.ids.count)
            for record in period.records {
                let date = try #require(record.objectValue?["date"]?.stringValue).prefix(10)
                #expect(date >= from && date <= to)
            }
            let last = try #require(sandbox.emulator.requests.all.last)
            #expect(last.queryValue("start_date") == String(from))
            #expect(last.queryValue("end_date") == String(to))
        }
    }

    @Test("an incremental read of tickets sends startdate with datesearch=last_update and gets the changed ones")
    func incrementalTickets() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(tickets: 300, actions: 0))
        try await run.withSession { session, sandbox in
            let since = "2030-01-01T00:00:00Z"
            let none = try await Self.readAll(session, "tickets", since: since)
            #expect(none.ids.isEmpty)
            sandbox.emulator.touch(.tickets, ids: [7, 42, 99], at: Date(timeIntervalSince1970: 1_900_000_000))
            let changed = try await Self.readAll(session, "tickets", since: since)
            #expect(changed.ids.sorted() == [7, 42, 99])
            let last = try #require(sandbox.emulator.requests.all.last)
            #expect(last.queryValue("startdate") == since)
            #expect(last.queryValue("datesearch") == "last_update")
        }
    }

    @Test(
        "a listing cut short resumes from its saved checkpoint at the next page, every id exactly once",
        arguments: ["clients", "actions"]
    )
    func resumes(entity: String) async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 4500, tickets: 40, actions: 200))
        try await run.withSession { session, sandbox in
            var ids: [Int] = []
            var saved: String?
            var pages = 0
            for try await page in try session.pages(of: entity) {
                ids += page.records.compactMap { record in
                    if case .number(let id)? = record.objectValue?["id"] { return Int(id) }
                    return nil
                }
                saved = try page.checkpoint.encoded()
                pages += 1
                if pages == 3 { break }
            }
            sandbox.emulator.requests.removeAll()
            let checkpoint = try ListingCheckpoint(encoded: try #require(saved))
            for try await page in try session.pages(of: entity, resumingFrom: checkpoint) {
                ids += page.records.compactMap { record in
                    if case .number(let id)? = record.objectValue?["id"] { return Int(id) }
                    return nil
                }
            }
            let expected = entity == "clients" ? 4500 : 200
            #expect(ids.count == expected && Set(ids) == Set(1...expected))
            if entity == "clients" {
                #expect(sandbox.emulator.requests.all.first?.queryValue("page_no") == "4")
            }
        }
    }

    @Test("a damaged checkpoint is a clear error, not a silent restart")
    func damagedCheckpoint() {
        #expect(throws: ProviderError.self) { try ListingCheckpoint(encoded: "{\"next\": 3") }
    }

    // MARK: faults

    @Test("rate limited: waits as told, sends nothing while told to wait, then completes")
    func rateLimited() async throws {
        let scenario = SandboxScenario(rateLimit: .init(requests: 3, windowSeconds: 60, sendsRetryAfter: true))
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 5000), scenario: scenario)
        try await run.withSession { session, sandbox in
            let read = try await Self.readAll(session, "clients")
            #expect(read.ids.count == 5000 && Set(read.ids).count == 5000)
            let stats = await session.stats
            #expect(stats.rateLimitWaits >= 1)
            #expect(stats.timeWaitedOnRateLimits >= .seconds(1))

            // The emulator's window opened with the first request, so each 429 said "wait 60 s". The request after
            // it must come no sooner, and be served (one sent early would have been refused again).
            #expect(run.clock.sleeps.contains(.seconds(60)))
            let log = sandbox.emulator.requests.all.filter { $0.path.contains("/api/") }
            let refusals = log.indices.filter { log[$0].status == 429 }
            #expect(refusals.count == 1)
            for index in refusals {
                let next = try #require(log.dropFirst(index + 1).first, "nothing was sent after the 429")
                #expect(next.time.timeIntervalSince(log[index].time) >= 60)
                #expect(next.status == 200)
            }
        }
    }

    @Test("a burst of 5xx is retried with backoff and the read completes")
    func serverErrorBurst() async throws {
        let scenario = SandboxScenario(failures: [.init(requests: 2...4, status: 500)])
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 3000), scenario: scenario)
        try await run.withSession { session, sandbox in
            let read = try await Self.readAll(session, "clients")
            #expect(read.ids.count == 3000 && Set(read.ids).count == 3000)
            #expect(await session.stats.retries == 3)
            let backoffs = run.clock.sleeps.filter { $0 >= .milliseconds(500) }
            #expect(backoffs.count >= 3)
            #expect(sandbox.emulator.requests.all.filter { $0.status == 500 }.count == 3)
        }
    }

    @Test("a 503 burst with Retry-After waits as told and completes")
    func serviceUnavailableBurst() async throws {
        let scenario = SandboxScenario(failures: [.init(requests: 1...2, status: 503, retryAfterSeconds: 7)])
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 1500), scenario: scenario)
        try await run.withSession { session, _ in
            let read = try await Self.readAll(session, "clients")
            #expect(read.ids.count == 1500)
            #expect(run.clock.sleeps.filter { $0 == .seconds(7) }.count == 2)
        }
    }

    @Test(
        "invalid JSON is a clear error naming the page",
        arguments: [SandboxScenario.MalformedPage.Kind.invalidJSON, .truncated]
    )
    func invalidJSON(kind: SandboxScenario.MalformedPage.Kind) async throws {
        let scenario = SandboxScenario(malformedPages: [.init(entity: "clients", page: 3, kind: kind)])
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 5000), scenario: scenario)
        try await run.withSession { session, _ in
            var pagesBefore = 0
            let error = await #expect(throws: ProviderError.self) {
                for try await _ in try session.pages(of: "clients") { pagesBefore += 1 }
            }
            #expect(pagesBefore == 2)
            #expect(error?.code == .badResponse)
            #expect(error?.message.contains("page 3 of clients") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("not valid JSON") == true)
        }
    }

    @Test("later sessions (jobs) of a connection reuse its client-credentials token until shortly before expiry")
    func tokenReusedAcrossSessions() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 10))
        try await run.withClient { client, connection, sandbox in
            try await client.session(for: connection).testConnection()
            try await client.session(for: connection).testConnection()
            #expect(sandbox.emulator.issuedTokenCount == 1)
            // Past the renewal margin (the emulator's tokens live an hour), the next session fetches a new one.
            run.clock.advance(by: .seconds(3600 - 30))
            try await client.session(for: connection).testConnection()
            #expect(sandbox.emulator.issuedTokenCount == 2)
        }
    }

    @Test("a token that expires mid-sync is refreshed once and the read completes")
    func expiredToken() async throws {
        let scenario = SandboxScenario(expireTokensAfterRequests: 3)
        let run = HaloRun(counts: HaloPSARecordCounts(clients: 5000), scenario: scenario)
        try await run.withSession { session, sandbox in
            let read = try await Self.readAll(session, "clients")
            #expect(read.ids.count == 5000 && Set(read.ids).count == 5000)
            #expect(await session.stats.tokenRequests == 2)
            #expect(sandbox.emulator.issuedTokenCount == 2)
            #expect(sandbox.emulator.requests.all.filter { $0.status == 401 }.count == 1)
        }
    }

    // MARK: connection test

    @Test("the connection test passes with the right credentials")
    func connectionTestPasses() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts())
        try await run.withSession { session, sandbox in
            try await session.testConnection()
            #expect(sandbox.emulator.requests.all.contains { $0.path.hasSuffix("/api/Agent/me") && $0.status == 200 })
        }
    }

    @Test("a wrong client secret fails the connection test with a plain message")
    func wrongSecret() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(), clientSecret: "not-the-secret")
        try await run.withSession { session, _ in
            let error = await #expect(throws: ProviderError.self) { try await session.testConnection() }
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("refused the client id or secret") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("not-the-secret") == false)
        }
    }

    @Test("a wrong tenant on a hosted instance fails the connection test plainly")
    func wrongTenant() async throws {
        let run = HaloRun(counts: HaloPSARecordCounts(), emulatorTenant: "acme", connectionTenant: "other")
        try await run.withSession { session, _ in
            let error = await #expect(throws: ProviderError.self) { try await session.testConnection() }
            #expect(error?.code == .unauthorized)
        }
    }

    @Test("nothing listening at the URL is told plainly as unreachable, at once")
    func unreachable() async throws {
        let definition = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        try await withClosedLoopbackPort { port in
            let connection = try ProviderConnection(
                definition: definition,
                config: ["url": "http://127.0.0.1:\(port)/halopsa"],
                credentials: ["client_id": "demo", "client_secret": "demo"]
            )
            var settings = ProviderClientSettings()
            settings.retry = RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
            // Generous next to a refusal (microseconds) yet far below the 60 s a retried connect used to take.
            settings.connectTimeout = .seconds(20)
            settings.readTimeout = .seconds(20)
            settings.outbound = .unrestricted
            try await ProviderClient.with(settings: settings, clock: VirtualClock(), logger: Logger(label: "test")) {
                client in
                let error = await #expect(throws: ProviderError.self) {
                    try await client.session(for: connection).testConnection()
                }
                #expect(error?.code == .unreachable, "\(error?.message ?? "")")
                #expect(error?.message.contains("refused the connection") == true, "\(error?.message ?? "")")
            }
        }
    }

    // MARK: helpers

    struct Read {
        var ids: [Int] = []
        var records: [JSONValue] = []
    }

    static func readAll(
        _ session: ProviderSession,
        _ entity: String,
        params: [String: String] = [:],
        since: String? = nil
    ) async throws -> Read {
        var read = Read()
        for try await page in try session.pages(of: entity, params: params, since: since) {
            for record in page.records {
                guard case .number(let id)? = record.objectValue?["id"] else {
                    Issue.record("a \(entity) record has no numeric id: \(record)")
                    continue
                }
                read.ids.append(Int(id))
            }
            read.records += page.records
        }
        return read
    }
}

/// One emulator and one client sharing a virtual clock: the client's waits move the emulator's time too, so
/// rate-limit windows and backoff play out without sleeping.
struct HaloRun {
    let clock = VirtualClock()
    var counts: HaloPSARecordCounts
    var scenario: SandboxScenario = .none
    var clientSecret = "demo"
    var emulatorTenant: String?
    var connectionTenant: String?

    init(
        counts: HaloPSARecordCounts,
        scenario: SandboxScenario = .none,
        clientSecret: String = "demo",
        emulatorTenant: String? = nil,
        connectionTenant: String? = nil
    ) {
        self.counts = counts
        self.scenario = scenario
        self.clientSecret = clientSecret
        self.emulatorTenant = emulatorTenant
        self.connectionTenant = connectionTenant
    }

    static let epoch = Date(timeIntervalSince1970: 1_760_000_000)

    func withSession(_ body: (ProviderSession, HaloPSASandbox) async throws -> Void) async throws {
        try await withClient { client, connection, sandbox in
            try await body(client.session(for: connection), sandbox)
        }
    }

    /// The client itself, for tests that open several sessions (jobs) on one connection.
    func withClient(_ body: (ProviderClient, ProviderConnection, HaloPSASandbox) async throws -> Void) async throws {
        let clock = clock
        let now: @Sendable () -> Date = {
            let (seconds, attoseconds) = clock.now.components
            return Self.epoch.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        }
        let configuration = HaloPSAEmulator.Configuration(
            recordCounts: counts,
            tenant: emulatorTenant,
            now: now,
            scenario: scenario
        )
        let definition = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        try await withHaloPSASandbox(configuration) { sandbox in
            var config = ["url": sandbox.baseURL]
            if let tenant = connectionTenant ?? emulatorTenant { config["tenant"] = tenant }
            let connection = try ProviderConnection(
                definition: definition,
                config: config,
                credentials: ["client_id": "demo", "client_secret": clientSecret]
            )
            var settings = ProviderClientSettings()
            settings.outbound = .unrestricted
            try await ProviderClient.with(
                settings: settings,
                clock: clock,
                wallClock: now,
                logger: Logger(label: "test")
            ) { client in
                try await body(client, connection, sandbox)
            }
        }
    }
}
