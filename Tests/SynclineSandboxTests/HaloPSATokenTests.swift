import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("HaloPSA token endpoint")
struct HaloPSATokenTests {
    @Test("issues a bearer token for credentials in the form body")
    func credentialsInBody() async throws {
        try await withEmulator(.init(tokenLifetimeSeconds: 1800)) { _, client in
            let response = try await client.requestToken()
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try TestJSON.parse(response.body)
            #expect(body["token_type"] == .string("Bearer"))
            #expect(body["expires_in"] == .int(1800))
            #expect(body["scope"] == .string("all"))
            #expect((body["access_token"]?.string?.count ?? 0) >= 32)
        }
    }

    @Test("issues a token for client credentials sent as HTTP Basic")
    func credentialsInBasicHeader() async throws {
        try await withEmulator { _, client in
            let basic = Data("demo:demo".utf8).base64EncodedString()
            var headers = HTTPFields.form
            headers[.authorization] = "Basic \(basic)"
            let response = try await client.execute(
                uri: "/halopsa/auth/token?tenant=acme",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "grant_type=client_credentials&scope=read%3Atickets")
            )
            #expect(response.status == .ok)
            let body = try TestJSON.parse(response.body)
            #expect(body["scope"] == .string("read:tickets"))
            #expect(body["access_token"]?.string != nil)
        }
    }

    @Test("answers 401 invalid_client for a wrong secret, in the body or in Basic")
    func wrongSecret() async throws {
        try await withEmulator { emulator, client in
            let response = try await client.requestToken(clientSecret: "wrong")
            #expect(response.status == .unauthorized)
            #expect(try TestJSON.parse(response.body)["error"] == .string("invalid_client"))

            var headers = HTTPFields.form
            headers[.authorization] = "Basic \(Data("demo:nope".utf8).base64EncodedString())"
            let basic = try await client.execute(
                uri: "/halopsa/auth/token",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "grant_type=client_credentials")
            )
            #expect(basic.status == .unauthorized)
            #expect(try TestJSON.parse(basic.body)["error"] == .string("invalid_client"))
            #expect(emulator.issuedTokenCount == 0)
        }
    }

    @Test("uses the configured client id and secret instead of demo / demo")
    func configuredCredentials() async throws {
        try await withEmulator(.init(clientID: "syncline", clientSecret: "s3cret+/=")) { _, client in
            #expect(try await client.requestToken().status == .unauthorized)
            let accepted = try await client.requestToken(clientID: "syncline", clientSecret: "s3cret%2B%2F%3D")
            #expect(accepted.status == .ok)
        }
    }

    @Test("answers 400 when grant_type is missing or not client_credentials")
    func badGrant() async throws {
        try await withEmulator { _, client in
            let missing = try await client.execute(
                uri: "/halopsa/auth/token",
                method: .post,
                headers: .form,
                body: ByteBuffer(string: "client_id=demo&client_secret=demo")
            )
            #expect(missing.status == .badRequest)
            #expect(try TestJSON.parse(missing.body)["error"] == .string("invalid_request"))

            let password = try await client.execute(
                uri: "/halopsa/auth/token",
                method: .post,
                headers: .form,
                body: ByteBuffer(string: "grant_type=password&client_id=demo&client_secret=demo")
            )
            #expect(password.status == .badRequest)
            #expect(try TestJSON.parse(password.body)["error"] == .string("unsupported_grant_type"))
        }
    }

    @Test("requires ?tenant= when a tenant is configured")
    func tenant() async throws {
        try await withEmulator(.init(tenant: "acme")) { _, client in
            #expect(try await client.requestToken().status == .badRequest)
            #expect(try await client.requestToken(path: "/halopsa/auth/token?tenant=acme").status == .ok)
            let info = try await client.getJSON("/halopsa/api/authinfo", token: nil)
            #expect(info["tenant_id"] == .string("acme"))
            #expect(info["auth_url"]?.string?.hasSuffix("/halopsa/auth") == true)
        }
    }

    @Test("matches paths case-insensitively and refuses GET on the token endpoint")
    func pathsAndMethods() async throws {
        try await withEmulator { _, client in
            let mixedCase = try await client.requestToken(path: "/halopsa/Auth/Token")
            #expect(mixedCase.status == .ok)
            let get = try await client.get("/halopsa/auth/token", token: nil)
            #expect(get.status == .methodNotAllowed)
            let nowhere = try await client.get("/halopsa/nowhere", token: nil)
            #expect(nowhere.status == .notFound)
        }
    }
}
