import Foundation
import SynclineCore
import Testing

@Suite("Transform registry")
struct TransformRegistryTests {
    static let names = TransformRegistry.standard.specs.map(\.name)

    @Test("the standard registry ships at least 30 transforms with unique snake_case names")
    func shipsTransforms() {
        let names = Self.names
        #expect(names.count >= 30)
        #expect(Set(names).count == names.count)
        #expect(names == names.sorted())
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
        }
    }

    @Test("every transform's documented example produces its documented output", arguments: names)
    func examplesHold(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        #expect(try transform.apply(spec.example.input, context: spec.example.context) == spec.example.output)
    }

    @Test("every reversible example reverses back to its input", arguments: names)
    func examplesReverse(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        switch spec.reversibility {
        case .never:
            #expect(!transform.isReversible)
        case .always, .conditional:
            #expect(transform.isReversible)
            let back = try transform.reverse(spec.example.output, context: spec.example.context)
            #expect(try transform.apply(back, context: spec.example.context) == spec.example.output)
        }
    }

    @Test("transforms documented to pass null through return null both ways", arguments: names)
    func nullPassesThrough(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        guard spec.nulls == .passThrough else {
            if case .handled(let text) = spec.nulls { #expect(!text.isEmpty) }
            return
        }
        #expect(try transform.apply(.null, context: spec.example.context) == .null)
        if transform.isReversible {
            #expect(try transform.reverse(.null, context: spec.example.context) == .null)
        }
    }

    @Test(
        "an input of a type the transform does not accept is an error naming the transform and the type",
        arguments: names
    )
    func wrongInputTypeEverywhere(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        let object: JSONValue = ["unexpected": true]
        guard !spec.input.hasPrefix("any") else {
            // Transforms documented to take any input must accept an object without failing.
            _ = try transform.apply(object, context: spec.example.context)
            return
        }
        let error = #expect(throws: TransformError.self) { try transform.apply(object, context: spec.example.context) }
        #expect(error?.code == .wrongInputType)
        #expect(error?.transform == name)
        #expect(error?.message.hasSuffix("got an object") == true, "\(error?.message ?? "")")
    }

    @Test(
        "every argument declaration is consistent: defaults of their type, required ones without default",
        arguments: names
    )
    func argumentDeclarations(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        #expect(!spec.summary.isEmpty)
        #expect(Set(spec.arguments.map(\.name)).count == spec.arguments.count)
        for argument in spec.arguments {
            #expect(!argument.summary.isEmpty, "\(name).\(argument.name)")
            if argument.isRequired { #expect(argument.defaultValue == nil, "\(name).\(argument.name)") }
            if let defaultValue = argument.defaultValue, !argument.choices.isEmpty {
                #expect(argument.choices.contains(defaultValue.stringValue ?? ""), "\(name).\(argument.name)")
            }
        }
        // Building with only the required arguments taken from the example validates every default.
        let required = spec.example.arguments.filter { key, _ in spec.argument(named: key)?.isRequired == true }
        _ = try TransformRegistry.standard.make(name, arguments: required)
    }

    @Test("an unknown transform name is an error naming it")
    func unknownTransform() {
        let error = #expect(throws: TransformError.self) { try TransformRegistry.standard.make("uppercase") }
        #expect(error?.code == .unknownTransform)
        #expect(error?.transform == "uppercase")
        #expect(error?.description == "transform 'uppercase': no transform of this name")
    }

    @Test("an undeclared argument is an error naming the transform, the argument and the known ones")
    func unknownArgument() {
        let error = #expect(throws: TransformError.self) {
            try TransformRegistry.standard.make("round", arguments: ["place": 2])
        }
        #expect(error?.code == .unknownArgument)
        #expect(error?.transform == "round")
        #expect(error?.argument == "place")
        #expect(error?.message.contains("known: places, mode") == true)
    }

    @Test("a missing required argument is an error naming it")
    func missingArgument() {
        let error = #expect(throws: TransformError.self) { try TransformRegistry.standard.make("multiply") }
        #expect(error?.code == .missingArgument)
        #expect(error?.transform == "multiply")
        #expect(error?.argument == "factor")
    }

    @Test("an argument of the wrong type is an error saying what was expected and received")
    func wrongArgumentType() {
        let error = #expect(throws: TransformError.self) {
            try TransformRegistry.standard.make("round", arguments: ["places": "two"])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.argument == "places")
        #expect(error?.message == "expected integer, got a string")
        let fraction = #expect(throws: TransformError.self) {
            try TransformRegistry.standard.make("round", arguments: ["places": .number(1.5)])
        }
        #expect(fraction?.code == .invalidArgument)
    }

    @Test("a string argument outside its choices is an error listing them")
    func choiceViolation() {
        let error = #expect(throws: TransformError.self) {
            try TransformRegistry.standard.make("parse_currency", arguments: ["decimal_separator": ";"])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "';' is not one of: ., ,")
    }

    @Test("an argument given as null counts as absent and takes its default")
    func nullArgumentIsAbsent() throws {
        let transform = try TransformRegistry.standard.make("round", arguments: ["places": nil])
        #expect(transform.arguments.values["places"] == 0)
        #expect(try transform.apply(.number(2.5)) == 3)
    }

    @Test("a wrong input type is an error naming the transform and the type received, never a crash")
    func wrongInputType() {
        let error = #expect(throws: TransformError.self) { try Run.forward("lower", 42) }
        #expect(error?.code == .wrongInputType)
        #expect(error?.transform == "lower")
        #expect(error?.description == "transform 'lower': expected a string, got a number")
    }

    @Test("host applications can add their own transforms to a registry")
    func customDefinitions() throws {
        let spec = TransformSpec(
            name: "reverse_text",
            summary: "Reverses the characters of a string.",
            input: "string",
            example: .init(input: "abc", output: "cba"),
            reversibility: .always("Reverses again.")
        )
        let flip: TransformFunction = { value, _ in
            guard case .string(let text) = value else { throw TransformError(.wrongInputType, "expected a string") }
            return .string(String(text.reversed()))
        }
        let registry = TransformRegistry.standard.adding(
            TransformDefinition(spec: spec) { _ in Transform.Implementation(forward: flip, backward: flip) }
        )
        #expect(try registry.make("reverse_text").apply("abc") == "cba")
        #expect(registry.specs.count == TransformRegistry.standard.specs.count + 1)
        let error = #expect(throws: TransformError.self) { try registry.make("reverse_text").apply(1) }
        #expect(error?.transform == "reverse_text")
    }

    @Test("the Markdown reference has one section per transform, ordered by name, with arguments and examples")
    func markdownReference() {
        let markdown = TransformRegistry.standard.markdownReference()
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
        #expect(headings == Self.names)
        #expect(markdown.contains("| `places` | integer | no | `0` | Decimal places to keep"))
        #expect(markdown.contains("| `factor` | number | yes |  | The factor; not zero. |"))
        #expect(markdown.contains("- Reverses: yes. Divides by the factor."))
        #expect(markdown.contains("- Reverses: no."))
        #expect(markdown.contains("- Null: passes through unchanged."))
        #expect(markdown.contains("input:     \"closedwon\""))
        #expect(markdown.contains("record:    {\"first\":\"Ada\",\"last\":\"Lovelace\"}"))
        #expect(markdown.contains("One of: `.`, `,`."))
        let lowerSection = markdown.components(separatedBy: "### lower\n").last ?? ""
        #expect(lowerSection.prefix(300).contains("No arguments."))
    }

    @Test("pipes inside Markdown table cells are escaped so they cannot split a cell")
    func markdownEscapesPipes() {
        let spec = TransformSpec(
            name: "piped",
            summary: "A test transform.",
            input: "string",
            arguments: [ArgumentSpec("separator", .string, default: "|", "Splits a|b.")],
            example: .init(input: "a", output: "a")
        )
        let registry = TransformRegistry([
            TransformDefinition(spec: spec) { _ in Transform.Implementation(forward: { value, _ in value }) }
        ])
        #expect(registry.markdownReference().contains(#"| `separator` | string | no | `"\|"` | Splits a\|b. |"#))
    }
}
