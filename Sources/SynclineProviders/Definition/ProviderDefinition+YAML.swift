import Foundation
import SynclineCore
import Yams

extension ProviderDefinition {
    /// Parses and checks a provider file. Every error names the file, line and column and what was expected.
    public static func parse(yaml: String, file: String) throws(ProviderFileError) -> ProviderDefinition {
        let reader = YAMLNodeReader(file: file)
        do {
            let node: Node
            do {
                guard let composed = try Yams.compose(yaml: yaml) else {
                    throw reader.error(nil, "the file is empty; expected a provider definition")
                }
                node = composed
            } catch let error as YamlError {
                throw Self.syntaxError(error, file: file)
            }
            let definition = try decode(node, reader: reader)
            try definition.validate(reader: reader, root: node)
            return definition
        } catch let error as ProviderFileError {
            throw error
        } catch {
            throw ProviderFileError(file: file, line: 0, column: 0, message: "\(error)")
        }
    }

    private static let topLevelKeys = [
        "slug", "name", "description", "categories", "logo", "docs_url", "auth", "config", "credentials",
        "base_url", "rate_limit", "test_request", "entity_types", "webhook",
    ]

    private static func decode(_ node: Node, reader: YAMLNodeReader) throws -> ProviderDefinition {
        let fields = try reader.mapping(node, "the provider", allowed: topLevelKeys)
        let slug = try fields.string("slug")
        guard slug.range(of: "^[a-z][a-z0-9_-]*$", options: .regularExpression) != nil else {
            throw reader.error(fields["slug"], "slug must be lower-case letters, digits, '-' or '_'; got '\(slug)'")
        }
        let entityNode = try fields.required("entity_types")
        guard let entityMapping = entityNode.mapping, !entityMapping.isEmpty else {
            throw reader.error(entityNode, "entity_types must be a mapping of entity type names to their definitions")
        }
        var entityTypes: [EntityType] = []
        for (key, value) in entityMapping {
            let name = try reader.string(key, "an entity type name")
            entityTypes.append(try decodeEntityType(name: name, value, reader: reader))
        }
        return ProviderDefinition(
            slug: slug,
            name: try fields.string("name"),
            description: try fields.optionalString("description") ?? "",
            categories: try fields.strings("categories"),
            logo: try fields.optionalString("logo"),
            docsURL: try fields.optionalString("docs_url"),
            auth: try decodeAuth(try fields.required("auth"), reader: reader),
            config: try decodeFieldList(fields["config"], "config", reader: reader),
            credentials: try decodeFieldList(fields["credentials"], "credentials", reader: reader),
            baseURL: try template(try fields.required("base_url"), reader: reader),
            rateLimit: try fields["rate_limit"].map { try decodeRateLimit($0, reader: reader) },
            testRequest: try fields["test_request"].map { try decodeRequest($0, "test_request", reader: reader) },
            entityTypes: entityTypes,
            webhook: try fields["webhook"].map { try decodeWebhook($0, reader: reader) },
            source: reader.file
        )
    }

    static func template(_ node: Node, reader: YAMLNodeReader) throws -> Template {
        let text = try reader.string(node, "a template")
        do {
            return try Template(parsing: text)
        } catch {
            throw reader.error(node, error.message)
        }
    }

    private static func decodeAuth(_ node: Node, reader: YAMLNodeReader) throws -> AuthScheme {
        let allowed = [
            "type", "authorization_url", "token_url", "revocation_url", "scopes", "scope", "pkce", "client_auth", "in",
            "name",
            "prefix", "credential", "username_field", "password_field",
        ]
        let fields = try reader.mapping(node, "auth", allowed: allowed)
        let type = try fields.string("type")
        let clientAuth = try fields.oneOf("client_auth", AuthScheme.ClientAuth.self) ?? .body
        switch type {
        case "oauth2":
            return .oauth2(
                authorizationURL: try template(try fields.required("authorization_url"), reader: reader),
                tokenURL: try template(try fields.required("token_url"), reader: reader),
                scopes: try fields.strings("scopes"),
                pkce: try fields.bool("pkce") ?? true,
                clientAuth: clientAuth,
                revocationURL: try fields["revocation_url"].map { try template($0, reader: reader) }
            )
        case "oauth2_client_credentials":
            return .oauth2ClientCredentials(
                tokenURL: try template(try fields.required("token_url"), reader: reader),
                scope: try fields["scope"].map { try template($0, reader: reader) },
                clientAuth: clientAuth
            )
        case "api_key":
            return .apiKey(
                placement: try fields.oneOf("in", AuthScheme.KeyPlacement.self) ?? .header,
                name: try fields.string("name"),
                prefix: try fields.optionalString("prefix") ?? "",
                credential: try fields.optionalString("credential") ?? "api_key"
            )
        case "basic":
            return .basic(
                usernameField: try fields.optionalString("username_field") ?? "username",
                passwordField: try fields.optionalString("password_field") ?? "password"
            )
        default:
            throw reader.error(
                fields["type"],
                "auth type must be one of: oauth2, oauth2_client_credentials, api_key, basic; got '\(type)'"
            )
        }
    }

    private static func decodeFieldList(_ node: Node?, _ what: String, reader: YAMLNodeReader) throws -> [FieldSpec] {
        guard let node else { return [] }
        guard let sequence = node.sequence else { throw reader.error(node, "\(what) must be a list of fields") }
        var names: Set<String> = []
        return try sequence.map { item in
            let field = try decodeField(item, "a field of \(what)", reader: reader)
            guard names.insert(field.name).inserted else {
                throw reader.error(item, "the field '\(field.name)' is declared twice in \(what)")
            }
            return field
        }
    }

    private static func decodeField(_ node: Node, _ what: String, reader: YAMLNodeReader) throws -> FieldSpec {
        let fields = try reader.mapping(
            node,
            what,
            allowed: ["name", "label", "type", "required", "default", "help", "options"]
        )
        let name = try fields.string("name")
        let type = try fields.oneOf("type", FieldType.self) ?? .string
        let options = try fields.strings("options")
        if type == .enum && options.isEmpty {
            throw reader.error(node, "the enum field '\(name)' needs a list of options")
        }
        return FieldSpec(
            name: name,
            label: try fields.optionalString("label") ?? name,
            type: type,
            required: try fields.bool("required") ?? false,
            defaultValue: try fields.optionalString("default"),
            help: try fields.optionalString("help"),
            options: options
        )
    }

    private static func decodeRateLimit(_ node: Node, reader: YAMLNodeReader) throws -> RateLimit {
        let fields = try reader.mapping(
            node,
            "rate_limit",
            allowed: ["requests", "per_seconds", "remaining_header", "reset_header"]
        )
        guard let requests = try fields.int("requests"), requests > 0 else {
            throw reader.error(fields["requests"] ?? node, "rate_limit.requests must be a positive number")
        }
        guard let perSeconds = try fields.int("per_seconds"), perSeconds > 0 else {
            throw reader.error(fields["per_seconds"] ?? node, "rate_limit.per_seconds must be a positive number")
        }
        return RateLimit(
            requests: requests,
            perSeconds: perSeconds,
            remainingHeader: try fields.optionalString("remaining_header"),
            resetHeader: try fields.optionalString("reset_header")
        )
    }

    private static func decodeRequest(_ node: Node, _ what: String, reader: YAMLNodeReader) throws -> RequestSpec {
        let fields = try reader.mapping(node, what, allowed: ["method", "path", "query", "body"])
        let method = (try fields.optionalString("method") ?? "GET").uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) else {
            throw reader.error(
                fields["method"],
                "\(what).method must be GET, POST, PUT, PATCH or DELETE; got '\(method)'"
            )
        }
        var query: [String: Template] = [:]
        if let queryNode = fields["query"] {
            let queryFields = try reader.mapping(
                queryNode,
                "\(what).query",
                allowed: queryNode.mapping?.keys.compactMap { $0.scalar?.string } ?? []
            )
            for (name, entry) in queryFields.entries { query[name] = try template(entry.value, reader: reader) }
        }
        return RequestSpec(
            method: method,
            path: try template(try fields.required("path"), reader: reader),
            query: query,
            body: try fields["body"].map { try template($0, reader: reader) }
        )
    }

    private static func decodeWebhook(_ node: Node, reader: YAMLNodeReader) throws -> WebhookVerification {
        let fields = try reader.mapping(node, "webhook", allowed: ["verification", "header", "encoding", "prefix"])
        switch try fields.string("verification") {
        case "none": return .none
        case "basic": return .basic
        case "hmac_sha256":
            let encoding = try fields.optionalString("encoding") ?? "hex"
            guard ["hex", "base64"].contains(encoding) else {
                throw reader.error(fields["encoding"], "webhook.encoding must be hex or base64; got '\(encoding)'")
            }
            return .hmacSHA256(
                header: try fields.string("header"),
                encoding: encoding,
                prefix: try fields.optionalString("prefix") ?? ""
            )
        case let other:
            throw reader.error(
                fields["verification"],
                "webhook.verification must be none, basic or hmac_sha256; got '\(other)'"
            )
        }
    }
}

extension ProviderDefinition {
    private static let entityKeys = [
        "label", "unified_model", "fields", "list", "pagination", "records", "id", "incremental",
        "frequency_minutes", "parent", "write", "mapping",
    ]

    fileprivate static func decodeEntityType(name: String, _ node: Node, reader: YAMLNodeReader) throws -> EntityType {
        let what = "entity type '\(name)'"
        let fields = try reader.mapping(node, what, allowed: entityKeys)
        var write = WriteOperations()
        if let writeNode = fields["write"] {
            let writeFields = try reader.mapping(writeNode, "\(what) write", allowed: ["create", "update", "delete"])
            write.create = try writeFields["create"].map {
                try decodeRequest($0, "\(name).write.create", reader: reader)
            }
            write.update = try writeFields["update"].map {
                try decodeRequest($0, "\(name).write.update", reader: reader)
            }
            write.delete = try writeFields["delete"].map {
                try decodeRequest($0, "\(name).write.delete", reader: reader)
            }
        }
        let frequency = try fields.int("frequency_minutes") ?? 60
        guard frequency > 0 else {
            throw reader.error(fields["frequency_minutes"], "frequency_minutes of \(what) must be positive")
        }
        let unifiedModel = try fields.optionalString("unified_model")
        return EntityType(
            name: name,
            label: try fields.optionalString("label") ?? name,
            unifiedModel: unifiedModel,
            fields: try decodeFieldList(fields["fields"], "\(what) fields", reader: reader),
            list: try decodeRequest(try fields.required("list"), "\(name).list", reader: reader),
            pagination: try fields["pagination"].map { try decodePagination($0, what, reader: reader) } ?? .none,
            records: try fields.path("records") ?? [],
            idField: try fields.optionalString("id") ?? "id",
            incremental: try fields["incremental"].map { try decodeIncremental($0, what, reader: reader) },
            defaultFrequencyMinutes: frequency,
            parent: try fields.optionalString("parent"),
            write: write,
            defaultMapping: try fields["mapping"].map {
                try decodeMapping($0, model: unifiedModel, what, reader: reader)
            }
        )
    }

    private static func decodeIncremental(_ node: Node, _ what: String, reader: YAMLNodeReader) throws
        -> IncrementalCursor
    {
        let fields = try reader.mapping(node, "incremental of \(what)", allowed: ["field", "parameter", "query"])
        var query: [String: Template] = [:]
        for (name, value) in try fields.stringMap("query") {
            do { query[name] = try Template(parsing: value) } catch {
                throw reader.error(fields["query"], error.message)
            }
        }
        return IncrementalCursor(
            field: try fields.string("field"),
            parameter: try fields.string("parameter"),
            query: query
        )
    }

    private static func decodePagination(_ node: Node, _ what: String, reader: YAMLNodeReader) throws -> PaginationStyle
    {
        let context = "pagination of \(what)"
        let allowed = [
            "style", "page_parameter", "size_parameter", "page_size", "first_page", "total", "query",
            "offset_parameter", "limit_parameter", "cursor", "parameter", "in", "has_more", "next_url", "done",
        ]
        let fields = try reader.mapping(node, context, allowed: allowed)
        func size() throws -> Int {
            guard let value = try fields.int("page_size"), value > 0 else {
                throw reader.error(fields["page_size"] ?? node, "\(context) needs a positive page_size")
            }
            return value
        }
        func unexpected(_ keys: [String], style: String) throws {
            for key in keys where fields[key] != nil {
                throw reader.error(fields.entries[key]?.key, "'\(key)' does not apply to the \(style) pagination style")
            }
        }
        let style = try fields.string("style")
        switch style {
        case "none":
            try unexpected(allowed.filter { $0 != "style" }, style: style)
            return .none
        case "page_number":
            try unexpected(
                ["offset_parameter", "limit_parameter", "cursor", "parameter", "in", "has_more", "next_url", "done"],
                style: style
            )
            return .pageNumber(
                .init(
                    pageParameter: try fields.optionalString("page_parameter") ?? "page",
                    sizeParameter: try fields.optionalString("size_parameter") ?? "page_size",
                    pageSize: try size(),
                    firstPage: try fields.int("first_page") ?? 1,
                    totalPath: try fields.path("total"),
                    extraQuery: try fields.stringMap("query")
                )
            )
        case "offset_limit":
            try unexpected(
                [
                    "page_parameter", "size_parameter", "first_page", "cursor", "parameter", "in", "has_more",
                    "next_url", "done", "query",
                ],
                style: style
            )
            return .offsetLimit(
                .init(
                    offsetParameter: try fields.optionalString("offset_parameter") ?? "offset",
                    limitParameter: try fields.optionalString("limit_parameter") ?? "limit",
                    pageSize: try size(),
                    totalPath: try fields.path("total")
                )
            )
        case "cursor":
            try unexpected(
                [
                    "page_parameter", "first_page", "offset_parameter", "limit_parameter", "total", "next_url", "done",
                    "query",
                ],
                style: style
            )
            guard let cursor = try fields.path("cursor") else {
                throw reader.error(node, "\(context) needs 'cursor': where the next cursor is in the response")
            }
            return .bodyCursor(
                .init(
                    cursorPath: cursor,
                    parameter: try fields.string("parameter"),
                    placement: try fields.oneOf("in", BodyCursorPaginator.Placement.self) ?? .query,
                    hasMorePath: try fields.path("has_more"),
                    sizeParameter: try fields.optionalString("size_parameter"),
                    pageSize: try fields.int("page_size")
                )
            )
        case "next_url":
            try unexpected(
                [
                    "page_parameter", "size_parameter", "page_size", "first_page", "offset_parameter",
                    "limit_parameter", "total", "cursor", "parameter", "in", "has_more", "query",
                ],
                style: style
            )
            guard let url = try fields.path("next_url") else {
                throw reader.error(node, "\(context) needs 'next_url': where the next page's URL is in the response")
            }
            return .nextURL(.init(urlPath: url, donePath: try fields.path("done")))
        case "link_header":
            try unexpected(
                [
                    "page_parameter", "first_page", "offset_parameter", "limit_parameter", "total", "cursor",
                    "parameter", "in", "has_more", "next_url", "done", "query",
                ],
                style: style
            )
            return .linkHeader(
                .init(sizeParameter: try fields.optionalString("size_parameter"), pageSize: try fields.int("page_size"))
            )
        default:
            throw reader.error(
                fields["style"],
                "pagination style must be one of: none, page_number, offset_limit, cursor, next_url, link_header; got '\(style)'"
            )
        }
    }

    /// Turns a YAML syntax error into the same file:line:column form.
    static func syntaxError(_ error: YamlError, file: String) -> ProviderFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return ProviderFileError(
                file: file,
                line: mark.line,
                column: mark.column,
                message: "YAML syntax: \(problem)"
            )
        default:
            return ProviderFileError(file: file, line: 0, column: 0, message: "YAML: \(error)")
        }
    }
}

extension ProviderDefinition {
    /// An entity type's `mapping:`: a list of rules shaped like the rules of a mapping document
    /// (`{source, target, transforms: [{name, arguments}], required}`), targeting the entity type's `unified_model`.
    /// Only the shape is checked here; `validate` compiles it against the model and the transforms.
    fileprivate static func decodeMapping(
        _ node: Node,
        model: String?,
        _ what: String,
        reader: YAMLNodeReader
    ) throws -> Mapping {
        guard let model else {
            throw reader.error(node, "the mapping of \(what) needs unified_model: the model it maps to")
        }
        guard node.sequence != nil else {
            throw reader.error(node, "the mapping of \(what) must be a list of rules")
        }
        do {
            return try Mapping(document: .object(["model": .string(model), "rules": jsonValue(of: node)]))
        } catch {
            throw mappingError(error, in: node, what, reader: reader)
        }
    }

    /// A YAML node as JSON: plain scalars by their resolved tag (null, booleans, numbers), quoted ones as strings.
    static func jsonValue(of node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch node.tag.description {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                return node.float.map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(sequence.map(jsonValue(of:)))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                members[key.scalar?.string ?? ""] = jsonValue(of: value)
            }
            return .object(members)
        case .alias:
            return .null
        }
    }

    /// The first problem of a mapping error as a provider-file error at the YAML node its path names
    /// (`rules[2].transforms[0].arguments.factor`, the list under `mapping:` being `rules`).
    static func mappingError(
        _ error: MappingError,
        in mappingNode: Node,
        _ what: String,
        reader: YAMLNodeReader
    ) -> ProviderFileError {
        guard let problem = error.problems.first else {
            return reader.error(mappingNode, "the mapping of \(what) is not valid")
        }
        var node = mappingNode
        if let path = try? JSONPath(problem.path), path.components.first == .key("rules") {
            for component in path.components.dropFirst() {
                let next: Node?
                switch component {
                case .index(let index): next = node.sequence.flatMap { index < $0.count ? $0[index] : nil }
                case .key(let key): next = node.mapping?.first { $0.key.scalar?.string == key }?.value
                case .wildcard: next = nil
                }
                guard let next else { break }
                node = next
            }
        }
        let more = error.problems.count > 1 ? " (and \(error.problems.count - 1) more)" : ""
        return reader.error(node, "mapping of \(what), \(problem.path): \(problem.message)\(more)")
    }
}
