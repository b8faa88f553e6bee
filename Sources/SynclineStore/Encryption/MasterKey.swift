import Crypto
import Foundation
import SynclineCore

/// A 256-bit AES key with an id derived from its material, so the same key has the same id wherever it is
/// configured (environment or key file) and a ciphertext can say which key sealed it without revealing it.
public struct MasterKey: Sendable {
    public let id: String
    let key: SymmetricKey

    /// A key from its raw 32 bytes.
    public init(material: Data) throws {
        guard material.count == 32 else {
            throw StoreError(
                .invalidConfiguration,
                "a master key must be 32 bytes (base64 of 32 random bytes), got \(material.count) bytes"
            )
        }
        self.key = SymmetricKey(data: material)
        var hasher = SHA256()
        hasher.update(data: Data("syncline.master-key.v1".utf8))
        hasher.update(data: material)
        let digest = hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
        self.id = "k" + digest
    }

    /// A key from base64 text, as `SYNCLINE_MASTER_KEY` holds it; `source` names where it came from in errors.
    public init(base64: String, source: String) throws {
        guard let material = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw StoreError(.invalidConfiguration, "\(source) is not valid base64 (expected 32 random bytes)")
        }
        do {
            try self.init(material: material)
        } catch let error as StoreError {
            throw StoreError(error.code, "\(source): \(error.message)")
        }
    }

    /// A fresh random key.
    public static func generate() -> MasterKey {
        let material = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // 32 random bytes always make a valid key.
        guard let key = try? MasterKey(material: material) else { preconditionFailure("32-byte key rejected") }
        return key
    }

    /// The key as base64, for the key file only.
    var base64: String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

/// The keys a process can decrypt with, and the one it encrypts with.
public struct KeyRing: Sendable {
    public let active: MasterKey
    private let keys: [String: MasterKey]

    public init(active: MasterKey, others: [MasterKey] = []) {
        self.active = active
        var keys = Dictionary(others.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        keys[active.id] = active
        self.keys = keys
    }

    public func key(id: String) -> MasterKey? { keys[id] }

    /// Every key id, active first.
    public var ids: [String] { [active.id] + keys.keys.filter { $0 != active.id }.sorted() }
}
