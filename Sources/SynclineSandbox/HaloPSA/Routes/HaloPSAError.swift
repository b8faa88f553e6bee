import Hummingbird

/// A request the emulated HaloPSA refuses, mapped once to a status and a JSON error body
/// (`{"error": code, "error_description": text}`, the OAuth shape HaloPSA's auth server uses).
struct HaloPSAError: Error, Sendable, Equatable {
    private enum Code: Sendable, Equatable {
        case invalidRequest
        case invalidClient
        case unsupportedGrantType
        case missingToken
        case invalidToken
        case expiredToken
        case badParameter
        case notFound
        case methodNotAllowed
    }

    private let code: Code
    let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func invalidRequest(_ text: String) -> Self { .init(.invalidRequest, text) }
    static func invalidClient(_ text: String) -> Self { .init(.invalidClient, text) }
    static func unsupportedGrantType(_ text: String) -> Self { .init(.unsupportedGrantType, text) }
    static var missingToken: Self { .init(.missingToken, "A bearer token is required") }
    static var invalidToken: Self { .init(.invalidToken, "The access token is not valid") }
    static var expiredToken: Self { .init(.expiredToken, "The access token has expired") }
    static func badParameter(_ text: String) -> Self { .init(.badParameter, text) }
    static func notFound(_ text: String) -> Self { .init(.notFound, text) }
    static var methodNotAllowed: Self { .init(.methodNotAllowed, "Method not allowed") }

    var status: HTTPResponse.Status {
        switch code {
        case .invalidRequest, .unsupportedGrantType, .badParameter: .badRequest
        case .invalidClient, .missingToken, .invalidToken, .expiredToken: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    /// The `error` member of the body.
    var errorCode: String {
        switch code {
        case .invalidRequest, .badParameter: "invalid_request"
        case .invalidClient: "invalid_client"
        case .unsupportedGrantType: "unsupported_grant_type"
        case .missingToken: "unauthorized"
        case .invalidToken, .expiredToken: "invalid_token"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        }
    }

    /// The `WWW-Authenticate` challenge that goes with a 401, per RFC 6750.
    var challenge: String? {
        switch code {
        case .missingToken: "Bearer"
        case .invalidToken, .expiredToken: "Bearer error=\"invalid_token\", error_description=\"\(description)\""
        default: nil
        }
    }

    var response: Response {
        var headers = HTTPFields()
        if let challenge { headers[.wwwAuthenticate] = challenge }
        return HaloPSAResponses.json(
            .object(["error": .string(errorCode), "error_description": .string(description)]),
            status: status,
            headers: headers
        )
    }
}
