import Synchronization

/// The mutable side of one emulated OAuth server (codes, tokens, the scripted denial) behind one mutex, so every
/// copy of the emulator struct and every connection sees the same state. Only plain values live inside.
final class OAuthState: Sendable {
    struct Values: Sendable {
        var book = OAuthGrantBook()
        /// The `error` the next authorization request is refused with, set by `denyNextAuthorization`.
        var pendingDenial: String?
    }

    private let values = Mutex(Values())

    func withValues<Result: Sendable, Failure: Error>(
        _ body: (inout Values) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try values.withLock { (values: inout Values) throws(Failure) -> Result in try body(&values) }
    }
}
