import SQLKit

/// A whole statement given as its text and its binds in placeholder order. A page's multi-row insert is written
/// this way: built through SQLKit's expression tree, its text cost more than SQLite's own work on the rows, and a
/// bind per column per row cost an `Encodable` conversion each where the constant columns need one bind in all.
/// The text must number its placeholders from 1 (`DatabaseDialect.placeholder`), so it cannot be nested in
/// another expression that binds values of its own.
struct BoundStatement: SQLExpression {
    var sql: String
    var binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }

    /// Binds `value` as the next placeholder, written at the end of the text.
    mutating func appendBind(_ value: any Encodable & Sendable, dialect: DatabaseDialect) {
        binds.append(value)
        dialect.appendPlaceholder(binds.count, to: &sql)
    }
}

/// Builds a multi-row `INSERT ... VALUES` whose rows share constant binds (numbered first) and add their own.
struct RowsInsert {
    private(set) var statement: BoundStatement
    private let dialect: DatabaseDialect
    private var rows = 0
    private var columnWritten = false

    /// `head` is the statement up to `VALUES`; `constants` are bound once, as placeholders 1 to `constants.count`.
    init(_ head: String, dialect: DatabaseDialect, constants: [any Encodable & Sendable], capacity: Int) {
        self.dialect = dialect
        var sql = head
        sql.reserveCapacity(head.count + capacity * 64 + 256)
        statement = BoundStatement(sql: sql, binds: constants)
        statement.binds.reserveCapacity(constants.count + capacity * 6)
    }

    /// The placeholder text of constant `position` (from 1), for a row's template.
    func constant(_ position: Int) -> String { dialect.placeholder(position) }

    /// Starts a row; its columns follow as `text` (a constant's placeholder, a literal) and `bind` (a value of
    /// this row), in column order.
    mutating func startRow() {
        statement.sql += rows == 0 ? "(" : ", ("
        rows += 1
        columnWritten = false
    }

    mutating func text(_ text: String) {
        separate()
        statement.sql += text
    }

    mutating func bind(_ value: any Encodable & Sendable) {
        separate()
        statement.appendBind(value, dialect: dialect)
    }

    mutating func endRow() {
        statement.sql += ")"
    }

    private mutating func separate() {
        if columnWritten { statement.sql += ", " }
        columnWritten = true
    }

    /// Ends the statement (`ON CONFLICT ...`).
    mutating func finish(_ tail: String) {
        statement.sql += " " + tail
    }
}
