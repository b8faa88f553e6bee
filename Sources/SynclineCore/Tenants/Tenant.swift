import Foundation

/// The isolation unit: one customer of the host application. Every tenant-scoped row carries its id.
public struct Tenant: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var createdAt: Date
    /// The month (1-12) the tenant's fiscal year starts in, for `current_fiscal_year` sync windows.
    public var fiscalYearStartMonth: Int

    public init(id: String, name: String, createdAt: Date, fiscalYearStartMonth: Int = 1) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.fiscalYearStartMonth = fiscalYearStartMonth
    }
}
