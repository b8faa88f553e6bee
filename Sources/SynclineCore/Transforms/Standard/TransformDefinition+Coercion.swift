import Foundation

/// Transforms that change a value's type or replace it through a table.
extension TransformDefinition {
    static let valueMap = TransformDefinition(
        spec: TransformSpec(
            name: "value_map",
            summary: "Replaces a value through a table, such as a provider's status names to the unified ones. "
                + "Numbers and booleans are looked up by their text (`1`, `true`).",
            input: "string, number or boolean",
            arguments: [
                ArgumentSpec("map", .object, required: true, "The table: input text -> output value."),
                ArgumentSpec("default", .any, "The output for a value not in the table."),
                ArgumentSpec(
                    "strict",
                    .boolean,
                    default: false,
                    "Without `default`: true makes a value not in the table an error; false passes it through."
                ),
                ArgumentSpec("ignore_case", .boolean, default: false, "Match table keys without regard to case."),
            ],
            example: .init(
                input: "closedwon",
                arguments: ["map": ["Open": "ON_TIME", "closedwon": "FINISHED"]],
                output: "FINISHED"
            ),
            reversibility: .conditional(
                "When no two keys map to the same value: maps each value back to its key, as text. Exact for "
                    + "inputs written as a key (a number or boolean comes back as text; with `ignore_case`, in the "
                    + "key's spelling); values not in the table pass through or fail as `strict` says."
            )
        ),
        factory: { arguments in
            let map = try arguments.object("map")
            let fallback = arguments.value("default")
            let strict = try arguments.bool("strict")
            let ignoreCase = try arguments.bool("ignore_case")
            let table = Dictionary(map.map { (ignoreCase ? $0.key.lowercased() : $0.key, $0.value) }) { first, _ in
                first
            }
            guard table.count == map.count else {
                throw arguments.invalid("map", "keys differ only by case, which ignore_case cannot tell apart")
            }
            // The entries whose key is the text of a finite number, by that number: a number input is looked up
            // without writing and hashing its text (the text of a number has no capitals to fold).
            var numbers: [Double: JSONValue] = [:]
            for (key, mapped) in table {
                if let number = Double(key), number.isFinite, JSONValue.text(of: number) == key {
                    numbers[number] = mapped
                }
            }
            // A small table is scanned: comparing a few keys costs less than hashing the one looked up.
            let numberTable = SmallTable(numbers)
            let textTable = SmallTable(table)
            let forward: TransformFunction = { value, _ in
                if case .number(let number) = value, number.isFinite {
                    if let mapped = numberTable[number] { return mapped }
                } else {
                    let text = try value.requireScalarText()
                    if let mapped = textTable[ignoreCase ? text.lowercased() : text] { return mapped }
                }
                if let fallback { return fallback }
                if strict {
                    throw TransformError(.invalidInput, "'\(try value.requireScalarText())' is not in the map")
                }
                return value
            }
            var inverse: [JSONValue: String] = [:]
            for (key, value) in map {
                guard inverse.updateValue(key, forKey: value) == nil else {
                    return Transform.Implementation(forward: forward)
                }
            }
            let invertedMap = inverse
            return Transform.Implementation(
                forward: forward,
                backward: { value, _ in
                    if let key = invertedMap[value] { return .string(key) }
                    if strict || fallback != nil {
                        let text = (try? value.jsonString()) ?? value.typeDescription
                        throw TransformError(.invalidInput, "\(text) is not a value of the map")
                    }
                    return value
                }
            )
        }
    )

    static let toString = TransformDefinition(
        spec: TransformSpec(
            name: "to_string",
            summary: "Turns a number or boolean into text: integers without a fraction (`42`), others in their "
                + "shortest exact form (`0.1`), booleans as `true`/`false`. Strings pass unchanged.",
            input: "string, number or boolean",
            example: .init(input: 42, output: "42")
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in
                // A string passes as it is, moved rather than copied out and wrapped again.
                if case .string = value { return value }
                return .string(try value.requireScalarText())
            })
        }
    )

    static let toInteger = TransformDefinition(
        spec: TransformSpec(
            name: "to_integer",
            summary: "Turns a numeric string, number or boolean into a whole number. "
                + "An empty or blank string becomes null.",
            input: "string, number or boolean",
            nulls: .passThrough,
            arguments: [
                ArgumentSpec(
                    "rounding",
                    .string,
                    default: "error",
                    choices: ["error", "toward_zero", "nearest", "down", "up"],
                    "What to do with a fraction: fail, or round toward zero, to nearest (halves away from zero), "
                        + "down or up."
                )
            ],
            example: .init(input: " 12.7 ", arguments: ["rounding": "nearest"], output: 13)
        ),
        factory: { arguments in
            // The standard library's rounding rule is a resilient enum: capturing one made every call copy it
            // through its type's metadata. The chosen rule is applied by a switch over this file's own enum.
            let rounding = try IntegerRounding(arguments.string("rounding"))
            return Transform.Implementation(forward: { value, _ in
                guard let number = try NumberText.coerce(value) else { return .null }
                // A whole number in range, nearly every input, needs no rounding (the C library's `round` was
                // most of this transform's cost).
                if JSONValue.isExactInteger(number) { return .number(number) }
                let whole: Double
                switch rounding {
                case .error:
                    guard number.rounded() == number else {
                        throw TransformError(
                            .invalidInput,
                            "\(JSONValue.text(of: number)) has a fraction; set rounding to allow it"
                        )
                    }
                    whole = number
                case .towardZero: whole = number.rounded(.towardZero)
                case .nearest: whole = number.rounded(.toNearestOrAwayFromZero)
                case .down: whole = number.rounded(.down)
                case .up: whole = number.rounded(.up)
                }
                guard abs(whole) <= 9_007_199_254_740_992 else {
                    throw TransformError(.invalidInput, "\(JSONValue.text(of: number)) is too large to be exact")
                }
                return .number(whole)
            })
        }
    )

    static let toNumber = TransformDefinition(
        spec: TransformSpec(
            name: "to_number",
            summary: "Turns a numeric string (`\"12.50\"`, `\"-3e2\"`) or boolean into a number. "
                + "An empty or blank string becomes null. Not for formatted amounts: see `parse_currency`.",
            input: "string, number or boolean",
            example: .init(input: "12.50", output: .number(12.5))
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in
                guard let number = try NumberText.coerce(value) else { return .null }
                return .number(number)
            })
        }
    )

    static let toBoolean = TransformDefinition(
        spec: TransformSpec(
            name: "to_boolean",
            summary: "Turns text or 0/1 into a boolean. By default `true`, `yes`, `y`, `on`, `1`, `t` are true and "
                + "`false`, `no`, `n`, `off`, `0`, `f` are false, ignoring case and surrounding spaces; "
                + "an empty string becomes null; anything else is an error.",
            input: "string, number (0 or 1) or boolean",
            arguments: [
                ArgumentSpec("true_values", .stringList, "Replaces the texts read as true (compared ignoring case)."),
                ArgumentSpec("false_values", .stringList, "Replaces the texts read as false (compared ignoring case)."),
            ],
            example: .init(input: "Yes", output: true)
        ),
        factory: { arguments in
            let trueTexts = Set(
                (arguments.optionalStrings("true_values") ?? ["true", "yes", "y", "on", "1", "t"]).map {
                    $0.lowercased()
                }
            )
            let falseTexts = Set(
                (arguments.optionalStrings("false_values") ?? ["false", "no", "n", "off", "0", "f"]).map {
                    $0.lowercased()
                }
            )
            guard trueTexts.isDisjoint(with: falseTexts) else {
                throw arguments.invalid("true_values", "a text cannot be both true and false")
            }
            return Transform.Implementation(forward: { value, _ in
                switch value {
                case .bool: return value
                case .number(0): return false
                case .number(1): return true
                case .number(let number):
                    throw TransformError(.invalidInput, "only 0 and 1 are booleans, got \(JSONValue.text(of: number))")
                case .string(let text):
                    let key = text.trimmed().lowercased()
                    if key.isEmpty { return .null }
                    if trueTexts.contains(key) { return true }
                    if falseTexts.contains(key) { return false }
                    throw TransformError(.invalidInput, "'\(text)' is neither a true nor a false value")
                default:
                    throw value.wrongType(expected: "a string, number or boolean")
                }
            })
        }
    )

    static let booleanInvert = TransformDefinition(
        spec: TransformSpec(
            name: "boolean_invert",
            summary: "Turns true into false and false into true (`archived` -> `active`).",
            input: "boolean",
            example: .init(input: true, output: false),
            reversibility: .always("Inverts again.")
        ),
        factory: { _ in
            let invert: TransformFunction = { value, _ in
                .bool(!(try value.requireBool()))
            }
            return Transform.Implementation(forward: invert, backward: invert)
        }
    )
}

/// `to_integer`'s `rounding` argument.
private enum IntegerRounding {
    case error, towardZero, nearest, down, up

    init(_ name: String) {
        self =
            switch name {
            case "toward_zero": .towardZero
            case "nearest": .nearest
            case "down": .down
            case "up": .up
            default: .error
            }
    }
}
