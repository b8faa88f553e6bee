/// A storage failure a caller can act on: each code maps once to an HTTP status and a CLI message.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compared, never switched on exhaustively, so new kinds can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case notFound = "not_found"
            case conflict
            case invalidConfiguration = "invalid_configuration"
            case unavailable
            case schemaTooNew = "schema_too_new"
            case keyMissing = "key_missing"
            case decryptionFailed = "decryption_failed"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The row does not exist for this tenant (another tenant's row is reported the same way).
        public static var notFound: Self { .init(.notFound) }
        /// A unique constraint would be broken.
        public static var conflict: Self { .init(.conflict) }
        /// The database settings are wrong (bad URL, unwritable directory).
        public static var invalidConfiguration: Self { .init(.invalidConfiguration) }
        /// The database cannot be reached.
        public static var unavailable: Self { .init(.unavailable) }
        /// The database was migrated by a newer Syncline.
        public static var schemaTooNew: Self { .init(.schemaTooNew) }
        /// A ciphertext names an encryption key that is not in the key ring.
        public static var keyMissing: Self { .init(.keyMissing) }
        /// A ciphertext did not open with its key: wrong key material or tampered data.
        public static var decryptionFailed: Self { .init(.decryptionFailed) }

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
