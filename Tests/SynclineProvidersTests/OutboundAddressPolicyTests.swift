import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import Synchronization
import SynclineCore
import SynclineSandbox
import SynclineTestSupport
import Testing

@testable import SynclineProviders

/// Tenants type the URLs the runtime calls, so it refuses addresses inside the server's own networks: every
/// resolved address, on every redirect, unless the operator allows private networks or an exemption names the
/// endpoint (the sandbox `serve` mounts).
@Suite("Outbound address policy")
struct OutboundAddressPolicyTests {
    // MARK: classification

    @Test(
        "IPv4 literals are classified by their network",
        arguments: [
            ("0.0.0.0", IPAddressClass.unspecified), ("0.1.2.3", .unspecified),
            ("10.0.0.5", .privateNetwork), ("10.255.255.255", .privateNetwork),
            ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
            ("100.63.255.255", .publicAddress), ("100.128.0.1", .publicAddress),
            ("127.0.0.1", .loopback), ("127.255.0.9", .loopback),
            ("169.254.1.1", .linkLocal), ("169.254.169.254", .cloudMetadata),
            ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
            ("172.15.255.255", .publicAddress), ("172.32.0.1", .publicAddress),
            ("192.0.0.8", .protocolAssignment), ("192.168.1.1", .privateNetwork),
            ("198.18.0.1", .benchmarking), ("198.19.255.255", .benchmarking), ("198.20.0.1", .publicAddress),
            ("224.0.0.1", .multicast), ("239.255.255.250", .multicast),
            ("240.0.0.1", .reserved), ("255.255.255.254", .reserved), ("255.255.255.255", .broadcast),
            ("8.8.8.8", .publicAddress), ("1.1.1.1", .publicAddress), ("93.184.216.34", .publicAddress),
        ]
    )
    func ipv4(literal: String, expected: IPAddressClass) throws {
        let address = try #require(IPAddress(literal))
        #expect(address.isIPv4)
        #expect(address.addressClass == expected)
        #expect(address.description == literal)
    }

    @Test(
        "IPv6 literals are classified by their network; forms carrying an IPv4 address by that address",
        arguments: [
            ("::", IPAddressClass.unspecified), ("::1", .loopback), ("[::1]", .loopback),
            ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fe80::1%25eth0", .linkLocal),
            ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
            ("ff02::1", .multicast), ("ff05::2", .multicast),
            ("::ffff:10.0.0.5", .privateNetwork), ("::ffff:7f00:1", .loopback),
            ("::ffff:169.254.169.254", .cloudMetadata), ("::ffff:8.8.8.8", .publicAddress),
            ("::10.0.0.5", .privateNetwork), ("::127.0.0.1", .loopback),
            ("64:ff9b::10.0.0.5", .privateNetwork), ("64:ff9b::a9fe:a9fe", .cloudMetadata),
            ("64:ff9b::8.8.8.8", .publicAddress),
            ("fd00:ec2::254", .cloudMetadata),
            ("2606:4700::1111", .publicAddress), ("2001:4860:4860::8888", .publicAddress),
        ]
    )
    func ipv6(literal: String, expected: IPAddressClass) throws {
        let address = try #require(IPAddress(literal))
        #expect(!address.isIPv4)
        #expect(address.addressClass == expected)
    }

    @Test("host names and other spellings of IPv4 are not literals: the resolver reads them")
    func notLiterals() {
        for text in ["example.com", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "", "[]", "1.2.3.4.5"] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    // MARK: check

    @Test("a private literal is refused with a message naming the URL, the address, its class and the setting")
    func refusesPrivateLiteral() async throws {
        let error = await #expect(throws: ProviderError.self) {
            try await OutboundAddressPolicy().check("http://10.0.0.5/api")
        }
        #expect(error?.code == .forbiddenAddress)
        #expect(
            error?.message
                == "refusing to call http://10.0.0.5/api: 10.0.0.5 is a private network address; an operator can allow "
                + "private addresses with SYNCLINE_ALLOW_PRIVATE_NETWORKS=1"
        )
        #expect(error?.isRetryable == false)
    }

    @Test(
        "metadata, loopback, link-local and mapped literals are refused, named by their class",
        arguments: [
            ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
            ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a cloud metadata address"),
            ("http://127.0.0.1:8080/x", "127.0.0.1 is a loopback address"),
            ("https://[::1]:8443/x", "::1 is a loopback address"),
            ("http://[::ffff:192.168.0.1]/", "::ffff:192.168.0.1 is a private network address"),
            ("http://169.254.10.20/", "169.254.10.20 is a link-local address"),
            ("http://0.0.0.0:5432/", "0.0.0.0 is an unspecified (this host) address"),
            ("http://100.100.100.200/", "100.100.100.200 is a shared (carrier-grade NAT) address"),
        ]
    )
    func refusesByClass(url: String, phrase: String) async throws {
        let error = await #expect(throws: ProviderError.self) { try await OutboundAddressPolicy().check(url) }
        #expect(error?.code == .forbiddenAddress)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
    }

    @Test("public literals pass without any lookup")
    func allowsPublicLiterals() async throws {
        let policy = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { host in
            Issue.record("looked up \(host)")
            return []
        }
        try await policy.check("https://8.8.8.8/dns-query")
        try await policy.check("https://[2606:4700::1111]/")
    }

    @Test("localhost is refused after resolution, and *.localhost even when it does not resolve")
    func refusesLocalhost() async throws {
        let error = await #expect(throws: ProviderError.self) {
            try await OutboundAddressPolicy().check("http://localhost:8080/sandbox/halopsa")
        }
        #expect(error?.code == .forbiddenAddress)
        #expect(
            error?.message.hasPrefix("refusing to call http://localhost:8080/sandbox/halopsa: localhost resolves to ")
                == true
        )
        #expect(error?.message.contains("a loopback address") == true, "\(error?.message ?? "")")

        let unresolvable = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { _ in
            throw CancellationError()
        }
        let sub = await #expect(throws: ProviderError.self) { try await unresolvable.check("http://api.localhost./") }
        #expect(sub?.code == .forbiddenAddress)
        #expect(sub?.message.contains("api.localhost resolves to 127.0.0.1, a loopback address") == true)
        // A loopback name stays loopback whatever a hosts file says.
        let public8 = try #require(IPAddress("8.8.8.8"))
        let lying = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { _ in [public8] }
        let lied = await #expect(throws: ProviderError.self) { try await lying.check("http://localhost/") }
        #expect(lied?.code == .forbiddenAddress)
    }

    @Test("every resolved address counts: one private address among public ones is refused")
    func everyAddressCounts() async throws {
        let addresses = [try #require(IPAddress("93.184.216.34")), try #require(IPAddress("10.1.2.3"))]
        let policy = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { host in
            #expect(host == "intranet.example.com")
            return addresses
        }
        let error = await #expect(throws: ProviderError.self) {
            try await policy.check("https://intranet.example.com/api?api_key=secret")
        }
        #expect(
            error?.message
                == "refusing to call https://intranet.example.com/api?api_key=****: intranet.example.com resolves to "
                + "10.1.2.3, a private network address; an operator can allow private addresses with "
                + "SYNCLINE_ALLOW_PRIVATE_NETWORKS=1"
        )
        let publicOnly = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { _ in [addresses[0]] }
        try await publicOnly.check("https://intranet.example.com/api")
    }

    @Test("a host that does not resolve is unreachable, not a policy error; a non-http URL is a configuration error")
    func unresolvableAndInvalid() async throws {
        let policy = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { _ in
            throw CancellationError()
        }
        let error = await #expect(throws: ProviderError.self) { try await policy.check("https://nowhere.example/") }
        #expect(error?.code == .unreachable)
        #expect(error?.message == "the host nowhere.example was not found: check the URL")
        let empty = OutboundAddressPolicy(allowPrivateNetworks: false, exemptions: []) { _ in [] }
        let none = await #expect(throws: ProviderError.self) { try await empty.check("https://nowhere.example/") }
        #expect(none?.code == .unreachable)

        for url in ["ftp://10.0.0.5/", "file:///etc/passwd", "not a url", "http:///path"] {
            let invalid = await #expect(throws: ProviderError.self) { try await OutboundAddressPolicy().check(url) }
            #expect(invalid?.code == .configuration, "\(url)")
        }
    }

    @Test("allowPrivateNetworks and unrestricted allow every address")
    func allowPrivateNetworks() async throws {
        for policy in [OutboundAddressPolicy(allowPrivateNetworks: true), .unrestricted] {
            for url in ["http://10.0.0.5/api", "http://169.254.169.254/", "http://[::1]:1/", "http://localhost:1/"] {
                try await policy.check(url)
            }
        }
    }

    @Test("a loopback exemption allows exactly its port and path, on loopback addresses only")
    func exemptionIsExact() async throws {
        let exemption = OutboundAddressPolicy.Exemption.loopback(
            "own sandbox",
            port: { 8080 },
            pathPrefix: "/sandbox/halopsa"
        )
        let policy = OutboundAddressPolicy(exemptions: [exemption])
        for url in [
            "http://127.0.0.1:8080/sandbox/halopsa", "http://127.0.0.1:8080/sandbox/halopsa/api/Client?page_no=2",
            "http://localhost:8080/sandbox/halopsa/auth/token", "http://[::1]:8080/sandbox/halopsa/api",
        ] {
            try await policy.check(url)
        }
        for url in [
            "http://127.0.0.1:8081/sandbox/halopsa/api", "http://127.0.0.1/sandbox/halopsa/api",
            "http://127.0.0.1:8080/api/v1/syncs", "http://127.0.0.1:8080/sandbox/halopsa-other/api",
            "http://127.0.0.1:8080/sandbox/halopsa/../../api/v1/syncs",
            "http://127.0.0.1:8080/sandbox/halopsa/%2e%2e/%2e%2e/api/v1/syncs",
            "http://10.0.0.5:8080/sandbox/halopsa/api", "http://169.254.169.254:8080/sandbox/halopsa",
        ] {
            let error = await #expect(throws: ProviderError.self, "\(url)") { try await policy.check(url) }
            #expect(error?.code == .forbiddenAddress, "\(url)")
        }
        let unbound = OutboundAddressPolicy(
            exemptions: [.loopback("not yet bound", port: { nil }, pathPrefix: "/sandbox/halopsa")]
        )
        await #expect(throws: ProviderError.self) { try await unbound.check("http://127.0.0.1:8080/sandbox/halopsa") }
    }

    // MARK: redirects, worked out

    @Test("303, and 301/302 after a POST, become a GET without body; 307/308 keep method and body")
    func redirectMethods() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Authorization", value: "Bearer t")
        let post = ProviderRedirect(
            url: "https://api.example.com/v1/query",
            method: .POST,
            headers: headers,
            body: Data("{}".utf8)
        )
        let get = ProviderRedirect(url: "https://api.example.com/v1/items", method: .GET, headers: headers, body: nil)
        for status in [301, 302, 303] {
            let next = try #require(
                try ProviderRedirect.following(status: status, location: "/v2/query", from: post, credentialHeaders: [])
            )
            #expect(next.method == .GET && next.body == nil, "\(status)")
            #expect(next.headers["Content-Type"].isEmpty, "\(status)")
            #expect(next.url == "https://api.example.com/v2/query")
            #expect(next.headers["Authorization"] == ["Bearer t"], "same origin keeps credentials")
        }
        for status in [307, 308] {
            let next = try #require(
                try ProviderRedirect.following(status: status, location: "query2", from: post, credentialHeaders: [])
            )
            #expect(next.method == .POST && next.body == Data("{}".utf8), "\(status)")
            #expect(next.url == "https://api.example.com/v1/query2")
        }
        let kept = try #require(
            try ProviderRedirect.following(status: 302, location: "/b#frag", from: get, credentialHeaders: [])
        )
        #expect(kept.method == .GET && kept.url == "https://api.example.com/b")
        for status in [200, 304, 305, 404] {
            #expect(
                try ProviderRedirect.following(status: status, location: "/b", from: get, credentialHeaders: []) == nil
            )
        }
        #expect(try ProviderRedirect.following(status: 302, location: nil, from: get, credentialHeaders: []) == nil)
        #expect(throws: ProviderError.self) {
            try ProviderRedirect.following(
                status: 302,
                location: "file:///etc/passwd",
                from: get,
                credentialHeaders: []
            )
        }
    }

    @Test("credentials never follow a redirect to another origin (host, port or scheme)")
    func redirectCredentials() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer t")
        headers.add(name: "X-Api-Key", value: "k")
        headers.add(name: "Accept", value: "application/json")
        let current = ProviderRedirect(url: "https://api.example.com/v1", method: .GET, headers: headers, body: nil)
        let names = ProviderRedirect.credentialHeaders + ["X-Api-Key"]
        for location in ["https://cdn.example.net/v1", "https://api.example.com:8443/v1", "http://api.example.com/v1"] {
            let next = try #require(
                try ProviderRedirect.following(status: 307, location: location, from: current, credentialHeaders: names)
            )
            #expect(next.headers["Authorization"].isEmpty && next.headers["X-Api-Key"].isEmpty, "\(location)")
            #expect(next.headers["Accept"] == ["application/json"])
        }
        let same = try #require(
            try ProviderRedirect.following(
                status: 307,
                location: "https://API.example.com:443/v2",
                from: current,
                credentialHeaders: names
            )
        )
        #expect(same.headers["Authorization"] == ["Bearer t"] && same.headers["X-Api-Key"] == ["k"])
    }

    // MARK: over real HTTP

    @Test("the default policy refuses a loopback sandbox before any request reaches it")
    func defaultRefusesLoopbackSandbox() async throws {
        let definition = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        try await withHaloPSASandbox { sandbox in
            let connection = try ProviderConnection(
                definition: definition,
                config: ["url": sandbox.baseURL],
                credentials: ["client_id": "demo", "client_secret": "demo"]
            )
            try await ProviderClient.with(clock: VirtualClock(), logger: Self.logger) { client in
                let session = client.session(for: connection)
                let error = await #expect(throws: ProviderError.self) { try await session.testConnection() }
                #expect(error?.code == .forbiddenAddress)
                #expect(error?.message.contains("127.0.0.1 is a loopback address") == true, "\(error?.message ?? "")")
                #expect(error?.message.contains("SYNCLINE_ALLOW_PRIVATE_NETWORKS=1") == true)
                #expect(await session.stats.requests == 0)
            }
            #expect(sandbox.emulator.requests.count == 0)
        }
    }

    @Test("a redirect from an exempted loopback server to another loopback port is refused on the hop")
    func redirectToForbiddenHopIsRefused() async throws {
        let target = Recorder()
        try await Self.withServer(Self.router(target)) { targetPort in
            let start = Recorder()
            try await Self.withServer(Self.router(start, redirectTo: "http://127.0.0.1:\(targetPort)/final")) { port in
                var settings = ProviderClientSettings()
                settings.outbound = OutboundAddressPolicy(
                    exemptions: [.loopback("start server", port: { port }, pathPrefix: "/")]
                )
                try await Self.withSession(settings) { session in
                    let error = await #expect(throws: ProviderError.self) {
                        try await session.send(method: .GET, url: "http://127.0.0.1:\(port)/start")
                    }
                    #expect(error?.code == .forbiddenAddress)
                    #expect(
                        error?.message.hasPrefix(
                            "refusing to call http://127.0.0.1:\(targetPort)/final: 127.0.0.1 is a loopback address"
                        ) == true,
                        "\(error?.message ?? "")"
                    )
                    #expect(await session.stats.requests == 1)
                }
            }
            #expect(start.paths == ["/start"])
            #expect(target.paths.isEmpty)
        }
    }

    @Test("allowed redirects are followed: relative and absolute, 303 as GET, 307 keeping the POST body")
    func allowedRedirectsAreFollowed() async throws {
        let seen = Recorder()
        try await Self.withServer(Self.router(seen, redirectTo: "/final")) { port in
            var settings = ProviderClientSettings()
            settings.outbound = .unrestricted
            try await Self.withSession(settings) { session in
                let response = try await session.send(method: .GET, url: "http://127.0.0.1:\(port)/start")
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == "GET /final 0")
                #expect(await session.stats.requests == 2)

                let temporary = try await session.send(
                    method: .POST,
                    url: "http://127.0.0.1:\(port)/temporary",
                    headers: [("Content-Type", "application/json")],
                    body: Data(#"{"page":2}"#.utf8)
                )
                #expect(String(decoding: temporary.body, as: UTF8.self) == "POST /final 10")

                let seeOther = try await session.send(
                    method: .POST,
                    url: "http://127.0.0.1:\(port)/see-other",
                    body: Data(#"{"page":2}"#.utf8)
                )
                #expect(String(decoding: seeOther.body, as: UTF8.self) == "GET /final 0")

                let error = await #expect(throws: ProviderError.self) {
                    try await session.send(method: .GET, url: "http://127.0.0.1:\(port)/loop")
                }
                #expect(error?.code == .badResponse)
                #expect(error?.message.contains("redirected more than 5 times") == true, "\(error?.message ?? "")")
            }
        }
        #expect(
            seen.paths == [
                "/start", "/final", "/temporary", "/final", "/see-other", "/final",
                "/loop", "/loop", "/loop", "/loop", "/loop", "/loop",
            ]
        )
    }

    @Test("the Authorization header follows a redirect on the same origin only")
    func authorizationStaysOnItsOrigin() async throws {
        let other = Recorder()
        try await Self.withServer(Self.router(other)) { otherPort in
            let own = Recorder()
            try await Self.withServer(Self.router(own, redirectTo: "http://127.0.0.1:\(otherPort)/final")) { port in
                var settings = ProviderClientSettings()
                settings.outbound = OutboundAddressPolicy(allowPrivateNetworks: true)
                try await Self.withSession(settings) { session in
                    _ = try await session.send(method: .GET, url: "http://127.0.0.1:\(port)/start")
                    _ = try await session.send(method: .GET, url: "http://127.0.0.1:\(port)/temporary")
                }
            }
            #expect(own.requests.map(\.path) == ["/start", "/temporary", "/final"])
            #expect(own.requests.allSatisfy { $0.authorization == "Bearer shape-key" })
            #expect(other.requests.map(\.path) == ["/final"])
            #expect(other.requests.first?.authorization == nil)
        }
    }

    // MARK: helpers

    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// The test servers are stopped by cancellation, which Hummingbird reports at error level.
    static let serverLogger: Logger = {
        var logger = Logger(label: "syncline.tests.server")
        logger.logLevel = .critical
        return logger
    }()

    static let definitionYAML = """
        slug: plain
        name: Plain
        auth: { type: api_key, in: header, name: Authorization, prefix: "Bearer " }
        credentials:
          - { name: api_key, type: secret, required: true }
        config:
          - { name: url, type: url, required: true }
        base_url: "{{config.url}}"
        entity_types:
          items:
            list: { path: /items }
        """

    static func withSession(
        _ settings: ProviderClientSettings,
        _ body: (ProviderSession) async throws -> Void
    ) async throws {
        var settings = settings
        settings.retry = RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        let definition = try ProviderDefinition.parse(yaml: definitionYAML, file: "plain.yaml")
        let connection = try ProviderConnection(
            definition: definition,
            config: ["url": "http://127.0.0.1"],
            credentials: ["api_key": "shape-key"]
        )
        try await ProviderClient.with(settings: settings, clock: VirtualClock(), logger: logger) { client in
            try await body(client.session(for: connection))
        }
    }

    /// The requests one test server saw.
    final class Recorder: Sendable {
        struct Seen: Sendable {
            var method: String
            var path: String
            var authorization: String?
        }
        private let seen = Mutex<[Seen]>([])

        func record(_ request: Request) {
            let entry = Seen(
                method: request.method.rawValue,
                path: request.uri.path,
                authorization: request.headers[.authorization]
            )
            seen.withLock { $0.append(entry) }
        }

        var requests: [Seen] { seen.withLock { $0 } }
        var paths: [String] { requests.map(\.path) }
    }

    /// `/start` redirects (302) to `redirectTo`, `/temporary` (307) and `/see-other` (303) to `/final`, `/loop` to
    /// itself; `/final` answers "METHOD PATH BODY-BYTES".
    static func router(_ recorder: Recorder, redirectTo: String = "/final") -> Router<BasicRequestContext> {
        let router = Router()
        let redirects: [(String, HTTPResponse.Status, String)] = [
            ("/start", .found, redirectTo), ("/temporary", .temporaryRedirect, "/final"),
            ("/see-other", .seeOther, "/final"), ("/loop", .found, "/loop"),
        ]
        for (path, status, location) in redirects {
            router.on(RouterPath(path), method: .get) { request, _ in
                recorder.record(request)
                return Response(status: status, headers: [.location: location])
            }
            router.on(RouterPath(path), method: .post) { request, _ in
                recorder.record(request)
                return Response(status: status, headers: [.location: location])
            }
        }
        for path in ["/final"] {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(RouterPath(path), method: method) { request, _ -> String in
                    recorder.record(request)
                    let body = try await request.body.collect(upTo: 1 << 20)
                    return "\(request.method.rawValue) \(request.uri.path) \(body.readableBytes)"
                }
            }
        }
        return router
    }

    /// Serves `router` on a loopback port the system picks until `body` returns.
    static func withServer(
        _ router: Router<BasicRequestContext>,
        _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: serverLogger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                Issue.record("the test server did not start")
                group.cancelAll()
                return
            }
            try await body(port)
            group.cancelAll()
        }
    }
}
