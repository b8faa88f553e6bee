/// The parameters of an OAuth request, from a query string or a form body, read the way RFC 6749 section 3.1
/// says: names are case-sensitive, a parameter without a value counts as absent, and one sent twice is an error.
struct OAuthParameters: Sendable {
    private var values: [String: String] = [:]
    private var repeated: Set<String> = []

    init(_ encoded: String?) {
        guard let encoded else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormFields.decode(parts[0])
            let value = parts.count > 1 ? FormFields.decode(parts[1]) : ""
            if values[name] == nil {
                values[name] = value
            } else {
                repeated.insert(name)
            }
        }
    }

    /// The value, or `nil` when absent or empty; `invalid_request` when the parameter was sent more than once.
    func value(_ name: String) throws(OAuthError) -> String? {
        guard !repeated.contains(name) else { throw .invalidRequest("\(name) is given more than once") }
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value; `invalid_request` when it is absent, empty or repeated.
    func required(_ name: String) throws(OAuthError) -> String {
        guard let value = try value(name) else { throw .invalidRequest("\(name) is required") }
        return value
    }
}
