/// Computes any record of the emulated instance from (seed, id), never storing one: relationships are
/// arithmetic on ids (site `s` belongs to client `(s - 1) % clients + 1`, actions form contiguous blocks per
/// ticket, timesheets run agent by agent, day by day), so a page of 100,000 clients costs what a page of 25 does.
struct HaloPSARecords: Sendable {
    let hash: SeededHash
    let counts: HaloPSARecordCounts
    /// The newest time in the data, in seconds since 1970.
    let endSecond: Int
    /// The oldest time in the data.
    let startSecond: Int
    /// Modification times set by `touch`, by entity and id.
    let modifications: [HaloPSAEntity: [Int: Int]]

    init(configuration: HaloPSAEmulator.Configuration, modifications: [HaloPSAEntity: [Int: Int]] = [:]) {
        self.hash = SeededHash(seed: configuration.seed)
        self.counts = configuration.recordCounts
        self.endSecond = SandboxTime.seconds(configuration.dataEndDate)
        self.startSecond = endSecond - max(1, configuration.historyDays) * SandboxTime.secondsPerDay
        self.modifications = modifications
    }

    func count(_ entity: HaloPSAEntity) -> Int {
        counts[entity]
    }

    func contains(_ entity: HaloPSAEntity, id: Int) -> Bool {
        id >= 1 && id <= count(entity)
    }

    /// The record with `id`, which must be in 1...count.
    func record(_ entity: HaloPSAEntity, id: Int) -> SandboxJSON {
        switch entity {
        case .clients: client(id)
        case .sites: site(id)
        case .users: user(id)
        case .assets: asset(id)
        case .agents: agent(id)
        case .tickets: ticket(id)
        case .actions: action(id)
        case .timesheets: timesheet(id)
        }
    }

    /// A seeded value for one field of one record.
    func int(_ entity: HaloPSAEntity, _ id: Int, _ salt: UInt64, in range: ClosedRange<Int>) -> Int {
        hash.int(entity.stream, id, salt, in: range)
    }

    func pick<Element>(_ items: [Element], _ entity: HaloPSAEntity, _ id: Int, _ salt: UInt64) -> Element {
        hash.pick(items, entity.stream, id, salt)
    }

    func chance(_ percent: Int, _ entity: HaloPSAEntity, _ id: Int, _ salt: UInt64) -> Bool {
        hash.chance(percent, entity.stream, id, salt)
    }

    static func ceilDivide(_ value: Int, _ divisor: Int) -> Int {
        (value + divisor - 1) / divisor
    }
}
