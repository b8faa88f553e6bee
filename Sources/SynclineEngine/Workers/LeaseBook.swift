import Synchronization
import SynclineCore

/// Every lease one worker pool holds: claimed and waiting their turn, running, or done and not yet acknowledged.
/// The pool's one heartbeat keeps all of them alive, so a job claimed ahead in a batch never loses its lease
/// while it waits, and a lease found lost stops its running handler. Shared by the pool's loops, so it is a
/// lock around plain state (every operation is short and never suspends).
final class LeaseBook: Sendable {
    private struct State {
        var waiting: [JobLease] = []
        var next = 0
        var running: [String: Running] = [:]
        var done: [JobLease] = []
    }

    private struct Running {
        var lease: JobLease
        var cancel: (@Sendable () -> Void)?
        var lost = false
    }

    private let state = Mutex(State())

    /// How many leases the pool holds in all.
    var held: Int {
        state.withLock { $0.waiting.count - $0.next + $0.running.count + $0.done.count }
    }

    var doneCount: Int { state.withLock { $0.done.count } }

    func add(_ leases: [JobLease]) {
        guard !leases.isEmpty else { return }
        state.withLock { state in
            if state.next > 0 {
                state.waiting.removeFirst(state.next)
                state.next = 0
            }
            state.waiting.append(contentsOf: leases)
        }
    }

    /// The next waiting lease, now counted as running.
    func start() -> JobLease? {
        state.withLock { state in
            guard state.next < state.waiting.count else { return nil }
            let lease = state.waiting[state.next]
            state.next += 1
            state.running[lease.id] = Running(lease: lease)
            return lease
        }
    }

    /// Registers how to stop a running job's handler; stops it at once if its lease was lost meanwhile.
    func onLoss(_ id: String, cancel: @escaping @Sendable () -> Void) {
        let lostAlready = state.withLock { state -> Bool in
            state.running[id]?.cancel = cancel
            return state.running[id]?.lost ?? false
        }
        if lostAlready { cancel() }
    }

    /// A job's handler returned: answers whether its lease was lost while it ran. A success is kept (and its
    /// lease heartbeated) until it is acknowledged.
    func finish(_ lease: JobLease, succeeded: Bool) -> Bool {
        state.withLock { state in
            let lost = state.running.removeValue(forKey: lease.id)?.lost ?? false
            if succeeded, !lost { state.done.append(lease) }
            return lost
        }
    }

    /// The successes to acknowledge now.
    func takeDone() -> [JobLease] {
        state.withLock { state in
            defer { state.done = [] }
            return state.done
        }
    }

    /// The leases never started, taken back for release.
    func takeWaiting() -> [JobLease] {
        state.withLock { state in
            defer {
                state.waiting = []
                state.next = 0
            }
            return Array(state.waiting[state.next...])
        }
    }

    /// Every held lease, for the heartbeat.
    func all() -> [JobLease] {
        state.withLock { state in
            Array(state.waiting[state.next...]) + state.running.values.map(\.lease) + state.done
        }
    }

    /// Leases the queue no longer gives us (cancelled by a person, or taken over after expiry): waiting and done
    /// ones are dropped, running ones are stopped. Matched by id and token: the heartbeat's list can be older
    /// than a job's next lease (the job failed, was retried and claimed again meanwhile), which stays ours.
    func lose(_ leases: [JobLease]) {
        guard !leases.isEmpty else { return }
        let lost = Dictionary(leases.map { ($0.id, $0.token) }, uniquingKeysWith: max)
        func isLost(_ lease: JobLease) -> Bool { lost[lease.id] == lease.token }
        let cancels = state.withLock { state -> [@Sendable () -> Void] in
            state.waiting = state.waiting[state.next...].filter { !isLost($0) }
            state.next = 0
            state.done.removeAll(where: isLost)
            var cancels: [@Sendable () -> Void] = []
            for (id, running) in state.running where isLost(running.lease) {
                state.running[id]?.lost = true
                if let cancel = running.cancel { cancels.append(cancel) }
            }
            return cancels
        }
        for cancel in cancels { cancel() }
    }
}
