import ArgumentParser
import SynclineApp
import SynclineCore

/// `syncline keys create|rotate`: tenant API keys, and rotation of the master key that seals credentials.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create API keys and rotate the credential master key.",
        subcommands: [Create.self, Rotate.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key for a tenant, or with --operator an operator key (shown once)."
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The tenant's name or id.")
        var tenant: String?

        @Flag(help: "Create an operator (admin) key instead of a tenant key.")
        var `operator` = false

        func validate() throws {
            guard (tenant == nil) == `operator` else {
                throw ValidationError("give either --tenant NAME or --operator")
            }
        }

        @Option(help: "A label for the key.")
        var name: String = "cli"

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let issued =
                if let tenant {
                    try await Syncline.issueAPIKey(tenant: tenant, name: name, configuration, logger: logger)
                } else {
                    try await Syncline.issueOperatorKey(name: name, configuration, logger: logger)
                }
            Console.current.line(issued.plaintext)
            Console.current.line(
                "This is the only time the key is shown; store it now. Its prefix is \(issued.key.prefix)."
            )
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every credential under a new master key, while servers keep running.",
            discussion: """
                With the key file (no SYNCLINE_MASTER_KEY), a new key is added to the file and made active; \
                running servers pick it up by themselves. With SYNCLINE_MASTER_KEY, set the new key there and the \
                old one in SYNCLINE_PREVIOUS_MASTER_KEYS on every process first, then run this.
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let configuration = try await options.configuration()
            let summary = try await Syncline.rotateMasterKey(configuration, logger: options.logger(configuration))
            if let added = summary.addedKeyID {
                Console.current.line("Added master key \(added) to \(configuration.keyFilePath).")
            }
            Console.current.line(
                "Re-encrypted \(summary.reencrypted) credential(s) under master key \(summary.activeKeyID); "
                    + "\(summary.alreadyCurrent) were already under it."
            )
        }
    }
}
