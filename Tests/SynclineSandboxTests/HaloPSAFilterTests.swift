import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA filters and incremental reads")
struct HaloPSAFilterTests {
    @Test("lists a ticket's actions with ticket_id; together they are all actions exactly once")
    func actionsByTicket() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            var seen: [Int] = []
            for ticket in 1...200 {
                let body = try await client.getJSON("/halopsa/api/Actions?ticket_id=\(ticket)", token: token)
                let actions = body["actions"]?.array ?? []
                #expect(body["record_count"] == .int(actions.count))
                #expect(actions.allSatisfy { $0["ticket_id"] == .int(ticket) })
                seen += body.ids("actions")
            }
            #expect(seen == Array(1...600))
            let none = try await client.getJSON("/halopsa/api/Actions?ticket_id=9999", token: token)
            #expect(none["record_count"] == .int(0))
        }
    }

    @Test("selects timesheets by start_date and end_date, whole days inclusive")
    func timesheetsByDate() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let body = try await client.getJSON(
                "/halopsa/api/Timesheet?start_date=2025-06-23&end_date=2025-06-27",
                token: token
            )
            let timesheets = try #require(body["timesheets"]?.array)
            #expect(timesheets.count == 5 * 8)
            #expect(body["record_count"] == .int(40))
            let dates = Set(timesheets.compactMap { $0["date"]?.string })
            #expect(dates == Set((23...27).map { "2025-06-\($0)T00:00:00" }))
            let weekday = try #require(timesheets.first)
            #expect(weekday["target_hours"]?.double == 7.5)

            let one = try await client.getJSON(
                "/halopsa/api/Timesheet?start_date=2025-06-30&end_date=2025-06-30&agents=2,3",
                token: token
            )
            #expect(one["timesheets"]?.array?.compactMap { $0["agent_id"]?.int } == [2, 3])
        }
    }

    @Test("filters tickets by datesearch, startdate and enddate")
    func ticketsIncremental() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let all = try #require(try await client.getJSON("/halopsa/api/Tickets", token: token)["tickets"]?.array)
            let since = "2025-05-01T00:00:00"
            let expected = all.filter { ($0["last_update"]?.string ?? "") >= since }.compactMap { $0["id"]?.int }
            #expect(!expected.isEmpty && expected.count < all.count)

            let changed = try await client.getJSON(
                "/halopsa/api/Tickets?datesearch=last_update&startdate=\(since)&pageinate=true&page_size=500",
                token: token
            )
            #expect(changed.ids("tickets") == expected)
            #expect(changed["record_count"] == .int(expected.count))

            let window = try await client.getJSON(
                "/halopsa/api/Tickets?datesearch=dateoccurred&startdate=2025-01-01&enddate=2025-01-31",
                token: token
            )
            let dates = window["tickets"]?.array?.compactMap { $0["dateoccurred"]?.string } ?? []
            #expect(!dates.isEmpty && dates.allSatisfy { $0.hasPrefix("2025-01-") })

            let bad = try await client.get(
                "/halopsa/api/Tickets?datesearch=whenever&startdate=2025-01-01",
                token: token
            )
            #expect(bad.status == .badRequest)
            let badDate = try await client.get(
                "/halopsa/api/Tickets?datesearch=last_update&startdate=soon",
                token: token
            )
            #expect(badDate.status == .badRequest)
        }
    }

    @Test("returns touched tickets, and only them, to an incremental read from before the touch")
    func touchedTickets() async throws {
        let clock = TestClock()
        try await withEmulator(.init(now: clock.function)) { emulator, client in
            let token = try await client.accessToken()
            let since = "2025-07-01T09:00:00"
            let before = try await client.getJSON(
                "/halopsa/api/Tickets?datesearch=last_update&startdate=\(since)",
                token: token
            )
            #expect(before["record_count"] == .int(0))

            clock.advance(seconds: 60)
            emulator.touch(.tickets, ids: [7, 3, 9999])
            let after = try await client.getJSON(
                "/halopsa/api/Tickets?datesearch=last_update&startdate=\(since)",
                token: token
            )
            #expect(after.ids("tickets") == [3, 7])
            #expect(after["tickets"]?.array?.first?["last_update"] == .string("2025-07-01T09:01:00"))

            emulator.touch(.assets, ids: [5], at: clock.now)
            let assets = try await client.getJSON("/halopsa/api/Asset?lastupdatefromdate=\(since)", token: token)
            #expect(assets.ids("assets") == [5])
        }
    }

    @Test("filters by the parents' ids: sites and users by client, assets by site")
    func byParent() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let sites = try await client.getJSON("/halopsa/api/Site?client_id=3", token: token)
            #expect(sites.ids("sites") == [3, 28])
            let users = try await client.getJSON("/halopsa/api/Users?client_id=3", token: token)
            #expect(users["users"]?.array?.allSatisfy { $0["client_id"] == .int(3) } == true)
            #expect(users.ids("users").isEmpty == false)
            let assets = try await client.getJSON("/halopsa/api/Asset?site_id=3", token: token)
            #expect(assets["assets"]?.array?.allSatisfy { $0["site_id"] == .int(3) } == true)
            let open = try await client.getJSON("/halopsa/api/Tickets?open_only=true", token: token)
            #expect(open["tickets"]?.array?.allSatisfy { $0["status_id"] != .int(9) } == true)
        }
    }
}
