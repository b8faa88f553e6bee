import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SynclineCore

/// One connection's conversation with its provider: authentication (and its token), the rate-limit budget,
/// retries with backoff, and the classification of every failure. Jobs of one connection run one at a time,
/// so a session is used by one task at a time; the actor keeps its state safe regardless.
public actor ProviderSession {
    let client: ProviderClient
    public nonisolated let connection: ProviderConnection
    var token: AccessToken?
    /// The authorization-code tokens in use: the connection's, until a refresh replaces them.
    var grantedCredentials: CredentialSecrets
    private var bucket: TokenBucket?
    public internal(set) var stats = ProviderSessionStats()

    struct AccessToken {
        var value: String
        var expiresAt: Duration
        /// String members of the token response (`instance_url`), for `{{token.*}}` templates.
        var fields: [String: String]
    }

    init(client: ProviderClient, connection: ProviderConnection) {
        self.client = client
        self.connection = connection
        self.grantedCredentials = connection.credentials
        if let limit = connection.definition.rateLimit {
            bucket = TokenBucket(requests: limit.requests, per: .seconds(limit.perSeconds), now: client.clock.now)
        }
    }

    /// The rendered base URL (it may need the token response, e.g. Salesforce's instance URL).
    func baseURL() async throws -> String {
        var scopes: [String: [String: String]] = [:]
        if connection.definition.baseURL.references.contains(where: { $0.scope == "token" }) {
            scopes["token"] = try await currentToken().fields
        }
        return try connection.render(connection.definition.baseURL, scopes)
    }

    /// Sends a request with authentication, rate limiting and retries; returns a 2xx response or throws a
    /// classified `ProviderError`. A 401 refreshes the token once and retries once.
    public func send(
        method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        body: Data? = nil,
        authenticated: Bool = true
    ) async throws -> ProviderResponse {
        let settings = client.settings
        var failures = 0
        var rateLimited = 0
        var refreshed = false
        while true {
            try await waitForBudget()
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if authenticated { try await authorize(&request) }

            let response: HTTPClientResponse
            let data: Data
            do {
                (response, data) = try await exchange(
                    ProviderRedirect(url: request.url, method: method, headers: request.headers, body: body)
                )
            } catch {
                let classified = Self.classify(error, url: url, limit: settings.maxResponseBytes)
                failures += 1
                guard classified.isRetryable, settings.retry.allowsRetry(after: failures) else { throw classified }
                try await backoff(failures)
                continue
            }
            let responseHeaders = Dictionary(
                response.headers.map { ($0.name.lowercased(), $0.value) },
                uniquingKeysWith: { first, _ in first }
            )
            let status = Int(response.status.code)
            observeBudget(responseHeaders)
            let answer = ProviderResponse(status: status, headers: responseHeaders, body: data)

            switch status {
            case 200..<300:
                return answer
            case 401 where authenticated && canRefresh && !refreshed:
                refreshed = true
                try await dropAuthorization()
                continue
            case 401:
                throw ProviderError(
                    .unauthorized,
                    "\(name) refused the credentials (401)\(Self.detail(data))",
                    status: 401
                )
            case 403:
                throw ProviderError(
                    .forbidden,
                    "\(name) denied access (403): the credentials lack a scope or permission\(Self.detail(data))",
                    status: 403
                )
            case 404:
                throw ProviderError(.notFound, "\(name) has nothing at \(Self.redacted(url)) (404)", status: 404)
            case 429, 503:
                rateLimited += 1
                let wait =
                    RetryAfter.delay(
                        headers: responseHeaders,
                        resetHeader: connection.definition.rateLimit?.resetHeader,
                        now: client.wallClock()
                    )
                    ?? settings.retry.delay(beforeRetry: rateLimited, random: Double.random(in: 0..<1))
                guard wait <= settings.maxRateLimitWait, rateLimited <= 20 else {
                    throw ProviderError(
                        .rateLimited,
                        "\(name) kept rate limiting the requests (\(status))",
                        status: status
                    )
                }
                bucket?.block(until: client.clock.now + wait)
                if bucket == nil { try await sleepRateLimited(wait) }
                continue
            case 500..<600:
                failures += 1
                guard settings.retry.allowsRetry(after: failures) else {
                    throw ProviderError(
                        .server,
                        "\(name) failed with \(status) after \(failures) attempts",
                        status: status
                    )
                }
                try await backoff(failures)
                continue
            default:
                throw ProviderError(
                    .badRequest,
                    "\(name) rejected the request (\(status))\(Self.detail(data))",
                    status: status
                )
            }
        }
    }

    private var name: String { connection.definition.name }

    /// One attempt: checks the outbound policy, sends, and follows redirects (each hop checked and logged); answers
    /// the final response with its body collected within the size cap, or throws a classified `ProviderError`.
    private func exchange(_ first: ProviderRedirect) async throws -> (HTTPClientResponse, Data) {
        let settings = client.settings
        var current = first
        var hops = 0
        while true {
            if hops > 0 { try await waitForBudget() }
            let started = client.clock.now
            do {
                try await settings.outbound.check(current.url)
                var request = HTTPClientRequest(url: current.url)
                request.method = current.method
                request.headers = current.headers
                if let body = current.body { request.body = .bytes(ByteBuffer(bytes: body)) }
                stats.requests += 1
                let response = try await client.http.execute(
                    request,
                    timeout: .nanoseconds(ProviderClient.nanoseconds(settings.readTimeout))
                )
                let status = Int(response.status.code)
                guard
                    let next = try ProviderRedirect.following(
                        status: status,
                        location: response.headers.first(name: "Location"),
                        from: current,
                        credentialHeaders: credentialHeaderNames
                    )
                else {
                    let buffer = try await response.body.collect(upTo: settings.maxResponseBytes)
                    log(current.method, current.url, status: status, started: started, error: nil)
                    return (response, Data(buffer.readableBytesView))
                }
                // A redirect's own body is of no use; reading it lets the connection be reused.
                _ = try? await response.body.collect(upTo: 64 << 10)
                log(current.method, current.url, status: status, started: started, error: nil)
                hops += 1
                guard hops <= ProviderRedirect.maxHops else {
                    throw ProviderError(
                        .badResponse,
                        "\(name) redirected more than \(ProviderRedirect.maxHops) times, last to "
                            + Self.redacted(next.url),
                        status: status
                    )
                }
                current = next
            } catch {
                let classified = Self.classify(error, url: current.url, limit: settings.maxResponseBytes)
                log(current.method, current.url, status: nil, started: started, error: classified)
                throw classified
            }
        }
    }

    // MARK: rate limits and backoff

    private func waitForBudget() async throws {
        guard var current = bucket else { return }
        let wait = current.delay(now: client.clock.now)
        if wait > .zero { try await sleepRateLimited(wait) }
        current = bucket ?? current
        current.take(now: client.clock.now)
        bucket = current
    }

    private func sleepRateLimited(_ wait: Duration) async throws {
        stats.rateLimitWaits += 1
        stats.timeWaitedOnRateLimits += wait
        client.logger.debug("Waiting for the provider's rate limit", metadata: ["syncline.wait_ms": "\(wait)"])
        try await client.clock.sleep(for: wait)
    }

    private func observeBudget(_ headers: [String: String]) {
        guard let limit = connection.definition.rateLimit, let header = limit.remainingHeader?.lowercased(),
            let remaining = headers[header].flatMap({ Int($0) })
        else { return }
        bucket?.observe(remaining: remaining, now: client.clock.now)
        if remaining == 0,
            let wait = RetryAfter.delay(headers: headers, resetHeader: limit.resetHeader, now: client.wallClock())
        {
            bucket?.block(until: client.clock.now + wait)
        }
    }

    private func backoff(_ failures: Int) async throws {
        stats.retries += 1
        try await client.clock.sleep(
            for: client.settings.retry.delay(beforeRetry: failures, random: Double.random(in: 0..<1))
        )
    }

    // MARK: logging

    private func log(_ method: HTTPMethod, _ url: String, status: Int?, started: Duration, error: ProviderError?) {
        var metadata: Logger.Metadata = [
            "http.method": "\(method.rawValue)",
            "http.url": "\(Self.redacted(url))",
            "duration": "\(client.clock.now - started)",
            "syncline.provider": "\(connection.definition.slug)",
        ]
        if let status { metadata["http.status"] = "\(status)" }
        if let error { metadata["error"] = "\(error.message)" }
        client.logger.debug("Provider request", metadata: metadata)
    }

    /// A URL safe to log: query values whose names suggest a secret are masked.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), let items = components.queryItems else { return url }
        let secretish = ["token", "key", "secret", "password", "signature", "code"]
        components.queryItems = items.map { item in
            secretish.contains(where: { item.name.lowercased().contains($0) })
                ? URLQueryItem(name: item.name, value: "****") : item
        }
        return components.string ?? url
    }

    /// A short, safe excerpt of an error body for messages (provider error codes help tenants).
    static func detail(_ data: Data) -> String {
        guard let json = try? JSONValue.parse(data: data), case .object(let members) = json else {
            return ""
        }
        let parts = ["error", "error_description", "message"].compactMap { key in
            members[key]?.scalarText.map { "\(key): \($0)" }
        }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: "; ").prefix(300)
    }

    /// Turns a transport failure into plain words.
    static func classify(_ error: any Error, url: String, limit: Int) -> ProviderError {
        if let error = error as? ProviderError { return error }
        let host = URLComponents(string: url)?.host ?? url
        if error is NIOTooManyBytesError {
            return ProviderError(
                .tooLarge,
                "the response from \(host) is larger than the \(limit / 1_048_576) MB limit"
            )
        }
        if let error = error as? HTTPClientError {
            if [.connectTimeout, .readTimeout, .deadlineExceeded].contains(error) {
                return ProviderError(.timeout, "\(host) did not answer in time")
            }
            if error == .remoteConnectionClosed {
                return ProviderError(.unreachable, "\(host) closed the connection")
            }
            if [.invalidURL, .emptyHost, .emptyScheme].contains(error) || "\(error)".contains("unsupportedScheme") {
                return ProviderError(.configuration, "\(Self.redacted(url)) is not a valid http(s) URL")
            }
        }
        let text = String(reflecting: error)
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") {
            return ProviderError(
                .tls,
                "the TLS connection to \(host) failed: check the URL and the server's certificate"
            )
        }
        if text.contains("DNS") || text.contains("lookup") || text.contains("NXDOMAIN") || text.contains("resolve") {
            return ProviderError(.unreachable, "the host \(host) was not found: check the URL")
        }
        if text.contains("onnection refused") || text.contains("ECONNREFUSED") {
            return ProviderError(.unreachable, "\(host) refused the connection: check the URL and port")
        }
        if text.contains("imeout") || text.contains("imedOut") {
            return ProviderError(.timeout, "\(host) did not answer in time")
        }
        return ProviderError(.unreachable, "cannot reach \(host): \(error)")
    }
}
