/// A failure talking to a provider, classified once so the runtime knows whether to retry, refresh or give
/// up, and so the tenant reads a plain sentence instead of a transport error.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unreachable, tls, timeout, unauthorized, forbidden, notFound = "not_found", rateLimited =
                "rate_limited"
            case server, badRequest = "bad_request", badResponse = "bad_response", tooLarge = "too_large"
            case pagination, configuration
            case forbiddenAddress = "forbidden_address"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Wrong URL, DNS failure, connection refused or reset.
        public static var unreachable: Self { .init(.unreachable) }
        /// The TLS handshake failed (certificate, protocol).
        public static var tls: Self { .init(.tls) }
        public static var timeout: Self { .init(.timeout) }
        /// 401, or credentials refused by the token endpoint.
        public static var unauthorized: Self { .init(.unauthorized) }
        /// 403: usually a missing scope or permission.
        public static var forbidden: Self { .init(.forbidden) }
        public static var notFound: Self { .init(.notFound) }
        /// 429 or 503 after the allowed waits.
        public static var rateLimited: Self { .init(.rateLimited) }
        /// 5xx.
        public static var server: Self { .init(.server) }
        /// Another 4xx: the request itself is wrong.
        public static var badRequest: Self { .init(.badRequest) }
        /// The body is not what the definition says (invalid JSON, records missing).
        public static var badResponse: Self { .init(.badResponse) }
        /// The response exceeded the configured size cap.
        public static var tooLarge: Self { .init(.tooLarge) }
        /// The listing would loop or overran its stated total.
        public static var pagination: Self { .init(.pagination) }
        /// The connection's settings cannot make a request (a missing config value).
        public static var configuration: Self { .init(.configuration) }
        /// The URL resolves to a loopback, link-local, private or metadata address that Syncline may not call.
        public static var forbiddenAddress: Self { .init(.forbiddenAddress) }

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    /// The HTTP status, when there was a response.
    public let status: Int?

    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// Worth trying again later: the same request may succeed.
    public var isRetryable: Bool {
        [.unreachable, .timeout, .rateLimited, .server].contains(code)
    }

    public var description: String { message }
}
