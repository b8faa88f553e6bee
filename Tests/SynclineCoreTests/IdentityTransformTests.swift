import SynclineCore
import Testing

@Suite("Transforms: identities, hashes and lookups")
struct IdentityTransformTests {
    // MARK: email_normalize

    @Test("email_normalize trims, lowercases and strips mailto: and display names")
    func emailNormalizes() throws {
        #expect(try Run.forward("email_normalize", " Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com")
        #expect(try Run.forward("email_normalize", "Ada Lovelace <Ada@Example.com>") == "ada@example.com")
        #expect(try Run.forward("email_normalize", "MAILTO:ada@example.com") == "ada@example.com")
        #expect(try Run.forward("email_normalize", "ada+crm@example.co.uk", ["strip_tag": true]) == "ada@example.co.uk")
        #expect(try Run.forward("email_normalize", "ada+crm@example.co.uk") == "ada+crm@example.co.uk")
        #expect(try Run.forward("email_normalize", "jürgen@bücher.de") == "jürgen@bücher.de")
    }

    @Test(
        "email_normalize fails, gives null or keeps text that is not an address, as configured",
        arguments: [
            "", "ada", "ada@", "@example.com", "ada@example", "a@b@c.com", "ada@exa mple.com", "ada..x@example.com",
            ".ada@example.com", "ada@-example.com", "ada@example..com", "ada lovelace@example.com",
        ]
    )
    func emailRejects(text: String) throws {
        let error = #expect(throws: TransformError.self) { try Run.forward("email_normalize", .string(text)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "'\(text)' is not an email address")
        #expect(try Run.forward("email_normalize", .string(text), ["on_invalid": "null"]) == nil)
        #expect(try Run.forward("email_normalize", .string(text), ["on_invalid": "keep"]) == .string(text))
    }

    @Test("email_normalize passes null and rejects numbers")
    func emailEdges() throws {
        #expect(try Run.forward("email_normalize", nil) == nil)
        let error = #expect(throws: TransformError.self) { try Run.forward("email_normalize", 5) }
        #expect(error?.code == .wrongInputType)
    }

    @Test("email_normalize is idempotent over generated addresses")
    func emailIdempotentProperty() throws {
        var random = SplitMix64(seed: 59)
        let transform = try Run.make("email_normalize")
        let alphabet = Array("abcXYZ09_+-")
        for _ in 0..<300 {
            let local = random.string(from: alphabet, length: Int.random(in: 1...10, using: &random))
            let domain = random.string(from: Array("abcxyz"), length: Int.random(in: 1...8, using: &random))
            let address = JSONValue.string(" \(local)@\(domain).COM ")
            let once = try transform.apply(address)
            #expect(try transform.apply(once) == once)
        }
    }

    // MARK: phone_e164

    @Test(
        "phone_e164 writes national numbers with the default country code, dropping trunk prefixes",
        arguments: [
            ("020 7946 0958", "44", "+442079460958"),
            ("07700 900123", "+44", "+447700900123"),
            ("(415) 555-2671", "1", "+14155552671"),
            ("1-415-555-2671", "1", "+14155552671"),
            ("415.555.2671 x204", "1", "+14155552671"),
            ("030 123456", "49", "+4930123456"),
            ("06 1234 5678", "39", "+390612345678"),
            ("612 345 678", "34", "+34612345678"),
            ("0412 345 678", "61", "+61412345678"),
            ("010 1234 5678", "86", "+861012345678"),
        ]
    )
    func phoneNational(text: String, code: String, expected: String) throws {
        #expect(
            try Run.forward("phone_e164", .string(text), ["default_country_code": .string(code)]) == .string(expected)
        )
    }

    @Test(
        "phone_e164 keeps international numbers, written with + or 00, whatever the default",
        arguments: [
            ("+44 20 7946 0958", "+442079460958"),
            ("+44 (0)20 7946 0958", "+442079460958"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+1 415 555 2671 ext. 12", "+14155552671"),
            ("+353 1 234 5678", "+35312345678"),
            ("+86 10 1234 5678", "+861012345678"),
        ]
    )
    func phoneInternational(text: String, expected: String) throws {
        #expect(try Run.forward("phone_e164", .string(text), ["default_country_code": "1"]) == .string(expected))
        #expect(try Run.forward("phone_e164", .string(text)) == .string(expected))
    }

    @Test("phone_e164 dials out of NANP with 011 and reads whole numbers")
    func phoneSpecialForms() throws {
        #expect(try Run.forward("phone_e164", "011 44 20 7946 0958", ["default_country_code": "1"]) == "+442079460958")
        #expect(try Run.forward("phone_e164", 4_155_552_671, ["default_country_code": "1"]) == "+14155552671")
    }

    @Test(
        "phone_e164 rejects numbers of the wrong length, letters and a missing country code",
        arguments: [
            ("555-2671", "1"), ("020 7946", "44"), ("+44 20", ""), ("call me", "44"), ("+1 415 555 26710", ""),
            ("1234567", ""), ("+0 123 456 789", ""), ("+1234567890123456", ""),
        ]
    )
    func phoneRejects(text: String, code: String) throws {
        let arguments: [String: JSONValue] = code.isEmpty ? [:] : ["default_country_code": .string(code)]
        let error = #expect(throws: TransformError.self) { try Run.forward("phone_e164", .string(text), arguments) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.hasPrefix("'\(text)' ") == true, "\(error?.message ?? "")")
        var lenient = arguments
        lenient["on_invalid"] = "null"
        #expect(try Run.forward("phone_e164", .string(text), lenient) == nil)
    }

    @Test("phone_e164 explains a missing country code and checks the configured one")
    func phoneArguments() throws {
        let error = #expect(throws: TransformError.self) { try Run.forward("phone_e164", "020 7946 0958") }
        #expect(error?.message == "'020 7946 0958' has no country code and no default_country_code is set")
        for code in ["UK", "0044", "", "+"] {
            let bad = #expect(throws: TransformError.self) {
                try Run.make("phone_e164", ["default_country_code": .string(code)])
            }
            #expect(bad?.argument == "default_country_code", "\(code)")
        }
        #expect(try Run.forward("phone_e164", nil) == nil)
        let type = #expect(throws: TransformError.self) { try Run.forward("phone_e164", true) }
        #expect(type?.code == .wrongInputType)
    }

    @Test("phone_e164 is idempotent over generated UK and US numbers")
    func phoneIdempotentProperty() throws {
        var random = SplitMix64(seed: 61)
        let uk = try Run.make("phone_e164", ["default_country_code": "44"])
        let us = try Run.make("phone_e164", ["default_country_code": "1"])
        for _ in 0..<300 {
            let ukNumber = "07" + random.string(from: Array("0123456789"), length: 9)
            let usNumber =
                random.string(from: Array("23456789"), length: 1) + random.string(from: Array("0123456789"), length: 9)
            let ukOnce = try uk.apply(.string(ukNumber))
            let usOnce = try us.apply(.string("(" + usNumber.prefix(3) + ") " + usNumber.dropFirst(3)))
            #expect(ukOnce == .string("+447" + ukNumber.dropFirst(2)))
            #expect(usOnce == .string("+1" + usNumber))
            #expect(try uk.apply(ukOnce) == ukOnce)
            #expect(try us.apply(usOnce) == usOnce)
        }
    }

    // MARK: sha256

    @Test("sha256 hashes text, scalars and canonical JSON")
    func sha256Hashes() throws {
        #expect(try Run.forward("sha256", "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try Run.forward("sha256", "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try Run.forward("sha256", 123) == Run.forward("sha256", "123"))
        #expect(
            try Run.forward("sha256", ["b": [true, nil], "a": 1])
                == "1cc69c7fa23616ca2ec3ee70d24390a6225c8832db8a4c814c7e0e7f942f8668"
        )
        #expect(
            try Run.forward("sha256", "abc", ["encoding": "base64"]) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        )
        #expect(try Run.forward("sha256", nil) == nil)
    }

    @Test("sha256 gives equal digests for equal objects whatever their key order")
    func sha256KeyOrder() throws {
        let first = try JSONValue.parse(#"{"x":1,"y":{"b":2,"a":3}}"#)
        let second = try JSONValue.parse(#"{"y":{"a":3,"b":2},"x":1}"#)
        #expect(try Run.forward("sha256", first) == Run.forward("sha256", second))
        let encoding = #expect(throws: TransformError.self) { try Run.make("sha256", ["encoding": "hex32"]) }
        #expect(encoding?.argument == "encoding")
    }

    // MARK: stable_uuid

    @Test("stable_uuid matches UUID version 5 as standard libraries compute it")
    func stableUUIDMatchesStandard() throws {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") and uuid.uuid5(uuid.NAMESPACE_URL, "x").
        let dns: JSONValue = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        #expect(
            try Run.forward("stable_uuid", "python.org", ["namespace": dns]) == "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        )
        #expect(try Run.forward("stable_uuid", "x") == "4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4")
        let record: JSONValue = ["provider": "halopsa", "id": 42]
        #expect(
            try Run.forward("stable_uuid", nil, ["fields": ["provider", "id"]], record: record)
                == "ed5e0dcd-3f95-5c9b-bc2c-7aae0f0d3955"
        )
        #expect(
            try Run.forward("stable_uuid", nil, ["fields": ["provider", "id"], "separator": ""], record: record)
                == Run.forward("stable_uuid", "halopsa42")
        )
    }

    @Test("stable_uuid is null when a field is missing, and rejects a bad namespace")
    func stableUUIDEdges() throws {
        #expect(try Run.forward("stable_uuid", nil) == nil)
        #expect(try Run.forward("stable_uuid", nil, ["fields": ["provider", "id"]], record: ["provider": "x"]) == nil)
        let namespace = #expect(throws: TransformError.self) {
            try Run.make("stable_uuid", ["namespace": "not-a-uuid"])
        }
        #expect(namespace?.argument == "namespace")
        let fields = #expect(throws: TransformError.self) { try Run.make("stable_uuid", ["fields": []]) }
        #expect(fields?.argument == "fields")
    }

    @Test("stable_uuid is deterministic, version 5 and distinct for generated names")
    func stableUUIDProperty() throws {
        var random = SplitMix64(seed: 67)
        let transform = try Run.make("stable_uuid")
        var seen: [JSONValue: JSONValue] = [:]
        for _ in 0..<300 {
            let name = JSONValue.string(
                random.string(from: Array("abcdef0123-:"), length: Int.random(in: 1...12, using: &random))
            )
            let uuid = try transform.apply(name)
            let text = try #require(uuid.stringValue)
            #expect(try transform.apply(name) == uuid)
            #expect(text.count == 36 && Array(text)[14] == "5" && "89ab".contains(Array(text)[19]), "\(text)")
            if let earlier = seen[uuid] { #expect(earlier == name) }
            seen[uuid] = name
        }
    }

    // MARK: lookup

    static let links: [String: [String: String]] = [
        "site": ["17": "site_01hx", "18": "site_02ab", "19": "site_02ab"],
        "agent": ["a-1": "person_9"],
    ]

    @Test("lookup translates external ids through the links of its kind")
    func lookupTranslates() throws {
        #expect(try Run.forward("lookup", "17", ["kind": "site"], links: Self.links) == "site_01hx")
        #expect(try Run.forward("lookup", 17, ["kind": "site"], links: Self.links) == "site_01hx")
        #expect(try Run.forward("lookup", "a-1", ["kind": "agent"], links: Self.links) == "person_9")
        #expect(try Run.forward("lookup", nil, ["kind": "site"], links: Self.links) == nil)
    }

    @Test("lookup fails, gives null, keeps the input or gives a default for an unlinked id")
    func lookupMissing() throws {
        let error = #expect(throws: TransformError.self) {
            try Run.forward("lookup", "99", ["kind": "site"], links: Self.links)
        }
        #expect(error?.code == .missingLink)
        #expect(error?.description == "transform 'lookup': no site link for '99'")
        #expect(try Run.forward("lookup", "99", ["kind": "site", "missing": "null"], links: Self.links) == nil)
        #expect(try Run.forward("lookup", "99", ["kind": "site", "missing": "keep"], links: Self.links) == "99")
        #expect(
            try Run.forward(
                "lookup",
                "99",
                ["kind": "site", "missing": "default", "default": "site_unknown"],
                links: Self.links
            )
                == "site_unknown"
        )
        #expect(try Run.forward("lookup", "17", ["kind": "nothing", "missing": "null"], links: Self.links) == nil)
        let noDefault = #expect(throws: TransformError.self) {
            try Run.make("lookup", ["kind": "site", "missing": "default"])
        }
        #expect(noDefault?.argument == "default")
        let type = #expect(throws: TransformError.self) {
            try Run.forward("lookup", ["17"], ["kind": "site"], links: Self.links)
        }
        #expect(type?.code == .wrongInputType)
    }

    @Test("lookup reverses to the one linked external id and fails when several are linked")
    func lookupReverse() throws {
        #expect(try Run.backward("lookup", "site_01hx", ["kind": "site"], links: Self.links) == "17")
        let ambiguous = #expect(throws: TransformError.self) {
            try Run.backward("lookup", "site_02ab", ["kind": "site"], links: Self.links)
        }
        #expect(ambiguous?.message == "'site_02ab' is linked to several site ids: 18, 19")
        let missing = #expect(throws: TransformError.self) {
            try Run.backward("lookup", "site_zz", ["kind": "site"], links: Self.links)
        }
        #expect(missing?.code == .missingLink)
    }

    @Test("lookup reverse(forward(x)) == x over generated one-to-one link tables")
    func lookupRoundTripProperty() throws {
        var random = SplitMix64(seed: 71)
        let transform = try Run.make("lookup", ["kind": "company"])
        var table: [String: String] = [:]
        for index in 0..<300 {
            table["ext-\(random.string(from: Array("abc123"), length: 6))-\(index)"] = "cmp_\(index)"
        }
        let context = TransformContext(links: ["company": table])
        let inputs = (0..<300).map { _ in JSONValue.string(random.pick(Array(table.keys))) }
        #expect(try Run.roundTripFailures(transform, inputs, context: context).isEmpty)
    }
}
