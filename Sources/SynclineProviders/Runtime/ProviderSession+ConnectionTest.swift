import NIOHTTP1
import SynclineCore

extension ProviderSession {
    /// Authenticates and makes the cheapest read the provider file names (`test_request`, else the first page
    /// of the first entity type). Throws a `ProviderError` whose message a tenant can act on.
    public func testConnection() async throws {
        let definition = connection.definition
        if case .oauth2ClientCredentials = definition.auth {
            _ = try await currentToken()
        }
        if let test = definition.testRequest {
            let path = try connection.render(test.path)
            _ = try await send(method: HTTPMethod(rawValue: test.method), url: try await baseURL() + path)
            return
        }
        guard let entity = definition.entityTypes.first(where: { $0.parent == nil }) else { return }
        var iterator = try pages(of: entity.name).makeAsyncIterator()
        _ = try await iterator.next()
    }
}
