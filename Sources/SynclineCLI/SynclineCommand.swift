import ArgumentParser
import Foundation
import SynclineApp
import SynclineCore

/// The `syncline` command: a thin layer over `Syncline` in SynclineApp.
public struct SynclineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "syncline",
        abstract: "Syncline keeps your tenants' SaaS data in step with your application.",
        version: SynclineVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TenantsCommand.self, KeysCommand.self, ProvidersCommand.self,
            SandboxCommand.self, WorkerCommand.self, SyncCommand.self, TransformsCommand.self,
        ]
    )

    public init() {}
}

extension SynclineCommand {
    /// The executable's entry point: parses the process arguments, runs the command, exits with its status.
    public static func runMain() async {
        // First, before any other thread allocates: threads that allocated before the limit keep their own arenas.
        MallocArenas.apply(
            environment: ProcessInfo.processInfo.environment,
            command: CommandLine.arguments.dropFirst().first
        )
        await main()
    }
}
