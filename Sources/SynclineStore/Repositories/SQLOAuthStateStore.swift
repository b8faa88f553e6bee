import Crypto
import Foundation
import SQLKit
import SynclineCore

/// OAuth states in `oauth_states`. A state is `nonce.keyid.mac`: the MAC (HMAC-SHA256 under a key derived from
/// the master key) proves this server made it, the row makes it single-use and expiring, and the PKCE verifier
/// is derived from the nonce with the same key, so no verifier is ever stored.
public struct SQLOAuthStateStore: OAuthStateStore {
    let database: Database
    let cipher: CredentialCipher

    /// How long a tenant has between "authorize" and the provider's redirect back.
    public static let lifetime: TimeInterval = 600

    private struct Row: Decodable {
        var tenantId: String
        var connectionId: String
        var redirectUri: String
        var expiresAt: Int64
    }

    public func begin(tenantID: String, connectionID: String, redirectURI: String, now: Date) async throws
        -> OAuthAuthorization
    {
        let nonce = Self.randomToken(bytes: 24)
        let key = cipher.ring.active
        let signing = Self.signingKey(key)
        let state = "\(nonce).\(key.id).\(Self.mac("state|\(nonce)", signing))"
        let expiresAt = now.addingTimeInterval(Self.lifetime)
        let created = Timestamp.millis(now)
        try await database.withConnection { db in
            try await db.delete(from: "oauth_states").where("expires_at", .lessThan, created - 86_400_000).run()
            try await db.insert(into: "oauth_states")
                .columns("id", "tenant_id", "connection_id", "redirect_uri", "created_at", "expires_at")
                .values(
                    SQLBind(nonce),
                    SQLBind(tenantID),
                    SQLBind(connectionID),
                    SQLBind(redirectURI),
                    SQLBind(created),
                    SQLBind(Timestamp.millis(expiresAt))
                )
                .run()
        }
        return OAuthAuthorization(
            state: state,
            codeVerifier: Self.mac("pkce|\(nonce)", signing),
            expiresAt: Timestamp.date(Timestamp.millis(expiresAt))
        )
    }

    public func consume(_ state: String, now: Date) async throws -> Result<OAuthPendingGrant, OAuthStateRejection> {
        let parts = state.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let key = cipher.ring.key(id: parts[1]) else { return .failure(.forged) }
        let nonce = parts[0]
        let signing = Self.signingKey(key)
        guard
            let presented = Base64URL.decode(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(
                presented,
                authenticating: Data("state|\(nonce)".utf8),
                using: signing
            )
        else { return .failure(.forged) }
        let consumedAt = Timestamp.millis(now)
        let spent = try await database.withConnection { db in
            try await db.update("oauth_states")
                .set("consumed_at", to: consumedAt)
                .where("id", .equal, nonce)
                .where("consumed_at", .is, SQLLiteral.null)
                .returning("tenant_id", "connection_id", "redirect_uri", "expires_at")
                .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        guard let spent else {
            // Signed by us but not spendable: either spent before, or its row was swept long after expiry.
            return .failure(.reused)
        }
        guard spent.expiresAt >= consumedAt else { return .failure(.expired) }
        return .success(
            OAuthPendingGrant(
                tenantID: spent.tenantId,
                connectionID: spent.connectionId,
                codeVerifier: Self.mac("pkce|\(nonce)", signing),
                redirectURI: spent.redirectUri
            )
        )
    }

    private static func signingKey(_ key: MasterKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key.key,
            info: Data("syncline oauth state".utf8),
            outputByteCount: 32
        )
    }

    private static func mac(_ message: String, _ key: SymmetricKey) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
