import Hummingbird
import Logging
import ServiceLifecycle
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
        var logger = Logger(label: "syncline.sandbox")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                guard let port = channel.localAddress?.port else { return started.resolve(nil) }
                started.resolve(Listening(port: port))
            },
            logger: logger
        )
        // Stopped by a graceful shutdown (the server closes its listener and idle connections, lets requests in
        // flight finish, then is cancelled after the grace period), never by closing its channel from outside:
        // that raced with the server's own shutdown under load and could leave the test waiting forever.
        var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: logger)
        configuration.gracefulShutdownSignals = []
        configuration.cancellationSignals = []
        configuration.maximumGracefulShutdownDuration = closeGracePeriod
        let group = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // The server's own errors surface as a failure to start, or not at all once the body has run.
                try? await group.run()
                started.resolve(nil)
            }
            guard let listening = await started.wait() else {
                await group.triggerGracefulShutdown()
                throw SandboxError.serverDidNotStart(host: host)
            }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body(listening.port))
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }

    /// The running server's port.
    private struct Listening: Sendable {
        let port: Int
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
