import Foundation
import HTTPTypes
import SynclineCore

/// Checks of what a tenant sends for a connection, against the fields its provider declares; every error
/// names the field (`config.url`, `credentials.client_secret`).
enum ConnectionInput {
    /// Refuses members not in `allowed`, naming the first (sorted, so the answer is stable).
    static func onlyKnown(_ body: [String: JSONValue], _ allowed: Set<String>, in what: String) throws {
        if let unknown = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(
                .badRequest,
                "unknown_field",
                "\(unknown) is not a field of \(what); allowed: \(allowed.sorted().joined(separator: ", "))",
                field: unknown
            )
        }
    }

    static func requiredString(_ body: [String: JSONValue], _ field: String, maxLength: Int = 200) throws -> String {
        guard let value = body[field], value != .null else {
            throw APIError(.badRequest, "missing_field", "\(field) is required", field: field)
        }
        return try string(value, field, maxLength: maxLength)
    }

    static func string(_ value: JSONValue, _ field: String, maxLength: Int = 200) throws -> String {
        guard case .string(let text) = value else {
            throw APIError(.badRequest, "invalid", "\(field) must be a string", field: field)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw APIError(.badRequest, "invalid", "\(field) must not be empty", field: field)
        }
        guard trimmed.count <= maxLength else {
            throw APIError(.badRequest, "invalid", "\(field) must be at most \(maxLength) characters", field: field)
        }
        return trimmed
    }

    /// An optional string that may be null (to clear it).
    static func optionalString(_ body: [String: JSONValue], _ field: String) throws -> String?? {
        guard let value = body[field] else { return .none }
        if value == .null { return .some(nil) }
        return .some(try string(value, field))
    }

    /// An ISO 8601 time or null.
    static func optionalTime(_ body: [String: JSONValue], _ field: String) throws -> Date?? {
        guard let value = body[field] else { return .none }
        if value == .null { return .some(nil) }
        guard case .string(let text) = value, let date = parseTime(text) else {
            throw APIError(
                .badRequest,
                "invalid",
                "\(field) must be an ISO 8601 time such as 2027-01-31T00:00:00Z, or null",
                field: field
            )
        }
        return .some(date)
    }

    static func parseTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// The connection config: only declared fields, each of its declared type, required ones present after the
    /// provider's defaults (which are filled in, so what is stored is what runs).
    static func config(_ value: JSONValue?, provider: ProviderInfo, base: [String: JSONValue] = [:]) throws
        -> [String: JSONValue]
    {
        var config = base
        if let value, value != .null {
            guard case .object(let members) = value else {
                throw APIError(.badRequest, "invalid", "config must be an object", field: "config")
            }
            let declared = Dictionary(provider.configFields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let path = "config.\(name)"
                guard let field = declared[name] else {
                    throw APIError(
                        .badRequest,
                        "unknown_field",
                        "\(provider.name) has no config field '\(name)'; it has: "
                            + provider.configFields.map(\.name).joined(separator: ", "),
                        field: path
                    )
                }
                if member == .null {
                    config[name] = nil
                    continue
                }
                config[name] = try typed(member, field, path: path)
            }
        }
        for field in provider.configFields {
            if config[field.name] == nil, let value = field.defaultValue { config[field.name] = .string(value) }
            if field.required, (Self.text(config[field.name])).isEmpty {
                throw APIError(
                    .badRequest,
                    "missing_field",
                    "\(provider.name) needs config.\(field.name) (\(field.label))",
                    field: "config.\(field.name)"
                )
            }
        }
        return config
    }

    private static func typed(_ value: JSONValue, _ field: ProviderFieldInfo, path: String) throws -> JSONValue {
        switch field.type {
        case "url":
            guard case .string(let text) = value,
                let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
                ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty
            else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "\(path) must be an http(s) URL such as https://acme.example.com",
                    field: path
                )
            }
            var trimmed = text.trimmingCharacters(in: .whitespaces)
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return .string(trimmed)
        case "integer":
            if case .number(let number) = value, number == number.rounded() { return value }
            if case .string(let text) = value, let number = Int(text) { return .number(Double(number)) }
            throw APIError(.badRequest, "invalid", "\(path) must be a whole number", field: path)
        case "boolean":
            guard case .bool = value else {
                throw APIError(.badRequest, "invalid", "\(path) must be true or false", field: path)
            }
            return value
        case "enum":
            guard case .string(let text) = value, field.options.contains(text) else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "\(path) must be one of: \(field.options.joined(separator: ", "))",
                    field: path
                )
            }
            return value
        default:
            guard case .string(let text) = value else {
                throw APIError(.badRequest, "invalid", "\(path) must be a string", field: path)
            }
            guard text.count <= 2000 else {
                throw APIError(.badRequest, "invalid", "\(path) must be at most 2000 characters", field: path)
            }
            return value
        }
    }

    /// Submitted credentials over the stored ones: strings for declared fields, null removes one; required
    /// fields must then all be set. Authorization-code providers take no credentials from the tenant.
    static func credentials(_ value: JSONValue, provider: ProviderInfo, over stored: CredentialSecrets?) throws
        -> CredentialSecrets
    {
        if provider.usesAuthorizationCode {
            throw APIError(
                .badRequest,
                "oauth_required",
                "\(provider.name) connects through OAuth: call GET /api/v1/connections/{id}/oauth/authorize instead "
                    + "of sending credentials",
                field: "credentials"
            )
        }
        guard case .object(let members) = value else {
            throw APIError(.badRequest, "invalid", "credentials must be an object of strings", field: "credentials")
        }
        let declared = Set(provider.credentialFields.map(\.name))
        var secrets = stored ?? CredentialSecrets([:])
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            let path = "credentials.\(name)"
            guard declared.contains(name) else {
                throw APIError(
                    .badRequest,
                    "unknown_field",
                    "\(provider.name) has no credential '\(name)'; it has: "
                        + provider.credentialFields.map(\.name).joined(separator: ", "),
                    field: path
                )
            }
            switch member {
            case .null: secrets[name] = nil
            case .string(let text) where !text.isEmpty && text.count <= 8192: secrets[name] = text
            default:
                throw APIError(.badRequest, "invalid", "\(path) must be a non-empty string", field: path)
            }
        }
        for field in provider.credentialFields where field.required && (secrets[field.name] ?? "").isEmpty {
            throw APIError(
                .badRequest,
                "missing_field",
                "\(provider.name) needs credentials.\(field.name) (\(field.label))",
                field: "credentials.\(field.name)"
            )
        }
        return secrets
    }

    /// A config value as text, empty when unset or null.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        default: ""
        }
    }

    /// `7d`, `12h`, `30m` or seconds, for `expiring_within`.
    static func window(_ text: String, field: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["d": 86_400, "h": 3600, "m": 60, "s": 1]
        if let unit = text.last, let scale = units[unit], let count = Double(text.dropLast()), count >= 0 {
            return count * scale
        }
        if let seconds = Double(text), seconds >= 0 { return seconds }
        throw APIError(.badRequest, "invalid", "\(field) must be a duration such as 7d, 12h or 30m", field: field)
    }
}
