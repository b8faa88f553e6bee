extension SandboxScenario {
    /// A page of one entity type whose body is broken, with status 200 and a JSON content type, as a proxy
    /// cutting a connection or a server bug would produce. An unpaged list counts as page 1.
    public struct MalformedPage: Sendable, Equatable {
        /// How the body is broken.
        public enum Kind: String, Sendable, Equatable {
            /// The valid body cut in half (the `Content-Length` matches the cut body).
            case truncated
            /// The full body with a syntax error in the middle.
            case invalidJSON
        }

        /// The entity's response key, e.g. `tickets`.
        public var entity: String
        /// 1-based page number (`page_no`).
        public var page: Int
        public var kind: Kind
        /// How many times the page is broken before it is served correctly; `nil` for always.
        public var times: Int?

        public init(entity: String, page: Int, kind: Kind = .truncated, times: Int? = nil) {
            self.entity = entity
            self.page = page
            self.kind = kind
            self.times = times
        }
    }
}
