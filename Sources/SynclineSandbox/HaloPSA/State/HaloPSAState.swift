import Synchronization

/// The mutable side of one emulated instance (faults, tokens, touched records) behind one mutex, so every copy
/// of the emulator struct and every connection sees the same state. Only plain values live inside.
final class HaloPSAState: Sendable {
    struct Values: Sendable {
        var faults = SandboxFaultState()
        var tokens = SandboxTokenBook()
        /// Modification times (seconds) set by `touch`, by entity and id.
        var modifications: [HaloPSAEntity: [Int: Int]] = [:]
    }

    private let values = Mutex(Values())

    func withValues<Result: Sendable>(_ body: (inout Values) -> Result) -> Result {
        values.withLock { body(&$0) }
    }
}
