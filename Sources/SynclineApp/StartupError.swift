import Foundation
import NIOCore

/// A failure at start that the operator caused and can fix, told in one line.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String

    /// Turns the server's bind failures into plain words; other errors pass through unchanged.
    static func describing(_ error: any Error, host: String, port: Int) -> any Error {
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE:
                return StartupError(
                    description: "port \(port) on \(host) is already in use; choose another with --port"
                )
            case EADDRNOTAVAIL:
                return StartupError(description: "cannot listen on \(host): the address is not on this machine")
            case EACCES:
                return StartupError(description: "not allowed to listen on port \(port); use a port above 1023")
            default:
                return StartupError(description: "cannot listen on \(host):\(port): \(error.description)")
            }
        }
        return error
    }
}
