import Dispatch
import Foundation
import SynclineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses the provider runtime may call: tenants type the URLs it calls, so by default it refuses
/// loopback, link-local, private and metadata addresses (SSRF), checked after DNS resolution and on every redirect.
public struct OutboundAddressPolicy: Sendable {
    /// The text every refusal ends with, naming the setting that lifts it.
    public static let allowHint = "an operator can allow private addresses with SYNCLINE_ALLOW_PRIVATE_NETWORKS=1"

    /// Every address is allowed, without any lookup: for tests and tools that call loopback servers.
    public static let unrestricted = OutboundAddressPolicy(allowPrivateNetworks: true)

    /// When true, nothing is refused (an on-premises HaloPSA on 10.x, a test server on loopback).
    public var allowPrivateNetworks: Bool
    /// Endpoints allowed although their addresses are not public.
    public var exemptions: [Exemption]
    /// Host name to addresses; getaddrinfo unless a test replaces it.
    let resolve: @Sendable (String) async throws -> [IPAddress]

    /// One endpoint that may be called although its address is not public, such as the sandbox this server
    /// mounts. `allows` gets the URL and every address its host resolved to.
    public struct Exemption: Sendable {
        public let name: String
        let allows: @Sendable (URLComponents, [IPAddress]) -> Bool

        public init(_ name: String, allows: @escaping @Sendable (URLComponents, [IPAddress]) -> Bool) {
            self.name = name
            self.allows = allows
        }

        /// Loopback addresses only, at the port `port()` answers (nil: not known yet, nothing allowed), under
        /// `pathPrefix`. The port is read at every check, so it may be learnt after the server binds.
        public static func loopback(
            _ name: String,
            port: @escaping @Sendable () -> Int?,
            pathPrefix: String
        ) -> Exemption {
            Exemption(name) { components, addresses in
                guard let expected = port(), !addresses.isEmpty,
                    addresses.allSatisfy({ $0.addressClass == .loopback })
                else { return false }
                let scheme = components.scheme?.lowercased()
                guard components.port ?? (scheme == "https" ? 443 : 80) == expected else { return false }
                let path = components.percentEncodedPath
                let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
                guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return false }
                let prefix = pathPrefix.hasSuffix("/") ? String(pathPrefix.dropLast()) : pathPrefix
                return path == prefix || path.hasPrefix(prefix + "/")
            }
        }
    }

    /// Refuses every address that is not public, except the exempted endpoints.
    public init(allowPrivateNetworks: Bool = false, exemptions: [Exemption] = []) {
        self.init(allowPrivateNetworks: allowPrivateNetworks, exemptions: exemptions, resolve: Self.lookUp)
    }

    init(
        allowPrivateNetworks: Bool,
        exemptions: [Exemption],
        resolve: @escaping @Sendable (String) async throws -> [IPAddress]
    ) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.exemptions = exemptions
        self.resolve = resolve
    }

    /// Throws a `.forbiddenAddress` `ProviderError` when `url`'s host is, or resolves to, an address that is not
    /// public (every address counts, not only the first), unless an exemption allows it. A host that does not
    /// resolve is `.unreachable`; a URL that is not http(s) is `.configuration`.
    public func check(_ url: String) async throws {
        if allowPrivateNetworks { return }
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let rawHost = components.host, !rawHost.isEmpty
        else {
            throw ProviderError(.configuration, "\(ProviderSession.redacted(url)) is not a valid http(s) URL")
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host = String(host.dropLast()) }

        var findings: [(address: IPAddress, kind: IPAddressClass)]
        let literal = IPAddress(host)
        if let literal {
            findings = [(literal, literal.addressClass)]
        } else {
            let localhost = host == "localhost" || host.hasSuffix(".localhost")
            let addresses: [IPAddress]
            do {
                addresses = try await resolve(host)
            } catch {
                guard localhost else {
                    throw ProviderError(.unreachable, "the host \(host) was not found: check the URL")
                }
                addresses = []
            }
            findings = addresses.map { ($0, $0.addressClass) }
            if localhost {
                // A loopback name whatever it resolves to (RFC 6761); one that does not resolve is loopback too.
                findings = findings.map { ($0.address, $0.kind.isPublic ? .loopback : $0.kind) }
                if let fallback = IPAddress("127.0.0.1"), findings.isEmpty { findings = [(fallback, .loopback)] }
            }
            guard !findings.isEmpty else {
                throw ProviderError(.unreachable, "the host \(host) was not found: check the URL")
            }
        }

        guard let refused = findings.first(where: { !$0.kind.isPublic }) else { return }
        let addresses = findings.map(\.address)
        if exemptions.contains(where: { $0.allows(components, addresses) }) { return }
        let what =
            literal == nil
            ? "\(host) resolves to \(refused.address), \(refused.kind.phrase)"
            : "\(refused.address) is \(refused.kind.phrase)"
        throw ProviderError(
            .forbiddenAddress,
            "refusing to call \(ProviderSession.redacted(url)): \(what); \(Self.allowHint)"
        )
    }

    /// getaddrinfo, on a Dispatch thread: it blocks, and must not hold one of the cooperative pool's few threads.
    static func lookUp(_ host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingLookUp(host) })
            }
        }
    }

    private struct LookupFailure: Error, CustomStringConvertible {
        let description: String
    }

    private static func blockingLookUp(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw LookupFailure(description: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry?.pointee {
            if let socketAddress = current.ai_addr {
                switch current.ai_family {
                case AF_INET:
                    let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    var raw = address.sin_addr
                    if let parsed = IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }) {
                        addresses.append(parsed)
                    }
                case AF_INET6:
                    let address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    var raw = address.sin6_addr
                    if let parsed = IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }) {
                        addresses.append(parsed)
                    }
                default:
                    break
                }
            }
            entry = current.ai_next
        }
        var seen = Set<IPAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }
}
