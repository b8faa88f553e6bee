import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import SynclineApp
import SynclineCore
import SynclineTestSupport
import Testing

/// The operator's API over a real `serve`: tenants, their keys, the provider catalog and provider settings,
/// and the operator key a first start makes.
@Suite("Tenants, keys and providers API")
struct AdminAPITests {
    // MARK: Tenants

    @Test("the operator creates, lists and reads tenants; a duplicate name is 409 naming name")
    func tenants() async throws {
        try await ServedAPI.with { api in
            let created = try await api.call(.POST, "/api/v1/tenants", key: api.operatorKey, body: #"{"name": "Acme"}"#)
            #expect(created.status == 201)
            let id = try #require(created.object["id"]?.stringValue)
            #expect(created.object["name"] == "Acme")
            #expect(created.object["created_at"]?.stringValue?.contains("T") == true)

            let duplicate = try await api.call(
                .POST,
                "/api/v1/tenants",
                key: api.operatorKey,
                body: #"{"name": "Acme"}"#
            )
            #expect(duplicate.status == 409)
            #expect(duplicate.error["code"] == "conflict")
            #expect(duplicate.error["field"] == "name")

            _ = try await api.call(.POST, "/api/v1/tenants", key: api.operatorKey, body: #"{"name": "Initech"}"#)
            let list = try await api.call(.GET, "/api/v1/tenants", key: api.operatorKey)
            #expect(list.status == 200)
            #expect(Set(list.data.compactMap { $0.objectValue?["name"]?.stringValue }) == ["Acme", "Initech"])
            #expect(list.object["next_cursor"] == .null)

            let one = try await api.call(.GET, "/api/v1/tenants/\(id)", key: api.operatorKey)
            #expect(one.status == 200)
            #expect(one.object == created.object)
            let unknown = try await api.call(.GET, "/api/v1/tenants/ten_nope", key: api.operatorKey)
            #expect(unknown.status == 404)
            #expect(unknown.error["code"] == "not_found")
        }
    }

    @Test("bad tenant bodies are 4xx JSON errors naming the field, never 5xx")
    func badTenantBodies() async throws {
        try await ServedAPI.with { api in
            let cases: [(body: String, status: Int, code: String, field: JSONValue)] = [
                ("{}", 400, "invalid", "name"),
                (#"{"name": ""}"#, 400, "invalid", "name"),
                (#"{"name": "   "}"#, 400, "invalid", "name"),
                (#"{"name": 42}"#, 400, "invalid", "name"),
                (#"{"name": null}"#, 400, "invalid", "name"),
                (#"{"name": "#, 400, "invalid_json", .null),
                ("[1, 2]", 400, "invalid_json", .null),
                (#"{"name": "Acme", "plan": "gold"}"#, 400, "unknown_field", "plan"),
                (#"{"name": "\#(String(repeating: "x", count: 201))"}"#, 400, "invalid", "name"),
                (#"{"name": "\#(String(repeating: "x", count: 1 << 20))"}"#, 413, "body_too_large", .null),
            ]
            for item in cases {
                let answer = try await api.call(.POST, "/api/v1/tenants", key: api.operatorKey, body: item.body)
                #expect(answer.status == item.status, "\(item.body.prefix(60)): \(answer.text.prefix(200))")
                #expect(answer.error["code"] == .string(item.code), "\(item.body.prefix(60))")
                #expect(answer.error["field"] == item.field, "\(item.body.prefix(60))")
                #expect(answer.error["message"]?.stringValue?.isEmpty == false)
            }
            let list = try await api.call(.GET, "/api/v1/tenants", key: api.operatorKey)
            #expect(list.data.isEmpty)
        }
    }

    // MARK: Keys

    @Test("a key is shown once; lists never hold the key or its hash; a revoked key gets 401")
    func keys() async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            #expect(try await api.call(.GET, "/api/v1/keys", key: tenant.key).status == 200)

            let created = try await api.call(
                .POST,
                "/api/v1/tenants/\(tenant.id)/keys",
                key: api.operatorKey,
                body: "{}"
            )
            #expect(created.status == 201)
            let plaintext = try #require(created.object["key"]?.stringValue)
            let keyID = try #require(created.object["id"]?.stringValue)
            #expect(plaintext.hasPrefix("sk_"))
            #expect(created.object["name"] == "api")
            #expect(created.object["prefix"]?.stringValue.map { plaintext.hasPrefix($0) } == true)
            #expect(created.object["tenant_id"] == .string(tenant.id))
            #expect(created.object["revoked_at"] == .null)

            let listed = try await api.call(.GET, "/api/v1/tenants/\(tenant.id)/keys", key: api.operatorKey)
            #expect(listed.status == 200)
            #expect(listed.data.count == 2)
            let own = try await api.call(.GET, "/api/v1/keys", key: plaintext)
            #expect(own.status == 200)
            #expect(
                Set(own.data.compactMap { $0.objectValue?["id"] })
                    == Set(listed.data.compactMap { $0.objectValue?["id"] })
            )
            for answer in [listed, own] {
                for item in answer.data {
                    let fields = Set(item.objectValue?.keys.map { $0 } ?? [])
                    #expect(
                        fields == ["id", "tenant_id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
                    )
                }
                #expect(!answer.text.contains(plaintext))
                #expect(!answer.text.contains(tenant.key))
                #expect(!answer.text.contains(String(plaintext.dropFirst(11))))
                #expect(!answer.text.contains("hash"))
            }
            let used = own.data.first { $0.objectValue?["id"] == .string(keyID) }
            #expect(used?.objectValue?["last_used_at"] != .null)

            let revoked = try await api.call(
                .DELETE,
                "/api/v1/tenants/\(tenant.id)/keys/\(keyID)",
                key: api.operatorKey
            )
            #expect(revoked.status == 200)
            #expect(revoked.object["id"] == .string(keyID))
            #expect(revoked.object["revoked_at"]?.stringValue != nil)
            #expect(revoked.object["key"] == nil)

            let refused = try await api.call(.GET, "/api/v1/keys", key: plaintext)
            #expect(refused.status == 401)
            #expect(refused.error["code"] == "unauthorized")
            let still = try await api.call(.GET, "/api/v1/keys", key: tenant.key)
            #expect(still.status == 200)

            let again = try await api.call(
                .DELETE,
                "/api/v1/tenants/\(tenant.id)/keys/\(keyID)",
                key: api.operatorKey
            )
            #expect(again.status == 200)
            #expect(again.object["revoked_at"] == revoked.object["revoked_at"])
        }
    }

    @Test("keys of another tenant and of unknown tenants are 404; key names are checked")
    func keysAcrossTenants() async throws {
        try await ServedAPI.with { api in
            let acme = try await api.makeTenant("Acme")
            let initech = try await api.makeTenant("Initech")
            let acmeKeys = try await api.call(.GET, "/api/v1/keys", key: acme.key)
            let acmeKeyID = try #require(acmeKeys.data.first?.objectValue?["id"]?.stringValue)

            let crossed = try await api.call(
                .DELETE,
                "/api/v1/tenants/\(initech.id)/keys/\(acmeKeyID)",
                key: api.operatorKey
            )
            #expect(crossed.status == 404)
            #expect(try await api.call(.GET, "/api/v1/keys", key: acme.key).status == 200)

            let initechKeys = try await api.call(.GET, "/api/v1/keys", key: initech.key)
            #expect(initechKeys.data.count == 1)
            #expect(initechKeys.data.first?.objectValue?["id"] != .string(acmeKeyID))

            let unknownTenant = try await api.call(
                .POST,
                "/api/v1/tenants/ten_nope/keys",
                key: api.operatorKey,
                body: "{}"
            )
            #expect(unknownTenant.status == 404)
            #expect(try await api.call(.GET, "/api/v1/tenants/ten_nope/keys", key: api.operatorKey).status == 404)

            for (body, code, field) in [
                (#"{"name": 7}"#, "invalid", "name"), (#"{"label": "x"}"#, "unknown_field", "label"),
                (#"{"name": ""}"#, "invalid", "name"),
            ] {
                let answer = try await api.call(
                    .POST,
                    "/api/v1/tenants/\(acme.id)/keys",
                    key: api.operatorKey,
                    body: body
                )
                #expect(answer.status == 400, "\(body)")
                #expect(answer.error["code"] == .string(code))
                #expect(answer.error["field"] == .string(field))
            }
        }
    }

    @Test("a tenant key on operator routes is 403 operator_key_required; the operator key on /keys is 403")
    func keyKinds() async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let operatorRoutes: [(HTTPMethod, String, String?)] = [
                (.POST, "/api/v1/tenants", #"{"name": "Mine"}"#),
                (.GET, "/api/v1/tenants", nil),
                (.GET, "/api/v1/tenants/\(tenant.id)", nil),
                (.POST, "/api/v1/tenants/\(tenant.id)/keys", "{}"),
                (.GET, "/api/v1/tenants/\(tenant.id)/keys", nil),
                (.DELETE, "/api/v1/tenants/\(tenant.id)/keys/key_x", nil),
                (.GET, "/api/v1/providers/halopsa/settings", nil),
                (.PUT, "/api/v1/providers/halopsa/settings", #"{"hidden": true}"#),
            ]
            for (method, path, body) in operatorRoutes {
                let answer = try await api.call(method, path, key: tenant.key, body: body)
                #expect(answer.status == 403, "\(method) \(path)")
                #expect(answer.error["code"] == "operator_key_required", "\(method) \(path)")
                let anonymous = try await api.call(method, path, key: nil, body: body)
                #expect(anonymous.status == 401, "\(method) \(path)")
            }
            let operatorOnKeys = try await api.call(.GET, "/api/v1/keys", key: api.operatorKey)
            #expect(operatorOnKeys.status == 403)
            #expect(operatorOnKeys.error["code"] == "tenant_key_required")
            let wrong = try await api.call(.GET, "/api/v1/tenants", key: "sk_not-a-key")
            #expect(wrong.status == 401)
            let tenants = try await api.call(.GET, "/api/v1/tenants", key: api.operatorKey)
            #expect(tenants.data.count == 1)
        }
    }

    @Test("SYNCLINE_ADMIN_KEY is an operator key, and then no first-start key is made")
    func adminKey() async throws {
        let adminKey = "admin-key-for-tests-0123456789"
        try await ServedAPI.with(configure: { $0.adminKey = adminKey }) { api in
            #expect(api.operatorKey == adminKey)
            let tenant = try await api.makeTenant("Acme")
            #expect(tenant.key.hasPrefix("sk_"))
            let listed = try await api.call(.GET, "/api/v1/tenants", key: adminKey)
            #expect(listed.status == 200)
            #expect(listed.data.count == 1)
            #expect(!api.logs.text.contains(adminKey))
        }
    }

    @Test("the first start's operator key works and is not logged; a second start on the same data makes none")
    func firstStartOperatorKey() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.port = 0
            let configured = configuration
            let first = try await Self.serveOnce(configured)
            let key = try #require(first.keys.first)
            #expect(first.keys.count == 1)
            #expect(key.hasPrefix("sk_"))
            #expect(first.status == 200)
            #expect(!first.logs.contains(key))

            let second = try await Self.serveOnce(configured, operatorKey: key)
            #expect(second.keys.isEmpty)
            #expect(second.status == 200)
        }
    }

    // MARK: Providers

    @Test("providers list, filter by category, search and detail describe HaloPSA")
    func providers() async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let list = try await api.call(.GET, "/api/v1/providers", key: tenant.key)
            #expect(list.status == 200)
            let halo = try #require(list.data.first { $0.objectValue?["slug"] == "halopsa" }?.objectValue)
            #expect(halo["name"] == "HaloPSA")
            #expect(halo["auth_kind"] == "oauth2_client_credentials")
            #expect(halo["categories"] == ["psa", "ticketing", "itsm"])
            #expect(halo["docs_url"] == "https://halopsa.com/apidoc/")
            #expect(halo["logo"] == "halopsa.svg")
            #expect(halo["hidden"] == nil)
            #expect(halo["config_fields"] == nil)

            for query in ["category=psa", "category=PSA", "q=halo", "q=SERVICE%20DESK", "category=psa&q=halo"] {
                let found = try await api.call(.GET, "/api/v1/providers?\(query)", key: tenant.key)
                #expect(found.data.compactMap { $0.objectValue?["slug"] } == ["halopsa"], "\(query)")
            }
            for query in ["category=crm", "q=salesforce", "category=crm&q=halo"] {
                let found = try await api.call(.GET, "/api/v1/providers?\(query)", key: tenant.key)
                #expect(found.status == 200)
                #expect(found.data.isEmpty, "\(query)")
            }

            let detail = try await api.call(.GET, "/api/v1/providers/halopsa", key: tenant.key)
            #expect(detail.status == 200)
            #expect(detail.object["auth_kind"] == "oauth2_client_credentials")
            let config = detail.object["config_fields"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let url = try #require(config.first { $0["name"] == "url" })
            #expect(url["required"] == true)
            #expect(url["type"] == "url")
            #expect(url["label"] == "Instance URL")
            #expect(config.first { $0["name"] == "scope" }?["default"] == "all")
            let credentials = detail.object["credential_fields"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(credentials.compactMap { $0["name"] } == ["client_id", "client_secret"])
            #expect(credentials.last?["type"] == "secret")
            let entities = detail.object["entity_types"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let clients = try #require(entities.first { $0["name"] == "clients" })
            #expect(clients["unified_model"] == "company")
            #expect(clients["label"] == "Clients")
            #expect(clients["default_frequency_minutes"] == 60)
            #expect(clients["incremental"] == false)
            #expect(clients["fields"]?.arrayValue?.isEmpty == false)
            #expect(entities.contains { $0["name"] == "tickets" && $0["incremental"] == true })
            #expect(detail.object["oauth"] == nil)

            let missing = try await api.call(.GET, "/api/v1/providers/nope", key: tenant.key)
            #expect(missing.status == 404)
            #expect(missing.error["code"] == "not_found")
            let operatorDetail = try await api.call(.GET, "/api/v1/providers/halopsa", key: api.operatorKey)
            #expect(operatorDetail.object["hidden"] == false)
        }
    }

    @Test("a hidden provider is gone from a tenant's list and detail; the operator sees it with hidden true")
    func hidden() async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let hide = try await api.call(
                .PUT,
                "/api/v1/providers/halopsa/settings",
                key: api.operatorKey,
                body: #"{"hidden": true}"#
            )
            #expect(hide.status == 200)
            #expect(hide.object["slug"] == "halopsa")
            #expect(hide.object["hidden"] == true)
            #expect(hide.object["oauth_client_id"] == .null)
            #expect(hide.object["oauth_client_secret_set"] == false)
            #expect(hide.object["oauth_source"] == .null)

            let tenantList = try await api.call(.GET, "/api/v1/providers", key: tenant.key)
            #expect(!tenantList.data.contains { $0.objectValue?["slug"] == "halopsa" })
            let tenantSearch = try await api.call(.GET, "/api/v1/providers?q=halo", key: tenant.key)
            #expect(tenantSearch.data.isEmpty)
            let tenantDetail = try await api.call(.GET, "/api/v1/providers/halopsa", key: tenant.key)
            #expect(tenantDetail.status == 404)
            #expect(tenantDetail.error["code"] == "not_found")

            let operatorList = try await api.call(.GET, "/api/v1/providers", key: api.operatorKey)
            let halo = operatorList.data.first { $0.objectValue?["slug"] == "halopsa" }?.objectValue
            #expect(halo?["hidden"] == true)
            let operatorDetail = try await api.call(.GET, "/api/v1/providers/halopsa", key: api.operatorKey)
            #expect(operatorDetail.status == 200)
            #expect(operatorDetail.object["hidden"] == true)
            let settings = try await api.call(.GET, "/api/v1/providers/halopsa/settings", key: api.operatorKey)
            #expect(settings.object["hidden"] == true)

            let show = try await api.call(
                .PUT,
                "/api/v1/providers/halopsa/settings",
                key: api.operatorKey,
                body: #"{"hidden": false}"#
            )
            #expect(show.object["hidden"] == false)
            #expect(try await api.call(.GET, "/api/v1/providers/halopsa", key: tenant.key).status == 200)
        }
    }

    @Test("settings bodies are checked field by field; an OAuth app for a non-oauth2 provider is 400")
    func badSettings() async throws {
        try await Self.withOAuthProvider { api in
            let cases: [(slug: String, body: String, status: Int, code: String, field: JSONValue)] = [
                ("acmecrm", #"{"oauth_client_id": "abc"}"#, 400, "invalid", "oauth_client_secret"),
                ("acmecrm", #"{"oauth_client_secret": "xyz"}"#, 400, "invalid", "oauth_client_id"),
                (
                    "acmecrm", #"{"oauth_client_id": "abc", "oauth_client_secret": null}"#, 400, "invalid",
                    "oauth_client_secret"
                ),
                (
                    "acmecrm", #"{"oauth_client_id": 5, "oauth_client_secret": "xyz"}"#, 400, "invalid",
                    "oauth_client_id"
                ),
                (
                    "acmecrm", #"{"oauth_client_id": "abc", "oauth_client_secret": ""}"#, 400, "invalid",
                    "oauth_client_secret"
                ),
                ("acmecrm", #"{"oauth_client": {"id": "abc"}}"#, 400, "invalid", "oauth_client"),
                ("acmecrm", #"{"hidden": "yes"}"#, 400, "invalid", "hidden"),
                ("acmecrm", #"{"visible": true}"#, 400, "unknown_field", "visible"),
                ("acmecrm", "{", 400, "invalid_json", .null),
                (
                    "halopsa", #"{"oauth_client_id": "abc", "oauth_client_secret": "xyz"}"#, 400, "invalid",
                    "oauth_client_id"
                ),
                ("nope", #"{"hidden": true}"#, 404, "not_found", .null),
            ]
            for item in cases {
                let answer = try await api.call(
                    .PUT,
                    "/api/v1/providers/\(item.slug)/settings",
                    key: api.operatorKey,
                    body: item.body
                )
                #expect(answer.status == item.status, "\(item.slug) \(item.body): \(answer.text)")
                #expect(answer.error["code"] == .string(item.code), "\(item.slug) \(item.body)")
                #expect(answer.error["field"] == item.field, "\(item.slug) \(item.body)")
            }
            // A refused request changes nothing, not even the parts that were valid.
            let mixed = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"hidden": true, "oauth_client_id": "abc"}"#
            )
            #expect(mixed.status == 400)
            let settings = try await api.call(.GET, "/api/v1/providers/acmecrm/settings", key: api.operatorKey)
            #expect(settings.object["hidden"] == false)
            #expect(settings.object["oauth_client_secret_set"] == false)
            #expect(try await api.call(.GET, "/api/v1/providers/nope/settings", key: api.operatorKey).status == 404)
        }
    }

    @Test("an OAuth app registered through the API: the secret is set but never answered; detail says configured")
    func oauthApp() async throws {
        let secret = "oauth-client-secret-7f3a9c"
        try await Self.withOAuthProvider { api in
            let tenant = try await api.makeTenant("Acme")
            let before = try await api.call(.GET, "/api/v1/providers/acmecrm", key: tenant.key)
            #expect(before.status == 200)
            #expect(before.object["auth_kind"] == "oauth2")
            #expect(before.object["credential_fields"] == [])
            let oauth = before.object["oauth"]?.objectValue
            #expect(oauth?["redirect_uri"] == .string(api.baseURL + "/oauth/callback"))
            #expect(oauth?["app_configured"] == false)

            let set = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"oauth_client_id": "acme-app", "oauth_client_secret": "\#(secret)"}"#
            )
            #expect(set.status == 200, "\(set.text)")
            #expect(set.object["oauth_client_id"] == "acme-app")
            #expect(set.object["oauth_client_secret_set"] == true)
            #expect(set.object["oauth_source"] == "api")
            #expect(set.object["hidden"] == false)
            #expect(!set.text.contains(secret))

            let read = try await api.call(.GET, "/api/v1/providers/acmecrm/settings", key: api.operatorKey)
            #expect(read.object == set.object)
            #expect(!read.text.contains(secret))
            for key in [tenant.key, api.operatorKey] {
                let detail = try await api.call(.GET, "/api/v1/providers/acmecrm", key: key)
                #expect(detail.object["oauth"]?.objectValue?["app_configured"] == true)
                #expect(!detail.text.contains(secret))
            }
            let list = try await api.call(.GET, "/api/v1/providers", key: api.operatorKey)
            #expect(!list.text.contains(secret))
            #expect(!api.logs.text.contains(secret))

            let forgotten = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"oauth_client": null}"#
            )
            #expect(forgotten.status == 200)
            #expect(forgotten.object["oauth_client_id"] == .null)
            #expect(forgotten.object["oauth_client_secret_set"] == false)
            #expect(forgotten.object["oauth_source"] == .null)
            let after = try await api.call(.GET, "/api/v1/providers/acmecrm", key: tenant.key)
            #expect(after.object["oauth"]?.objectValue?["app_configured"] == false)

            _ = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"oauth_client_id": "acme-app", "oauth_client_secret": "\#(secret)"}"#
            )
            let bothNull = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"oauth_client_id": null, "oauth_client_secret": null}"#
            )
            #expect(bothNull.object["oauth_client_secret_set"] == false)
        }
    }

    @Test("an OAuth app the environment sets cannot be changed through the API: 409, source environment")
    func environmentOAuthApp() async throws {
        let secret = "environment-secret-51d2"
        try await Self.withOAuthProvider(configure: {
            $0.oauthClients["acmecrm"] = OAuthClientCredentials(clientID: "env-app", clientSecret: secret)
        }) { api in
            let settings = try await api.call(.GET, "/api/v1/providers/acmecrm/settings", key: api.operatorKey)
            #expect(settings.object["oauth_source"] == "environment")
            #expect(settings.object["oauth_client_id"] == "env-app")
            #expect(settings.object["oauth_client_secret_set"] == true)
            #expect(!settings.text.contains(secret))
            for body in [
                #"{"oauth_client_id": "mine", "oauth_client_secret": "other"}"#, #"{"oauth_client": null}"#,
            ] {
                let refused = try await api.call(
                    .PUT,
                    "/api/v1/providers/acmecrm/settings",
                    key: api.operatorKey,
                    body: body
                )
                #expect(refused.status == 409, "\(body)")
                #expect(refused.error["code"] == "oauth_client_from_environment")
                #expect(refused.error["message"]?.stringValue?.contains("environment") == true)
            }
            let hide = try await api.call(
                .PUT,
                "/api/v1/providers/acmecrm/settings",
                key: api.operatorKey,
                body: #"{"hidden": true}"#
            )
            #expect(hide.status == 200)
            #expect(hide.object["oauth_source"] == "environment")
            let detail = try await api.call(.GET, "/api/v1/providers/acmecrm", key: api.operatorKey)
            #expect(detail.object["oauth"]?.objectValue?["app_configured"] == true)
        }
    }

    // MARK: Helpers

    /// An `oauth2` (authorization code) provider, which the bundled catalog does not have.
    static let oauthProviderYAML = """
        slug: acmecrm
        name: Acme CRM
        description: A CRM whose users sign in with OAuth.
        categories: [crm]
        auth:
          type: oauth2
          authorization_url: https://login.acmecrm.example/oauth/authorize
          token_url: https://login.acmecrm.example/oauth/token
          scopes: [contacts.read]
        base_url: https://api.acmecrm.example
        entity_types:
          contacts:
            label: Contacts
            unified_model: contact
            list: { path: /contacts }
            fields:
              - { name: id, type: string, required: true }
        """

    /// A served API whose catalog also holds `acmecrm`, an `oauth2` provider from a providers directory.
    static func withOAuthProvider(
        configure: @escaping @Sendable (inout SynclineConfiguration) -> Void = { _ in },
        _ body: @Sendable (ServedAPI) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { providers in
            try oauthProviderYAML.write(
                to: providers.appendingPathComponent("acmecrm.yaml"),
                atomically: true,
                encoding: .utf8
            )
            try await ServedAPI.with(
                configure: {
                    $0.providersDirectory = providers.path
                    configure(&$0)
                },
                body
            )
        }
    }

    /// What one start of serve did: the operator keys it handed out, the status of `GET /api/v1/tenants` with
    /// `operatorKey` (or the key it handed out), and its logs.
    struct Start: Sendable {
        var keys: [String]
        var status: Int
        var logs: String
    }

    static func serveOnce(_ configuration: SynclineConfiguration, operatorKey: String? = nil) async throws -> Start {
        let logs = LogCapture()
        var debugLogger = Logger(label: "syncline.tests") { _ in logs.handler() }
        debugLogger.logLevel = .debug
        let logger = debugLogger
        let keys = HandedKeys()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await Syncline.serve(
                    configuration,
                    logger: logger,
                    onRunning: { continuation.yield($0) },
                    onOperatorKey: { key in keys.value.withLock { $0.append(key) } }
                )
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw StartFailure()
            }
            let handed = keys.value.withLock { $0 }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/tenants")
            request.headers.add(name: "Authorization", value: "Bearer \(operatorKey ?? handed.first ?? "")")
            // No pooled connection outlives this serve: the next start may be given the same port.
            request.headers.add(name: "Connection", value: "close")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            group.cancelAll()
            try await group.waitForAll()
            return Start(keys: handed, status: Int(response.status.code), logs: logs.text)
        }
    }

    /// Serve stopped before it listened.
    struct StartFailure: Error {}

    /// The operator keys serve hands out, shared with its task.
    final class HandedKeys: Sendable {
        let value = Mutex<[String]>([])
    }
}
