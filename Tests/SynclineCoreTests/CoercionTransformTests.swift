import SynclineCore
import Testing

@Suite("Transforms: types and value maps")
struct CoercionTransformTests {
    static let statuses: JSONValue = ["Open": "ON_TIME", "closedwon": "FINISHED", "Late": "DELAYED"]

    // MARK: value_map

    @Test("value_map replaces a value through its table")
    func valueMapMaps() throws {
        #expect(try Run.forward("value_map", "Open", ["map": Self.statuses]) == "ON_TIME")
        #expect(try Run.forward("value_map", "closedwon", ["map": Self.statuses]) == "FINISHED")
        #expect(try Run.forward("value_map", 2, ["map": ["1": "low", "2": "high"]]) == "high")
        #expect(try Run.forward("value_map", true, ["map": ["true": "yes"]]) == "yes")
    }

    @Test("value_map gives the default, passes through, or fails for a value not in the table")
    func valueMapUnmapped() throws {
        #expect(try Run.forward("value_map", "Other", ["map": Self.statuses, "default": "UNKNOWN"]) == "UNKNOWN")
        #expect(try Run.forward("value_map", "Other", ["map": Self.statuses]) == "Other")
        let error = #expect(throws: TransformError.self) {
            try Run.forward("value_map", "Other", ["map": Self.statuses, "strict": true])
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.description == "transform 'value_map': 'Other' is not in the map")
    }

    @Test("value_map can match keys ignoring case, and rejects keys that then collide")
    func valueMapIgnoreCase() throws {
        #expect(try Run.forward("value_map", "OPEN", ["map": Self.statuses, "ignore_case": true]) == "ON_TIME")
        #expect(try Run.forward("value_map", "OPEN", ["map": Self.statuses]) == "OPEN")
        let error = #expect(throws: TransformError.self) {
            try Run.make("value_map", ["map": ["a": 1, "A": 2], "ignore_case": true])
        }
        #expect(error?.argument == "map")
    }

    @Test("value_map passes null through and rejects arrays and objects")
    func valueMapEdges() throws {
        #expect(try Run.forward("value_map", nil, ["map": Self.statuses]) == nil)
        #expect(try Run.forward("value_map", "", ["map": ["": "EMPTY"]]) == "EMPTY")
        let error = #expect(throws: TransformError.self) {
            try Run.forward("value_map", ["Open"], ["map": Self.statuses])
        }
        #expect(error?.code == .wrongInputType)
        #expect(error?.message == "expected a string, number or boolean, got an array")
        let missing = #expect(throws: TransformError.self) { try Run.make("value_map") }
        #expect(missing?.code == .missingArgument)
    }

    @Test("value_map reverses only when one-to-one")
    func valueMapReversibility() throws {
        #expect(try Run.make("value_map", ["map": Self.statuses]).isReversible)
        #expect(try Run.backward("value_map", "FINISHED", ["map": Self.statuses]) == "closedwon")
        #expect(try Run.backward("value_map", "OTHER", ["map": Self.statuses]) == "OTHER")
        let strict = #expect(throws: TransformError.self) {
            try Run.backward("value_map", "OTHER", ["map": Self.statuses, "strict": true])
        }
        #expect(strict?.code == .invalidInput)
        let manyToOne = try Run.make("value_map", ["map": ["won": "DONE", "lost": "DONE"]])
        #expect(!manyToOne.isReversible)
        let error = #expect(throws: TransformError.self) { try manyToOne.reverse("DONE") }
        #expect(error?.code == .notReversible)
        #expect(error?.transform == "value_map")
    }

    @Test("value_map reverse(forward(x)) == x over generated one-to-one tables")
    func valueMapRoundTripProperty() throws {
        var random = SplitMix64(seed: 21)
        let alphabet = Array("abcdefgXYZ_ 1")
        for _ in 0..<40 {
            var map: [String: JSONValue] = [:]
            var used: Set<JSONValue> = []
            while map.count < 8 {
                let key = random.string(from: alphabet, length: Int.random(in: 1...6, using: &random))
                let value = JSONValue.string(
                    random.string(from: alphabet, length: Int.random(in: 1...6, using: &random))
                )
                if map[key] == nil, used.insert(value).inserted { map[key] = value }
            }
            let transform = try Run.make("value_map", ["map": .object(map), "strict": true])
            let inputs = (0..<10).map { _ in JSONValue.string(random.pick(Array(map.keys))) }
            #expect(try Run.roundTripFailures(transform, inputs).isEmpty)
        }
    }

    // MARK: to_string

    @Test("to_string writes numbers in their shortest form and booleans as words")
    func toStringConverts() throws {
        #expect(try Run.forward("to_string", 42) == "42")
        #expect(try Run.forward("to_string", .number(-0.5)) == "-0.5")
        #expect(try Run.forward("to_string", .number(1e21)) == "1e+21")
        #expect(try Run.forward("to_string", false) == "false")
        #expect(try Run.forward("to_string", "already") == "already")
        #expect(try Run.forward("to_string", "") == "")
    }

    @Test("to_string passes null and rejects objects")
    func toStringEdges() throws {
        #expect(try Run.forward("to_string", nil) == nil)
        let error = #expect(throws: TransformError.self) { try Run.forward("to_string", ["a": 1]) }
        #expect(error?.code == .wrongInputType)
        #expect(error?.message.hasSuffix("got an object") == true)
    }

    // MARK: to_integer

    @Test("to_integer reads whole numbers from text, numbers and booleans")
    func toIntegerConverts() throws {
        #expect(try Run.forward("to_integer", " 42 ") == 42)
        #expect(try Run.forward("to_integer", "-7") == -7)
        #expect(try Run.forward("to_integer", "1e3") == 1000)
        #expect(try Run.forward("to_integer", .number(12.0)) == 12)
        #expect(try Run.forward("to_integer", true) == 1)
    }

    @Test("to_integer fails on a fraction unless a rounding is chosen")
    func toIntegerRounding() throws {
        let error = #expect(throws: TransformError.self) { try Run.forward("to_integer", "12.5") }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "12.5 has a fraction; set rounding to allow it")
        #expect(try Run.forward("to_integer", "12.5", ["rounding": "nearest"]) == 13)
        #expect(try Run.forward("to_integer", "-12.5", ["rounding": "nearest"]) == -13)
        #expect(try Run.forward("to_integer", "-12.5", ["rounding": "toward_zero"]) == -12)
        #expect(try Run.forward("to_integer", "-12.5", ["rounding": "down"]) == -13)
        #expect(try Run.forward("to_integer", "12.1", ["rounding": "up"]) == 13)
    }

    @Test("to_integer turns blank text into null and rejects words, hex, infinity and huge values")
    func toIntegerEdges() throws {
        #expect(try Run.forward("to_integer", "  ") == nil)
        #expect(try Run.forward("to_integer", nil) == nil)
        for text in ["twelve", "0x1F", "inf", "nan", "1,000", "--1", "1e"] {
            let error = #expect(throws: TransformError.self) { try Run.forward("to_integer", .string(text)) }
            #expect(error?.code == .invalidInput, "\(text)")
        }
        let huge = #expect(throws: TransformError.self) { try Run.forward("to_integer", .number(1e300)) }
        #expect(huge?.message.contains("too large") == true)
        let array = #expect(throws: TransformError.self) { try Run.forward("to_integer", [1]) }
        #expect(array?.code == .wrongInputType)
    }

    // MARK: to_number

    @Test("to_number reads decimal notation")
    func toNumberConverts() throws {
        #expect(try Run.forward("to_number", "12.50") == .number(12.5))
        #expect(try Run.forward("to_number", "+.5") == .number(0.5))
        #expect(try Run.forward("to_number", "-3e2") == -300)
        #expect(try Run.forward("to_number", "7.") == 7)
        #expect(try Run.forward("to_number", .number(1.25)) == .number(1.25))
        #expect(try Run.forward("to_number", false) == 0)
    }

    @Test("to_number turns blank text into null and rejects formatted amounts and other types")
    func toNumberEdges() throws {
        #expect(try Run.forward("to_number", "") == nil)
        for text in ["$5", "1,5", ".", "1.2.3", "Infinity", "1e999"] {
            let error = #expect(throws: TransformError.self) { try Run.forward("to_number", .string(text)) }
            #expect(error?.code == .invalidInput, "\(text)")
        }
        let error = #expect(throws: TransformError.self) { try Run.forward("to_number", ["a": 1]) }
        #expect(error?.code == .wrongInputType)
    }

    @Test("to_number of to_string gives back generated numbers")
    func toNumberToStringProperty() throws {
        var random = SplitMix64(seed: 5)
        let toString = try Run.make("to_string")
        let toNumber = try Run.make("to_number")
        for _ in 0..<300 {
            let number = JSONValue.number(Double.random(in: -1e9...1e9, using: &random))
            #expect(try toNumber.apply(toString.apply(number)) == number)
        }
    }

    // MARK: to_boolean

    @Test("to_boolean reads the usual true and false words and 0/1")
    func toBooleanConverts() throws {
        for text in ["true", "YES", " y ", "On", "1", "t"] {
            #expect(try Run.forward("to_boolean", .string(text)) == true, "\(text)")
        }
        for text in ["false", "No", "n", "OFF", "0", "F"] {
            #expect(try Run.forward("to_boolean", .string(text)) == false, "\(text)")
        }
        #expect(try Run.forward("to_boolean", 1) == true)
        #expect(try Run.forward("to_boolean", 0) == false)
        #expect(try Run.forward("to_boolean", true) == true)
    }

    @Test("to_boolean accepts custom word lists and rejects overlapping ones")
    func toBooleanCustomWords() throws {
        let arguments: [String: JSONValue] = ["true_values": ["active"], "false_values": ["inactive"]]
        #expect(try Run.forward("to_boolean", "Active", arguments) == true)
        #expect(try Run.forward("to_boolean", "inactive", arguments) == false)
        let error = #expect(throws: TransformError.self) { try Run.forward("to_boolean", "yes", arguments) }
        #expect(error?.code == .invalidInput)
        let overlap = #expect(throws: TransformError.self) {
            try Run.make("to_boolean", ["true_values": ["x"], "false_values": ["X"]])
        }
        #expect(overlap?.code == .invalidArgument)
    }

    @Test("to_boolean turns blank text into null and rejects other numbers, words and types")
    func toBooleanEdges() throws {
        #expect(try Run.forward("to_boolean", " ") == nil)
        #expect(try Run.forward("to_boolean", nil) == nil)
        let two = #expect(throws: TransformError.self) { try Run.forward("to_boolean", 2) }
        #expect(two?.message == "only 0 and 1 are booleans, got 2")
        let word = #expect(throws: TransformError.self) { try Run.forward("to_boolean", "maybe") }
        #expect(word?.code == .invalidInput)
        let array = #expect(throws: TransformError.self) { try Run.forward("to_boolean", []) }
        #expect(array?.code == .wrongInputType)
    }

    // MARK: boolean_invert

    @Test("boolean_invert flips booleans and is its own reverse")
    func booleanInvert() throws {
        #expect(try Run.forward("boolean_invert", true) == false)
        #expect(try Run.forward("boolean_invert", false) == true)
        #expect(try Run.backward("boolean_invert", false) == true)
        #expect(try Run.forward("boolean_invert", nil) == nil)
        let transform = try Run.make("boolean_invert")
        #expect(try Run.roundTripFailures(transform, [true, false, true]).isEmpty)
    }

    @Test("boolean_invert rejects text such as \"true\" rather than guessing")
    func booleanInvertWrongType() {
        let error = #expect(throws: TransformError.self) { try Run.forward("boolean_invert", "true") }
        #expect(error?.code == .wrongInputType)
        #expect(error?.description == "transform 'boolean_invert': expected a boolean, got a string")
    }
}
