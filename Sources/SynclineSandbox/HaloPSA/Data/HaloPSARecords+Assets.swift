extension HaloPSARecords {
    func assetType(_ asset: Int) -> (id: Int, name: String, code: String, models: [String]) {
        let roll = int(.assets, asset, 4, in: 0...99)
        // Mostly laptops and desktops, a few of everything else.
        let index =
            switch roll {
            case 0..<38: 0
            case 38..<62: 1
            case 62..<67: 2
            case 67..<72: 3
            case 72..<78: 4
            case 78..<86: 5
            case 86..<95: 6
            default: 7
            }
        return HaloPSAVocabulary.assetTypes[index]
    }

    func assetLastUpdate(_ asset: Int) -> Int {
        modifications[.assets]?[asset] ?? (startSecond + int(.assets, asset, 5, in: 0...(endSecond - startSecond)))
    }

    func inventoryNumber(_ asset: Int) -> String {
        let digits = String(asset)
        return "AST-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The device's host name, e.g. `HARBOUR-LT-0042`.
    func hostName(_ asset: Int) -> String {
        let client = clientOfSite(siteOfAsset(asset))
        let prefix = clientName(client).split(separator: " ").first.map { $0.uppercased() } ?? "WORKGROUP"
        let digits = String(asset % 10_000)
        return "\(prefix)-\(assetType(asset).code)-" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    func serialNumber(_ asset: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
        return String((0..<10).map { alphabet[int(.assets, asset, 30 + UInt64($0), in: 0...(alphabet.count - 1))] })
    }

    func asset(_ id: Int) -> SandboxJSON {
        let type = assetType(id)
        let site = siteOfAsset(id)
        let client = clientOfSite(site)
        let user = userOfAsset(id)
        return .object([
            "id": .int(id),
            "inventory_number": .string(inventoryNumber(id)),
            "key_field": .string(hostName(id)),
            "key_field2": .string(serialNumber(id)),
            "key_field3": .string(pick(type.models, .assets, id, 6)),
            "assettype_id": .int(type.id),
            "assettype_name": .string(type.name),
            "client_id": .int(client),
            "client_name": .string(clientName(client)),
            "site_id": .int(site),
            "site_name": .string(siteName(site)),
            "user_id": .int(user),
            "username": .string(userName(user)),
            "inactive": .bool(isInactive(.assets, id)),
            "last_update": .string(SandboxTime.format(assetLastUpdate(id))),
        ])
    }
}
