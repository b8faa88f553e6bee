import SynclineCore

/// What the mapping, model and record routes need, as ports.
public struct MappingDependencies: Sendable {
    public var store: any MappingStore
    public var catalog: any MappingCatalog
    public var records: any RecordQueries

    public init(store: any MappingStore, catalog: any MappingCatalog, records: any RecordQueries) {
        self.store = store
        self.catalog = catalog
        self.records = records
    }
}
