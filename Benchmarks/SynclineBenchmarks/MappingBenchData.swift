import Foundation
import SynclineCore

/// The mapping benchmark's mappings and records, apart from its command: `Benchmarks/MappingInstructions` compiles
/// this file with SynclineCore alone to count instructions under callgrind, which cannot run `syncline-bench`.
enum MappingBenchData {
    static func step(_ name: String, _ arguments: [String: JSONValue] = [:]) -> TransformStep {
        TransformStep(name, arguments: arguments)
    }

    static func rule(_ source: String, _ target: String, _ steps: [TransformStep], required: Bool = false)
        -> MappingRule
    {
        MappingRule(source: source, target: target, transforms: steps, required: required)
    }

    /// A reference: a HaloPSA number id where 0 means none, as unified text.
    static func reference(_ source: String, _ target: String) -> MappingRule {
        rule(source, target, [step("to_integer"), step("value_map", ["map": ["0": nil]]), step("to_string")])
    }

    static let mapping = Mapping(
        model: "ticket",
        rules: [
            rule("id", "id", [step("to_integer"), step("to_string"), step("null_if_empty")], required: true),
            rule("ref", "number", [step("trim"), step("upper"), step("null_if_empty")]),
            rule(
                "summary",
                "summary",
                [step("trim"), step("null_if_empty"), step("truncate", ["length": 200])],
                required: true
            ),
            rule("details", "description", [step("trim"), step("null_if_empty"), step("truncate", ["length": 2000])]),
            rule(
                "status_id",
                "status",
                [
                    step("to_integer"), step("to_string"),
                    step(
                        "value_map",
                        ["map": ["1": "new", "2": "open", "3": "open", "4": "pending", "5": "on_hold", "9": "closed"]]
                    ),
                ]
            ),
            rule(
                "priority_name",
                "priority",
                [
                    step("trim"), step("lower"),
                    step(
                        "value_map",
                        ["map": ["urgent": "critical", "high": "high", "low": "low"], "default": "medium"]
                    ),
                ]
            ),
            rule("type", "type", [step("trim"), step("lower"), step("null_if_empty")]),
            rule("categories[0].name", "category", [step("trim"), step("title_case"), step("null_if_empty")]),
            reference("client_id", "company_id"),
            reference("site.id", "site_id"),
            reference("user.id", "contact_id"),
            reference("agent_id", "agent_id"),
            rule("team", "team", [step("trim"), step("null_if_empty"), step("default", ["value": "Unassigned"])]),
            rule("created", "created_at", [step("trim"), step("null_if_empty"), step("parse_date")]),
            rule(
                "updated_unix",
                "updated_at",
                [step("to_number"), step("unix_seconds_to_iso"), step("null_if_empty")]
            ),
        ]
    )

    /// The sources of `mapping` and the types of their raw values, for the trivial pipeline.
    static let rawFields: [(source: String, target: String, type: ModelFieldType)] = [
        ("id", "id", .number), ("ref", "number", .string), ("summary", "summary", .string),
        ("details", "description", .string), ("status_id", "status", .number),
        ("priority_name", "priority", .string), ("type", "type", .string),
        ("categories[0].name", "category", .string), ("client_id", "company_id", .number),
        ("site.id", "site_id", .number), ("user.id", "contact_id", .string), ("agent_id", "agent_id", .string),
        ("team", "team", .string), ("created", "created_at", .string), ("updated_unix", "updated_at", .number),
    ]

    static let rawModel = EntityModel(
        name: "bench_raw",
        fields: rawFields.map { ModelField(name: $0.target, type: $0.type, required: $0.target == "id") }
    )

    static let trivialMapping = Mapping(
        model: "bench_raw",
        rules: rawFields.map { field in
            rule(field.source, field.target, Array(repeating: step("null_if_empty", ["trim": false]), count: 3))
        }
    )

    /// A HaloPSA-like ticket: stray whitespace, ids as numbers or numeric text, 0 for "none", a few fields missing.
    static func record(_ index: Int) -> JSONValue {
        let priorities = ["Urgent", " high", "Medium ", "low", "Normal"]
        let types = ["Incident", "Service Request", " Problem ", "Change"]
        let teams = ["1st Line Support", "2nd Line Support", "  ", "Projects"]
        let created = 1_700_000_000 + index * 3_617
        var members: [String: JSONValue] = [
            "id": .number(Double(index + 1)),
            "ref": .string(" t-\(100_000 + index) "),
            "summary": .string("  Printer on floor \(index % 7) is offline \n"),
            "details": .string("The user reports that the printer shows error \(index % 13). Restarted twice."),
            "status_id": .number(Double([1, 2, 3, 4, 5, 9][index % 6])),
            "priority_name": .string(priorities[index % priorities.count]),
            "type": .string(types[index % types.count]),
            "categories": [["name": .string(index % 3 == 0 ? "hardware" : "software licences")]],
            "client_id": .number(Double(index % 11)),
            "site": ["id": .number(Double(index % 17 + 1)), "name": "Head Office"],
            "user": ["id": .string(String(index % 29))],
            "agent_id": .string(String(index % 5)),
            "team": .string(teams[index % teams.count]),
            "created": .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(created)))),
            "updated_unix": .number(Double(created + 86_400)),
        ]
        if index % 10 == 0 { members["details"] = nil }
        return .object(members)
    }

    /// A HaloPSA client as the emulator lists one: mixed-case and display-name emails, stray whitespace, 0 for "no
    /// site", empty notes.
    static func client(_ index: Int) -> JSONValue {
        let emails = [
            "accounts@client\(index).example", " Accounts@Client\(index).Example ",
            "Billing <billing@client\(index).example>", "",
        ]
        let name = "Client \(index) Logistics Holdings"
        return [
            "id": .number(Double(index + 1)),
            "name": .string(index % 5 == 0 ? " \(name) " : name),
            "website": .string("https://www.client\(index).example"),
            "accountsemailaddress": .string(emails[index % emails.count]),
            "phonenumber": .string("020 7946 \(1000 + index % 9000)"),
            "inactive": .bool(index % 7 == 0),
            "toplevel_id": 1,
            "toplevel_name": "Managed Service Customers",
            "main_site_id": .number(Double(index % 4 == 0 ? 0 : index + 1)),
            "main_site_name": "Head Office",
            "client_to_invoice": 0,
            "colour": "#2f6fde",
            "notes": .string(index % 3 == 0 ? "" : "Prefers email contact."),
        ]
    }
}
