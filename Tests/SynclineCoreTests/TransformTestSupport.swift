import SynclineCore

/// SplitMix64: a tiny seeded random number generator, so property tests draw the same inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A string of `length` characters drawn from `alphabet`.
    mutating func string(from alphabet: [Character], length: Int) -> String {
        String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &self)] })
    }

    /// One element of `choices`.
    mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[Int.random(in: 0..<choices.count, using: &self)]
    }
}

/// Shorthands for building and running standard transforms in tests.
enum Run {
    static func make(_ name: String, _ arguments: [String: JSONValue] = [:]) throws -> Transform {
        try TransformRegistry.standard.make(name, arguments: arguments)
    }

    static func forward(
        _ name: String,
        _ input: JSONValue,
        _ arguments: [String: JSONValue] = [:],
        record: JSONValue = .null,
        links: [String: [String: String]] = [:]
    ) throws -> JSONValue {
        try make(name, arguments).apply(input, context: TransformContext(record: record, links: links))
    }

    static func backward(
        _ name: String,
        _ input: JSONValue,
        _ arguments: [String: JSONValue] = [:],
        record: JSONValue = .null,
        links: [String: [String: String]] = [:]
    ) throws -> JSONValue {
        try make(name, arguments).reverse(input, context: TransformContext(record: record, links: links))
    }

    /// The inputs among `inputs` for which reverse(forward(x)) != x, as (input, forward, back) for messages.
    static func roundTripFailures(
        _ transform: Transform,
        _ inputs: [JSONValue],
        context: TransformContext = TransformContext()
    ) throws -> [String] {
        var failures: [String] = []
        for input in inputs {
            let forward = try transform.apply(input, context: context)
            let back = try transform.reverse(forward, context: context)
            if back != input { failures.append("\(input) -> \(forward) -> \(back)") }
        }
        return failures
    }
}
