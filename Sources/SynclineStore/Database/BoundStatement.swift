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

/// Builds `INSERT INTO table (columns) SELECT list FROM (VALUES (row), ...) AS page_rows WHERE true tail`: what
/// every row shares (constant binds, numbered first, and literals) is written once, in the select list, and each
/// row holds only its own values, which the list names `column1`, `column2` ... (both databases name a `VALUES`
/// list's columns so). SQLite compiles a statement's text anew each time, and with the shared values in every row
/// compiling took a third of its instructions for a page of records (about 8,700 of 35,000 a record saved,
/// counted under callgrind with the vendored SQLite). `WHERE true` lets SQLite's parser read the `ON CONFLICT`
/// that may follow as the upsert's, not as a join's.
struct RowsInsert {
    private(set) var statement: BoundStatement
    private let dialect: DatabaseDialect
    private var rows = 0
    private var columnWritten = false

    /// `head` is the statement up to `SELECT` (the target table and its columns); `select` is the select list,
    /// given the constants' placeholders and the rows' column names; `constants` are bound once, as placeholders
    /// 1 to `constants.count`.
    init(
        _ head: String,
        select: (_ constants: [String], _ column: (Int) -> String) -> [String],
        dialect: DatabaseDialect,
        constants: [any Encodable & Sendable],
        capacity: Int
    ) {
        self.dialect = dialect
        let placeholders = constants.indices.map { dialect.placeholder($0 + 1) }
        var sql = head
        sql.reserveCapacity(head.utf8.count + capacity * 48 + 512)
        sql += " SELECT "
        sql += select(placeholders, { "column" + String($0) }).joined(separator: ", ")
        sql += " FROM (VALUES "
        statement = BoundStatement(sql: sql, binds: constants)
        statement.binds.reserveCapacity(constants.count + capacity * 4)
    }

    /// Starts a row; its values follow as `text` (a literal) and `bind` (a bound value), in the order the select
    /// list names them.
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

    /// Ends the statement with `tail` (`ON CONFLICT ...`, `RETURNING ...`).
    mutating func finish(_ tail: String) {
        statement.sql += ") AS page_rows WHERE true " + tail
    }
}
