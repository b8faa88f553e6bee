/// How many records of each entity type the emulated instance holds; ids run from 1 to the count.
/// Defaults are a small MSP: 25 clients with their sites, contacts, devices and a year of tickets.
public struct HaloPSARecordCounts: Sendable, Equatable {
    public var clients: Int
    public var sites: Int
    public var users: Int
    public var assets: Int
    public var agents: Int
    public var tickets: Int
    public var actions: Int
    /// One timesheet per agent per day, newest day last; with no agents there are none.
    public var timesheets: Int

    public init(
        clients: Int = 25,
        sites: Int = 40,
        users: Int = 120,
        assets: Int = 150,
        agents: Int = 8,
        tickets: Int = 200,
        actions: Int = 600,
        timesheets: Int = 240
    ) {
        self.clients = clients
        self.sites = sites
        self.users = users
        self.assets = assets
        self.agents = agents
        self.tickets = tickets
        self.actions = actions
        self.timesheets = timesheets
    }

    /// The count served for one entity type. Negative counts read as zero, and so does a type whose parent type
    /// is empty (sites need clients, users and assets need sites, tickets need clients, actions need tickets,
    /// timesheets need agents), so every reference names an existing record.
    public subscript(_ entity: HaloPSAEntity) -> Int {
        get {
            let clients = max(0, clients)
            let sites = clients > 0 ? max(0, sites) : 0
            let tickets = clients > 0 ? max(0, tickets) : 0
            let agents = max(0, agents)
            return switch entity {
            case .clients: clients
            case .sites: sites
            case .users: sites > 0 ? max(0, users) : 0
            case .assets: sites > 0 ? max(0, assets) : 0
            case .agents: agents
            case .tickets: tickets
            case .actions: tickets > 0 ? max(0, actions) : 0
            case .timesheets: agents > 0 ? max(0, timesheets) : 0
            }
        }
        set {
            switch entity {
            case .clients: clients = newValue
            case .sites: sites = newValue
            case .users: users = newValue
            case .assets: assets = newValue
            case .agents: agents = newValue
            case .tickets: tickets = newValue
            case .actions: actions = newValue
            case .timesheets: timesheets = newValue
            }
        }
    }
}
