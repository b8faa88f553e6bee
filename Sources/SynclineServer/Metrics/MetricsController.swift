import Hummingbird
import NIOCore

/// `GET /metrics`: every metric in the Prometheus text format, for scraping.
struct MetricsController: Sendable {
    let render: @Sendable () async -> String

    func register(on router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            let text = await render()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
    }
}
