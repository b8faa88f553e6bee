import Hummingbird

/// A request the emulated OAuth server refuses, mapped once to its RFC 6749 / RFC 6750 error code, an HTTP
/// status, the `WWW-Authenticate` challenge where one is due, and a JSON body
/// (`{"error": code, "error_description": text}`). At `/authorize` the same code and text go into the redirect.
struct OAuthError: Error, Sendable, Equatable {
    private enum Code: Sendable, Equatable {
        case invalidRequest
        case invalidClient(sentBasic: Bool)
        case invalidGrant
        case invalidScope
        case unsupportedGrantType
        case unsupportedResponseType
        /// The resource owner (or the scenario) refused; the value is the `error` code to send.
        case refused(String)
        case missingToken
        case invalidToken
        case notFound
        case methodNotAllowed
    }

    private let code: Code
    /// The `error_description`: which check failed, in words.
    let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func invalidRequest(_ text: String) -> Self { .init(.invalidRequest, text) }
    /// `sentBasic`: the client tried HTTP Basic, so the 401 must carry a `Basic` challenge (RFC 6749 section 5.2).
    static func invalidClient(sentBasic: Bool, _ text: String) -> Self {
        .init(.invalidClient(sentBasic: sentBasic), text)
    }
    static func invalidGrant(_ text: String) -> Self { .init(.invalidGrant, text) }
    static func invalidScope(_ text: String) -> Self { .init(.invalidScope, text) }
    static func unsupportedGrantType(_ text: String) -> Self { .init(.unsupportedGrantType, text) }
    static func unsupportedResponseType(_ text: String) -> Self { .init(.unsupportedResponseType, text) }
    static func refused(error: String, _ text: String) -> Self { .init(.refused(error), text) }
    static var missingToken: Self { .init(.missingToken, "A bearer token is required") }
    static func invalidToken(_ text: String) -> Self { .init(.invalidToken, text) }
    static var notFound: Self { .init(.notFound, "There is no such endpoint") }
    static var methodNotAllowed: Self { .init(.methodNotAllowed, "Method not allowed") }

    /// The `error` member (or redirect parameter).
    var errorCode: String {
        switch code {
        case .invalidRequest: "invalid_request"
        case .invalidClient: "invalid_client"
        case .invalidGrant: "invalid_grant"
        case .invalidScope: "invalid_scope"
        case .unsupportedGrantType: "unsupported_grant_type"
        case .unsupportedResponseType: "unsupported_response_type"
        case .refused(let error): error
        case .missingToken: "unauthorized"
        case .invalidToken: "invalid_token"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        }
    }

    var status: HTTPResponse.Status {
        switch code {
        case .invalidRequest, .invalidGrant, .invalidScope, .unsupportedGrantType, .unsupportedResponseType,
            .refused:
            .badRequest
        case .invalidClient, .missingToken, .invalidToken: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    /// RFC 6750 section 3: a request without credentials gets a bare challenge, a bad token `invalid_token`.
    var challenge: String? {
        switch code {
        case .invalidClient(sentBasic: true): "Basic realm=\"\(OAuthResponses.realm)\""
        case .missingToken: "Bearer realm=\"\(OAuthResponses.realm)\""
        case .invalidToken:
            "Bearer realm=\"\(OAuthResponses.realm)\", error=\"invalid_token\", error_description=\"\(description)\""
        default: nil
        }
    }

    var response: Response {
        var headers = HTTPFields()
        if let challenge { headers[.wwwAuthenticate] = challenge }
        return OAuthResponses.json(
            .object(["error": .string(errorCode), "error_description": .string(description)]),
            status: status,
            headers: headers
        )
    }
}
