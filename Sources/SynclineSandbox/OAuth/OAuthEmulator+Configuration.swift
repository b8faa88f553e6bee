import Foundation

extension OAuthEmulator {
    /// Everything that makes one emulated authorization server: its one registered client, token lifetime,
    /// allowed redirect URIs, the size of the protected contacts list, and its clock. Plain values with defaults.
    public struct Configuration: Sendable {
        /// The registered (confidential) client's credentials.
        public var clientID: String
        public var clientSecret: String
        /// How long an access token is accepted; `expires_in` is its whole seconds.
        public var accessTokenLifetime: Duration
        /// The redirect URIs `/authorize` accepts, compared as exact strings; empty accepts any absolute
        /// `http` or `https` URI without a fragment.
        public var redirectURIs: [String]
        /// How many records `GET /api/contacts` serves (ids `c-1` to `c-N`).
        public var contacts: Int
        /// The emulator's clock, for code and token expiry and the request log. Inject a settable one in tests
        /// instead of sleeping.
        public var now: @Sendable () -> Date

        public init(
            clientID: String = "sandbox-oauth-client",
            clientSecret: String = "sandbox-oauth-secret",
            accessTokenLifetime: Duration = .seconds(3600),
            redirectURIs: [String] = [],
            contacts: Int = 25,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.accessTokenLifetime = accessTokenLifetime
            self.redirectURIs = redirectURIs
            self.contacts = contacts
            self.now = now
        }

        /// The access token lifetime in seconds, fractions included.
        var accessTokenSeconds: TimeInterval {
            let components = accessTokenLifetime.components
            return TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
        }
    }
}
