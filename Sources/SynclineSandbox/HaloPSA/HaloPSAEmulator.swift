import Foundation
import Hummingbird

/// An emulated HaloPSA instance (OAuth client-credentials token endpoint and the list API) served by a
/// Hummingbird router, so Syncline can be tested, benchmarked and demonstrated without a Halo account.
///
/// Mount it on any router (`register(on:at:)`, e.g. at `/halopsa` or `/sandbox/halopsa`), or run it on its own
/// loopback port with `withHaloPSASandbox`. Copies share state: the request log, tokens and touched records.
/// Times in records are UTC written without a zone designator (`2025-06-30T17:00:00`), as HaloPSA writes them.
public struct HaloPSAEmulator: Sendable {
    public let configuration: Configuration
    /// Every request served, with its status.
    public let requests: SandboxRequestLog
    let state: HaloPSAState

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.requests = SandboxRequestLog()
        self.state = HaloPSAState()
    }

    /// Marks records as modified at `time` (the emulator's clock by default): their `last_update` (tickets,
    /// assets) moves, so an incremental read from before `time` returns them. Ids outside 1...count are ignored.
    public func touch(_ entity: HaloPSAEntity, ids: some Sequence<Int>, at time: Date? = nil) {
        let second = SandboxTime.seconds(time ?? configuration.now())
        let count = configuration.recordCounts[entity]
        let valid = ids.filter { $0 >= 1 && $0 <= count }
        state.withValues { values in
            for id in valid { values.modifications[entity, default: [:]][id] = second }
        }
    }

    /// The number of tokens issued so far.
    public var issuedTokenCount: Int {
        state.withValues { $0.tokens.issuedCount }
    }

    /// The number of API requests received so far (the numbering that scenarios use).
    public var apiRequestCount: Int {
        state.withValues { $0.faults.apiRequests }
    }

    /// Mounts the emulator under `prefix`: token at `{prefix}/auth/token`, API at `{prefix}/api/...`.
    public func register<Context: RequestContext>(on router: Router<Context>, at prefix: String = "/halopsa") {
        addRoutes(to: router.group(RouterPath(prefix)))
    }

    /// Adds the emulator's routes to a router or group; everything below it is the emulated host.
    public func addRoutes<Routes: RouterMethods>(to routes: Routes) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            routes.on("**", method: method) { request, context in
                await self.respond(to: request, path: context.parameters.getCatchAll())
            }
        }
    }
}
