import ArgumentParser
import Foundation
import SynclineApp
import SynclineCore

/// `syncline sync`: operate syncs from the shell.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run syncs by hand.",
        subcommands: [Run.self]
    )

    /// `syncline sync run CONNECTION ENTITY --tenant NAME`: one import in the foreground with progress.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import one entity type of a connection now, showing progress, and print a summary."
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The tenant that owns the connection (name or id).")
        var tenant: String

        @Flag(help: "Ignore the saved cursor: list everything and mark what is gone as deleted.")
        var full = false

        @Argument(help: "The connection's name or id.")
        var connection: String

        @Argument(help: "The entity type, as `syncline providers show SLUG` lists them (clients, tickets ...).")
        var entity: String

        func run() async throws {
            let configuration = try await options.configuration()
            let progress = ProgressLine(interactive: isatty(STDERR_FILENO) != 0)
            let run = try await Syncline.runSync(
                tenant: tenant,
                connection: connection,
                entityType: entity,
                full: full,
                configuration,
                logger: options.logger(configuration),
                progress: { run in progress.show(run) }
            )
            progress.finish()
            for line in Self.summary(run) { Console.current.line(line) }
            if run.status == .failed { throw ExitCode.failure }
        }

        /// The lines printed after a run.
        static func summary(_ run: SyncRun) -> [String] {
            let seconds = Double(run.durationMilliseconds ?? 0) / 1000
            let rate = seconds > 0 ? Int((Double(run.counts.seen) / seconds).rounded()) : run.counts.seen
            var lines = [
                "\(run.entityType): \(run.status.rawValue) in \(String(format: "%.1f", seconds)) s"
                    + (run.resumed ? " (resumed from a checkpoint)" : ""),
                "  records: \(run.counts.seen) seen, \(run.counts.created) created, \(run.counts.updated) updated, "
                    + "\(run.counts.unchanged) unchanged, \(run.counts.deleted) deleted, \(run.counts.failed) failed",
                "  pages: \(run.pages), requests: \(run.requests), retries: \(run.retries), \(rate) records/s",
                "  run: \(run.id)",
            ]
            if let error = run.error { lines.append("  error: \(error)") }
            return lines
        }
    }
}

/// The live progress of a foreground sync on standard error: one line redrawn in a terminal, a line per page
/// otherwise (logs, CI).
final class ProgressLine: Sendable {
    let interactive: Bool
    let started = Date()

    init(interactive: Bool) {
        self.interactive = interactive
    }

    func show(_ run: SyncRun) {
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Int((Double(run.counts.seen) / seconds).rounded())
        var text = "page \(run.pages) · \(run.counts.seen) records · \(rate) records/s · \(run.requests) requests"
        if let eta = Self.eta(run, rate: rate) { text += " · \(eta)" }
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[2K" + text : text + "\n").utf8))
    }

    /// `of 100000, about 1m 20s left` when the provider stated the listing's size and records are arriving.
    static func eta(_ run: SyncRun, rate: Int) -> String? {
        guard let total = run.expectedRecords, total > 0, rate > 0 else { return nil }
        let left = max(0, total - run.counts.seen - run.counts.failed)
        let seconds = Int((Double(left) / Double(rate)).rounded())
        let time = seconds >= 60 ? "\(seconds / 60)m \(seconds % 60)s" : "\(seconds)s"
        return "of \(total), about \(time) left"
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
