import Foundation

extension HaloPSARecords {
    /// `datesearch` values accepted on tickets, with the time each compares.
    static let ticketDateFields = ["dateoccurred", "datecreated", "lastactiondate", "last_update"]

    /// The ids a list request selects, from HaloPSA's documented filters for the entity. Unknown parameters
    /// are ignored, as HaloPSA does; malformed values of known ones are a 400.
    func selection(_ entity: HaloPSAEntity, query: FormFields) throws(HaloPSAError) -> HaloPSASelection {
        var selection = HaloPSASelection(range: count(entity) > 0 ? 1...count(entity) : nil)
        let records = self
        func equals(_ name: String, _ field: @escaping @Sendable (Int) -> Int) throws(HaloPSAError) {
            guard let value = try Self.int(name, in: query) else { return }
            selection = selection.filtered { field($0) == value }
        }
        func search(_ text: @escaping @Sendable (Int) -> String) {
            guard let term = query.nonEmpty("search")?.lowercased() else { return }
            selection = selection.filtered { text($0).lowercased().contains(term) }
        }
        func activity(_ entity: HaloPSAEntity) {
            if query.bool("includeinactive") == false {
                selection = selection.filtered { !records.isInactive(entity, $0) }
            }
            if query.bool("includeactive") == false {
                selection = selection.filtered { records.isInactive(entity, $0) }
            }
        }
        func lastUpdate(_ time: @escaping @Sendable (Int) -> Int) throws(HaloPSAError) {
            let from = try Self.time("lastupdatefromdate", in: query, endOfDay: false)
            let to = try Self.time("lastupdatetodate", in: query, endOfDay: true)
            if from == nil && to == nil { return }
            selection = selection.filtered { Self.time(time($0), isFrom: from, to: to) }
        }

        switch entity {
        case .clients:
            try equals("toplevel_id") { records.topLevel(ofClient: $0).id }
            search { records.clientName($0) }
            activity(.clients)
        case .sites:
            try equals("client_id") { records.clientOfSite($0) }
            search { records.siteName($0) }
            activity(.sites)
        case .users:
            try equals("client_id") { records.clientOfUser($0) }
            try equals("site_id") { records.siteOfUser($0) }
            search { "\(records.userName($0)) \(records.userEmail($0))" }
            activity(.users)
        case .assets:
            try equals("client_id") { records.clientOfSite(records.siteOfAsset($0)) }
            try equals("site_id") { records.siteOfAsset($0) }
            try equals("assettype_id") { records.assetType($0).id }
            try equals("user_id") { records.userOfAsset($0) }
            search { "\(records.inventoryNumber($0)) \(records.hostName($0))" }
            activity(.assets)
            try lastUpdate { records.assetLastUpdate($0) }
        case .agents:
            search { records.agentName($0) }
        case .tickets:
            try equals("client_id") { records.clientOfTicket($0) }
            try equals("site_id") { records.siteOfTicket($0) }
            try equals("user_id") { records.userOfTicket($0) }
            try equals("agent_id") { records.agentOfTicket($0) }
            try equals("status_id") { records.ticketStatus($0) }
            try equals("priority_id") { records.ticketPriority($0) }
            if query.bool("open_only") == true {
                selection = selection.filtered { records.ticketStatus($0) != Self.closedStatus }
            }
            if query.bool("closed_only") == true {
                selection = selection.filtered { records.ticketStatus($0) == Self.closedStatus }
            }
            search { records.ticketSummary($0) }
            try ticketDates(&selection, query: query)
            try lastUpdate { records.ticketLastUpdate($0) }
        case .actions:
            if let ticket = try Self.int("ticket_id", in: query) {
                selection = selection.clamped(to: actionIDs(ofTicket: ticket))
            }
        case .timesheets:
            try timesheetDates(&selection, query: query)
            if let agent = try Self.int("agent_id", in: query) {
                selection = selection.filtered { records.agentOfTimesheet($0) == agent }
            }
            if let list = query.nonEmpty("agents") {
                let agents = Set(list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
                selection = selection.filtered { agents.contains(records.agentOfTimesheet($0)) }
            }
        }
        return selection
    }

    /// `datesearch={field}&startdate=...&enddate=...`; with dates but no `datesearch`, `dateoccurred`.
    private func ticketDates(_ selection: inout HaloPSASelection, query: FormFields) throws(HaloPSAError) {
        let from = try Self.time("startdate", in: query, endOfDay: false)
        let to = try Self.time("enddate", in: query, endOfDay: true)
        let field = query.nonEmpty("datesearch")?.lowercased() ?? "dateoccurred"
        guard Self.ticketDateFields.contains(field) else {
            let allowed = Self.ticketDateFields.joined(separator: ", ")
            throw .badParameter("datesearch must be one of \(allowed)")
        }
        if from == nil && to == nil { return }
        let records = self
        let time: @Sendable (Int) -> Int =
            switch field {
            case "lastactiondate": { records.ticketLastAction($0) }
            case "last_update": { records.ticketLastUpdate($0) }
            default: { records.ticketOccurred($0) }
            }
        selection = selection.filtered { Self.time(time($0), isFrom: from, to: to) }
    }

    /// `start_date` and `end_date` select whole days of timesheets.
    private func timesheetDates(_ selection: inout HaloPSASelection, query: FormFields) throws(HaloPSAError) {
        let from = try Self.time("start_date", in: query, endOfDay: false)
        let to = try Self.time("end_date", in: query, endOfDay: true)
        if from == nil && to == nil { return }
        let firstDay = from.map { SandboxTime.floorDivide($0, SandboxTime.secondsPerDay) } ?? Int.min / 4
        let lastDay = to.map { SandboxTime.floorDivide($0, SandboxTime.secondsPerDay) } ?? Int.max / 4
        selection = selection.clamped(to: firstDay <= lastDay ? timesheetIDs(days: firstDay...lastDay) : nil)
    }

    private static func time(_ value: Int, isFrom from: Int?, to: Int?) -> Bool {
        if let from, value < from { return false }
        if let to, value > to { return false }
        return true
    }

    static func int(_ name: String, in query: FormFields) throws(HaloPSAError) -> Int? {
        guard let text = query.nonEmpty(name) else { return nil }
        guard let value = Int(text) else { throw .badParameter("\(name) must be a whole number") }
        return value
    }

    /// A time parameter; a bare date used as an upper bound means the end of that day.
    static func time(_ name: String, in query: FormFields, endOfDay: Bool) throws(HaloPSAError) -> Int? {
        guard let text = query.nonEmpty(name) else { return nil }
        guard let seconds = SandboxTime.parse(text) else {
            throw .badParameter("\(name) must be a date such as 2025-06-30 or 2025-06-30T17:00:00")
        }
        let dateOnly = text.trimmingCharacters(in: .whitespaces).count == 10
        return endOfDay && dateOnly ? seconds + SandboxTime.secondsPerDay - 1 : seconds
    }
}
