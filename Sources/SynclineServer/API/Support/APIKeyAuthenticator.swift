import Crypto
import Foundation
import Hummingbird
import SynclineCore

/// Authenticates every `/api/v1` request by `Authorization: Bearer <key>` against the stored key hashes, and
/// puts the key's tenant on the context; the tenant filter itself is applied again by every store query.
struct APIKeyAuthenticator: RouterMiddleware {
    typealias Context = SynclineRequestContext
    let apiKeys: any APIKeyStore
    /// The SHA-256 of `SYNCLINE_ADMIN_KEY`, compared in constant time; the key itself is not kept.
    let adminKeyDigest: SHA256.Digest?

    init(apiKeys: any APIKeyStore, adminKey: String?) {
        self.apiKeys = apiKeys
        self.adminKeyDigest = adminKey.map { SHA256.hash(data: Data($0.utf8)) }
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(.unauthorized, "unauthorized", "send an API key as Authorization: Bearer <key>")
        }
        let plaintext = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        if let adminKeyDigest, SHA256.hash(data: Data(plaintext.utf8)) == adminKeyDigest {
            var context = context
            context.tenantID = nil
            context.actor = "operator:env"
            return try await next(request, context)
        }
        guard let key = try await apiKeys.authenticate(plaintext) else {
            throw APIError(.unauthorized, "unauthorized", "the API key is not valid or was revoked")
        }
        var context = context
        context.tenantID = key.tenantID
        context.actor = "key:\(key.prefix)"
        return try await next(request, context)
    }
}
