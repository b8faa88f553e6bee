import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

/// Runs `test` against an emulator mounted at `/halopsa` on an in-memory router.
func withEmulator(
    _ configuration: HaloPSAEmulator.Configuration = HaloPSAEmulator.Configuration(),
    _ test: @escaping @Sendable (HaloPSAEmulator, any TestClientProtocol) async throws -> Void
) async throws {
    let emulator = HaloPSAEmulator(configuration)
    let router = Router()
    emulator.register(on: router)
    try await Application(router: router).test(.router) { client in
        try await test(emulator, client)
    }
}

extension HTTPFields {
    static var form: HTTPFields {
        [.contentType: "application/x-www-form-urlencoded"]
    }

    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }
}

extension TestClientProtocol {
    /// `POST /halopsa/auth/token` with the client's credentials in the form body.
    func requestToken(
        clientID: String = "demo",
        clientSecret: String = "demo",
        path: String = "/halopsa/auth/token"
    ) async throws -> TestResponse {
        let body = "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(clientSecret)&scope=all"
        return try await execute(uri: path, method: .post, headers: .form, body: ByteBuffer(string: body))
    }

    /// A fresh access token for the default `demo` / `demo` application.
    func accessToken(path: String = "/halopsa/auth/token") async throws -> String {
        let response = try await requestToken(path: path)
        try #require(response.status == .ok)
        return try #require(try TestJSON.parse(response.body)["access_token"]?.string)
    }

    func get(_ uri: String, token: String?) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: token.map { .bearer($0) } ?? [:])
    }

    /// A GET that must answer 200 with JSON.
    func getJSON(_ uri: String, token: String?) async throws -> TestJSON {
        let response = try await get(uri, token: token)
        try #require(response.status == .ok, "GET \(uri) answered \(response.status)")
        return try TestJSON.parse(response.body)
    }
}

extension TestJSON {
    /// The ids of a list response's records under `key`.
    func ids(_ key: String) -> [Int] {
        (self[key]?.array ?? []).compactMap { $0["id"]?.int }
    }
}
