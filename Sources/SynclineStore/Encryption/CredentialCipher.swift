import Crypto
import Foundation
import Synchronization
import SynclineCore

/// Seals credentials with AES-256-GCM under the active master key and opens them with whichever key
/// sealed them. The key id travels with each ciphertext, so keys can be rotated while servers run.
public final class CredentialCipher: Sendable {
    /// A sealed value as stored: the id of the key that sealed it and base64 of nonce, ciphertext and tag.
    public struct Sealed: Sendable, Hashable {
        public var keyID: String
        public var ciphertext: String
    }

    private struct State {
        var ring: KeyRing
        var fileDate: Date?
    }
    private let state: Mutex<State>
    private let keyFile: KeyFile?

    /// A cipher over a fixed ring (keys from the environment).
    public init(ring: KeyRing) {
        self.state = Mutex(State(ring: ring, fileDate: nil))
        self.keyFile = nil
    }

    /// A cipher over the key file, created on first use; it reloads the file when it changes, so a
    /// `syncline keys rotate` run by another process takes effect here without a restart.
    public init(keyFile: KeyFile) throws {
        let ring = try keyFile.loadOrCreate()
        self.state = Mutex(State(ring: ring, fileDate: keyFile.modificationDate()))
        self.keyFile = keyFile
    }

    /// The ring as it stands now (reloaded from the key file if that changed).
    public var ring: KeyRing {
        reloadIfChanged()
        return state.withLock { $0.ring }
    }

    /// Seals `plaintext`, bound to `context` (the row it belongs to) so a ciphertext copied elsewhere fails.
    public func seal(_ plaintext: Data, context: String) throws -> Sealed {
        let key = ring.active
        let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: Self.aad(context, keyID: key.id))
        guard let combined = box.combined else {
            throw StoreError(.decryptionFailed, "sealing with key \(key.id) produced no ciphertext")
        }
        return Sealed(keyID: key.id, ciphertext: combined.base64EncodedString())
    }

    /// Opens a sealed value; `subject` names what it is in errors ("the credentials of connection con_...").
    public func open(_ sealed: Sealed, context: String, subject: String) throws -> Data {
        var key = state.withLock { $0.ring.key(id: sealed.keyID) }
        if key == nil {
            reload()
            key = state.withLock { $0.ring.key(id: sealed.keyID) }
        }
        guard let key else {
            throw StoreError(
                .keyMissing,
                "\(subject) are encrypted with master key \(sealed.keyID), which this server does not have "
                    + "(it has \(ring.ids.joined(separator: ", "))); configure that key in SYNCLINE_MASTER_KEY "
                    + "or SYNCLINE_PREVIOUS_MASTER_KEYS, or restore the key file it came from"
            )
        }
        do {
            guard let data = Data(base64Encoded: sealed.ciphertext) else { throw CipherFailure() }
            let box = try AES.GCM.SealedBox(combined: data)
            return try AES.GCM.open(box, using: key.key, authenticating: Self.aad(context, keyID: key.id))
        } catch {
            throw StoreError(
                .decryptionFailed,
                "\(subject) do not decrypt with master key \(sealed.keyID): the stored data was altered or moved"
            )
        }
    }

    private struct CipherFailure: Error {}

    private static func aad(_ context: String, keyID: String) -> Data {
        Data("syncline.credential.v1|\(keyID)|\(context)".utf8)
    }

    private func reloadIfChanged() {
        guard let keyFile else { return }
        let date = keyFile.modificationDate()
        let changed = state.withLock { $0.fileDate != date }
        if changed { reload() }
    }

    private func reload() {
        guard let keyFile, let ring = try? keyFile.load() else { return }
        let date = keyFile.modificationDate()
        state.withLock { $0 = State(ring: ring, fileDate: date) }
    }
}
