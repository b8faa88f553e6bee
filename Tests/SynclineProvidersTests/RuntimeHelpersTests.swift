import Foundation
import SynclineCore
import Testing

@testable import SynclineProviders

@Suite("Provider runtime helpers")
struct RuntimeHelpersTests {
    @Test("Retry-After is read as seconds or as an HTTP date; a reset header as seconds or Unix time")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.delay(headers: ["retry-after": "7"], resetHeader: nil, now: now) == .seconds(7))
        #expect(RetryAfter.delay(headers: ["retry-after": "1.5"], resetHeader: nil, now: now) == .milliseconds(1500))
        let date = "Tue, 14 Nov 2023 22:13:50 GMT"  // 30 s after `now`
        #expect(RetryAfter.delay(headers: ["retry-after": date], resetHeader: nil, now: now) == .seconds(30))
        #expect(RetryAfter.delay(headers: ["x-reset": "1700000012"], resetHeader: "X-Reset", now: now) == .seconds(12))
        #expect(RetryAfter.delay(headers: ["x-reset": "20"], resetHeader: "X-Reset", now: now) == .seconds(20))
        #expect(RetryAfter.delay(headers: [:], resetHeader: "X-Reset", now: now) == nil)
    }

    @Test("URLs are logged with secret-looking query values masked")
    func redaction() {
        let url = "https://h/api?api_key=abc&page=2&access_token=xyz"
        #expect(ProviderSession.redacted(url) == "https://h/api?api_key=****&page=2&access_token=****")
    }

    @Test("empty optional query values vanish from token URLs")
    func emptyQuery() {
        #expect(ProviderSession.droppingEmptyQueryItems("https://h/auth/token?tenant=") == "https://h/auth/token")
        #expect(
            ProviderSession.droppingEmptyQueryItems("https://h/auth/token?tenant=acme")
                == "https://h/auth/token?tenant=acme"
        )
    }

    @Test("a missing required config field is a configuration error naming it")
    func requiredConfig() throws {
        let halo = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        let error = #expect(throws: (any Error).self) {
            try ProviderConnection(
                definition: halo,
                config: [:],
                credentials: ["client_id": "a", "client_secret": "b"]
            )
        }
        #expect("\(error.map { $0 } as Any)".contains("needs 'url' (Instance URL)"))
        let connection = try ProviderConnection(definition: halo, config: ["url": "https://h"], credentials: [:])
        #expect(connection.config["scope"] == "all")
    }
}
