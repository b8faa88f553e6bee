import Crypto
import SynclineCore

extension ContentHasher {
    /// swift-crypto's SHA-256, which uses the CPU's SHA instructions where it has them: the same digest as Core's
    /// portable one, several times faster on the import's path.
    public static let crypto = ContentHasher { bytes in
        SHA256.hash(data: bytes).withUnsafeBytes { ContentHasher.lowercaseHex($0) }
    }
}

extension SQLRecordStore {
    public var contentHasher: ContentHasher { .crypto }
}
