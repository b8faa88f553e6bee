import Foundation
import SQLKit
import SynclineCore

/// The operator's provider settings in `provider_settings`; the OAuth client secret is sealed with the
/// credential cipher, bound to the provider's slug.
public struct SQLProviderSettingsStore: ProviderSettingsStore {
    let database: Database
    let cipher: CredentialCipher

    private struct Row: Decodable {
        var slug: String
        var hidden: Int
        var oauthClientId: String?
        var oauthSecretKeyId: String?
        var oauthSecretCiphertext: String?
        var updatedAt: Int64
    }

    private static let columns = [
        "slug", "hidden", "oauth_client_id", "oauth_secret_key_id", "oauth_secret_ciphertext", "updated_at",
    ].map { SQLIdentifier($0) }

    private static func context(_ slug: String) -> String { "provider|\(slug)" }

    public func all() async throws -> [ProviderSettings] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("provider_settings").orderBy("slug")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map {
                    ProviderSettings(
                        slug: $0.slug,
                        hidden: $0.hidden != 0,
                        oauthClientID: $0.oauthClientId,
                        updatedAt: Timestamp.date($0.updatedAt)
                    )
                }
        }
    }

    public func setHidden(_ hidden: Bool, slug: String) async throws {
        try await upsert(slug: slug) { update in update.set("hidden", to: hidden ? 1 : 0) }
    }

    public func setOAuthClient(_ client: OAuthClientCredentials?, slug: String) async throws {
        let sealed = try client.map { try cipher.seal(Data($0.clientSecret.utf8), context: Self.context(slug)) }
        try await upsert(slug: slug) { update in
            update.set("oauth_client_id", to: client?.clientID)
                .set("oauth_secret_key_id", to: sealed?.keyID)
                .set("oauth_secret_ciphertext", to: sealed?.ciphertext)
        }
    }

    public func oauthClient(slug: String) async throws -> OAuthClientCredentials? {
        let row = try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("provider_settings").where("slug", .equal, slug)
                .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        guard let row, let clientID = row.oauthClientId, let keyID = row.oauthSecretKeyId,
            let ciphertext = row.oauthSecretCiphertext
        else { return nil }
        let secret = try cipher.open(
            .init(keyID: keyID, ciphertext: ciphertext),
            context: Self.context(slug),
            subject: "the OAuth client secret of \(slug)"
        )
        return OAuthClientCredentials(clientID: clientID, clientSecret: String(decoding: secret, as: UTF8.self))
    }

    /// Inserts the slug's row if missing, then applies `change` to it, in one transaction.
    private func upsert(slug: String, _ change: @escaping (SQLUpdateBuilder) -> SQLUpdateBuilder) async throws {
        let now = Timestamp.millis(Date())
        try await database.transaction { db in
            let exists =
                try await db.select().column("slug").from("provider_settings").where("slug", .equal, slug)
                .first() != nil
            if !exists {
                try await db.insert(into: "provider_settings").columns("slug", "hidden", "updated_at")
                    .values(SQLBind(slug), SQLBind(0), SQLBind(now)).run()
            }
            try await change(db.update("provider_settings")).set("updated_at", to: now)
                .where("slug", .equal, slug).run()
        }
    }
}
