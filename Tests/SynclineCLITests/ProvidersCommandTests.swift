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
