/// Why a sandbox server could not serve: it is the outside world's failure, reported to the test or demo
/// that started it.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case serverDidNotStart
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The HTTP server stopped or failed before it was listening.
    public static func serverDidNotStart(host: String) -> Self {
        .init(.serverDidNotStart, "The sandbox server did not start listening on \(host)")
    }
}
