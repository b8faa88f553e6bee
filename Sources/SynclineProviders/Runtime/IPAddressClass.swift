#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes, parsed from a URL's host or read from a resolver's answer, so the
/// outbound policy can tell a public address from one inside the server's own networks.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let bytes: [UInt8]

    /// Parses a literal (`10.0.0.5`, `::1`, `[fe80::1%25eth0]`); nil for a host name. Only the four-part
    /// dotted form counts as IPv4 here; other spellings (`127.1`, `2130706433`) go to the resolver, which reads
    /// them the way the connection will.
    public init?(_ text: String) {
        var literal = Substring(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        if let zone = literal.firstIndex(of: "%") { literal = literal[..<zone] }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(literal), &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(literal), &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// 4 or 16 bytes; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The conventional text form (`10.0.0.5`, `fe80::1`, `::ffff:10.0.0.5`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count))
            }
        }
        guard written != nil else { return bytes.map { String($0) }.joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The network this address belongs to. IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`,
    /// compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) take the class of the IPv4 address they carry.
    public var addressClass: IPAddressClass {
        isIPv4 ? Self.classify(v4: bytes) : Self.classify(v6: bytes)
    }

    private static func classify(v4 b: [UInt8]) -> IPAddressClass {
        switch (b[0], b[1]) {
        case (0, _): return .unspecified
        case (10, _): return .privateNetwork
        case (100, 64...127): return .sharedAddressSpace
        case (127, _): return .loopback
        case (169, 254): return b[2] == 169 && b[3] == 254 ? .cloudMetadata : .linkLocal
        case (172, 16...31): return .privateNetwork
        case (192, 0) where b[2] == 0: return .protocolAssignment
        case (192, 168): return .privateNetwork
        case (198, 18...19): return .benchmarking
        case (224...239, _): return .multicast
        case (255, 255) where b[2] == 255 && b[3] == 255: return .broadcast
        case (240...255, _): return .reserved
        default: return .publicAddress
        }
    }

    private static func classify(v6 b: [UInt8]) -> IPAddressClass {
        let embedded = Array(b[12..<16])
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : .unspecified }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff { return classify(v4: embedded) }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return classify(v4: embedded) }
        if b[0..<4] == [0x00, 0x64, 0xff, 0x9b], b[4..<12].allSatisfy({ $0 == 0 }) { return classify(v4: embedded) }
        if b == Self.awsMetadataV6 { return .cloudMetadata }
        if b[0] & 0xfe == 0xfc { return .uniqueLocal }
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] == 0xff { return .multicast }
        return .publicAddress
    }

    /// `fd00:ec2::254`, the instance metadata service of AWS over IPv6.
    private static let awsMetadataV6: [UInt8] =
        [0xfd, 0x00, 0x0e, 0xc2] + [UInt8](repeating: 0, count: 10) + [0x02, 0x54]
}

/// What kind of network an address belongs to; only `.publicAddress` may be called without the operator's say.
/// Compared, never switched on exhaustively, so new kinds can be added.
public struct IPAddressClass: Sendable, Hashable, CustomStringConvertible {
    private enum Base: String, Sendable, Hashable {
        case publicAddress = "public", unspecified, loopback, privateNetwork = "private"
        case sharedAddressSpace = "shared_address_space", linkLocal = "link_local", cloudMetadata = "cloud_metadata"
        case protocolAssignment = "protocol_assignment", benchmarking, multicast, reserved, broadcast
        case uniqueLocal = "unique_local"
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// Reachable on the internet: allowed.
    public static var publicAddress: Self { .init(.publicAddress) }
    /// `0.0.0.0/8` and `::`: "this host", which connects to the server itself.
    public static var unspecified: Self { .init(.unspecified) }
    /// `127.0.0.0/8`, `::1`, and the names `localhost` and `*.localhost`.
    public static var loopback: Self { .init(.loopback) }
    /// `10/8`, `172.16/12`, `192.168/16`.
    public static var privateNetwork: Self { .init(.privateNetwork) }
    /// `100.64/10`, carrier-grade NAT (and some clouds' internal services).
    public static var sharedAddressSpace: Self { .init(.sharedAddressSpace) }
    /// `169.254/16` and `fe80::/10`.
    public static var linkLocal: Self { .init(.linkLocal) }
    /// `169.254.169.254` and `fd00:ec2::254`: a cloud's instance metadata service, which hands out credentials.
    public static var cloudMetadata: Self { .init(.cloudMetadata) }
    /// `192.0.0.0/24`, IETF protocol assignments.
    public static var protocolAssignment: Self { .init(.protocolAssignment) }
    /// `198.18/15`, network benchmarking.
    public static var benchmarking: Self { .init(.benchmarking) }
    /// `224/4` and `ff00::/8`.
    public static var multicast: Self { .init(.multicast) }
    /// `240/4`.
    public static var reserved: Self { .init(.reserved) }
    /// `255.255.255.255`.
    public static var broadcast: Self { .init(.broadcast) }
    /// `fc00::/7`, IPv6's private networks.
    public static var uniqueLocal: Self { .init(.uniqueLocal) }

    public var isPublic: Bool { base == .publicAddress }

    /// The class in a sentence: "a private network address".
    public var phrase: String {
        switch base {
        case .publicAddress: "a public address"
        case .unspecified: "an unspecified (this host) address"
        case .loopback: "a loopback address"
        case .privateNetwork: "a private network address"
        case .sharedAddressSpace: "a shared (carrier-grade NAT) address"
        case .linkLocal: "a link-local address"
        case .cloudMetadata: "a cloud metadata address"
        case .protocolAssignment: "an IETF protocol assignment address"
        case .benchmarking: "a benchmarking network address"
        case .multicast: "a multicast address"
        case .reserved: "a reserved address"
        case .broadcast: "a broadcast address"
        case .uniqueLocal: "a unique local (private network) address"
        }
    }

    public var description: String { base.rawValue }
}
