import Foundation
import Hummingbird
import Synchronization

/// The requests an emulator served, in order. A class around a mutex because every copy of the emulator
/// and every connection must append to the same list.
public final class SandboxRequestLog: Sendable {
    private let entries = Mutex<[SandboxRequest]>([])

    public init() {}

    /// Every request served so far, oldest first.
    public var all: [SandboxRequest] {
        entries.withLock { $0 }
    }

    public var count: Int {
        entries.withLock { $0.count }
    }

    /// Forgets what was recorded; numbering starts again at 1.
    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    /// Records a served request with its status; credentials never reach the log.
    func record(_ request: Request, receivedAt time: Date, status: HTTPResponse.Status) {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            let value = name == "authorization" ? Self.redacted(field.value) : field.value
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let method = request.method.rawValue
        let path = request.uri.path
        let query = request.uri.query
        entries.withLock { entries in
            entries.append(
                SandboxRequest(
                    number: entries.count + 1,
                    time: time,
                    method: method,
                    path: path,
                    query: query,
                    headers: headers,
                    status: status.code
                )
            )
        }
    }

    static func redacted(_ authorization: String) -> String {
        guard let scheme = authorization.split(separator: " ").first, scheme.count < authorization.count else {
            return "[redacted]"
        }
        return "\(scheme) [redacted]"
    }
}
