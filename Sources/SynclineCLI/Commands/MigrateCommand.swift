import ArgumentParser
import SynclineApp

/// `syncline migrate`: bring the database schema up to date; a second run does nothing.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let configuration = try await options.configuration()
        let summary = try await Syncline.migrateSummary(configuration, logger: options.logger(configuration))
        if summary.applied.isEmpty {
            Console.current.line("The database is up to date at schema version \(summary.level); nothing to do.")
        } else {
            let versions = summary.applied.map(String.init).joined(separator: ", ")
            Console.current.line("Applied migrations \(versions); the database is at schema version \(summary.level).")
        }
    }
}
