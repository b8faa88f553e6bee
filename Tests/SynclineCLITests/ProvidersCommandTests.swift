import ArgumentParser
import Foundation
import SynclineCLI
import SynclineTestSupport
import Testing

@Suite("syncline providers")
struct ProvidersCommandTests {
    @Test("list and show describe the bundled HaloPSA definition")
    func listAndShow() async throws {
        let list = try await runCommand(["providers", "list"])
        #expect(list.contains("halopsa  HaloPSA — oauth2_client_credentials, 8 entity types"))
        let show = try await runCommand(["providers", "show", "halopsa"])
        #expect(show.contains("auth: oauth2_client_credentials"))
        #expect(show.contains("  actions: → note, 7 fields, one page, every 120 min, per tickets"))
        #expect(show.contains("  tickets: → ticket, 12 fields, page_number pages, every 15 min, incremental"))
        let unknown = await #expect(throws: (any Error).self) { try await runCommand(["providers", "show", "nope"]) }
        #expect(String(describing: unknown.map { $0 }).contains("known providers: halopsa"))
    }

    @Test("validate passes every bundled file and reports each broken one with file:line:column")
    func validate() async throws {
        let bundled = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SynclineProviders/Resources/Providers")
        let files = try FileManager.default.contentsOfDirectory(atPath: bundled.path)
            .filter { $0.hasSuffix(".yaml") }.map { bundled.appendingPathComponent($0).path }
        #expect(!files.isEmpty)
        let output = try await runCommand(["providers", "validate"] + files)
        #expect(output.split(separator: "\n").count == files.count)
        #expect(output.split(separator: "\n").allSatisfy { $0.hasPrefix("ok  ") })

        try await withTemporaryDirectory { directory in
            let broken = directory.appendingPathComponent("broken.yaml").path
            try "slug: x\nname: X\nauth: {type: basic}\nbase_url: http://x\nentity_types: {}\n"
                .write(toFile: broken, atomically: true, encoding: .utf8)
            let capture = ConsoleCapture()
            await #expect(throws: (any Error).self) {
                try await runCommand(["providers", "validate", files[0], broken], capture: capture)
            }
            #expect(capture.text.hasPrefix("ok  "))
            #expect(capture.text.contains("\(broken):5:15: entity_types must be a mapping"))
        }
    }
}

@Suite("syncline providers configure")
struct ProvidersConfigureCommandTests {
    /// An `oauth2` provider for a providers directory: the bundled catalog has none.
    static let oauthProvider = """
        slug: acmecrm
        name: Acme CRM
        auth:
          type: oauth2
          authorization_url: https://login.acmecrm.example/oauth/authorize
          token_url: https://login.acmecrm.example/oauth/token
          scopes: [contacts.read]
        base_url: https://api.acmecrm.example
        entity_types:
          contacts:
            list: { path: /contacts }
        """

    /// Runs `body` with the options of a fresh data directory whose providers directory holds `acmecrm`.
    private func withOptions(_ body: ([String]) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let providers = directory.appendingPathComponent("providers")
            try FileManager.default.createDirectory(at: providers, withIntermediateDirectories: true)
            try Self.oauthProvider.write(
                to: providers.appendingPathComponent("acmecrm.yaml"),
                atomically: true,
                encoding: .utf8
            )
            try await body([
                "--data-dir", directory.appendingPathComponent("data").path, "--providers-dir", providers.path,
                "--log-level", "error",
            ])
        }
    }

    @Test("--hide and --show change what tenants see and say so; without options it prints the settings")
    func hideAndShow() async throws {
        try await withOptions { options in
            let hidden = try await runCommand(["providers", "configure", "halopsa", "--hide"] + options)
            #expect(hidden == "Hid halopsa from tenants.\nhalopsa: hidden from tenants, no OAuth app.\n")
            let current = try await runCommand(["providers", "configure", "halopsa"] + options)
            #expect(current == "halopsa: hidden from tenants, no OAuth app.\n")
            let shown = try await runCommand(["providers", "configure", "halopsa", "--show"] + options)
            #expect(shown == "Showed halopsa to tenants.\nhalopsa: shown to tenants, no OAuth app.\n")
        }
    }

    @Test("the OAuth app's secret is read from the named environment variable, stored, and never printed")
    func oauthAppFromEnvironmentVariable() async throws {
        let variable = "SYNCLINE_TEST_ACMECRM_SECRET_\(UInt32.random(in: 0...UInt32.max))"
        let secret = "cli-oauth-secret-90c1e"
        setenv(variable, secret, 1)
        defer { unsetenv(variable) }
        try await withOptions { options in
            let output = try await runCommand(
                [
                    "providers", "configure", "acmecrm", "--oauth-client-id", "acme-app", "--oauth-client-secret-env",
                    variable,
                ] + options
            )
            #expect(output.contains("Registered the OAuth app acme-app for acmecrm"))
            #expect(output.contains("acmecrm: shown to tenants, OAuth app acme-app (stored)."))
            #expect(!output.contains(secret))
            let current = try await runCommand(["providers", "configure", "acmecrm"] + options)
            #expect(current == "acmecrm: shown to tenants, OAuth app acme-app (stored).\n")

            let forgotten = try await runCommand(["providers", "configure", "acmecrm", "--forget-oauth-app"] + options)
            #expect(forgotten == "Forgot the OAuth app of acmecrm.\nacmecrm: shown to tenants, no OAuth app.\n")
        }
    }

    @Test("the secret is never a flag value; half an OAuth app, clashing flags and unknown providers are refused")
    func refused() async throws {
        try await withOptions { options in
            let cases: [([String], String)] = [
                (["--hide", "--show"], "--hide and --show cannot be used together"),
                (["--oauth-client-id", "x"], "--oauth-client-id needs the client secret"),
                (["--oauth-client-secret-env", "X"], "a client secret needs --oauth-client-id"),
                (
                    ["--forget-oauth-app", "--oauth-client-id", "x", "--oauth-client-secret-env", "X"],
                    "--forget-oauth-app cannot be used"
                ),
                (
                    ["--oauth-client-id", "x", "--oauth-client-secret-env", "X", "--oauth-client-secret-stdin"],
                    "use one of --oauth-client-secret-env and --oauth-client-secret-stdin"
                ),
                (["--oauth-client-secret", "s3cret"], "Unknown option '--oauth-client-secret'"),
            ]
            for (flags, message) in cases {
                let error = await #expect(throws: (any Error).self) {
                    try await runCommand(["providers", "configure", "acmecrm"] + flags + options)
                }
                let text = error.map { SynclineCommand.message(for: $0) } ?? ""
                #expect(text.contains(message), "\(flags): \(text)")
            }

            let unset = await #expect(throws: (any Error).self) {
                try await runCommand(
                    [
                        "providers", "configure", "acmecrm", "--oauth-client-id", "x", "--oauth-client-secret-env",
                        "SYNCLINE_TEST_SURELY_UNSET_VARIABLE",
                    ] + options
                )
            }
            #expect(String(describing: unset.map { $0 }).contains("SYNCLINE_TEST_SURELY_UNSET_VARIABLE is not set"))

            setenv("SYNCLINE_TEST_HALO_SECRET", "whatever", 1)
            defer { unsetenv("SYNCLINE_TEST_HALO_SECRET") }
            let notOAuth = await #expect(throws: (any Error).self) {
                try await runCommand(
                    [
                        "providers", "configure", "halopsa", "--oauth-client-id", "x", "--oauth-client-secret-env",
                        "SYNCLINE_TEST_HALO_SECRET",
                    ] + options
                )
            }
            #expect(String(describing: notOAuth.map { $0 }).contains("not oauth2"))

            let unknown = await #expect(throws: (any Error).self) {
                try await runCommand(["providers", "configure", "nope", "--hide"] + options)
            }
            #expect(String(describing: unknown.map { $0 }).contains("no provider 'nope'"))
        }
    }
}
