import Foundation

/// Decoded `application/x-www-form-urlencoded` pairs (query strings and token request bodies).
/// Names are matched case-insensitively, as HaloPSA's ASP.NET model binding does; the first value wins.
struct FormFields: Sendable {
    private var values: [String: String] = [:]

    init(_ encoded: String?) {
        guard let encoded else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0]).lowercased()
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
    }

    subscript(_ name: String) -> String? {
        values[name.lowercased()]
    }

    /// A value that is present and not empty.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    /// `true`/`false` in any case, or `1`/`0`; `nil` when absent or unreadable.
    func bool(_ name: String) -> Bool? {
        switch self[name]?.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    static func decode(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
