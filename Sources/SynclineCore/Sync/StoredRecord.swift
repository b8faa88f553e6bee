import Foundation

/// A record as one page delivers it: its id at the provider and the stored text and fingerprint of its raw and
/// mapped JSON, made when the record is made, so an import does that work while the page before is still being
/// written, not inside the write. It keeps the text, not the parsed trees: a page waiting to be written holds a
/// quarter of the memory, which leaves room for one more page in the import's pipeline.
public struct IncomingRecord: Sendable, Hashable {
    public let externalID: String
    public let content: RecordContent

    /// `mapped` is the unified-model form, when a mapping applies; it is stored beside the raw record. `hasher`
    /// should be the store's (`RecordStore.contentHasher`). Throws `EncodingError` for a value JSON cannot hold (a
    /// non-finite number a transform made).
    public init(externalID: String, raw: JSONValue, mapped: JSONValue? = nil, hasher: ContentHasher = .portable)
        throws
    {
        self.externalID = externalID
        self.content = try RecordContent(raw: raw, mapped: mapped, hasher: hasher)
    }
}

/// SHA-256 of a record's stored text, as lowercase hex. Core's own is portable Swift, as Core imports no crypto
/// library; a store hands in a faster one of the same digest (swift-crypto's uses the CPU's SHA instructions),
/// because an import hashes every record it reads and the portable one was an eighth of the importer's work.
public struct ContentHasher: Sendable {
    private let hexDigest: @Sendable (UnsafeRawBufferPointer) -> String

    /// `hexDigest` must return SHA-256 of its bytes as 64 lowercase hex digits (`lowercaseHex` writes them).
    public init(hexDigest: @escaping @Sendable (UnsafeRawBufferPointer) -> String) {
        self.hexDigest = hexDigest
    }

    /// Core's pure-Swift SHA-256.
    public static let portable = ContentHasher { SHA256Digest($0).hex }

    /// The digest of `bytes`.
    public func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes(hexDigest)
    }

    /// Bytes as lowercase hexadecimal digits, written straight into the string's storage: an array of digits and
    /// one of the text, then a copy into the string, cost as much as hashing a short record.
    public static func lowercaseHex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[index * 2] = hexDigit(byte >> 4)
                text[index * 2 + 1] = hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

/// A record as stored: its raw and mapped JSON text and the content hash that tells an unchanged record from a
/// changed one (SHA-256 of the raw text followed by the mapped text, as lowercase hex). Both the import and a
/// mapping's re-application compute it here, so the two can never disagree about what "unchanged" means.
public struct RecordContent: Sendable, Hashable {
    public let raw: String
    public let mapped: String?
    public let hash: String

    public init(raw: JSONValue, mapped: JSONValue?, hasher: ContentHasher = .portable) throws {
        var bytes = try raw.jsonBytes()
        let rawCount = bytes.count
        if let mapped { try mapped.appendJSON(to: &bytes) }
        self.raw = String(decoding: bytes[..<rawCount], as: UTF8.self)
        self.mapped = mapped == nil ? nil : String(decoding: bytes[rawCount...], as: UTF8.self)
        self.hash = hasher.hex(bytes)
    }

    /// The content of a record already stored as text (`raw` as read back), with a new mapped form.
    public init(storedRaw raw: String, mapped: String?, hasher: ContentHasher = .portable) {
        self.raw = raw
        self.mapped = mapped
        var bytes = Array(raw.utf8)
        if let mapped { bytes.append(contentsOf: mapped.utf8) }
        self.hash = hasher.hex(bytes)
    }
}

/// One page to write: the records plus where the listing stands after it, saved in the same transaction so a
/// restarted job resumes exactly after the last page whose records were stored.
public struct PageWrite: Sendable {
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var runID: String
    public var records: [IncomingRecord]
    /// Where the listing resumes (opaque to the store); nil once the listing is complete.
    public var checkpoint: String?
    /// The highest incremental cursor value seen so far in this run.
    public var cursorSeen: String?
    /// Full syncs mark what they see, so what they did not see can be marked deleted at the end.
    public var fullSync: Bool
    /// The model the page's mapped records are of (`company`), so they can be read by model; nil when unmapped.
    public var model: String?

    public init(
        tenantID: String,
        connectionID: String,
        entityType: String,
        runID: String,
        records: [IncomingRecord],
        checkpoint: String?,
        cursorSeen: String?,
        fullSync: Bool,
        model: String? = nil
    ) {
        self.model = model
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.runID = runID
        self.records = records
        self.checkpoint = checkpoint
        self.cursorSeen = cursorSeen
        self.fullSync = fullSync
    }
}

/// A change in the per-connection feed: created, updated or deleted, in sequence order.
public struct RecordChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case created, updated, deleted
    }

    public var sequence: Int64
    public var kind: Kind
    public var entityType: String
    public var externalID: String
    public var raw: JSONValue?
    public var mapped: JSONValue?
    public var changedAt: Date

    public init(
        sequence: Int64,
        kind: Kind,
        entityType: String,
        externalID: String,
        raw: JSONValue?,
        mapped: JSONValue?,
        changedAt: Date
    ) {
        self.sequence = sequence
        self.kind = kind
        self.entityType = entityType
        self.externalID = externalID
        self.raw = raw
        self.mapped = mapped
        self.changedAt = changedAt
    }
}

/// Where the import of one (connection, entity type) stands between runs.
public struct ImportProgress: Sendable, Hashable {
    /// The incremental cursor the next run starts from; nil means a full sync.
    public var cursor: String?
    /// A listing checkpoint left by a run that did not finish; the next attempt resumes there.
    public var checkpoint: String?
    /// The run that left the checkpoint; a resumed listing keeps marking records under that run.
    public var checkpointRunID: String?
    /// The highest cursor value the unfinished listing had seen.
    public var pendingCursor: String?

    public init(
        cursor: String? = nil,
        checkpoint: String? = nil,
        checkpointRunID: String? = nil,
        pendingCursor: String? = nil
    ) {
        self.cursor = cursor
        self.checkpoint = checkpoint
        self.checkpointRunID = checkpointRunID
        self.pendingCursor = pendingCursor
    }
}
