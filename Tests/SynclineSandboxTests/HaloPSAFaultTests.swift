import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SynclineSandbox

@Suite("HaloPSA fault scenarios")
struct HaloPSAFaultTests {
    @Test("answers 429 with Retry-After once the window's budget is spent, and serves again when it closes")
    func rateLimit() async throws {
        let clock = TestClock()
        let scenario = SandboxScenario(rateLimit: .init(requests: 3, windowSeconds: 60))
        try await withEmulator(.init(now: clock.function, scenario: scenario)) { _, client in
            let token = try await client.accessToken()
            var remaining: [String?] = []
            for _ in 1...3 {
                let response = try await client.get("/halopsa/api/Client", token: token)
                #expect(response.status == .ok)
                remaining.append(response.headers[.init("X-RateLimit-Remaining")!])
            }
            #expect(remaining == ["2", "1", "0"])

            clock.advance(seconds: 15)
            let limited = try await client.get("/halopsa/api/Client", token: token)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "45")
            #expect(try TestJSON.parse(limited.body)["error"] == .string("rate_limited"))

            clock.advance(seconds: 45)
            #expect(try await client.get("/halopsa/api/Client", token: token).status == .ok)
        }
    }

    @Test("can throttle without Retry-After, as HaloPSA may")
    func rateLimitWithoutRetryAfter() async throws {
        let scenario = SandboxScenario(rateLimit: .init(requests: 1, sendsRetryAfter: false))
        try await withEmulator(.init(scenario: scenario)) { _, client in
            let token = try await client.accessToken()
            #expect(try await client.get("/halopsa/api/Client", token: token).status == .ok)
            let limited = try await client.get("/halopsa/api/Client", token: token)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == nil)
        }
    }

    @Test("fails a burst of requests with 503, then recovers")
    func serviceUnavailableBurst() async throws {
        let scenario = SandboxScenario(failures: [
            .init(requests: 2...3, retryAfterSeconds: 2), .init(requests: 5...5, status: 500),
        ])
        try await withEmulator(.init(scenario: scenario)) { emulator, client in
            let token = try await client.accessToken()
            var statuses: [Int] = []
            for _ in 1...6 {
                statuses.append(try await client.get("/halopsa/api/Site", token: token).status.code)
            }
            #expect(statuses == [200, 503, 503, 200, 500, 200])
            #expect(emulator.apiRequestCount == 6)
        }
    }

    @Test("sends Retry-After with a 503 when the plan says so")
    func serviceUnavailableRetryAfter() async throws {
        let scenario = SandboxScenario(failures: [.init(requests: 1...1, retryAfterSeconds: 2)])
        try await withEmulator(.init(scenario: scenario)) { _, client in
            let response = try await client.get("/halopsa/api/Site", token: nil)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "2")
        }
    }

    @Test("breaks a chosen page: truncated JSON with status 200, the other pages intact")
    func truncatedPage() async throws {
        let scenario = SandboxScenario(malformedPages: [.init(entity: "tickets", page: 2, kind: .truncated, times: 1)])
        try await withEmulator(.init(scenario: scenario)) { _, client in
            let token = try await client.accessToken()
            let first = try await client.get("/halopsa/api/Tickets?pageinate=true&page_size=50&page_no=1", token: token)
            #expect(throws: Never.self) { try TestJSON.parse(first.body) }
            let broken = try await client.get(
                "/halopsa/api/Tickets?pageinate=true&page_size=50&page_no=2",
                token: token
            )
            #expect(broken.status == .ok)
            #expect(broken.headers[.contentLength] == String(broken.body.readableBytes))
            #expect(throws: (any Error).self) { try TestJSON.parse(broken.body) }
            let retried = try await client.getJSON(
                "/halopsa/api/Tickets?pageinate=true&page_size=50&page_no=2",
                token: token
            )
            #expect(retried.ids("tickets") == Array(51...100))
        }
    }

    @Test("breaks a chosen page with invalid JSON every time when times is nil")
    func invalidJSONPage() async throws {
        let scenario = SandboxScenario(malformedPages: [.init(entity: "clients", page: 1, kind: .invalidJSON)])
        try await withEmulator(.init(scenario: scenario)) { _, client in
            let token = try await client.accessToken()
            for _ in 1...2 {
                let response = try await client.get("/halopsa/api/Client?pageinate=true&page_size=10", token: token)
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("},,{"))
                #expect(throws: (any Error).self) { try TestJSON.parse(response.body) }
            }
            let unpaged = try await client.get("/halopsa/api/Client", token: token)
            #expect(throws: (any Error).self) { try TestJSON.parse(unpaged.body) }
            let page2 = try await client.getJSON(
                "/halopsa/api/Client?pageinate=true&page_size=10&page_no=2",
                token: token
            )
            #expect(page2.ids("clients") == Array(11...20))
        }
    }

    @Test("expires a token mid-sync after N requests; a new token carries on")
    func tokenExpiryMidSync() async throws {
        let scenario = SandboxScenario(expireTokensAfterRequests: 2)
        try await withEmulator(.init(scenario: scenario)) { emulator, client in
            let token = try await client.accessToken()
            for number in 1...2 {
                let page = "/halopsa/api/Client?pageinate=true&page_size=10&page_no=\(number)"
                #expect(try await client.get(page, token: token).status == .ok)
            }
            let expired = try await client.get(
                "/halopsa/api/Client?pageinate=true&page_size=10&page_no=3",
                token: token
            )
            #expect(expired.status == .unauthorized)
            #expect(try TestJSON.parse(expired.body)["error"] == .string("invalid_token"))

            let fresh = try await client.accessToken()
            let page = try await client.getJSON(
                "/halopsa/api/Client?pageinate=true&page_size=10&page_no=3",
                token: fresh
            )
            #expect(page.ids("clients") == Array(21...25))
            #expect(emulator.issuedTokenCount == 2)
        }
    }

    @Test("delays the chosen responses")
    func slowResponses() async throws {
        let scenario = SandboxScenario(slowResponses: .init(delay: .milliseconds(300), requests: 1...1))
        try await withEmulator(.init(scenario: scenario)) { _, client in
            let token = try await client.accessToken()
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await client.get("/halopsa/api/Agent", token: token).status == .ok)
            // A lower bound only: a sleep never ends early, but a loaded machine may answer late.
            #expect(clock.now - start >= .milliseconds(300))
            #expect(try await client.get("/halopsa/api/Agent", token: token).status == .ok)
        }
    }

    @Test("decides the delay per request number: only the chosen requests wait")
    func slowResponsesChooseRequests() {
        let scenario = SandboxScenario(slowResponses: .init(delay: .milliseconds(300), requests: 2...3))
        var state = SandboxFaultState()
        let delays = (1...5).map { _ in state.admit(atSecond: 0, scenario: scenario).delay }
        #expect(delays == [nil, .milliseconds(300), .milliseconds(300), nil, nil])

        var everyRequest = SandboxFaultState()
        let always = SandboxScenario(slowResponses: .init(delay: .milliseconds(5)))
        #expect(
            (1...3).map { _ in everyRequest.admit(atSecond: 0, scenario: always).delay }
                == Array(repeating: .milliseconds(5), count: 3)
        )
    }
}
