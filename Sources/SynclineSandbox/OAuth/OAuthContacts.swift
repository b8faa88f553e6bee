/// The protected API's contacts, each computed from its index alone (never stored), so every emulator and every
/// run serves the same list: `c-1` to `c-N` with a name, an `example.com` address and an ISO 8601 `updated_at`.
enum OAuthContacts {
    private static let hash = SeededHash(seed: 0x0A_07_C0)
    private static let stream: UInt64 = 1
    /// 2025-06-30T17:00:00Z, the newest `updated_at`; others spread over the year before it.
    private static let newestSecond = 1_751_302_800

    static func contact(_ index: Int) -> SandboxJSON {
        let first = hash.pick(HaloPSAVocabulary.firstNames, stream, index, 1)
        let last = hash.pick(HaloPSAVocabulary.lastNames, stream, index, 2)
        let local = "\(first).\(last)\(index)".lowercased().filter { $0.isLetter || $0.isNumber || $0 == "." }
        let age = hash.int(stream, index, 3, in: 0...(365 * SandboxTime.secondsPerDay - 1))
        return .object([
            "id": .string("c-\(index)"),
            "name": .string("\(first) \(last)"),
            "email": .string("\(local)@example.com"),
            "updated_at": .string(SandboxTime.format(newestSecond - age) + "Z"),
        ])
    }
}
