import Foundation
import Hummingbird

extension OAuthEmulator {
    /// `per_page` when a contacts request leaves it out.
    static let defaultContactsPageSize = 100
    /// The largest `per_page` served; larger requests are served pages of this size.
    static let maximumContactsPageSize = 500

    /// `/api/...`: the bearer token first (RFC 6750), then the resource.
    func apiResponse(_ request: Request, route: [String], at now: Date) -> Response {
        do throws(OAuthError) {
            try authorize(request.headers[.authorization], at: now)
            guard request.method == .get else { throw .methodNotAllowed }
            switch route {
            case ["me"]:
                return OAuthResponses.json(
                    .object([
                        "id": .string("user-1"),
                        "email": .string("sandbox.user@example.com"),
                        "name": .string("Sandbox User"),
                    ])
                )
            case ["contacts"]:
                return try contacts(FormFields(request.uri.query))
            default:
                throw .notFound
            }
        } catch {
            return error.response
        }
    }

    private func authorize(_ header: String?, at now: Date) throws(OAuthError) {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { throw .missingToken }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw .missingToken }
        switch state.withValues({ $0.book.verify(accessToken: token, at: now) }) {
        case .valid: return
        case .unknown: throw .invalidToken("The access token is unknown")
        case .expired: throw .invalidToken("The access token has expired")
        case .revoked: throw .invalidToken("The access token has been revoked")
        }
    }

    /// `GET /api/contacts?page=&per_page=`: pages numbered from 1, with the total and whether more follow.
    private func contacts(_ query: FormFields) throws(OAuthError) -> Response {
        let page = try Self.positiveInt("page", in: query) ?? 1
        let requestedSize = try Self.positiveInt("per_page", in: query) ?? Self.defaultContactsPageSize
        let size = min(requestedSize, Self.maximumContactsPageSize)
        let total = max(0, configuration.contacts)
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: size)
        let first = overflow ? total : min(total, offset)
        let last = min(total, first + size)
        return OAuthResponses.json(
            .object([
                "data": .array((first..<last).map { OAuthContacts.contact($0 + 1) }),
                "page": .int(page),
                "per_page": .int(size),
                "total": .int(total),
                "has_more": .bool(last < total),
            ])
        )
    }

    private static func positiveInt(_ name: String, in query: FormFields) throws(OAuthError) -> Int? {
        guard let text = query.nonEmpty(name) else { return nil }
        guard let value = Int(text), value >= 1 else { throw .invalidRequest("\(name) must be a whole number from 1") }
        return value
    }
}
