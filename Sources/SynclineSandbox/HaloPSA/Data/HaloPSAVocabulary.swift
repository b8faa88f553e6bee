/// Word lists for plausible MSP data: company names, people, places, devices, ticket text. Phone numbers use
/// the ranges reserved for fiction and e-mail domains the reserved `.example` top-level domain.
enum HaloPSAVocabulary {
    static let companyWords = [
        "Harbour", "Northgate", "Bluebell", "Granite", "Kestrel", "Meridian", "Oakfield", "Riverside", "Summit",
        "Thornbury", "Willow", "Ashford", "Beacon", "Cedar", "Crescent", "Evergreen", "Falcon", "Foxglove",
        "Highland", "Ironbridge", "Juniper", "Lakeside", "Linden", "Maple", "Millstone", "Nettleton", "Orchard",
        "Pennine", "Quarry", "Redwood", "Saltmarsh", "Sterling", "Tidewater", "Upland", "Vantage", "Westbrook",
        "Yarrow", "Abbey", "Brookfield", "Castlegate", "Dovetail", "Elmwood", "Fernhill", "Greystone", "Hawthorn",
        "Kingsway", "Longacre", "Moorland", "Newhaven", "Parkside", "Regent", "Silverdale", "Tamar", "Wexcombe",
    ]

    static let companyTrades = [
        "Logistics", "Dental", "Veterinary", "Architects", "Accountancy", "Legal", "Engineering", "Manufacturing",
        "Property", "Recruitment", "Consulting", "Construction", "Surveyors", "Pharmacy", "Print", "Motors",
        "Foods", "Insurance", "Estates", "Medical", "Academy", "Marine", "Interiors", "Freight",
    ]

    static let companySuffixes = [
        "Ltd", "Ltd", "Ltd", "Group", "LLP", "Partners", "& Co", "Holdings", "Services", "Inc",
    ]

    static let topLevels = [(1, "Managed Service Customers"), (2, "Break-Fix Customers"), (3, "Internal")]

    static let firstNames = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Emily", "Lily", "Freya", "Chloe", "Ella",
        "Hannah", "Priya", "Aisha", "Zara", "Megan", "Rachel", "Laura", "Sarah", "Fiona", "Niamh", "Siobhan",
        "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Oscar", "Charlie", "Thomas", "James",
        "William", "Daniel", "Samuel", "Joseph", "Mohammed", "Arjun", "Rhys", "Callum", "Euan", "Liam", "Adam",
        "Ben", "Matthew", "David", "Peter", "Simon", "Mark", "Paul", "Andrew", "Kwame", "Tomasz", "Marta",
    ]

    static let lastNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
        "Patel", "Khan", "Lewis", "Harris", "Martin", "Cooper", "Hughes", "Edwards", "Turner", "Morris",
        "Ward", "Baker", "Hill", "Moore", "King", "Scott", "Campbell", "Murray", "Kelly", "O'Brien",
        "Nowak", "Mensah", "Shah", "Ahmed", "Singh", "Fletcher", "Barker", "Holmes", "Chapman", "Lawrence",
    ]

    static let cities = [
        ("Manchester", "M1"), ("Leeds", "LS1"), ("Bristol", "BS1"), ("Birmingham", "B2"), ("Glasgow", "G1"),
        ("Edinburgh", "EH1"), ("Cardiff", "CF10"), ("Nottingham", "NG1"), ("Sheffield", "S1"), ("Norwich", "NR1"),
        ("Exeter", "EX1"), ("York", "YO1"), ("Brighton", "BN1"), ("Reading", "RG1"), ("Cambridge", "CB2"),
        ("Oxford", "OX1"), ("Newcastle upon Tyne", "NE1"), ("Liverpool", "L1"), ("Leicester", "LE1"),
        ("Southampton", "SO14"), ("London", "EC1A"), ("London", "SE1"), ("Belfast", "BT1"), ("Aberdeen", "AB10"),
    ]

    static let streets = [
        "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Road", "London Road",
        "King Street", "Queen Street", "Market Place", "Bridge Street", "The Green", "Castle Street",
        "Albert Road", "York Road", "Manor Road", "Riverside Way", "Enterprise Park", "Harbour Road", "New Street",
    ]

    static let siteKinds = ["Branch Office", "Warehouse", "Depot", "Clinic", "Showroom", "Satellite Office", "Store"]

    static let jobTitles = [
        "Office Manager", "Practice Manager", "Finance Director", "Accounts Assistant", "Receptionist",
        "Operations Manager", "Managing Director", "Sales Executive", "Site Supervisor", "HR Advisor",
        "Marketing Coordinator", "Project Engineer", "Administrator", "Warehouse Lead", "Paralegal",
    ]

    static let teams = [(1, "1st Line Support"), (2, "2nd Line Support"), (3, "Projects"), (4, "Field Services")]

    static let agentTitles = [
        "Service Desk Analyst", "Senior Engineer", "Infrastructure Engineer", "Field Engineer",
        "Service Delivery Manager", "Technical Consultant",
    ]

    /// (assettype_id, assettype_name, hostname code, models)
    static let assetTypes: [(id: Int, name: String, code: String, models: [String])] = [
        (1, "Laptop", "LT", ["Dell Latitude 5440", "Lenovo ThinkPad T14 Gen 4", "HP EliteBook 840 G10"]),
        (2, "Desktop", "PC", ["Dell OptiPlex 7010", "HP ProDesk 400 G9", "Lenovo ThinkCentre M70q"]),
        (3, "Server", "SRV", ["Dell PowerEdge R650", "HPE ProLiant DL380 Gen10", "Lenovo ThinkSystem SR630"]),
        (4, "Firewall", "FW", ["Fortinet FortiGate 60F", "SonicWall TZ370", "WatchGuard Firebox T45"]),
        (5, "Switch", "SW", ["Cisco Catalyst 1000-24T", "HPE Aruba 2930F", "Ubiquiti USW-Pro-24"]),
        (6, "Printer", "PRN", ["HP LaserJet Pro M404dn", "Brother HL-L6400DW", "Kyocera ECOSYS M3145dn"]),
        (7, "Mobile Phone", "MOB", ["Apple iPhone 15", "Samsung Galaxy S23", "Google Pixel 8"]),
        (8, "Wireless Access Point", "AP", ["Ubiquiti U6 Pro", "Aruba Instant On AP22", "Cisco Meraki MR36"]),
    ]

    static let ticketSummaries = [
        "Outlook keeps asking for password", "Unable to connect to VPN from home", "Printer on first floor offline",
        "New starter setup", "Leaver: disable account and recover laptop", "Laptop running very slowly",
        "Request for Adobe Acrobat Pro licence", "Shared drive not mapping at login", "Teams calls dropping",
        "Wi-Fi keeps disconnecting in meeting room", "Cannot open attachment in email", "Locked out of account",
        "Phishing email reported", "Server disk space warning", "Backup job failed overnight",
        "Scanner not sending to email", "MFA prompt not arriving", "Install updated accounts software",
        "Monitor flickering", "Password reset request", "Mailbox full", "Website contact form not sending",
        "Firewall firmware update", "Replace failing hard drive", "Set up shared mailbox",
        "Antivirus alert on workstation", "Slow internet at branch office", "Move desk phone to new office",
        "Calendar permissions for assistant", "SharePoint site access request",
    ]

    static let ticketDetails = [
        "User reports the problem started this morning and affects their daily work.",
        "Several staff in the office are affected. Please call back when convenient.",
        "Raised via the self-service portal. Screenshot attached by the user.",
        "Automated alert from monitoring; no user impact reported yet.",
        "Urgent: the user has a client meeting this afternoon.",
        "Happens intermittently, usually after the laptop wakes from sleep.",
    ]

    static let actionOutcomes: [(id: Int, name: String)] = [
        (1, "Note"), (2, "Email User"), (3, "Phone Call"), (4, "Remote Session"), (5, "Private Note"),
        (6, "Waiting on User"), (7, "Resolved"),
    ]

    static let actionNotes = [
        "Called the user and talked through the issue.", "Connected remotely and reproduced the fault.",
        "Cleared cached credentials and re-signed into Office.", "Applied pending Windows updates and rebooted.",
        "Escalated to 2nd line for further investigation.", "Emailed the user asking for a convenient time.",
        "Replaced the toner and printed a test page.", "Reset the password and re-enrolled MFA.",
        "Checked event logs; no further errors since the change.", "Confirmed with the user that all is working.",
        "Ordered replacement part from the supplier.", "Updated documentation for the client.",
    ]
}
