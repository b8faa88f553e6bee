/// The HaloPSA entity types the emulator serves; the raw value is the key of the record array in responses.
public enum HaloPSAEntity: String, Sendable, CaseIterable, Hashable {
    case clients
    case sites
    case users
    case assets
    case agents
    case tickets
    case actions
    case timesheets

    /// The resource name after `/api/`, as HaloPSA's swagger spells it (matched case-insensitively).
    public var resource: String {
        switch self {
        case .clients: "Client"
        case .sites: "Site"
        case .users: "Users"
        case .assets: "Asset"
        case .agents: "Agent"
        case .tickets: "Tickets"
        case .actions: "Actions"
        case .timesheets: "Timesheet"
        }
    }

    /// The entity for a path segment after `/api/`, in any case.
    init?(resource: String) {
        let lowered = resource.lowercased()
        guard let entity = Self.allCases.first(where: { $0.resource.lowercased() == lowered }) else { return nil }
        self = entity
    }

    /// A distinct stream for the seeded hash, so entities with the same id get unrelated values.
    var stream: UInt64 {
        UInt64((Self.allCases.firstIndex(of: self) ?? 0) + 1)
    }
}
