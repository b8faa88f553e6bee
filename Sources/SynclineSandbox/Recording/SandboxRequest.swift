import Foundation

/// One request an emulated provider served, kept so tests can assert what a client really sent.
public struct SandboxRequest: Sendable, Equatable {
    /// 1 for the first request the emulator served, counting every route.
    public let number: Int
    /// When the request arrived, by the emulator's clock.
    public let time: Date
    public let method: String
    /// The path as received, before any case folding.
    public let path: String
    /// The raw query string, without `?`.
    public let query: String?
    /// Header values by lower-cased name; the credentials of `Authorization` are replaced by `[redacted]`.
    public let headers: [String: String]
    /// The status code the emulator answered with.
    public let status: Int

    public init(
        number: Int,
        time: Date,
        method: String,
        path: String,
        query: String?,
        headers: [String: String],
        status: Int
    ) {
        self.number = number
        self.time = time
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.status = status
    }

    /// A decoded query parameter, matched case-insensitively.
    public func queryValue(_ name: String) -> String? {
        FormFields(query)[name]
    }

    /// The scheme of the `Authorization` header (`Bearer`, `Basic`), if one was sent.
    public var authorizationScheme: String? {
        headers["authorization"]?.split(separator: " ").first.map(String.init)
    }
}
