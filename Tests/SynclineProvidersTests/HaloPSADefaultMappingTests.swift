import Foundation
import SynclineCore
import SynclineProviders
import SynclineSandbox
import Testing

/// The default mappings of the bundled `halopsa.yaml` against every entity type of the emulated HaloPSA, read
/// over real loopback HTTP: each record must map to its unified model without a failure or a warning.
@Suite("HaloPSA default mappings")
struct HaloPSADefaultMappingTests {
    static func halo() throws -> ProviderDefinition {
        try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
    }

    @Test("every HaloPSA entity type ships a default mapping to its unified model")
    func everyEntityTypeHasAMapping() throws {
        let halo = try Self.halo()
        #expect(Set(halo.entityTypes.map(\.name)) == Set(HaloPSAEntity.allCases.map(\.rawValue)))
        for entity in halo.entityTypes {
            let mapping = try #require(entity.defaultMapping, "\(entity.name) has no default mapping")
            #expect(mapping.model == entity.unifiedModel)
            let compiled = try CompiledMapping(mapping)
            #expect(compiled.model.builtIn)
            #expect(mapping.rules.count >= 6, "\(entity.name) maps only \(mapping.rules.count) fields")
        }
    }

    @Test("every emulated record of every entity type maps with 0 failed records and no warnings")
    func mapsEveryRecord() async throws {
        // Fewer sites than clients, so some clients have no main site (HaloPSA sends 0) and the 0 -> null rule runs.
        let counts = HaloPSARecordCounts(
            clients: 30,
            sites: 24,
            users: 60,
            assets: 60,
            agents: 5,
            tickets: 40,
            actions: 90,
            timesheets: 21
        )
        let halo = try Self.halo()
        var read: [String: [JSONValue]] = [:]
        try await HaloRun(counts: counts).withSession { session, _ in
            for entity in HaloPSAEntity.allCases {
                read[entity.rawValue] = try await HaloPSAEndToEndTests.readAll(session, entity.rawValue).records
            }
        }
        var mapped: [String: [(source: [String: JSONValue], result: MappedRecord)]] = [:]
        for entity in HaloPSAEntity.allCases {
            let records = read[entity.rawValue] ?? []
            #expect(records.count == counts[entity], "\(entity.rawValue): read \(records.count)")
            let mapping = try CompiledMapping(try #require(halo.entityType(named: entity.rawValue)?.defaultMapping))
            let results = records.map { (source: $0.objectValue ?? [:], result: mapping.apply($0)) }
            let failed = results.filter(\.result.failed)
            #expect(
                failed.isEmpty,
                "\(entity.rawValue): \(failed.count) failed, first: \(failed.first?.result.failures ?? [])"
            )
            let warned = results.filter { !$0.result.warnings.isEmpty }
            #expect(warned.isEmpty, "\(entity.rawValue): \(warned.first?.result.warnings ?? [])")
            mapped[entity.rawValue] = results
        }

        // Clients -> company
        for (source, result) in mapped["clients"] ?? [] {
            let id = try #require(source["id"].flatMap(Self.int))
            #expect(result.value["id"] == .string(String(id)))
            #expect(result.value["name"] == source["name"])
            #expect(
                result.value["active"] == source["inactive"].map { $0 == .bool(false) ? .bool(true) : .bool(false) }
            )
            #expect(result.value["email"] == source["accountsemailaddress"])
            #expect(result.value["main_site_id"] == (id <= counts.sites ? .string(String(id)) : .null))
            #expect(result.value["notes"] == .null, "an empty note becomes null")
        }
        // Users -> contact
        for (source, result) in mapped["users"] ?? [] {
            #expect(result.value["first_name"] == source["firstname"])
            #expect(
                result.value["email"] == source["emailaddress"].flatMap(\.stringValue).map { .string($0.lowercased()) }
            )
            #expect(result.value["company_id"] == source["client_id"].flatMap(Self.int).map { .string(String($0)) })
        }
        // Sites -> site, with the nested delivery address
        let firstSite = try #require(mapped["sites"]?.first)
        #expect(firstSite.result.value["city"] == firstSite.source["delivery_address"]?.objectValue?["line3"])
        #expect(firstSite.result.value["address_line2"] == .null)
        #expect(firstSite.result.value["billing"] == .bool(true), "site 1 is client 1's main site")
        // Assets -> asset: no user (0) maps to a null contact
        let assets = mapped["assets"] ?? []
        for (source, result) in assets {
            let user = try #require(source["user_id"].flatMap(Self.int))
            #expect(result.value["contact_id"] == (user == 0 ? .null : .string(String(user))))
            #expect(result.value["updated_at"]?.stringValue?.hasSuffix("Z") == true)
        }
        #expect(assets.contains { $0.result.value["contact_id"] == .null }, "no asset without a user to check")
        // Tickets -> ticket: statuses and priorities through the value maps, times in UTC
        for (source, result) in mapped["tickets"] ?? [] {
            let status = try #require(result.value["status"]?.stringValue)
            #expect(EntityModel.ticketStatuses.contains(status))
            #expect((status == "closed") == (source["status_id"] == 9))
            let expectedPriority = ["1": "critical", "2": "high", "3": "medium", "4": "low"]
            #expect(
                result.value["priority"]?.stringValue
                    == source["priority_id"].flatMap(Self.int).flatMap { expectedPriority[String($0)] }
            )
            let occurred = try #require(source["dateoccurred"]?.stringValue)
            #expect(result.value["created_at"] == .string(occurred + "Z"))
            #expect(result.value["number"] == result.value["id"])
        }
        // Actions -> note
        for (source, result) in mapped["actions"] ?? [] {
            #expect(result.value["ticket_id"] == source["ticket_id"].flatMap(Self.int).map { .string(String($0)) })
            #expect(result.value["private"] == source["hiddenfromuser"])
        }
        // Timesheets -> time_entry: hours to whole minutes, the day as a date
        for (source, result) in mapped["timesheets"] ?? [] {
            let hours = try #require(source["actual_hours"].flatMap(Self.number))
            #expect(result.value["minutes"] == .number((hours * 60).rounded()))
            let day = try #require(source["date"]?.stringValue)
            #expect(result.value["date"] == .string(String(day.prefix(10))))
            #expect(result.value["start"]?.stringValue?.hasSuffix("Z") == true)
        }
        // Agents -> agent
        let agent = try #require(mapped["agents"]?.first)
        #expect(agent.result.value["active"] == .bool(true))
        #expect(agent.result.value["team"] == agent.source["team"])
    }

    static func int(_ value: JSONValue) -> Int? {
        number(value).flatMap { Int(exactly: $0) }
    }

    static func number(_ value: JSONValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }
}

/// The `mapping:` key of provider files: its YAML shape, and errors that point at the rule's line.
@Suite("Provider file mappings")
struct ProviderFileMappingTests {
    static func yaml(_ entityLines: String) -> String {
        ProviderFileTests.minimal + "\n" + entityLines
    }

    /// The 1-based line of the first line containing `marker`.
    static func line(of marker: String, in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex { $0.contains(marker) } ?? -1) + 1
    }

    static func error(_ yaml: String) -> ProviderFileError? {
        do {
            _ = try ProviderDefinition.parse(yaml: yaml, file: "demo.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("a mapping parses into the entity type's default mapping, with YAML scalars typed as JSON")
    func parses() throws {
        let yaml = Self.yaml(
            """
                unified_model: time_entry
                mapping:
                  - { source: id, target: id, required: true, transforms: [{ name: to_string }] }
                  - source: hours
                    target: minutes
                    transforms:
                      - { name: multiply, arguments: { factor: 60 } }
                      - { name: round }
                  - source: agent
                    target: agent_id
                    transforms: [{ name: value_map, arguments: { map: { "0": null, "7": "x" }, strict: false } }]
                  - { source: note, target: description, transforms: [{ name: default, arguments: { value: "true" } }] }
            """
        )
        let definition = try ProviderDefinition.parse(yaml: yaml, file: "demo.yaml")
        let mapping = try #require(definition.entityType(named: "things")?.defaultMapping)
        #expect(
            mapping
                == Mapping(
                    model: "time_entry",
                    rules: [
                        MappingRule(
                            source: "id",
                            target: "id",
                            transforms: [TransformStep("to_string")],
                            required: true
                        ),
                        MappingRule(
                            source: "hours",
                            target: "minutes",
                            transforms: [TransformStep("multiply", arguments: ["factor": 60]), TransformStep("round")]
                        ),
                        MappingRule(
                            source: "agent",
                            target: "agent_id",
                            transforms: [
                                TransformStep("value_map", arguments: ["map": ["0": nil, "7": "x"], "strict": false])
                            ]
                        ),
                        MappingRule(
                            source: "note",
                            target: "description",
                            transforms: [TransformStep("default", arguments: ["value": "true"])]
                        ),
                    ]
                )
        )
        #expect(try Self.halo().entityType(named: "clients")?.defaultMapping?.rules.first?.target == "id")
    }

    static func halo() throws -> ProviderDefinition {
        try HaloPSADefaultMappingTests.halo()
    }

    @Test("an entity type without a mapping has no default mapping")
    func absent() throws {
        let definition = try ProviderDefinition.parse(yaml: ProviderFileTests.minimal, file: "demo.yaml")
        #expect(definition.entityType(named: "things")?.defaultMapping == nil)
    }

    /// A broken mapping, the text on the line its error must point at, and the message.
    struct Mistake: Sendable, CustomTestStringConvertible {
        let name: String
        let lines: String
        let marker: String
        let message: String
        var testDescription: String { name }
    }

    static let mistakes: [Mistake] = [
        Mistake(
            name: "a target that is not a field of the model",
            lines: """
                    unified_model: company
                    mapping:
                      - { source: id, target: id }
                      - { source: title, target: name }
                      - { source: web, target: webiste }
                """,
            marker: "target: webiste",
            message:
                "mapping of entity type 'things', rules[2].target: 'webiste' is not a field of company; did you mean 'website'?"
        ),
        Mistake(
            name: "an invalid transform argument",
            lines: """
                    unified_model: company
                    mapping:
                      - { source: id, target: id }
                      - source: name
                        target: name
                        transforms:
                          - name: truncate
                            arguments:
                              length: -3
                """,
            marker: "length: -3",
            message: "mapping of entity type 'things', rules[1].transforms[0].arguments.length: must not be negative"
        ),
        Mistake(
            name: "an unknown key in a rule",
            lines: """
                    unified_model: company
                    mapping:
                      - { source: id, target: id }
                      - { source: name, target: name, requird: true }
                """,
            marker: "requird",
            message: "mapping of entity type 'things', rules[1].requird: unknown key; expected one of:"
        ),
        Mistake(
            name: "a required field of the model without a rule",
            lines: """
                    unified_model: company
                    mapping:
                      - { source: id, target: id }
                """,
            marker: "- { source: id, target: id }",
            message: "mapping of entity type 'things', rules: company requires 'name', which no rule targets"
        ),
        Mistake(
            name: "an unknown unified model",
            lines: """
                    unified_model: compnay
                    mapping:
                      - { source: id, target: id }
                """,
            marker: "unified_model: compnay",
            message: "the unified_model of entity type 'things': no model named 'compnay' (did you mean 'company'?)"
        ),
        Mistake(
            name: "a mapping without a unified model",
            lines: """
                    mapping:
                      - { source: id, target: id }
                """,
            marker: "- { source: id, target: id }",
            message: "the mapping of entity type 'things' needs unified_model: the model it maps to"
        ),
        Mistake(
            name: "a mapping that is not a list",
            lines: """
                    unified_model: company
                    mapping: { source: id, target: id }
                """,
            marker: "    mapping:",
            message: "the mapping of entity type 'things' must be a list of rules"
        ),
    ]

    @Test("a broken mapping is a provider-file error at the rule's line", arguments: mistakes)
    func brokenMapping(_ mistake: Mistake) throws {
        let yaml = Self.yaml(mistake.lines)
        let error = try #require(Self.error(yaml), "the file parsed")
        #expect(error.line == Self.line(of: mistake.marker, in: yaml), "\(error)")
        #expect(error.message.hasPrefix(mistake.message), "\(error.message)")
        #expect(error.column > 0)
    }
}
