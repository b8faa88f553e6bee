import Foundation
import SynclineCore
import Testing

/// Shorthands for mapping tests.
private enum Map {
    static func rule(
        _ source: String,
        _ target: String,
        _ steps: [TransformStep] = [],
        required: Bool = false
    ) -> MappingRule {
        MappingRule(source: source, target: target, transforms: steps, required: required)
    }

    static func step(_ name: String, _ arguments: [String: JSONValue] = [:]) -> TransformStep {
        TransformStep(name, arguments: arguments)
    }

    /// A contact mapping with `id` and the given rules.
    static func contact(_ rules: [MappingRule]) -> Mapping {
        Mapping(model: "contact", rules: [rule("id", "id", [step("to_string")], required: true)] + rules)
    }

    /// The problems of compiling `mapping`, or none when it compiles.
    static func problems(
        _ mapping: Mapping,
        models: ModelCatalog = .unified,
        registry: TransformRegistry = .standard
    ) -> [MappingProblem] {
        do {
            _ = try CompiledMapping(mapping, models: models, registry: registry)
            return []
        } catch {
            return error.problems
        }
    }

    static func documentProblems(_ document: JSONValue) -> [MappingProblem] {
        do {
            _ = try Mapping(document: document)
            return []
        } catch {
            return error.problems
        }
    }

    static func modelProblems(_ document: JSONValue) -> [MappingProblem] {
        do {
            _ = try EntityModel(document: document)
            return []
        } catch {
            return error.problems
        }
    }
}

@Suite("Mapping documents")
struct MappingDocumentTests {
    static let document: JSONValue = [
        "model": "company",
        "rules": [
            [
                "source": "name", "target": "name", "required": true,
                "transforms": [["name": "trim"], ["name": "truncate", "arguments": ["length": 80]]],
            ],
            ["source": "owner.email", "target": "email", "transforms": [], "required": false],
        ],
    ]

    @Test("a document reads into rules and writes back to the same document")
    func roundTrip() throws {
        let mapping = try Mapping(document: Self.document)
        #expect(mapping.model == "company")
        #expect(
            mapping.rules == [
                MappingRule(
                    source: "name",
                    target: "name",
                    transforms: [TransformStep("trim"), TransformStep("truncate", arguments: ["length": 80])],
                    required: true
                ),
                MappingRule(source: "owner.email", target: "email"),
            ]
        )
        #expect(mapping.document == Self.document)
        #expect(try Mapping(document: mapping.document) == mapping)
    }

    @Test("transforms, arguments and required may be left out")
    func defaults() throws {
        let mapping = try Mapping(document: ["model": "company", "rules": [["source": "a", "target": "name"]]])
        #expect(mapping.rules == [MappingRule(source: "a", target: "name", transforms: [], required: false)])
    }

    @Test("unknown keys are refused with their path, and every problem is reported at once")
    func unknownKeys() {
        let problems = Map.documentProblems([
            "model": "company",
            "version": 2,
            "rules": [
                ["source": "a", "target": "name", "requried": true],
                ["source": "b", "target": "website", "transforms": [["name": "trim", "args": ["x": 1]]]],
            ],
        ])
        #expect(problems.map(\.path) == ["version", "rules[0].requried", "rules[1].transforms[0].args"])
        #expect(problems[1].message.hasPrefix("unknown key; expected one of: required, source, target, transforms"))
        #expect(problems[1].rule == 0)
        #expect(problems[2].rule == 1)
    }

    @Test("missing and mistyped members name their place")
    func shapes() {
        #expect(Map.documentProblems("company").map(\.description) == ["must be an object, got a string"])
        let problems = Map.documentProblems([
            "model": 3,
            "rules": [
                ["target": "name"],
                ["source": "a", "target": "b", "required": "yes"],
                ["source": "a", "target": "c", "transforms": "trim"],
                ["source": "a", "target": "d", "transforms": [["arguments": [:]], ["name": "x", "arguments": [1]]]],
                "name",
            ],
        ])
        #expect(
            problems.map(\.description) == [
                "model: must be a string, got a number",
                "rules[0].source: is required",
                "rules[1].required: must be true or false, got a string",
                "rules[2].transforms: must be an array, got a string",
                "rules[3].transforms[0].name: is required",
                "rules[3].transforms[1].arguments: must be an object, got an array",
                "rules[4]: must be an object, got a string",
            ]
        )
        #expect(Map.documentProblems(["model": "company"]).map(\.description) == ["rules: is required"])
    }

    @Test("a mapping error lists every problem, one per line")
    func errorDescription() {
        let error = MappingError([
            MappingProblem(path: "rules[0].target", message: "a"), MappingProblem(path: "rules", message: "b"),
        ])
        #expect(error.description == "rules[0].target: a\nrules: b")
    }
}

@Suite("Mapping validation")
struct MappingValidationTests {
    @Test("a valid mapping compiles and keeps the mapping and its model")
    func compiles() throws {
        let mapping = Map.contact([Map.rule("mail", "email", [Map.step("email_normalize")])])
        let compiled = try CompiledMapping(mapping)
        #expect(compiled.mapping == mapping)
        #expect(compiled.model.name == "contact")
    }

    @Test("an unknown model is named, with a suggestion")
    func unknownModel() {
        let problems = Map.problems(Mapping(model: "compnay", rules: [Map.rule("id", "id")]))
        #expect(problems.map(\.path) == ["model"])
        #expect(problems[0].message.hasPrefix("no model named 'compnay' (did you mean 'company'?); known: company,"))
    }

    @Test("a source path that does not parse names the rule's source and the column")
    func badSource() {
        let problems = Map.problems(Map.contact([Map.rule("owner..email", "email")]))
        #expect(problems.map(\.path) == ["rules[1].source"])
        #expect(problems[0].message == "expected a key at column 7, found '.'")
        #expect(problems[0].rule == 1)
    }

    @Test("a target that is not a field of the model is refused, with the nearest field")
    func unknownTarget() {
        let problems = Map.problems(Map.contact([Map.rule("mail", "emial"), Map.rule("x", "shoe_size")]))
        #expect(problems.map(\.path) == ["rules[1].target", "rules[2].target"])
        #expect(problems[0].message == "'emial' is not a field of contact; did you mean 'email'?")
        #expect(problems[1].message.hasPrefix("'shoe_size' is not a field of contact; fields: id, first_name,"))
    }

    @Test("a field mapped twice is refused at the second rule")
    func mappedTwice() {
        let problems = Map.problems(Map.contact([Map.rule("mail", "email"), Map.rule("other_mail", "email")]))
        #expect(problems.map(\.description) == ["rules[2].target: 'email' is already mapped by rules[1]"])
    }

    @Test("an unknown transform names the step, with a suggestion")
    func unknownTransform() {
        let problems = Map.problems(Map.contact([Map.rule("name", "name", [Map.step("trim"), Map.step("trimm")])]))
        #expect(
            problems.map(\.description) == [
                "rules[1].transforms[1].name: no transform named 'trimm' (did you mean 'trim'?)"
            ]
        )
    }

    @Test(
        "invalid arguments name the rule, the step and the argument",
        arguments: [
            (Map.step("divide", ["divisor": 0]), "divisor", "must not be zero"),
            (Map.step("divide"), "divisor", "required argument is missing"),
            (Map.step("divide", ["divsor": 2]), "divsor", "unknown argument; known: divisor"),
            (Map.step("round", ["places": "two"]), "places", "expected integer, got a string"),
            (
                Map.step("to_integer", ["rounding": "sideways"]), "rounding",
                "'sideways' is not one of: error, toward_zero, nearest, down, up"
            ),
        ]
    )
    func invalidArguments(step: TransformStep, argument: String, message: String) {
        let problems = Map.problems(
            Mapping(
                model: "time_entry",
                rules: [
                    Map.rule("id", "id", [], required: true),
                    Map.rule("hours", "minutes", [Map.step("to_number"), step]),
                ]
            )
        )
        #expect(problems.map(\.path) == ["rules[1].transforms[1].arguments.\(argument)"])
        #expect(problems.first?.message == message)
    }

    @Test("a check a transform makes of its arguments when built names the argument too")
    func factoryCheck() {
        let problems = Map.problems(
            Map.contact([
                Map.rule("x", "name", [Map.step("value_map", ["map": ["A": 1, "a": 2], "ignore_case": true])])
            ])
        )
        #expect(problems.map(\.path) == ["rules[1].transforms[0].arguments.map"])
        #expect(problems.first?.message == "keys differ only by case, which ignore_case cannot tell apart")
    }

    @Test("every field the model requires must be targeted")
    func requiredFieldsTargeted() {
        let problems = Map.problems(Mapping(model: "company", rules: [Map.rule("website", "website")]))
        #expect(
            problems.map(\.description) == [
                "rules: company requires 'id', which no rule targets",
                "rules: company requires 'name', which no rule targets",
            ]
        )
    }

    @Test(
        "a pipeline whose output type is known must fit the target field",
        arguments: [
            ("email", [Map.step("to_integer")], "gives a whole number, but the field is a string; add to_string"),
            ("active", [Map.step("trim")], "gives a string, but the field is a boolean; add to_boolean"),
            ("company_id", [Map.step("split")], "gives an array, but the field is a string; add first or join"),
            (
                "created_at", [Map.step("parse_date", ["output": "date"])],
                "gives a date, but the field is a datetime; a date has no time; use parse_date"
            ),
            (
                "updated_at", [Map.step("iso_to_unix_seconds")],
                "gives a number, but the field is a datetime; add unix_seconds_to_iso or unix_millis_to_iso"
            ),
            ("tags", [Map.step("join")], "gives a string, but the field is an array; add split"),
        ]
    )
    func typesLineUp(target: String, steps: [TransformStep], message: String) {
        let problems = Map.problems(Map.contact([Map.rule("x", target, steps)]))
        #expect(problems.map(\.path) == ["rules[1].transforms[\(steps.count - 1)]"])
        #expect(problems.first?.message == "\(message) (target '\(target)')")
    }

    @Test("a wildcard source gives an array, which only an array field or a collapsing step takes")
    func wildcardSource() throws {
        let problems = Map.problems(Map.contact([Map.rule("emails[*].address", "email")]))
        #expect(problems.map(\.path) == ["rules[1].source"])
        #expect(problems.first?.message.hasPrefix("gives an array, but the field is a string") == true)
        _ = try CompiledMapping(Map.contact([Map.rule("emails[*].address", "email", [Map.step("first")])]))
        _ = try CompiledMapping(Map.contact([Map.rule("labels[*].name", "tags")]))
    }

    @Test("a strict value map must give only values of the target enum")
    func enumConstants() throws {
        let ticket = { (steps: [TransformStep]) in
            Mapping(model: "ticket", rules: [Map.rule("id", "id", required: true), Map.rule("state", "status", steps)])
        }
        let bad = Map.problems(ticket([Map.step("value_map", ["map": ["1": "new", "2": "Open"], "strict": true])]))
        #expect(bad.map(\.path) == ["rules[1].transforms[0]"])
        #expect(
            bad.first?.message.hasPrefix("can give a value that does not fit: a string (\"Open\") is not one of: new,")
                == true
        )
        let badDefault = Map.problems(ticket([Map.step("value_map", ["map": ["1": "new"], "default": 0])]))
        #expect(badDefault.first?.message.contains("got a number (0)") == true)
        // Without strict or default, unmapped values pass through: checked per record, not refused here.
        _ = try CompiledMapping(ticket([Map.step("value_map", ["map": ["1": "new", "2": "Open"]])]))
        _ = try CompiledMapping(
            ticket([Map.step("value_map", ["map": ["1": "new", "9": "closed"], "default": "open"])])
        )
    }

    @Test("types that may fit are left to the per-record check")
    func lenientTypes() throws {
        let mapping = Mapping(
            model: "time_entry",
            rules: [
                Map.rule("id", "id", [Map.step("trim")], required: true),
                Map.rule("hours", "minutes", [Map.step("multiply", ["factor": 60])]),  // a number, maybe whole
                Map.rule("day", "date", [Map.step("trim")]),  // a string, maybe a date
                Map.rule("from", "start", [Map.step("parse_date")]),
                Map.rule("to", "end", [Map.step("unix_seconds_to_iso"), Map.step("null_if_empty")]),
                Map.rule("charge", "billable", [Map.step("to_boolean"), Map.step("default", ["value": false])]),
            ]
        )
        _ = try CompiledMapping(mapping)
    }

    @Test("a transform a custom registry replaces is not type-checked by its standard name")
    func replacedTransformNotInferred() throws {
        let custom = TransformDefinition(
            spec: TransformSpec(
                name: "to_integer",
                summary: "Host-defined.",
                input: "any",
                example: .init(input: 1, output: "1")
            ),
            factory: { _ in Transform.Implementation(forward: { value, _ in value }) }
        )
        let mapping = Map.contact([Map.rule("x", "email", [Map.step("to_integer")])])
        #expect(!Map.problems(mapping).isEmpty)
        #expect(Map.problems(mapping, registry: TransformRegistry.standard.adding(custom)).isEmpty)
    }

    @Test("all problems of a mapping are reported together")
    func allProblems() {
        let problems = Map.problems(
            Mapping(
                model: "contact",
                rules: [
                    Map.rule("a[", "email"),
                    Map.rule("b", "nme"),
                    Map.rule("c", "phone", [Map.step("truncate", ["length": -1]), Map.step("nope")]),
                ]
            )
        )
        #expect(
            problems.map(\.path) == [
                "rules[0].source", "rules[1].target", "rules[2].transforms[0].arguments.length",
                "rules[2].transforms[1].name", "rules",
            ]
        )
        #expect(problems.map(\.rule) == [0, 1, 2, 2, nil])
    }
}

@Suite("Applying mappings")
struct MappingApplyTests {
    static let record: JSONValue = [
        "id": 42,
        "owner": ["email": " Ada@Example.COM ", "name": "Ada Lovelace"],
        "custom_fields": [["name": "Tier", "value": "Gold"], ["name": "Region", "value": "EU"]],
        "tags": [["name": "vip"], ["name": "eu"]],
        "phones": ["020 7946 0000", "07700 900123"],
        "blank": "   ",
        "nothing": nil,
    ]

    @Test("nested, indexed and wildcard paths read the source record")
    func paths() throws {
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("owner.email", "email", [Map.step("email_normalize")]),
                Map.rule("custom_fields[0].value", "job_title"),
                Map.rule("tags[*].name", "tags"),
                Map.rule("phones[-1]", "mobile"),
                Map.rule("owner[\"name\"]", "name"),
            ])
        )
        let mapped = mapping.apply(Self.record)
        #expect(mapped.failures.isEmpty && mapped.warnings.isEmpty)
        #expect(
            mapped.value == [
                "id": "42", "email": "ada@example.com", "job_title": "Gold", "tags": ["vip", "eu"],
                "mobile": "07700 900123", "name": "Ada Lovelace",
            ]
        )
        #expect(!mapped.failed)
    }

    @Test("a missing source reads as null: kept as null on an optional rule, a failure on a required one")
    func missingSource() throws {
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("owner.phone", "phone"),
                Map.rule("nothing", "mobile"),
                Map.rule("owner.first", "first_name", required: true),
                Map.rule("nothing", "last_name", required: true),
                Map.rule("blank", "job_title", [Map.step("null_if_empty")], required: true),
            ])
        )
        let mapped = mapping.apply(Self.record)
        #expect(mapped.value == ["id": "42", "phone": nil, "mobile": nil])
        #expect(mapped.failed)
        #expect(
            mapped.failures.map(\.description) == [
                "rules[3] (target: first_name): required, but the record has nothing at 'owner.first'",
                "rules[4] (target: last_name): required, but 'nothing' is null",
                "rules[5] (target: job_title): required, but the transforms gave null ('blank' was a string (\"   \"))",
            ]
        )
        #expect(mapped.failures.map(\.rule) == [3, 4, 5])
        #expect(mapped.warnings.isEmpty)
    }

    @Test("a transform error fails a required rule and only warns on an optional one, leaving the field out")
    func transformErrors() throws {
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("owner.name", "email", [Map.step("trim"), Map.step("email_normalize")]),
                Map.rule("owner.name", "phone", [Map.step("phone_e164")], required: true),
                Map.rule("owner.name", "name"),
            ])
        )
        let mapped = mapping.apply(Self.record)
        #expect(mapped.value == ["id": "42", "name": "Ada Lovelace"])
        #expect(
            mapped.warnings.map(\.description) == [
                "rules[1] (target: email): step 2, transform 'email_normalize': 'Ada Lovelace' is not an email address"
            ]
        )
        #expect(mapped.failures.map(\.path) == ["rules[2] (target: phone)"])
        #expect(mapped.failures.first?.message.hasPrefix("step 1, transform 'phone_e164': ") == true)
    }

    @Test("a rule targeting a field the model requires is required whatever it says")
    func modelRequiredField() throws {
        let mapping = try CompiledMapping(
            Mapping(model: "company", rules: [Map.rule("id", "id"), Map.rule("title", "name")])
        )
        let mapped = mapping.apply(["id": "c1"])
        #expect(mapped.failures.map(\.path) == ["rules[1] (target: name)"])
    }

    /// One check per field type: the value, whether it fits, and the message when it does not.
    struct TypeCase: Sendable, CustomTestStringConvertible {
        let type: ModelFieldType
        let value: JSONValue
        let problem: String?
        var testDescription: String { "\(type.wireName) \(value)" }
    }

    static let typeCases: [TypeCase] = [
        .init(type: .string, value: "x", problem: nil),
        .init(type: .string, value: 12, problem: "expected a string, got a number (12)"),
        .init(type: .integer, value: 12, problem: nil),
        .init(type: .integer, value: .number(12.0), problem: nil),
        .init(type: .integer, value: .number(12.5), problem: "expected a whole number, got a number (12.5)"),
        .init(type: .integer, value: "12", problem: "expected an integer, got a string (\"12\")"),
        .init(type: .number, value: .number(0.5), problem: nil),
        .init(type: .number, value: true, problem: "expected a number, got a boolean (true)"),
        .init(type: .boolean, value: false, problem: nil),
        .init(type: .boolean, value: "yes", problem: "expected a boolean, got a string (\"yes\")"),
        .init(type: .date, value: "2024-02-29", problem: nil),
        .init(type: .date, value: "2023-02-29", problem: "expected a date (YYYY-MM-DD), got a string (\"2023-02-29\")"),
        .init(
            type: .date,
            value: "2024-03-10T00:00:00Z",
            problem: "expected a date (YYYY-MM-DD), got a string (\"2024-03-10T00:00:00Z\")"
        ),
        .init(type: .date, value: 20_240_310, problem: "expected a date (YYYY-MM-DD), got a number (20240310)"),
        .init(type: .datetime, value: "2024-03-10T09:30:00Z", problem: nil),
        .init(type: .datetime, value: "2024-03-10T09:30:00.250+01:00", problem: nil),
        .init(type: .datetime, value: "2024-03-10T09:30", problem: nil),
        .init(
            type: .datetime,
            value: "2024-03-10",
            problem: "expected an ISO 8601 timestamp with a time, got the date a string (\"2024-03-10\")"
        ),
        .init(
            type: .datetime,
            value: "yesterday",
            problem: "expected an ISO 8601 timestamp, got a string (\"yesterday\")"
        ),
        .init(type: .enumeration(["open", "closed"]), value: "open", problem: nil),
        .init(
            type: .enumeration(["open", "closed"]),
            value: "Open",
            problem: "a string (\"Open\") is not one of: open, closed"
        ),
        .init(
            type: .enumeration(["open", "closed"]),
            value: 1,
            problem: "expected one of: open, closed, got a number (1)"
        ),
        .init(type: .object, value: ["a": 1], problem: nil),
        .init(type: .object, value: [1], problem: "expected an object, got an array of 1"),
        .init(type: .array, value: [1], problem: nil),
        .init(type: .array, value: ["a": 1], problem: "expected an array, got an object"),
    ]

    @Test("each field type checks the mapped value, leniently but honestly", arguments: typeCases)
    func typeChecks(_ check: TypeCase) throws {
        let model = EntityModel(
            name: "probe",
            fields: [
                ModelField(name: "id", type: .string, required: true), ModelField(name: "field", type: check.type),
            ]
        )
        let mapping = try CompiledMapping(
            Mapping(model: "probe", rules: [Map.rule("id", "id"), Map.rule("value", "field")]),
            models: ModelCatalog.unified.adding([model])
        )
        let mapped = mapping.apply(["id": "1", "value": check.value])
        if let problem = check.problem {
            #expect(mapped.value["field"] == nil)
            #expect(mapped.warnings.map(\.description) == ["rules[1] (target: field): \(problem)"])
        } else {
            #expect(mapped.value["field"] == check.value)
            #expect(mapped.warnings.isEmpty)
        }
        #expect(mapped.failures.isEmpty)
    }

    @Test("enum values come through a value map; values outside the enum are reported")
    func enumThroughValueMap() throws {
        let mapping = try CompiledMapping(
            Mapping(
                model: "ticket",
                rules: [
                    Map.rule("id", "id", [Map.step("to_string")], required: true),
                    Map.rule("status_id", "status", [Map.step("value_map", ["map": ["1": "new", "9": "closed"]])]),
                    Map.rule("priority", "priority", [Map.step("lower")], required: true),
                ]
            )
        )
        let good = mapping.apply(["id": 1, "status_id": 9, "priority": "HIGH"])
        #expect(good.value == ["id": "1", "status": "closed", "priority": "high"])
        let bad = mapping.apply(["id": 2, "status_id": 4, "priority": "urgent"])
        #expect(bad.value == ["id": "2"])
        #expect(
            bad.warnings.map(\.description) == [
                "rules[1] (target: status): expected one of: new, open, pending, on_hold, resolved, closed, got a number (4)"
            ]
        )
        #expect(
            bad.failures.map(\.description) == [
                "rules[2] (target: priority): a string (\"urgent\") is not one of: critical, high, medium, low"
            ]
        )
    }

    @Test("transforms see the whole source record and the caller's links")
    func context() throws {
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("owner.name", "name", [Map.step("template", ["template": "{{owner.name}} ({{id}})"])]),
                Map.rule("site", "site_id", [Map.step("lookup", ["kind": "site"])]),
            ])
        )
        let mapped = mapping.apply(
            ["id": 7, "owner": ["name": "Ada"], "site": "17"],
            context: TransformContext(record: "ignored", links: ["site": ["17": "site_01"]])
        )
        #expect(mapped.value == ["id": "7", "name": "Ada (7)", "site_id": "site_01"])
    }

    @Test("the whole record maps through the root path")
    func rootPath() throws {
        let mapping = try CompiledMapping(
            Map.contact([Map.rule("$", "custom_fields"), Map.rule("$", "name", [Map.step("to_string")])])
        )
        let mapped = mapping.apply(["id": 1])
        #expect(mapped.value["custom_fields"] == ["id": 1])
        #expect(mapped.warnings.first?.message.hasPrefix("step 1, transform 'to_string': expected a string") == true)
    }

    @Test(
        "records are read the same whether scanned or looked up key by key, with keys that hash alike",
        arguments: [0, 10, 200]
    )
    func sourceKeys(extraKeys: Int) throws {
        // `ab_cd` and `ax_yd` have the same length and first and last bytes.
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("ab_cd", "first_name"), Map.rule("ax_yd", "last_name"), Map.rule("nested.mail", "email"),
                Map.rule("ab_cd", "name", [Map.step("upper")]), Map.rule("absent", "phone"),
            ])
        )
        var members: [String: JSONValue] = ["id": 5, "ab_cd": "Ada", "ax_yd": "Lovelace", "nested": ["mail": "a@b.io"]]
        for index in 0..<extraKeys { members["extra_\(index)"] = .string("value \(index)") }
        let mapped = mapping.apply(.object(members))
        #expect(
            mapped.value == [
                "id": "5", "first_name": "Ada", "last_name": "Lovelace", "email": "a@b.io", "name": "ADA",
                "phone": nil,
            ]
        )
        #expect(mapped.failures.isEmpty && mapped.warnings.isEmpty)
    }

    @Test("fields left out for problems do not disturb the fields written before and after them")
    func leftOutFields() throws {
        let mapping = try CompiledMapping(
            Map.contact([
                Map.rule("a", "first_name", [Map.step("to_integer"), Map.step("to_string")]),
                Map.rule("b", "last_name"),
                Map.rule("c", "email", [Map.step("email_normalize")]), Map.rule("d", "name"),
                Map.rule("e", "active"),
            ])
        )
        for _ in 0..<3 {
            let mapped = mapping.apply(["id": 1, "a": "x", "b": "Smith", "c": "nope", "d": "Ann Smith", "e": true])
            #expect(mapped.value == ["id": "1", "last_name": "Smith", "name": "Ann Smith", "active": true])
            #expect(mapped.warnings.map(\.rule) == [1, 3])
        }
        #expect(
            mapping.apply(["id": 2]).value == [
                "id": "2", "first_name": nil, "last_name": nil, "email": nil, "name": nil, "active": nil,
            ]
        )
    }

    @Test("a non-object record maps every key to missing")
    func nonObjectRecord() throws {
        let mapping = try CompiledMapping(Map.contact([Map.rule("owner.email", "email")]))
        let mapped = mapping.apply("not a record")
        #expect(mapped.failures.map(\.path) == ["rules[0] (target: id)"])
        #expect(mapped.value == ["email": nil])
    }
}

@Suite("Entity models")
struct EntityModelTests {
    @Test("the unified catalog has the twelve models, each with a required string id")
    func unifiedModels() throws {
        #expect(
            ModelCatalog.unified.models.map(\.name) == [
                "company", "contact", "site", "asset", "ticket", "time_entry", "deal", "agent", "task", "note",
                "document", "message",
            ]
        )
        for model in ModelCatalog.unified.models {
            #expect(model.builtIn)
            #expect(
                model.field(named: "id")
                    == ModelField(name: "id", type: .string, required: true, summary: model.fields[0].summary)
            )
            #expect(Set(model.fields.map(\.name)).count == model.fields.count, "\(model.name) repeats a field")
            #expect(model.fields.allSatisfy { !$0.summary.isEmpty }, "\(model.name) has a field without a summary")
            let reread = try EntityModel(document: model.document)
            #expect(reread.fields == model.fields && reread.name == model.name && !reread.builtIn)
        }
        let company = try #require(ModelCatalog.unified.model(named: "company"))
        #expect(company.requiredFields.map(\.name) == ["id", "name"])
        #expect(
            ModelCatalog.unified.model(named: "ticket")?.field(named: "status")?.type
                == .enumeration(EntityModel.ticketStatuses)
        )
        #expect(ModelCatalog.unified.model(named: "time_entry")?.field(named: "minutes")?.type == .integer)
        #expect(ModelCatalog.unified.model(named: "nope") == nil)
    }

    static let projectDocument: JSONValue = [
        "name": "project",
        "fields": [
            ["name": "id", "type": "string", "required": true],
            ["name": "title", "type": "string", "required": false, "summary": "What the project is called."],
            ["name": "phase", "type": "enum", "required": false, "values": ["plan", "build", "run"]],
            ["name": "budget", "type": "number", "required": false],
            ["name": "starts_on", "type": "date", "required": false],
        ],
    ]

    @Test("a custom model document reads, writes back the same, and can be mapped to")
    func customModel() throws {
        let model = try EntityModel(document: Self.projectDocument)
        #expect(model.name == "project" && !model.builtIn)
        #expect(
            model.fields.map(\.type) == [.string, .string, .enumeration(["plan", "build", "run"]), .number, .date]
        )
        #expect(model.field(named: "title")?.summary == "What the project is called.")
        #expect(model.document == Self.projectDocument)

        let catalog = ModelCatalog.unified.adding([model])
        try catalog.checkCustom(model)
        let mapping = try CompiledMapping(
            Mapping(
                model: "project",
                rules: [
                    Map.rule("key", "id", required: true),
                    Map.rule("stage", "phase", [Map.step("lower")]),
                    Map.rule(
                        "start",
                        "starts_on",
                        [Map.step("parse_date", ["formats": ["dd/MM/yyyy"], "output": "date"])]
                    ),
                ]
            ),
            models: catalog
        )
        let mapped = mapping.apply(["key": "P-1", "stage": "BUILD", "start": "31/01/2025"])
        #expect(mapped.value == ["id": "P-1", "phase": "build", "starts_on": "2025-01-31"])
        #expect(Map.problems(Mapping(model: "project", rules: [Map.rule("key", "id")])).map(\.path) == ["model"])
    }

    @Test("a custom model may not take a built-in model's name, nor replace one in the catalog")
    func clashWithBuiltIn() throws {
        let model = try EntityModel(document: ["name": "company", "fields": [["name": "id", "type": "string"]]])
        let error = #expect(throws: MappingError.self) { try ModelCatalog.unified.checkCustom(model) }
        #expect(
            error?.problems.map(\.description) == [
                "name: 'company' is a built-in model; give the custom model another name"
            ]
        )
        #expect(ModelCatalog.unified.adding([model]).model(named: "company")?.builtIn == true)
        let builtIn = EntityModel(name: "gadget", fields: [], builtIn: true)
        #expect(throws: MappingError.self) { try ModelCatalog.unified.checkCustom(builtIn) }
    }

    @Test("a later custom model of the same name replaces the earlier one")
    func replaceCustom() {
        let first = EntityModel(name: "gadget", fields: [ModelField(name: "id", type: .string)])
        let second = EntityModel(name: "gadget", fields: [ModelField(name: "id", type: .integer)])
        let catalog = ModelCatalog.unified.adding([first]).adding([second])
        #expect(catalog.models.filter { $0.name == "gadget" }.count == 1)
        #expect(catalog.model(named: "gadget")?.field(named: "id")?.type == .integer)
    }

    @Test("a model document's problems name the field and key")
    func modelProblems() {
        let problems = Map.modelProblems([
            "name": "Project",
            "fields": [
                ["name": "id", "type": "string"],
                ["name": "id", "type": "integer"],
                ["name": "when", "type": "timestamp"],
                ["name": "phase", "type": "enum"],
                ["name": "size", "type": "integer", "values": ["s", "m"]],
                ["name": "tier", "type": "enum", "values": ["a", "a"]],
                ["name": "Bad Name", "type": "string"],
                ["type": "string", "required": "no", "colour": "red"],
            ],
            "extra": true,
        ])
        #expect(
            problems.map(\.description) == [
                "extra: unknown key; expected one of: fields, name",
                "name: 'Project' must be snake_case: a lower-case letter, then letters, digits or _",
                "fields[1].name: 'id' is already the name of fields[0]",
                "fields[2].type: 'timestamp' is not a field type; expected one of: string, integer, number, boolean, date, datetime, enum, object, array",
                "fields[3].values: an enum field needs its list of values",
                "fields[4].values: only enum fields have values",
                "fields[5].values: 'a' is listed twice",
                "fields[6].name: 'Bad Name' must be snake_case: a lower-case letter, then letters, digits or _",
                "fields[7].colour: unknown key; expected one of: name, required, summary, type, values",
                "fields[7].name: is required",
                "fields[7].required: must be true or false, got a string",
            ]
        )
        #expect(
            Map.modelProblems(["name": "x", "fields": []]).map(\.description) == [
                "fields: a model needs at least one field"
            ]
        )
        #expect(
            Map.modelProblems(["fields": [["name": "id", "type": "string"]]]).map(\.description) == [
                "name: is required"
            ]
        )
    }

    @Test("field types have their wire names")
    func wireNames() {
        let types: [ModelFieldType] = [
            .string, .integer, .number, .boolean, .date, .datetime, .enumeration(["a"]), .object, .array,
        ]
        #expect(types.map(\.wireName) == ModelFieldType.wireNames)
        for type in types {
            #expect(ModelFieldType(wireName: type.wireName, values: type.enumValues ?? []) == type)
        }
        #expect(ModelFieldType(wireName: "timestamp") == nil)
    }
}

@Suite("Mappings: reading nested sources")
struct MappingNestedSourceTests {
    /// Rules reading one key inside an object, a longer path, an index and then a key, and the object itself.
    static let mapping = Mapping(
        model: "contact",
        rules: [
            Map.rule("id", "id", [Map.step("to_string")], required: true),
            Map.rule("owner.email", "email"),
            Map.rule("owner.profile.title", "job_title"),
            Map.rule("phones[0].number", "phone"),
            Map.rule("owner.name", "name", [Map.step("default", ["value": "nobody"])]),
        ]
    )

    @Test("a key inside an object, a longer path and an index read what they point at; what is missing is null")
    func reads() throws {
        let compiled = try CompiledMapping(Self.mapping)
        let full = compiled.apply([
            "id": 1,
            "owner": ["email": "ada@example.com", "name": "Ada", "profile": ["title": "Engineer"]],
            "phones": [["number": "+44 20 7946 0000"]],
        ])
        #expect(
            full.value == [
                "id": "1", "email": "ada@example.com", "job_title": "Engineer", "phone": "+44 20 7946 0000",
                "name": "Ada",
            ]
        )
        let empty: [String: JSONValue] = ["id": "2", "email": nil, "job_title": nil, "phone": nil, "name": "nobody"]
        // The owner missing, not an object, or without the keys; phones empty or not an array.
        for record: JSONValue in [
            ["id": 2],
            ["id": 2, "owner": "Ada", "phones": "none"],
            ["id": 2, "owner": ["profile": "Engineer"], "phones": []],
            ["id": 2, "owner": ["email": nil, "name": nil], "phones": [["no": 1]]],
        ] {
            let mapped = compiled.apply(record)
            #expect(mapped.value == empty, "\(record)")
            #expect(mapped.warnings.isEmpty && mapped.failures.isEmpty, "\(record)")
        }
    }
}
