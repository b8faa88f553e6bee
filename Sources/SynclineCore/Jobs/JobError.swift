/// How a failed job should be treated, so the worker pool retries what may pass and stops what will not.
/// Handlers throw it; any other error counts as retryable.
public struct JobError: Error, Sendable, CustomStringConvertible {
    public enum Disposition: String, Sendable, Hashable {
        /// Timeouts, resets, 5xx, 429: try again after a backoff (at least `retryAfter` when the provider said).
        case retryable
        /// Bad request, unknown entity type, mapping error: retrying cannot help, the job is dead at once.
        case permanent
        /// Credentials refused even after a refresh: dead, and the connection needs a person.
        case auth
    }

    public var disposition: Disposition
    public var message: String
    /// The provider's Retry-After, when it gave one.
    public var retryAfter: Duration?

    public init(_ disposition: Disposition, _ message: String, retryAfter: Duration? = nil) {
        self.disposition = disposition
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}
