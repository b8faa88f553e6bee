extension HaloPSARecords {
    func timesheet(_ id: Int) -> SandboxJSON {
        let agent = agentOfTimesheet(id)
        let day = dayOfTimesheet(id)
        let weekday = SandboxTime.weekday(ofDay: day)
        let workday = weekday < 5
        let start = day * SandboxTime.secondsPerDay + (workday ? 8 * 3600 + 30 * 60 : 0)
        let end = day * SandboxTime.secondsPerDay + (workday ? 17 * 3600 : 0)
        let target = workday ? 7.5 : 0
        let actual = workday ? Double(int(.timesheets, id, 1, in: 16...34)) * 0.25 : 0
        let chargeable = workday ? min(actual, Double(int(.timesheets, id, 2, in: 8...28)) * 0.25) : 0
        return .object([
            "id": .int(id),
            "agent_id": .int(agent),
            "agent_name": .string(agentName(agent)),
            "date": .string(SandboxTime.format(day * SandboxTime.secondsPerDay)),
            "start_date": .string(SandboxTime.format(start)),
            "end_date": .string(SandboxTime.format(end)),
            "target_hours": .double(target),
            "actual_hours": .double(actual),
            "chargeable_hours": .double(chargeable),
            "allowed_break_hours": .double(workday ? 1 : 0),
        ])
    }
}
