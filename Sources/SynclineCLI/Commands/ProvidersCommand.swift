import ArgumentParser
import Foundation
import SynclineApp
import SynclineCore
import SynclineProviders

/// `syncline providers list|show|validate|configure`.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List, inspect, validate and configure providers.",
        subcommands: [List.self, Show.self, Validate.self, Configure.self]
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

    struct Configure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hide or show a provider to tenants and register the operator's OAuth app at it.",
            discussion: """
                The client secret is read from an environment variable (--oauth-client-secret-env NAME) or from \
                standard input (--oauth-client-secret-stdin), never from a flag value, which would land in shell \
                history. It is stored encrypted and never printed. Without options, prints the current settings.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The provider's slug, e.g. halopsa.")
        var slug: String

        @Flag(help: "Hide the provider from tenants (the operator still sees it).")
        var hide = false

        @Flag(help: "Show the provider to tenants again.")
        var show = false

        @Option(help: "The client id of the operator's OAuth app at the provider.")
        var oauthClientId: String?

        @Option(help: "The environment variable holding the OAuth app's client secret.")
        var oauthClientSecretEnv: String?

        @Flag(help: "Read the OAuth app's client secret from standard input.")
        var oauthClientSecretStdin = false

        @Flag(help: "Forget the operator's OAuth app at the provider.")
        var forgetOauthApp = false

        func validate() throws {
            if hide && show { throw ValidationError("--hide and --show cannot be used together") }
            let secretSources = (oauthClientSecretEnv == nil ? 0 : 1) + (oauthClientSecretStdin ? 1 : 0)
            if forgetOauthApp && (oauthClientId != nil || secretSources > 0) {
                throw ValidationError("--forget-oauth-app cannot be used with --oauth-client-id or a client secret")
            }
            if let oauthClientId {
                if oauthClientId.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw ValidationError("--oauth-client-id must not be empty")
                }
                if secretSources == 0 {
                    throw ValidationError(
                        "--oauth-client-id needs the client secret: --oauth-client-secret-env NAME or "
                            + "--oauth-client-secret-stdin"
                    )
                }
            } else if secretSources > 0 {
                throw ValidationError("a client secret needs --oauth-client-id")
            }
            if secretSources > 1 {
                throw ValidationError("use one of --oauth-client-secret-env and --oauth-client-secret-stdin")
            }
        }

        func run() async throws {
            var change = Syncline.ProviderSettingsChange()
            if hide { change.hidden = true }
            if show { change.hidden = false }
            if forgetOauthApp { change.oauthApp = .forget }
            if let oauthClientId {
                change.oauthApp = .set(OAuthClientCredentials(clientID: oauthClientId, clientSecret: try secret()))
            }
            let configuration = try await options.configuration()
            let summary = try await Syncline.configureProvider(
                slug: slug,
                change,
                configuration,
                logger: options.logger(configuration)
            )
            let console = Console.current
            if let hidden = change.hidden {
                console.line(hidden ? "Hid \(slug) from tenants." : "Showed \(slug) to tenants.")
            }
            switch change.oauthApp {
            case .set(let client):
                console.line(
                    "Registered the OAuth app \(client.clientID) for \(slug); its secret is stored encrypted."
                )
            case .forget: console.line("Forgot the OAuth app of \(slug).")
            case nil: break
            }
            let visibility = summary.hidden ? "hidden from tenants" : "shown to tenants"
            let app =
                switch (summary.oauthClientID, summary.oauthSource) {
                case (let id?, .environment?): "OAuth app \(id) (from the environment)"
                case (let id?, _): "OAuth app \(id) (stored)"
                default: "no OAuth app"
                }
            console.line("\(slug): \(visibility), \(app).")
        }

        /// The client secret from the named environment variable or standard input, trailing newline dropped.
        private func secret() throws -> String {
            let text: String
            if let name = oauthClientSecretEnv {
                guard let value = ProcessInfo.processInfo.environment[name] else {
                    throw ValidationError("the environment variable \(name) is not set")
                }
                text = value
            } else {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            let secret = text.trimmingCharacters(in: .newlines)
            guard !secret.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("the OAuth client secret is empty")
            }
            return secret
        }
    }

    /// Ends `validate` with a non-zero status after every file has been reported.
    struct ValidationFailure: Error, CustomStringConvertible {
        let count: Int
        var description: String { "\(count) provider file(s) have mistakes" }
    }
}
