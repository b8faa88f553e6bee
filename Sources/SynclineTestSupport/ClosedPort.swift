#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP port that is bound but never listens, held for the duration of `body`: connecting to it is
/// refused at once, and no other test's server can be handed the same port meanwhile (a port that was merely
/// closed can be reused by a parallel test, which then answers or hangs instead of refusing).
public func withClosedLoopbackPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw ClosedPortError(step: "socket", code: errno) }
    defer { close(descriptor) }

    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0 else { throw ClosedPortError(step: "bind", code: errno) }

    var assigned = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &assigned) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw ClosedPortError(step: "getsockname", code: errno) }
    return try await body(Int(UInt16(bigEndian: assigned.sin_port)))
}

/// Why a closed port could not be reserved.
public struct ClosedPortError: Error, CustomStringConvertible {
    public let step: String
    public let code: Int32
    public var description: String { "reserving a closed loopback port failed at \(step): errno \(code)" }
}
