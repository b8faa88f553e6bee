import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import SynclineSandbox
import Testing

@Suite("HaloPSA data")
struct HaloPSADataTests {
    /// Fields each entity type's records must carry, by HaloPSA's names.
    static let expectedFields: [HaloPSAEntity: Set<String>] = [
        .clients: ["id", "name", "inactive", "toplevel_id", "website", "main_site_id", "phonenumber"],
        .sites: ["id", "name", "client_id", "client_name", "phonenumber", "delivery_address"],
        .users: ["id", "name", "emailaddress", "site_id", "client_id", "phonenumber"],
        .assets: ["id", "inventory_number", "assettype_name", "client_id", "site_id", "key_field", "last_update"],
        .agents: ["id", "name", "email", "team"],
        .tickets: [
            "id", "summary", "details", "client_id", "site_id", "user_id", "agent_id", "status_id", "priority_id",
            "dateoccurred", "lastactiondate", "last_update",
        ],
        .actions: ["id", "ticket_id", "outcome", "note", "who", "actiondatecreated", "timetaken"],
        .timesheets: ["id", "agent_id", "date", "start_date", "end_date", "actual_hours", "target_hours"],
    ]

    /// Every record of every entity type, read unpaged.
    static func everything(
        _ client: any TestClientProtocol,
        token: String
    ) async throws -> [HaloPSAEntity: [TestJSON]] {
        var result: [HaloPSAEntity: [TestJSON]] = [:]
        for entity in HaloPSAEntity.allCases {
            let body = try await client.getJSON("/halopsa/api/\(entity.resource)", token: token)
            result[entity] = body[entity.rawValue]?.array ?? []
        }
        return result
    }

    @Test("serves every entity type under its key, with the configured count and HaloPSA's field names")
    func everyEntity() async throws {
        let counts = HaloPSARecordCounts()
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            for entity in HaloPSAEntity.allCases {
                let page = try await client.getJSON(
                    "/halopsa/api/\(entity.resource)?pageinate=true&page_size=5",
                    token: token
                )
                #expect(page["record_count"] == .int(counts[entity]), "\(entity)")
                let records = try #require(page[entity.rawValue]?.array, "\(entity)")
                #expect(records.map { $0["id"]?.int } == [1, 2, 3, 4, 5], "\(entity)")
                let missing = Self.expectedFields[entity, default: []].subtracting(records[0].keys)
                #expect(missing.isEmpty, "\(entity) lacks \(missing)")
            }
        }
    }

    @Test("produces the same data from the same seed, and different data from another")
    func determinism() async throws {
        let first = Mutex<[HaloPSAEntity: [TestJSON]]>([:])
        try await withEmulator(.init(seed: 42)) { _, client in
            let data = try await Self.everything(client, token: try await client.accessToken())
            first.withLock { $0 = data }
        }
        try await withEmulator(.init(seed: 42)) { _, client in
            let data = try await Self.everything(client, token: try await client.accessToken())
            #expect(data == first.withLock { $0 })
        }
        try await withEmulator(.init(seed: 43)) { _, client in
            let data = try await Self.everything(client, token: try await client.accessToken())
            #expect(data[.clients] != first.withLock { $0[.clients] })
            #expect(data[.clients]?.count == 25)
        }
    }

    @Test("keeps relationships consistent: every reference names an existing record")
    func relationships() async throws {
        try await withEmulator { _, client in
            let data = try await Self.everything(client, token: try await client.accessToken())
            func byID(_ entity: HaloPSAEntity) -> [Int: TestJSON] {
                Dictionary(
                    uniqueKeysWithValues: (data[entity] ?? []).compactMap { record in
                        record["id"]?.int.map { ($0, record) }
                    }
                )
            }
            let clients = byID(.clients)
            let sites = byID(.sites)
            let users = byID(.users)
            let agents = byID(.agents)
            let tickets = byID(.tickets)
            for client in clients.values {
                let main = try #require(client["main_site_id"]?.int)
                #expect(sites[main]?["client_id"] == client["id"])
            }
            for site in sites.values {
                let owner = try #require(clients[site["client_id"]?.int ?? 0])
                #expect(site["client_name"] == owner["name"])
            }
            for user in users.values {
                let site = try #require(sites[user["site_id"]?.int ?? 0])
                #expect(user["client_id"] == site["client_id"])
                #expect(user["emailaddress"]?.string?.contains("@") == true)
            }
            for asset in data[.assets] ?? [] {
                let site = try #require(sites[asset["site_id"]?.int ?? 0])
                #expect(asset["client_id"] == site["client_id"])
                if let user = asset["user_id"]?.int, user != 0 {
                    #expect(users[user]?["site_id"] == asset["site_id"])
                }
            }
            for ticket in tickets.values {
                let user = try #require(users[ticket["user_id"]?.int ?? 0])
                #expect(ticket["client_id"] == user["client_id"])
                #expect(ticket["site_id"] == user["site_id"])
                #expect(agents[ticket["agent_id"]?.int ?? 0] != nil)
                let occurred = try #require(ticket["dateoccurred"]?.string)
                let lastAction = try #require(ticket["lastactiondate"]?.string)
                let lastUpdate = try #require(ticket["last_update"]?.string)
                #expect(occurred <= lastAction && lastAction <= lastUpdate)
            }
            for action in data[.actions] ?? [] {
                let ticket = try #require(tickets[action["ticket_id"]?.int ?? 0])
                #expect((ticket["lastactiondate"]?.string ?? "") >= (action["actiondatecreated"]?.string ?? "~"))
            }
            for timesheet in data[.timesheets] ?? [] {
                #expect(agents[timesheet["agent_id"]?.int ?? 0] != nil)
            }
        }
    }

    @Test("serves no children of an empty parent type, so no reference dangles")
    func emptyParents() async throws {
        let counts = HaloPSARecordCounts(clients: 0, agents: 0)
        try await withEmulator(.init(recordCounts: counts)) { _, client in
            let token = try await client.accessToken()
            for entity in HaloPSAEntity.allCases {
                let body = try await client.getJSON("/halopsa/api/\(entity.resource)", token: token)
                #expect(body["record_count"] == .int(0), "\(entity)")
                #expect(body[entity.rawValue] == .array([]), "\(entity)")
            }
        }
    }

    @Test("serves one record by id, equal to its entry in the list")
    func singleRecord() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let list = try await client.getJSON("/halopsa/api/Tickets?pageinate=true&page_size=5", token: token)
            let single = try await client.getJSON("/halopsa/api/Tickets/3", token: token)
            #expect(list["tickets"]?.array?[2] == single)
            let me = try await client.getJSON("/halopsa/api/Agent/me", token: token)
            #expect(me["id"] == .int(1))
        }
    }

    @Test("writes realistic values: names, e-mail addresses, reserved phone numbers, HaloPSA timestamps")
    func realisticValues() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let user = try await client.getJSON("/halopsa/api/Users/1", token: token)
            let name = try #require(user["name"]?.string)
            #expect(name.split(separator: " ").count >= 2)
            #expect(user["emailaddress"]?.string?.hasSuffix(".example") == true)
            #expect(user["phonenumber"]?.string?.hasPrefix("020 7946 0") == true)
            let ticket = try await client.getJSON("/halopsa/api/Tickets/1", token: token)
            let occurred = try #require(ticket["dateoccurred"]?.string)
            #expect(occurred.count == 19 && occurred.hasPrefix("2024-"))
            let asset = try await client.getJSON("/halopsa/api/Asset/1", token: token)
            #expect(asset["inventory_number"] == .string("AST-000001"))
        }
    }
}
