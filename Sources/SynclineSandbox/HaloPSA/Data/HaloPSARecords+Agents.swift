extension HaloPSARecords {
    func agentName(_ agent: Int) -> String {
        guard agent > 0 else { return "" }
        let name = personName(.agents, agent)
        return "\(name.first) \(name.last)"
    }

    func team(ofAgent agent: Int) -> (id: Int, name: String) {
        HaloPSAVocabulary.teams[(agent - 1) % HaloPSAVocabulary.teams.count]
    }

    func agent(_ id: Int) -> SandboxJSON {
        let name = personName(.agents, id)
        let team = team(ofAgent: id)
        let email = MailText.letters("\(name.first).\(name.last)", keepingDots: true)
        return .object([
            "id": .int(id),
            "name": .string("\(name.first) \(name.last)"),
            "firstname": .string(name.first),
            "surname": .string(name.last),
            "initials": .string("\(name.first.prefix(1))\(name.last.prefix(1))"),
            "email": .string("\(email)@brightpath-it.example"),
            "phonenumber": .string(phoneNumber(.agents, id)),
            "jobtitle": .string(pick(HaloPSAVocabulary.agentTitles, .agents, id, 4)),
            "team": .string(team.name),
            "team_id": .int(team.id),
            "isdisabled": .bool(false),
            "is_agent": .bool(true),
        ])
    }
}
