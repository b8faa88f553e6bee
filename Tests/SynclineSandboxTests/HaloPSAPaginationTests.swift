import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA pagination")
struct HaloPSAPaginationTests {
    @Test("pages with pageinate, page_size and 1-based page_no; the last page is short, then empty")
    func pages() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            var seen: [Int] = []
            for number in 1...3 {
                let page = try await client.getJSON(
                    "/halopsa/api/Client?pageinate=true&page_size=10&page_no=\(number)",
                    token: token
                )
                #expect(page["record_count"] == .int(25))
                #expect(page.keys == ["record_count", "clients"])
                seen += page.ids("clients")
            }
            #expect(seen == Array(1...25))
            let past = try await client.getJSON(
                "/halopsa/api/Client?pageinate=true&page_size=10&page_no=4",
                token: token
            )
            #expect(past["record_count"] == .int(25))
            #expect(past["clients"] == .array([]))
        }
    }

    @Test("answers every record unpaged when pageinate is absent, or the first count of them")
    func unpaged() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let all = try await client.getJSON("/halopsa/api/Client", token: token)
            #expect(all["record_count"] == .int(25))
            #expect(all.ids("clients") == Array(1...25))
            let off = try await client.getJSON("/halopsa/api/Client?pageinate=false&page_size=5", token: token)
            #expect(off.ids("clients").count == 25)
            let counted = try await client.getJSON("/halopsa/api/Client?count=5", token: token)
            #expect(counted.ids("clients") == Array(1...5))
        }
    }

    @Test("streams a large unpaged list whole")
    func largeUnpaged() async throws {
        try await withEmulator(.init(recordCounts: .init(clients: 3000))) { _, client in
            let token = try await client.accessToken()
            let all = try await client.getJSON("/halopsa/api/Client", token: token)
            #expect(all["record_count"] == .int(3000))
            #expect(all.ids("clients") == Array(1...3000))
        }
    }

    @Test("uses the configured page size when page_size is absent")
    func defaultPageSize() async throws {
        try await withEmulator(.init(defaultPageSize: 7)) { _, client in
            let token = try await client.accessToken()
            let page = try await client.getJSON("/halopsa/api/Users?pageinate=true&page_no=2", token: token)
            #expect(page["record_count"] == .int(120))
            #expect(page.ids("users") == Array(8...14))
        }
    }

    @Test("answers 400 for page_size or page_no below 1 and for non-numeric values")
    func invalidPaging() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            for query in ["page_size=0", "page_no=0", "page_size=ten"] {
                let response = try await client.get("/halopsa/api/Client?pageinate=true&\(query)", token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(try TestJSON.parse(response.body)["error"] == .string("invalid_request"))
            }
        }
    }

    @Test("computes deep pages of 100,000 clients without building the rest")
    func deepPage() async throws {
        try await withEmulator(.init(recordCounts: .init(clients: 100_000))) { _, client in
            let token = try await client.accessToken()
            let page = try await client.getJSON(
                "/halopsa/api/Client?pageinate=true&page_size=1000&page_no=100",
                token: token
            )
            #expect(page["record_count"] == .int(100_000))
            #expect(page.ids("clients") == Array(99_001...100_000))
        }
    }

    @Test("can be mounted at another prefix, such as /sandbox/halopsa")
    func otherPrefix() async throws {
        let emulator = HaloPSAEmulator()
        let router = Router()
        emulator.register(on: router, at: "/sandbox/halopsa")
        try await Application(router: router).test(.router) { client in
            let token = try await client.accessToken(path: "/sandbox/halopsa/auth/token")
            let page = try await client.getJSON("/sandbox/halopsa/api/Site?pageinate=true&page_size=2", token: token)
            #expect(page.ids("sites") == [1, 2])
            #expect(try await client.get("/halopsa/api/Site", token: token).status == .notFound)
        }
    }
}
