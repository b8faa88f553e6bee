extension HaloPSARecords {
    private typealias Words = HaloPSAVocabulary

    // MARK: Names shared by several entities

    /// Word and trade of a client's name: a permutation of the combinations, so the first 1,296 clients of a
    /// seed have different names; later ones may repeat, as real customer lists do.
    private func nameParts(ofClient client: Int) -> (word: String, trade: String) {
        let combinations = Words.companyWords.count * Words.companyTrades.count
        let offset = Int(hash.seed % UInt64(combinations))
        let index = ((client - 1) % combinations * 7919 + offset) % combinations
        return (
            Words.companyWords[index % Words.companyWords.count], Words.companyTrades[index / Words.companyWords.count]
        )
    }

    func clientName(_ client: Int) -> String {
        guard client > 0 else { return "" }
        let parts = nameParts(ofClient: client)
        return "\(parts.word) \(parts.trade) \(pick(Words.companySuffixes, .clients, client, 1))"
    }

    /// The client's mail domain, under the reserved `.example` top-level domain.
    func domain(ofClient client: Int) -> String {
        let parts = nameParts(ofClient: client)
        return MailText.letters("\(parts.word)\(parts.trade)") + ".example"
    }

    func siteName(_ site: Int) -> String {
        guard site > 0 else { return "" }
        if site <= count(.clients) { return "Head Office" }
        let city = pick(Words.cities, .sites, site, 1).0
        return "\(city) \(pick(Words.siteKinds, .sites, site, 2))"
    }

    func personName(_ entity: HaloPSAEntity, _ id: Int) -> (first: String, last: String) {
        (pick(Words.firstNames, entity, id, 11), pick(Words.lastNames, entity, id, 12))
    }

    func userName(_ user: Int) -> String {
        guard user > 0 else { return "" }
        let name = personName(.users, user)
        return "\(name.first) \(name.last)"
    }

    func userEmail(_ user: Int) -> String {
        let name = personName(.users, user)
        let local = MailText.letters("\(name.first).\(name.last)", keepingDots: true)
        return "\(local)@\(domain(ofClient: clientOfUser(user)))"
    }

    /// A UK number from Ofcom's drama range (020 7946 0000 to 0999), never a real line.
    func phoneNumber(_ entity: HaloPSAEntity, _ id: Int) -> String {
        let digits = String(int(entity, id, 21, in: 0...999))
        return "020 7946 0" + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// A mobile number from Ofcom's drama range (07700 900000 to 900999).
    func mobileNumber(_ entity: HaloPSAEntity, _ id: Int) -> String {
        let digits = String(int(entity, id, 22, in: 0...999))
        return "07700 900" + String(repeating: "0", count: 3 - digits.count) + digits
    }

    func topLevel(ofClient client: Int) -> (id: Int, name: String) {
        let roll = int(.clients, client, 2, in: 0...99)
        return Words.topLevels[roll < 70 ? 0 : roll < 97 ? 1 : 2]
    }

    func isInactive(_ entity: HaloPSAEntity, _ id: Int) -> Bool {
        chance(4, entity, id, 3)
    }

    // MARK: Records

    func client(_ id: Int) -> SandboxJSON {
        let topLevel = topLevel(ofClient: id)
        let mainSite = mainSite(ofClient: id)
        return .object([
            "id": .int(id),
            "name": .string(clientName(id)),
            "toplevel_id": .int(topLevel.id),
            "toplevel_name": .string(topLevel.name),
            "inactive": .bool(isInactive(.clients, id)),
            "colour": .string(pick(["#2f6fde", "#1b998b", "#e15554", "#f2a541", "#6c4ab6"], .clients, id, 4)),
            "website": .string("https://www.\(domain(ofClient: id))"),
            "main_site_id": .int(mainSite),
            "main_site_name": .string(siteName(mainSite)),
            "phonenumber": .string(phoneNumber(.clients, id)),
            "accountsemailaddress": .string("accounts@\(domain(ofClient: id))"),
            "client_to_invoice": .int(0),
            "notes": .string(""),
        ])
    }

    func site(_ id: Int) -> SandboxJSON {
        let client = clientOfSite(id)
        let city = pick(Words.cities, .sites, id, 1)
        let number = int(.sites, id, 5, in: 1...240)
        let postcode =
            "\(city.1) \(int(.sites, id, 6, in: 1...9))\(pick(["AB", "DF", "HL", "QR", "WX"], .sites, id, 7))"
        return .object([
            "id": .int(id),
            "name": .string(siteName(id)),
            "client_id": .int(client),
            "client_name": .string(clientName(client)),
            "inactive": .bool(isInactive(.sites, id)),
            "phonenumber": .string(phoneNumber(.sites, id)),
            "timezone": .string("GMT Standard Time"),
            "isinvoicesite": .bool(id == mainSite(ofClient: client)),
            "delivery_address": .object([
                "line1": .string("\(number) \(pick(Words.streets, .sites, id, 8))"),
                "line2": .string(""),
                "line3": .string(city.0),
                "line4": .string(""),
                "postcode": .string(postcode),
                "country": .string("United Kingdom"),
            ]),
        ])
    }

    func user(_ id: Int) -> SandboxJSON {
        let name = personName(.users, id)
        let site = siteOfUser(id)
        let client = clientOfUser(id)
        return .object([
            "id": .int(id),
            "name": .string("\(name.first) \(name.last)"),
            "firstname": .string(name.first),
            "surname": .string(name.last),
            "emailaddress": .string(userEmail(id)),
            "phonenumber": .string(phoneNumber(.users, id)),
            "mobilenumber": .string(mobileNumber(.users, id)),
            "jobtitle": .string(pick(Words.jobTitles, .users, id, 4)),
            "site_id": .int(site),
            "site_name": .string(siteName(site)),
            "client_id": .int(client),
            "client_name": .string(clientName(client)),
            "inactive": .bool(isInactive(.users, id)),
            "isimportantcontact": .bool(chance(10, .users, id, 5)),
        ])
    }
}
