import Synchronization

/// Lets one loop of a worker pool claim at a time. The loops share what a claim brings (the `LeaseBook`), so a
/// second claim in flight only races the first for the same rows: on PostgreSQL each claim locks its window of
/// candidates with `FOR UPDATE SKIP LOCKED`, and 4 processes of 2 racing loops did about a tenth fewer jobs per
/// second than 4 of one loop (BENCHMARKS.md, stop 14). Racing loops also held more than `concurrency +
/// claimBatch` leases between them.
final class ClaimGate: Sendable {
    private struct State {
        var claiming = false
        var waiting: [CheckedContinuation<Int?, Never>] = []
    }

    private let state = Mutex(State())

    /// Nil when the caller is now the claimer, which must call `end(added:)`; otherwise, after waiting for the
    /// claim in flight, how many leases it added.
    func enter() async -> Int? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            let claimer = state.withLock { state -> Bool in
                if state.claiming {
                    state.waiting.append(continuation)
                    return false
                }
                state.claiming = true
                return true
            }
            if claimer { continuation.resume(returning: nil) }
        }
    }

    /// The claim ended (with `added` leases, 0 when it failed); the loops that waited for it go on.
    func end(added: Int) {
        let waiting = state.withLock { state -> [CheckedContinuation<Int?, Never>] in
            state.claiming = false
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: added) }
    }
}
