import Foundation

/// Transforms that normalise identifying values (emails, phone numbers), derive stable ids and hashes, and
/// translate external ids to host-application ids through links.
extension TransformDefinition {
    static let emailNormalize = TransformDefinition(
        spec: TransformSpec(
            name: "email_normalize",
            summary: "Writes an email address in one canonical form: trimmed, lowercased, without `mailto:` or a "
                + "display name (`Ada <ada@example.com>`), and checked for a plausible shape.",
            input: "string",
            arguments: [
                ArgumentSpec("strip_tag", .boolean, default: false, "Remove a `+tag` from the local part."),
                ArgumentSpec(
                    "on_invalid",
                    .string,
                    default: "error",
                    choices: ["error", "null", "keep"],
                    "What to do with text that is not an email address."
                ),
            ],
            example: .init(input: " Ada Lovelace <Ada.Lovelace@Example.COM> ", output: "ada.lovelace@example.com")
        ),
        factory: { arguments in
            let stripTag = try arguments.bool("strip_tag")
            let onInvalid = try arguments.string("on_invalid")
            return Transform.Implementation(forward: { value, _ in
                let text = try value.requireString()
                if let email = EmailText.normalize(text, stripTag: stripTag) { return .string(email) }
                return try invalid(value, policy: onInvalid, "'\(text)' is not an email address")
            })
        }
    )

    static let phoneE164 = TransformDefinition(
        spec: TransformSpec(
            name: "phone_e164",
            summary: "Writes a phone number in E.164 (`+442079460958`). International numbers start with `+` or "
                + "`00`; others take `default_country_code`, dropping the national trunk prefix (the leading 0 "
                + "in most countries, kept in Italy). An extension (`x12`, `ext. 12`) is dropped. Lengths are "
                + "checked for about 25 common countries and against E.164's 15 digits for others.",
            input: "string or number",
            arguments: [
                ArgumentSpec(
                    "default_country_code",
                    .string,
                    "The calling code for numbers without one, such as `44` or `+1`."
                ),
                ArgumentSpec(
                    "on_invalid",
                    .string,
                    default: "error",
                    choices: ["error", "null", "keep"],
                    "What to do with text that is not a usable phone number."
                ),
            ],
            example: .init(input: "020 7946 0958", arguments: ["default_country_code": "44"], output: "+442079460958")
        ),
        factory: { arguments in
            var countryCode = arguments.optionalString("default_country_code")
            if let code = countryCode {
                let digits = code.hasPrefix("+") ? String(code.dropFirst()) : code
                guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    digits.first != "0"
                else { throw arguments.invalid("default_country_code", "'\(code)' is not a calling code such as 44") }
                countryCode = digits
            }
            let onInvalid = try arguments.string("on_invalid")
            let code = countryCode
            return Transform.Implementation(forward: { value, _ in
                let text: String
                switch value {
                case .string(let string): text = string
                case .number(let number) where number.rounded() == number && number >= 0:
                    text = JSONValue.text(of: number)
                default: throw value.wrongType(expected: "a string or a whole number")
                }
                do throws(PhoneNumberRules.Failure) {
                    return .string(try PhoneNumberRules.e164(text, defaultCountryCode: code))
                } catch {
                    return try invalid(value, policy: onInvalid, "'\(text)' \(error.reason)")
                }
            })
        }
    )

    static let sha256 = TransformDefinition(
        spec: TransformSpec(
            name: "sha256",
            summary: "Hashes a value with SHA-256: strings as their UTF-8 bytes, numbers and booleans as their text, "
                + "arrays and objects as compact JSON with sorted keys (so equal values hash equally).",
            input: "any",
            arguments: [
                ArgumentSpec(
                    "encoding",
                    .string,
                    default: "hex",
                    choices: ["hex", "base64"],
                    "How to write the digest."
                )
            ],
            example: .init(input: "abc", output: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        ),
        factory: { arguments in
            let base64 = try arguments.string("encoding") == "base64"
            return Transform.Implementation(forward: { value, _ in
                let text: String
                switch value {
                case .array, .object: text = try value.jsonString()
                default: text = try value.requireScalarText()
                }
                let digest = SHA256Digest(text)
                return .string(base64 ? Data(digest.bytes).base64EncodedString() : digest.hex)
            })
        }
    )

    /// The RFC 9562 namespace for URLs, the default of `stable_uuid`, so `stable_uuid("x")` equals
    /// `uuid5(NAMESPACE_URL, "x")` in any UUID library.
    static let urlNamespace = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"

    static let stableUUID = TransformDefinition(
        spec: TransformSpec(
            name: "stable_uuid",
            summary: "Derives a deterministic UUID version 5 (RFC 9562, SHA-1 name-based) from one or more fields, "
                + "so the same source record always gets the same id. The name is the fields' text joined by "
                + "`separator`; `.` is the value in hand.",
            input: "any (only used through the field `.`)",
            nulls: .handled("A null or missing field makes the result null, so no id is made from absent data."),
            arguments: [
                ArgumentSpec(
                    "fields",
                    .stringList,
                    default: ["."],
                    "The paths of the fields that identify the record."
                ),
                ArgumentSpec(
                    "namespace",
                    .string,
                    default: .string(urlNamespace),
                    "The namespace UUID; the default is RFC 9562's URL namespace."
                ),
                ArgumentSpec("separator", .string, default: ":", "The text between the fields' values."),
            ],
            example: .init(
                input: nil,
                arguments: ["fields": ["provider", "id"]],
                context: TransformContext(record: ["provider": "halopsa", "id": 42]),
                output: "ed5e0dcd-3f95-5c9b-bc2c-7aae0f0d3955"
            )
        ),
        factory: { arguments in
            let fields = try arguments.strings("fields").map {
                try FieldReference($0, argument: "fields", of: arguments)
            }
            guard !fields.isEmpty else { throw arguments.invalid("fields", "give at least one field") }
            let namespaceText = try arguments.string("namespace")
            guard let namespace = UUID(uuidString: namespaceText) else {
                throw arguments.invalid("namespace", "'\(namespaceText)' is not a UUID")
            }
            let separator = try arguments.string("separator")
            let namespaceBytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
            return Transform.Implementation(forward: { value, context in
                var texts: [String] = []
                for field in fields {
                    guard let resolved = field.resolve(value, context), resolved != .null else { return .null }
                    texts.append(TemplateText.text(of: resolved))
                }
                var bytes = Array(
                    SHA1Digest(namespaceBytes + Array(texts.joined(separator: separator).utf8)).bytes.prefix(16)
                )
                bytes[6] = (bytes[6] & 0x0f) | 0x50
                bytes[8] = (bytes[8] & 0x3f) | 0x80
                let hex = bytes.hexString
                let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
                    String(hex.dropFirst(range.lowerBound).prefix(range.count))
                }
                return .string(groups.joined(separator: "-"))
            })
        }
    )

    static let lookup = TransformDefinition(
        spec: TransformSpec(
            name: "lookup",
            summary: "Translates an external id into the host application's id through the links of a kind "
                + "(the caller supplies the link tables, external id -> host-application id).",
            input: "string or number",
            arguments: [
                ArgumentSpec("kind", .string, required: true, "The link kind, such as `site` or `agent`."),
                ArgumentSpec(
                    "missing",
                    .string,
                    default: "error",
                    choices: ["error", "null", "keep", "default"],
                    "What to do when there is no link: fail, give null, keep the input, or give `default`."
                ),
                ArgumentSpec("default", .any, "The result for an unlinked value when `missing` is `default`."),
            ],
            example: .init(
                input: "17",
                arguments: ["kind": "site"],
                context: TransformContext(links: ["site": ["17": "site_01hx", "18": "site_02ab"]]),
                output: "site_01hx"
            ),
            reversibility: .conditional(
                "Translates a host-application id back to the external id linked to it, as text; fails when "
                    + "several external ids link to it. Exact for linked external ids given as text; unlinked ones "
                    + "are handled as `missing` says."
            )
        ),
        factory: { arguments in
            let kind = try arguments.string("kind")
            let missing = try arguments.string("missing")
            let fallback = arguments.value("default")
            if missing == "default", fallback == nil {
                throw arguments.invalid("default", "required when missing is 'default'")
            }
            let unlinked: @Sendable (JSONValue, String) throws -> JSONValue = { value, text in
                switch missing {
                case "null": return .null
                case "keep": return value
                case "default": return fallback ?? .null
                default: throw TransformError(.missingLink, "no \(kind) link for '\(text)'")
                }
            }
            return Transform.Implementation(
                forward: { value, context in
                    let text = try linkKey(value)
                    guard let linked = context.links[kind]?[text] else { return try unlinked(value, text) }
                    return .string(linked)
                },
                backward: { value, context in
                    let text = try linkKey(value)
                    let externals = (context.links[kind] ?? [:]).filter { $0.value == text }.map(\.key)
                    guard externals.count <= 1 else {
                        let list = externals.sorted().joined(separator: ", ")
                        throw TransformError(.invalidInput, "'\(text)' is linked to several \(kind) ids: \(list)")
                    }
                    guard let external = externals.first else { return try unlinked(value, text) }
                    return .string(external)
                }
            )
        }
    )

    private static func linkKey(_ value: JSONValue) throws -> String {
        switch value {
        case .string(let text): return text
        case .number: return value.scalarText ?? ""
        default: throw value.wrongType(expected: "a string or number")
        }
    }

    /// Applies an `on_invalid` policy: fail, give null, or keep the input.
    private static func invalid(_ value: JSONValue, policy: String, _ message: String) throws -> JSONValue {
        switch policy {
        case "null": return .null
        case "keep": return value
        default: throw TransformError(.invalidInput, message)
        }
    }
}
