import Foundation
import SynclineCLI
import SynclineCore
import Testing

@Suite("syncline transforms")
struct TransformsCommandTests {
    /// The command that regenerates the page, as the failure message and the page itself quote it.
    static let regenerate = "swift run syncline transforms docs > docs/transforms.md"

    /// docs/transforms.md in this checkout.
    static let docsFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/transforms.md")

    @Test("docs/transforms.md is exactly the output of `syncline transforms docs`, so it cannot drift from the code")
    func docsAreCurrent() async throws {
        let output = try await runCommand(["transforms", "docs"])
        let committed = try String(contentsOf: Self.docsFile, encoding: .utf8)
        guard output != committed else { return }
        let produced = output.components(separatedBy: "\n")
        let stored = committed.components(separatedBy: "\n")
        let line =
            zip(produced, stored).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(produced.count, stored.count)
        let expected = line < produced.count ? produced[line] : "(end of output)"
        let found = line < stored.count ? stored[line] : "(end of file)"
        Issue.record(
            """
            docs/transforms.md is out of date: line \(line + 1) should be
              \(expected)
            but is
              \(found)
            Regenerate it from the repository root with: \(Self.regenerate)
            """
        )
    }

    @Test("docs has a title, an index row and one ### section per transform with arguments, example and reversibility")
    func docsShape() async throws {
        let output = try await runCommand(["transforms", "docs"])
        let names = TransformRegistry.standard.specs.map(\.name)
        let lines = output.components(separatedBy: "\n")
        #expect(lines.first == "# Transforms")
        #expect(lines.filter { $0.hasPrefix("### ") } == names.map { "### \($0)" })
        for name in names {
            #expect(lines.contains { $0.hasPrefix("| [`\(name)`](#\(name)) |") }, "index row for \(name)")
        }
        let sections = output.components(separatedBy: "\n### ").dropFirst()
        #expect(sections.count == names.count)
        for section in sections {
            let name = String(section.prefix { $0 != "\n" })
            #expect(section.contains("\n- Reverses: "), "\(name)")
            #expect(section.contains("| argument | type |") || section.contains("No arguments."), "\(name)")
            #expect(section.contains("\ninput:     ") && section.contains("\noutput:    "), "\(name)")
            #expect(!section.contains("\nerror:     "), "\(name)")
        }
        #expect(output.contains("\n- Reverses: yes. Multiplies by the divisor."))
        #expect(output.contains("input:     1999\narguments: {\"divisor\":100}\noutput:    19.99\nreverse:   1999\n"))
        #expect(output.contains("run `\(Self.regenerate)`"))
    }

    @Test("list prints every transform once with whether it reverses and its first sentence")
    func list() async throws {
        let output = try await runCommand(["transforms", "list"])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == TransformRegistry.standard.specs.count + 1)
        #expect(lines.first?.hasPrefix("transform ") == true)
        let divide = try #require(lines.first { $0.hasPrefix("divide ") })
        #expect(divide.contains("  yes       Divides a number by a divisor, such as cents to units (÷ 100)."))
        let lower = try #require(lines.first { $0.hasPrefix("lower ") })
        #expect(lower.hasSuffix("  no        Lowercases a string."))
        let toBoolean = try #require(lines.first { $0.hasPrefix("to_boolean ") })
        #expect(toBoolean.hasSuffix("Turns text or 0/1 into a boolean."))
    }
}
