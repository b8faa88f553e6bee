import ArgumentParser
import Foundation
import SynclineApp
import SynclineCore

/// `syncline tenants create|list`.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Create and list tenants.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The tenant's name, unique.")
        var name: String

        func validate() throws {
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("the tenant name must not be empty")
            }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let tenant = try await Syncline.createTenant(
                name: name,
                configuration,
                logger: options.logger(configuration)
            )
            Console.current.line("Created tenant \(tenant.name) (\(tenant.id)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let configuration = try await options.configuration()
            let tenants = try await Syncline.listTenants(configuration, logger: options.logger(configuration))
            for tenant in tenants {
                Console.current.line("\(tenant.id)  \(tenant.name)")
            }
        }
    }
}
