import ArgumentParser
import Foundation
import SynclineApp
import SynclineProviders

/// `syncline providers list|show|validate`.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List, inspect and validate provider definitions.",
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the providers this server knows.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let catalog = try Syncline.providerCatalog(try await options.configuration())
            let width = max(4, catalog.providers.map(\.slug.count).max() ?? 0)
            for provider in catalog.providers {
                let slug = provider.slug.padding(toLength: width, withPad: " ", startingAt: 0)
                Console.current.line(
                    "\(slug)  \(provider.name) — \(provider.auth.kind), "
                        + "\(provider.entityTypes.count) entity types (\(provider.categories.joined(separator: ", ")))"
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one provider's auth, config and entity types.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The provider's slug, e.g. halopsa.")
        var slug: String

        func run() async throws {
            let catalog = try Syncline.providerCatalog(try await options.configuration())
            guard let provider = catalog.provider(slug: slug) else {
                let known = catalog.providers.map(\.slug).joined(separator: ", ")
                throw ValidationError("no provider '\(slug)'; known providers: \(known)")
            }
            let console = Console.current
            console.line("\(provider.name) (\(provider.slug)) — \(provider.description)")
            console.line("source: \(provider.source)")
            console.line("auth: \(provider.auth.kind)")
            console.line("base URL: \(provider.baseURL)")
            if let limit = provider.rateLimit {
                console.line("rate limit: \(limit.requests) requests per \(limit.perSeconds) s")
            }
            console.line("config fields:")
            for field in provider.config {
                let detail = [field.required ? "required" : nil, field.defaultValue.map { "default \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                console.line("  \(field.name) (\(field.type.rawValue)\(detail.isEmpty ? "" : ", " + detail))")
            }
            console.line("credential fields: \(provider.credentials.map(\.name).joined(separator: ", "))")
            console.line("entity types:")
            for entity in provider.entityTypes.sorted(by: { $0.name < $1.name }) {
                var notes = [
                    "\(entity.fields.count) fields",
                    entity.pagination == .none ? "one page" : "\(entity.pagination.name) pages",
                    "every \(entity.defaultFrequencyMinutes) min",
                ]
                if let model = entity.unifiedModel { notes.insert("→ \(model)", at: 0) }
                if let parent = entity.parent { notes.append("per \(parent)") }
                if entity.incremental != nil { notes.append("incremental") }
                console.line("  \(entity.name): \(notes.joined(separator: ", "))")
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check provider files; prints file:line:column for each mistake."
        )

        @Argument(help: "Provider YAML files.")
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one provider file") }
        }

        func run() async throws {
            var failures = 0
            for file in files {
                do {
                    let definition = try Syncline.validateProviderFile(file)
                    Console.current.line(
                        "ok  \(file): \(definition.slug), \(definition.entityTypes.count) entity types"
                    )
                } catch {
                    failures += 1
                    Console.current.line("\(error)")
                }
            }
            if failures > 0 {
                throw ValidationFailure(count: failures)
            }
        }
    }

    /// Ends `validate` with a non-zero status after every file has been reported.
    struct ValidationFailure: Error, CustomStringConvertible {
        let count: Int
        var description: String { "\(count) provider file(s) have mistakes" }
    }
}
