extension Migration {
    /// Drops `records_tenant_entity`: no query reads records by (tenant, entity type) without their connection,
    /// and the tenant's cascade on delete finds them through `records_model`, which also starts with the tenant.
    /// The index cost every imported record one more B-tree insertion (on SQLite about a sixth of an import's
    /// own database work), and SQLite's planner once chose it over the primary key and scanned a whole entity
    /// type per page.
    static let recordIndexes = Migration(version: 9, name: "record_indexes") { _ in
        ["DROP INDEX records_tenant_entity"]
    }
}
