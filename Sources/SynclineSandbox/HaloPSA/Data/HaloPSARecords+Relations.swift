extension HaloPSARecords {
    // MARK: Customers

    /// Sites are dealt round the clients, so site `c` is client `c`'s first (main) site.
    func clientOfSite(_ site: Int) -> Int {
        guard count(.clients) > 0, site >= 1 else { return 0 }
        return (site - 1) % count(.clients) + 1
    }

    func mainSite(ofClient client: Int) -> Int {
        client <= count(.sites) ? client : 0
    }

    /// Users are dealt round the sites, so the users of site `s` are `s`, `s + sites`, `s + 2 * sites` ...
    func siteOfUser(_ user: Int) -> Int {
        guard count(.sites) > 0 else { return 0 }
        return (user - 1) % count(.sites) + 1
    }

    func clientOfUser(_ user: Int) -> Int {
        count(.sites) > 0 ? clientOfSite(siteOfUser(user)) : 0
    }

    /// A user of `site` chosen by `choice`, or 0 when the site has none.
    func user(onSite site: Int, choice: Int) -> Int {
        let sites = count(.sites)
        guard sites > 0, site >= 1, site <= count(.users) else { return 0 }
        let usersOnSite = (count(.users) - site) / sites + 1
        return site + (choice % usersOnSite) * sites
    }

    // MARK: Assets

    func siteOfAsset(_ asset: Int) -> Int {
        guard count(.sites) > 0 else { return 0 }
        return int(.assets, asset, 1, in: 1...count(.sites))
    }

    func userOfAsset(_ asset: Int) -> Int {
        chance(15, .assets, asset, 2)
            ? 0 : user(onSite: siteOfAsset(asset), choice: int(.assets, asset, 3, in: 0...9999))
    }

    // MARK: Tickets and actions

    /// Tickets are raised by a user; with no users, by a client's main site.
    func userOfTicket(_ ticket: Int) -> Int {
        guard count(.users) > 0 else { return 0 }
        return int(.tickets, ticket, 1, in: 1...count(.users))
    }

    func siteOfTicket(_ ticket: Int) -> Int {
        let user = userOfTicket(ticket)
        return user > 0 ? siteOfUser(user) : mainSite(ofClient: clientOfTicket(ticket))
    }

    func clientOfTicket(_ ticket: Int) -> Int {
        let user = userOfTicket(ticket)
        if user > 0 { return clientOfUser(user) }
        guard count(.clients) > 0 else { return 0 }
        return int(.tickets, ticket, 2, in: 1...count(.clients))
    }

    func agentOfTicket(_ ticket: Int) -> Int {
        guard count(.agents) > 0 else { return 0 }
        return int(.tickets, ticket, 3, in: 1...count(.agents))
    }

    /// Actions are spread in contiguous blocks over the tickets in id order.
    func ticketOfAction(_ action: Int) -> Int {
        guard count(.tickets) > 0, count(.actions) > 0 else { return 0 }
        return (action - 1) * count(.tickets) / count(.actions) + 1
    }

    /// The ids of `ticket`'s actions (possibly empty).
    func actionIDs(ofTicket ticket: Int) -> ClosedRange<Int>? {
        let tickets = count(.tickets)
        let actions = count(.actions)
        guard tickets > 0, actions > 0, ticket >= 1, ticket <= tickets else { return nil }
        let first = Self.ceilDivide((ticket - 1) * actions, tickets) + 1
        let last = Self.ceilDivide(ticket * actions, tickets)
        return first <= last ? first...last : nil
    }

    // MARK: Timesheets

    /// How many days of timesheets there are (one per agent per day, ending on the data's last day).
    var timesheetDays: Int {
        let agents = count(.agents)
        return agents > 0 ? Self.ceilDivide(count(.timesheets), agents) : 0
    }

    /// The day number (days since 1970) of the first timesheet day.
    var firstTimesheetDay: Int {
        SandboxTime.floorDivide(endSecond, SandboxTime.secondsPerDay) - max(0, timesheetDays - 1)
    }

    func agentOfTimesheet(_ timesheet: Int) -> Int {
        (timesheet - 1) % max(1, count(.agents)) + 1
    }

    func dayOfTimesheet(_ timesheet: Int) -> Int {
        firstTimesheetDay + (timesheet - 1) / max(1, count(.agents))
    }

    /// The timesheet ids whose day lies in `days` (day numbers since 1970).
    func timesheetIDs(days: ClosedRange<Int>) -> ClosedRange<Int>? {
        let agents = count(.agents)
        guard agents > 0 else { return nil }
        let low = max(1, (days.lowerBound - firstTimesheetDay) * agents + 1)
        let high = min(count(.timesheets), (days.upperBound - firstTimesheetDay + 1) * agents)
        return low <= high ? low...high : nil
    }
}
