import ArgumentParser
import SynclineApp

/// `syncline worker`: run queued jobs only (no API, no scheduler), for scale-out on PostgreSQL.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued sync jobs until SIGINT or SIGTERM (no API, no scheduler)."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Jobs run at the same time by this process (SYNCLINE_WORKERS, default 4).")
    var workers: Int?

    func validate() throws {
        if let workers, !(1...256).contains(workers) {
            throw ValidationError("--workers must be from 1 to 256")
        }
    }

    func run() async throws {
        let configuration = try await options.configuration(extra: ["workers": workers.map(String.init)])
        try await Syncline.worker(configuration, logger: options.logger(configuration))
    }
}
