import Foundation

extension HaloPSAEmulator {
    /// Everything that makes one emulated HaloPSA instance: its data (seed, counts, time span), its API
    /// application's credentials, token lifetime, clock and faults. A plain value with working defaults.
    public struct Configuration: Sendable {
        /// Same seed, same counts, same data: every record is computed from (seed, id).
        public var seed: UInt64
        public var recordCounts: HaloPSARecordCounts
        /// The "Client ID and Secret (Services)" application's credentials.
        public var clientID: String
        public var clientSecret: String
        /// When set, token requests must carry `?tenant=` with this value (hosted Halo instances).
        public var tenant: String?
        /// `expires_in` of issued tokens.
        public var tokenLifetimeSeconds: Int
        /// `page_size` when a paginated request leaves it out.
        public var defaultPageSize: Int
        /// The newest time in the generated data; tickets, actions and timesheets spread over `historyDays`
        /// before it. Fixed by default so the data does not depend on when it is read.
        public var dataEndDate: Date
        public var historyDays: Int
        /// The emulator's clock, for token expiry, rate-limit windows, `touch` and the request log.
        /// Inject a settable one in tests instead of sleeping.
        public var now: @Sendable () -> Date
        public var scenario: SandboxScenario

        public init(
            seed: UInt64 = 1,
            recordCounts: HaloPSARecordCounts = HaloPSARecordCounts(),
            clientID: String = "demo",
            clientSecret: String = "demo",
            tenant: String? = nil,
            tokenLifetimeSeconds: Int = 3600,
            defaultPageSize: Int = 50,
            dataEndDate: Date = Date(timeIntervalSince1970: 1_751_302_800),
            historyDays: Int = 365,
            now: @escaping @Sendable () -> Date = { Date() },
            scenario: SandboxScenario = .none
        ) {
            self.seed = seed
            self.recordCounts = recordCounts
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.tenant = tenant
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
            self.defaultPageSize = defaultPageSize
            self.dataEndDate = dataEndDate
            self.historyDays = historyDays
            self.now = now
            self.scenario = scenario
        }
    }
}
