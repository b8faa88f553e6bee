import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA API authorisation")
struct HaloPSAAuthorizationTests {
    @Test("answers 401 with a JSON error and a Bearer challenge without a token")
    func missingToken() async throws {
        try await withEmulator { _, client in
            let response = try await client.get("/halopsa/api/Client", token: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(try TestJSON.parse(response.body)["error"] == .string("unauthorized"))
        }
    }

    @Test("answers 401 invalid_token for a token it never issued")
    func unknownToken() async throws {
        try await withEmulator { _, client in
            let response = try await client.get("/halopsa/api/Client", token: "made-up")
            #expect(response.status == .unauthorized)
            #expect(try TestJSON.parse(response.body)["error"] == .string("invalid_token"))
        }
    }

    @Test("rejects a token once expires_in has elapsed on the injected clock, and accepts a new one")
    func expiredToken() async throws {
        let clock = TestClock()
        try await withEmulator(.init(tokenLifetimeSeconds: 600, now: clock.function)) { _, client in
            let token = try await client.accessToken()
            #expect(try await client.get("/halopsa/api/Client", token: token).status == .ok)
            clock.advance(seconds: 599)
            #expect(try await client.get("/halopsa/api/Client", token: token).status == .ok)
            clock.advance(seconds: 1)
            let expired = try await client.get("/halopsa/api/Client", token: token)
            #expect(expired.status == .unauthorized)
            let body = try TestJSON.parse(expired.body)
            #expect(body["error"] == .string("invalid_token"))
            #expect(body["error_description"]?.string?.contains("expired") == true)
            #expect(expired.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            let fresh = try await client.accessToken()
            #expect(try await client.get("/halopsa/api/Client", token: fresh).status == .ok)
        }
    }

    @Test("serves /api/Client and /api/client alike, and 404 for unknown resources")
    func caseInsensitiveResources() async throws {
        try await withEmulator { _, client in
            let token = try await client.accessToken()
            let upper = try await client.getJSON("/halopsa/api/Client?pageinate=true&page_size=3", token: token)
            let lower = try await client.getJSON("/halopsa/api/client?PAGEINATE=true&Page_Size=3", token: token)
            #expect(upper == lower)
            #expect(upper.ids("clients") == [1, 2, 3])
            #expect(try await client.get("/halopsa/api/Clients", token: token).status == .notFound)
            #expect(try await client.get("/halopsa/api/Client/1", token: token).status == .ok)
            #expect(try await client.get("/halopsa/api/Client/26", token: token).status == .notFound)
        }
    }
}
