import SynclineCore
import Yams

extension ProviderDefinition {
    /// Checks that hold across keys: templates name declared fields, parents exist, auth fields are declared.
    func validate(reader: YAMLNodeReader, root: Node) throws {
        let configNames = Set(config.map(\.name))
        let credentialNames = Set(credentials.map(\.name))

        func check(_ template: Template, at path: [String], allowed scopes: Set<String>) throws {
            for reference in template.references {
                let node = Self.locate(root, path)
                guard scopes.contains(reference.scope) else {
                    throw reader.error(
                        node,
                        "{{\(reference.scope).\(reference.name)}} cannot be used here; allowed: \(scopes.sorted().joined(separator: ", "))"
                    )
                }
                if reference.scope == "config", !configNames.contains(reference.name) {
                    throw reader.error(node, "{{config.\(reference.name)}} names no declared config field")
                }
                if reference.scope == "credentials", !credentialNames.contains(reference.name) {
                    throw reader.error(node, "{{credentials.\(reference.name)}} names no declared credentials field")
                }
            }
        }
        let connectionScopes: Set<String> = ["config", "token", "credentials"]
        try check(baseURL, at: ["base_url"], allowed: connectionScopes)
        switch auth {
        case .oauth2(let authorizationURL, let tokenURL, _, _, _, let revocationURL):
            try check(authorizationURL, at: ["auth", "authorization_url"], allowed: ["config"])
            try check(tokenURL, at: ["auth", "token_url"], allowed: ["config"])
            if let revocationURL { try check(revocationURL, at: ["auth", "revocation_url"], allowed: ["config"]) }
        case .oauth2ClientCredentials(let tokenURL, let scope, _):
            try check(tokenURL, at: ["auth", "token_url"], allowed: ["config"])
            if let scope { try check(scope, at: ["auth", "scope"], allowed: ["config"]) }
            for name in ["client_id", "client_secret"] where !credentialNames.contains(name) {
                throw reader.error(
                    Self.locate(root, ["auth"]),
                    "oauth2_client_credentials needs a '\(name)' field in credentials"
                )
            }
        case .apiKey(_, _, _, let credential):
            if !credentialNames.contains(credential) {
                throw reader.error(
                    Self.locate(root, ["auth"]),
                    "the api_key credential '\(credential)' is not declared in credentials"
                )
            }
        case .basic(let username, let password):
            for name in [username, password] where !credentialNames.contains(name) {
                throw reader.error(
                    Self.locate(root, ["auth"]),
                    "the basic auth field '\(name)' is not declared in credentials"
                )
            }
        }
        if let testRequest {
            try check(testRequest.path, at: ["test_request", "path"], allowed: connectionScopes)
        }

        let names = Set(entityTypes.map(\.name))
        for entity in entityTypes {
            let base = ["entity_types", entity.name]
            var scopes = connectionScopes.union(["params"])
            if let parent = entity.parent {
                guard names.contains(parent), parent != entity.name else {
                    throw reader.error(
                        Self.locate(root, base + ["parent"]),
                        "the parent '\(parent)' of entity type '\(entity.name)' is not another entity type of this provider"
                    )
                }
                scopes.insert("parent")
            }
            try check(entity.list.path, at: base + ["list", "path"], allowed: scopes)
            for (name, value) in entity.list.query {
                try check(value, at: base + ["list", "query", name], allowed: scopes)
            }
            if let parent = entity.parent,
                !(entity.list.path.references + entity.list.query.values.flatMap(\.references)).contains(where: {
                    $0.scope == "parent"
                })
            {
                throw reader.error(
                    Self.locate(root, base + ["list"]),
                    "entity type '\(entity.name)' is listed per '\(parent)' but its list request never uses {{parent.…}}"
                )
            }
            if let incremental = entity.incremental {
                for (name, value) in incremental.query {
                    try check(value, at: base + ["incremental", "query", name], allowed: scopes.union(["cursor"]))
                }
            }
            for (operation, request) in [
                ("create", entity.write.create), ("update", entity.write.update), ("delete", entity.write.delete),
            ] {
                guard let request else { continue }
                try check(
                    request.path,
                    at: base + ["write", operation, "path"],
                    allowed: connectionScopes.union(["record"])
                )
                if let body = request.body {
                    try check(
                        body,
                        at: base + ["write", operation, "body"],
                        allowed: connectionScopes.union(["record"])
                    )
                }
            }
        }
        try validateDefaultMappings(reader: reader, root: root)
        var visiting: [String] = []
        func walk(_ name: String) throws {
            guard !visiting.contains(name) else {
                throw reader.error(
                    Self.locate(root, ["entity_types", name, "parent"]),
                    "entity types form a parent cycle: \((visiting + [name]).joined(separator: " → "))"
                )
            }
            visiting.append(name)
            if let parent = entityType(named: name)?.parent { try walk(parent) }
            visiting.removeLast()
        }
        for entity in entityTypes { try walk(entity.name) }
    }

    /// Compiles every entity type's default mapping against the unified models and the standard transforms, so a
    /// provider file cannot ship a mapping that fails to save; the error points at the rule's line.
    func validateDefaultMappings(reader: YAMLNodeReader, root: Node) throws {
        for entity in entityTypes {
            guard let mapping = entity.defaultMapping else { continue }
            let base = ["entity_types", entity.name]
            do {
                _ = try CompiledMapping(mapping)
            } catch {
                let what = "entity type '\(entity.name)'"
                if error.problems.first?.path == "model" {
                    throw reader.error(
                        Self.locate(root, base + ["unified_model"]),
                        "the unified_model of \(what): \(error.problems.first?.message ?? "")"
                    )
                }
                let node = Self.locate(root, base + ["mapping"]) ?? root
                throw Self.mappingError(error, in: node, what, reader: reader)
            }
        }
    }

    /// The node at a path of mapping keys, or the deepest one found, so an error points as close as it can.
    static func locate(_ root: Node, _ path: [String]) -> Node? {
        var current = root
        for key in path {
            guard let next = current.mapping?.first(where: { $0.key.scalar?.string == key })?.value else {
                return current
            }
            current = next
        }
        return current
    }
}
