import Foundation

/// A value a transform reads besides its input: `.` for the value in hand, or a path into the whole record.
enum FieldReference: Sendable, Hashable {
    case currentValue
    case path(JSONPath)

    /// Parses `text` for the named argument; a bad path is an `invalidArgument` error giving the column.
    init(_ text: String, argument: String, of arguments: TransformArguments) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "." {
            self = .currentValue
            return
        }
        do {
            self = .path(try JSONPath(trimmed))
        } catch let error as JSONPath.PathError {
            throw arguments.invalid(argument, error.description)
        }
    }

    /// The referenced value, nil when the path finds nothing.
    func resolve(_ value: JSONValue, _ context: TransformContext) -> JSONValue? {
        switch self {
        case .currentValue: value
        case .path(let path): path.evaluate(in: context.record)
        }
    }
}
