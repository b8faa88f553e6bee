import Foundation
import SynclineCore

/// A provider's answer, body collected within the size cap.
public struct ProviderResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    /// The body as JSON; `what` names the page in the error ("page 3 of clients").
    public func json(_ what: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(data: body)
        } catch {
            let preview = String(decoding: body.prefix(80), as: UTF8.self)
            throw ProviderError(
                .badResponse,
                "\(what) is not valid JSON (\(body.count) bytes, starting \(preview.debugDescription))",
                status: status
            )
        }
    }
}

/// What a session did, for run statistics and tests.
public struct ProviderSessionStats: Sendable, Hashable {
    public var requests = 0
    public var retries = 0
    public var rateLimitWaits = 0
    public var timeWaitedOnRateLimits: Duration = .zero
    public var tokenRequests = 0
}
