import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA request log")
struct HaloPSARequestLogTests {
    @Test("records every request served: method, path, query, headers without credentials, status, time")
    func recordsRequests() async throws {
        let clock = TestClock()
        try await withEmulator(.init(now: clock.function)) { emulator, client in
            let token = try await client.accessToken()
            clock.advance(seconds: 5)
            _ = try await client.get("/halopsa/api/Tickets?pageinate=true&page_size=10&page_no=2", token: token)
            _ = try await client.get("/halopsa/api/Tickets", token: nil)
            var basic = HTTPFields.form
            basic[.authorization] = "Basic \(Data("demo:demo".utf8).base64EncodedString())"
            _ = try await client.execute(
                uri: "/halopsa/auth/token",
                method: .post,
                headers: basic,
                body: ByteBuffer(string: "grant_type=client_credentials")
            )

            let log = emulator.requests.all
            #expect(log.map(\.number) == [1, 2, 3, 4])
            #expect(log.map(\.method) == ["POST", "GET", "GET", "POST"])
            #expect(
                log.map(\.path) == [
                    "/halopsa/auth/token", "/halopsa/api/Tickets", "/halopsa/api/Tickets", "/halopsa/auth/token",
                ]
            )
            #expect(log.map(\.status) == [200, 200, 401, 200])
            #expect(log[1].query == "pageinate=true&page_size=10&page_no=2")
            #expect(log[1].queryValue("PAGE_NO") == "2")
            #expect(log[1].headers["authorization"] == "Bearer [redacted]")
            #expect(log[1].authorizationScheme == "Bearer")
            #expect(log[3].headers["authorization"] == "Basic [redacted]")
            #expect(log[0].headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(log[0].time == TestClock.start)
            #expect(log[1].time == TestClock.start.addingTimeInterval(5))
            #expect(!log.contains { $0.headers.values.contains { $0.contains(token) } })

            emulator.requests.removeAll()
            #expect(emulator.requests.count == 0)
        }
    }

    @Test("shares one log between copies of the emulator")
    func sharedBetweenCopies() async throws {
        let emulator = HaloPSAEmulator()
        let copy = emulator
        let router = Router()
        copy.register(on: router)
        try await Application(router: router).test(.router) { client in
            _ = try await client.requestToken()
        }
        #expect(emulator.requests.count == 1)
        #expect(emulator.issuedTokenCount == 1)
    }
}
