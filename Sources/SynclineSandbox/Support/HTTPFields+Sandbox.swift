import Hummingbird

extension HTTPFields {
    /// Sets a header by its spelled-out name (for headers HTTPTypes has no constant for).
    mutating func setValue(_ value: String, forName name: String) {
        guard let fieldName = HTTPFields.Element.Name(name) else { return }
        self[fieldName] = value
    }
}
