import Crypto
import Foundation
import Synchronization

/// Client-credentials tokens shared by every session of one process, so a connection's token is fetched once and
/// reused by later jobs until shortly before it expires, instead of once per job. Keyed by a SHA-256 of the token
/// URL and the client id and secret: new credentials never see an old token, and no secret is kept as a key.
final class ClientTokenCache: Sendable {
    private let tokens = Mutex<[String: ProviderSession.AccessToken]>([:])
    /// Beyond this many entries, expired ones are dropped on insert (and the oldest, if none expired).
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    static func key(tokenURL: String, clientID: String, clientSecret: String) -> String {
        let digest = SHA256.hash(data: Data("\(tokenURL)\n\(clientID)\n\(clientSecret)".utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    func token(for key: String) -> ProviderSession.AccessToken? {
        tokens.withLock { $0[key] }
    }

    func store(_ token: ProviderSession.AccessToken, for key: String, now: Duration) {
        tokens.withLock { tokens in
            if tokens.count >= capacity {
                tokens = tokens.filter { $0.value.expiresAt > now }
                if tokens.count >= capacity, let oldest = tokens.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                    tokens[oldest.key] = nil
                }
            }
            tokens[key] = token
        }
    }

    /// Forgets the token the provider just refused (and only that one, so a fresher token another session
    /// cached meanwhile survives).
    func evict(_ key: String, value: String) {
        tokens.withLock { tokens in
            if tokens[key]?.value == value { tokens[key] = nil }
        }
    }
}
