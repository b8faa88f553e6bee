import Hummingbird
import Synchronization

/// Serves a router over real HTTP on a port the system picks, for the duration of a closure, and always shuts the
/// server down afterwards: sandbox providers are real servers (STYLE habit 9) scoped like any resource (habit 4).
enum LoopbackServer {
    /// How long open client connections may keep a stopping server alive before it is cancelled.
    static let closeGracePeriod: Duration = .seconds(2)

    static func withServer<Context: RequestContext, Result: Sendable>(
        router: Router<Context>,
        host: String,
        _ body: (Int) async throws -> Result
    ) async throws -> Result where Context: InitializableFromSource<ApplicationRequestContextSource> {
        let started = StartSignal()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                guard let port = channel.localAddress?.port else { return started.resolve(nil) }
                started.resolve(Listening(port: port) { try? await channel.close().get() })
            }
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // The server's own errors surface as a failure to start, or not at all once the body has run.
                try? await app.run()
                started.resolve(nil)
            }
            guard let listening = await started.wait() else {
                group.cancelAll()
                throw SandboxError.serverDidNotStart(host: host)
            }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body(listening.port))
            } catch {
                outcome = .failure(error)
            }
            // Stop accepting, let open connections finish briefly, then cancel whatever is left.
            await listening.close()
            group.addTask { try? await Task.sleep(for: closeGracePeriod) }
            _ = try await group.next()
            group.cancelAll()
            return try outcome.get()
        }
    }

    /// The running server: its port, and how to close its listening socket.
    private struct Listening: Sendable {
        let port: Int
        let close: @Sendable () async -> Void
    }

    /// A one-shot value that the server's start (or failure) resolves and the caller awaits.
    private final class StartSignal: Sendable {
        private enum State {
            case waiting([CheckedContinuation<Listening?, Never>])
            case resolved(Listening?)
        }

        private let state = Mutex<State>(.waiting([]))

        /// Resolves once; later calls are ignored.
        func resolve(_ listening: Listening?) {
            let waiters: [CheckedContinuation<Listening?, Never>] = state.withLock { state in
                guard case .waiting(let waiters) = state else { return [] }
                state = .resolved(listening)
                return waiters
            }
            for waiter in waiters { waiter.resume(returning: listening) }
        }

        func wait() async -> Listening? {
            await withCheckedContinuation { continuation in
                let resolved: Listening?? = state.withLock { state in
                    switch state {
                    case .waiting(let waiters):
                        state = .waiting(waiters + [continuation])
                        return nil
                    case .resolved(let listening):
                        return .some(listening)
                    }
                }
                if let resolved { continuation.resume(returning: resolved) }
            }
        }
    }
}
