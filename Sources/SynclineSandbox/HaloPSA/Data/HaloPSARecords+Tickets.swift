extension HaloPSARecords {
    private typealias Words = HaloPSAVocabulary

    /// Open statuses: New, In Progress, Action Required, With User, With Supplier. 9 is Closed.
    static let openStatuses = [1, 2, 3, 4, 5]
    static let closedStatus = 9

    // MARK: Times

    /// Tickets are logged in id order across the history, a little jitter each.
    func ticketOccurred(_ ticket: Int) -> Int {
        let tickets = max(1, count(.tickets))
        let span = endSecond - startSecond
        let slot = max(1, span / tickets)
        return min(
            endSecond,
            startSecond + (ticket - 1) * span / tickets + int(.tickets, ticket, 4, in: 0...(slot - 1))
        )
    }

    private func actionGap(_ ticket: Int) -> Int {
        int(.tickets, ticket, 5, in: 1800...(30 * 3600))
    }

    /// When `ticket`'s action number `index` (from 0) was made.
    func actionTime(ticket: Int, index: Int) -> Int {
        min(endSecond, ticketOccurred(ticket) + 300 + index * actionGap(ticket))
    }

    func ticketLastAction(_ ticket: Int) -> Int {
        guard let actions = actionIDs(ofTicket: ticket) else { return ticketOccurred(ticket) }
        return actionTime(ticket: ticket, index: actions.count - 1)
    }

    /// `last_update`: a little after the last action, or when the ticket was last touched.
    func ticketLastUpdate(_ ticket: Int) -> Int {
        modifications[.tickets]?[ticket]
            ?? min(endSecond, ticketLastAction(ticket) + int(.tickets, ticket, 6, in: 60...5400))
    }

    func ticketStatus(_ ticket: Int) -> Int {
        let ageDays = (endSecond - ticketLastAction(ticket)) / SandboxTime.secondsPerDay
        if ageDays > 14, chance(92, .tickets, ticket, 7) { return Self.closedStatus }
        return pick(Self.openStatuses, .tickets, ticket, 8)
    }

    /// 1 Critical, 2 High, 3 Medium, 4 Low.
    func ticketPriority(_ ticket: Int) -> Int {
        pick([1, 2, 2, 3, 3, 3, 4, 4], .tickets, ticket, 12)
    }

    func ticketSummary(_ ticket: Int) -> String {
        pick(Words.ticketSummaries, .tickets, ticket, 9)
    }

    // MARK: Records

    func ticket(_ id: Int) -> SandboxJSON {
        let client = clientOfTicket(id)
        let site = siteOfTicket(id)
        let user = userOfTicket(id)
        let agent = agentOfTicket(id)
        let status = ticketStatus(id)
        let occurred = ticketOccurred(id)
        return .object([
            "id": .int(id),
            "dateoccurred": .string(SandboxTime.format(occurred)),
            "summary": .string(ticketSummary(id)),
            "details": .string(pick(Words.ticketDetails, .tickets, id, 10)),
            "status_id": .int(status),
            "tickettype_id": .int(pick([1, 1, 1, 3, 3, 4], .tickets, id, 11)),
            "priority_id": .int(ticketPriority(id)),
            "sla_id": .int(1),
            "client_id": .int(client),
            "client_name": .string(clientName(client)),
            "site_id": .int(site),
            "site_name": .string(siteName(site)),
            "user_id": .int(user),
            "user_name": .string(userName(user)),
            "user_emailaddress": .string(user > 0 ? userEmail(user) : ""),
            "agent_id": .int(agent),
            "team": .string(agent > 0 ? team(ofAgent: agent).name : ""),
            "category_1": .string(pick(["Hardware", "Software", "Network", "Accounts", "Email"], .tickets, id, 13)),
            "lastactiondate": .string(SandboxTime.format(ticketLastAction(id))),
            "last_update": .string(SandboxTime.format(ticketLastUpdate(id))),
            "hasbeenclosed": .bool(status == Self.closedStatus),
            "deadlinedate": .string(SandboxTime.format(occurred + 3 * SandboxTime.secondsPerDay)),
        ])
    }

    func action(_ id: Int) -> SandboxJSON {
        let ticket = ticketOfAction(id)
        let first = actionIDs(ofTicket: ticket)?.lowerBound ?? id
        let last = actionIDs(ofTicket: ticket)?.upperBound ?? id
        let index = id - first
        let ticketAgent = agentOfTicket(ticket)
        let agent =
            chance(20, .actions, id, 1) && count(.agents) > 0
            ? int(.actions, id, 2, in: 1...count(.agents)) : ticketAgent
        let closing = id == last && ticketStatus(ticket) == Self.closedStatus
        let outcome =
            closing ? (id: 7, name: "Resolved") : pick(Array(Words.actionOutcomes.dropLast()), .actions, id, 3)
        let note =
            closing
            ? "Confirmed with the user that all is working. Closing ticket." : pick(Words.actionNotes, .actions, id, 4)
        return .object([
            "id": .int(id),
            "ticket_id": .int(ticket),
            "outcome": .string(outcome.name),
            "outcome_id": .int(outcome.id),
            "who": .string(agentName(agent)),
            "who_agentid": .int(agent),
            "note": .string(note),
            "actiondatecreated": .string(SandboxTime.format(actionTime(ticket: ticket, index: index))),
            "timetaken": .double(Double(int(.actions, id, 5, in: 0...6)) * 0.25),
            "hiddenfromuser": .bool(outcome.name == "Private Note"),
            "actionnumber": .int(index + 1),
        ])
    }
}
