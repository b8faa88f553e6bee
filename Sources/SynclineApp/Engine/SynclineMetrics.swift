import Metrics
import Prometheus
import SynclineCore

/// The process's Prometheus registry behind swift-metrics. swift-metrics can be bootstrapped once per
/// process, so the registry is made (and the bootstrap done) on first use and shared by every `serve` and
/// `worker` started in the process (tests start several).
enum SynclineMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
            .seconds(300), .seconds(900), .seconds(3600),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The text for `/metrics`: queue depth by status read from the store at scrape time, then everything else.
    static func render(queue: any JobQueue) async -> String {
        let registry = registry
        if let depth = try? await queue.depth() {
            for status in JobStatus.allCases {
                registry.makeGauge(
                    name: "syncline_queue_jobs",
                    labels: [("status", status.rawValue)],
                    help: "Jobs in the queue by status"
                ).set(Double(depth[status] ?? 0))
            }
        }
        return registry.emitToString()
    }
}
