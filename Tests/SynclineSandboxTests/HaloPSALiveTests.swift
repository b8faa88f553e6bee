import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA sandbox over loopback HTTP")
struct HaloPSALiveTests {
    @Test("reads 10,000 clients in pages of 1000 over real HTTP, each id exactly once")
    func tenThousandClients() async throws {
        let configuration = HaloPSAEmulator.Configuration(recordCounts: .init(clients: 10_000))
        let served = try await withHaloPSASandbox(configuration) { sandbox in
            #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
            #expect(sandbox.tokenURL == sandbox.baseURL + "/auth/token")
            return try await TestClient.withClient(host: sandbox.host, port: sandbox.port) { client in
                let tokenResponse = try await client.post(
                    "/halopsa/auth/token",
                    headers: .form,
                    body: ByteBuffer(string: "grant_type=client_credentials&client_id=demo&client_secret=demo")
                )
                try #require(tokenResponse.status == .ok)
                let body = try #require(tokenResponse.body)
                let token = try #require(try TestJSON.parse(body)["access_token"]?.string)

                var ids: [Int] = []
                var pageNumber = 1
                while true {
                    let response = try await client.get(
                        "/halopsa/api/Client?pageinate=true&page_size=1000&page_no=\(pageNumber)",
                        headers: .bearer(token)
                    )
                    try #require(response.status == .ok)
                    let page = try TestJSON.parse(try #require(response.body))
                    let recordCount = try #require(page["record_count"]?.int)
                    #expect(recordCount == 10_000)
                    let pageIDs = page.ids("clients")
                    ids += pageIDs
                    if pageIDs.count < 1000 || pageNumber * 1000 >= recordCount { break }
                    pageNumber += 1
                }
                #expect(pageNumber == 10)
                #expect(ids.count == 10_000)
                #expect(Set(ids) == Set(1...10_000))
                return sandbox.emulator.requests.count
            }
        }
        #expect(served == 11)
    }

    @Test("stops serving when the closure returns")
    func stopsAfterwards() async throws {
        let port = try await withHaloPSASandbox { sandbox in sandbox.port }
        let refused = await #expect(throws: (any Error).self) {
            try await TestClient.withClient(
                host: "127.0.0.1",
                port: port,
                configuration: .init(timeout: .seconds(2))
            ) { client in
                _ = try await client.get("/halopsa/api/Client")
            }
        }
        #expect(refused != nil)
    }
}
