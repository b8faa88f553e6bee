import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import SynclineApp
import SynclineCore
import SynclineStore
import SynclineTestSupport
import Testing

/// A real `syncline serve` on a loopback port over a temporary SQLite file (sandbox mounted), with an HTTP
/// client speaking to its API: what the API tests drive, end to end. Logs are captured so a test can scan them.
struct ServedAPI: Sendable {
    let port: Int
    let operatorKey: String
    let http: HTTPClient
    let logs: LogCapture
    /// The configuration serve runs with (its data directory holds the SQLite file and the key file).
    let configuration: SynclineConfiguration

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var sandboxHaloURL: String { baseURL + Syncline.sandboxMountPath }

    /// One JSON answer: status, parsed body (null when empty) and the raw text for secret scans.
    struct Answer: Sendable {
        let status: Int
        let json: JSONValue
        let text: String
        let headers: [String: String]
        var object: [String: JSONValue] { json.objectValue ?? [:] }
        var error: [String: JSONValue] { object["error"]?.objectValue ?? [:] }
        var data: [JSONValue] { object["data"]?.arrayValue ?? [] }
    }

    /// Starts serve with `configure` applied, runs `body`, stops serve.
    static func with(
        configure: @Sendable (inout SynclineConfiguration) -> Void = { _ in },
        _ body: @Sendable (ServedAPI) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.port = 0
            configure(&configuration)
            let configured = configuration
            let logs = LogCapture()
            var debugLogger = Logger(label: "syncline.tests") { _ in logs.handler() }
            debugLogger.logLevel = .debug
            let logger = debugLogger
            let key = OperatorKeyBox()
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { continuation.finish() }
                    try await Syncline.serve(
                        configured,
                        logger: logger,
                        onRunning: { continuation.yield($0) },
                        onOperatorKey: { plaintext in key.value.withLock { $0 = plaintext } }
                    )
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else {
                    try await group.next()
                    Issue.record("serve stopped before listening")
                    return
                }
                var httpConfiguration = HTTPClient.Configuration()
                httpConfiguration.redirectConfiguration = .disallow
                let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
                do {
                    let api = ServedAPI(
                        port: port,
                        operatorKey: key.value.withLock { $0 } ?? configured.adminKey ?? "",
                        http: http,
                        logs: logs,
                        configuration: configured
                    )
                    try await body(api)
                    try await http.shutdown()
                } catch {
                    try? await http.shutdown()
                    throw error
                }
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }

    /// Sends one request; `path` is under the server root (`/api/v1/...`), `body` raw text (JSON usually).
    func call(
        _ method: HTTPMethod,
        _ path: String,
        key: String?,
        body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        let json = (try? JSONValue.parse(text)) ?? .null
        let headers = Dictionary(
            response.headers.map { ($0.name.lowercased(), $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
        return Answer(status: Int(response.status.code), json: json, text: text, headers: headers)
    }

    /// The credentials serve stored for a connection, read through a second handle on the same database.
    func storedCredentials(tenantID: String, connectionID: String) async throws -> CredentialSecrets? {
        var quiet = Logger(label: "syncline.tests.store")
        quiet.logLevel = .warning
        return try await Syncline.withStore(configuration, logger: quiet) { store in
            try await store.credentials.load(connectionID: connectionID, tenantID: tenantID)
        }
    }

    /// A JSON body from a literal value.
    static func json(_ value: JSONValue) throws -> String { try value.jsonString() }

    /// A HaloPSA connection to the sandbox serve mounts, made through the API (tested, so active); answers its id.
    func makeHaloConnection(key: String, name: String = "Main", secret: String = "demo") async throws -> String {
        let created = try await call(
            .POST,
            "/api/v1/connections",
            key: key,
            body: try Self.json([
                "provider": "halopsa", "name": .string(name), "config": ["url": .string(sandboxHaloURL)],
                "credentials": ["client_id": "demo", "client_secret": .string(secret)],
            ])
        )
        try #require(created.status == 201, "creating connection \(name): \(created.text)")
        return try #require(created.object["id"]?.stringValue)
    }

    /// Makes a tenant through the operator API and a key for it; answers (tenant id, key plaintext).
    func makeTenant(_ name: String) async throws -> (id: String, key: String) {
        let tenant = try await call(.POST, "/api/v1/tenants", key: operatorKey, body: #"{"name": "\#(name)"}"#)
        try #require(tenant.status == 201, "creating tenant \(name): \(tenant.text)")
        let id = try #require(tenant.object["id"]?.stringValue)
        let key = try await call(.POST, "/api/v1/tenants/\(id)/keys", key: operatorKey, body: #"{"name": "test"}"#)
        try #require(key.status == 201, "creating a key for \(name): \(key.text)")
        return (id, try #require(key.object["key"]?.stringValue))
    }
}

/// The first start's operator key, as serve hands it over.
private final class OperatorKeyBox: Sendable {
    let value = Mutex<String?>(nil)
}

/// Every log line of a test's serve, rendered with its metadata, so tests can assert no secret was logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler { Handler(capture: self) }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            capture.append("\(event.level) \(event.message) \(merged)")
        }
    }
}
