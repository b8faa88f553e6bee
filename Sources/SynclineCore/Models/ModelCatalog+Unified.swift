/// The unified models Syncline ships, so the host application reads `company`, `ticket` or `time_entry` records
/// in one shape whichever provider they came from. Every model has a required string `id` (the provider's id of
/// the record, as text); references to other records (`company_id`) are such ids too. Timestamps are ISO 8601,
/// dates `YYYY-MM-DD`.
extension ModelCatalog {
    /// The twelve unified models: company, contact, site, asset, ticket, time_entry, deal, agent, task, note,
    /// document, message.
    public static let unified = ModelCatalog(models: [
        EntityModel.company, .contact, .site, .asset, .ticket, .timeEntry, .deal, .agent, .task, .note, .document,
        .message,
    ])
}

extension ModelField {
    /// A field of a built-in model, briefly.
    fileprivate init(_ name: String, _ type: ModelFieldType, required: Bool = false, _ summary: String) {
        self.init(name: name, type: type, required: required, summary: summary)
    }

    fileprivate static let id = ModelField("id", .string, required: true, "The provider's id of the record, as text.")
    fileprivate static let createdAt = ModelField("created_at", .datetime, "When the record was created.")
    fileprivate static let updatedAt = ModelField("updated_at", .datetime, "When the record last changed.")
    fileprivate static let active = ModelField("active", .boolean, "False when the record is archived or inactive.")
    fileprivate static let companyID = ModelField("company_id", .string, "The id of the company it belongs to.")
    fileprivate static let contactID = ModelField("contact_id", .string, "The id of the contact it concerns.")
    fileprivate static let siteID = ModelField("site_id", .string, "The id of the site it belongs to.")
    fileprivate static let ticketID = ModelField("ticket_id", .string, "The id of the ticket it belongs to.")
    fileprivate static let dealID = ModelField("deal_id", .string, "The id of the deal it belongs to.")
    fileprivate static let customFields = ModelField(
        "custom_fields",
        .object,
        "Provider fields without a unified counterpart, by name."
    )
}

extension EntityModel {
    fileprivate init(builtIn name: String, _ fields: [ModelField]) {
        self.init(name: name, fields: fields, builtIn: true)
    }

    static let company = EntityModel(
        builtIn: "company",
        [
            .id,
            ModelField("name", .string, required: true, "The company's name."),
            ModelField("website", .string, "The company's web address."),
            ModelField("email", .string, "A general or accounts email address."),
            ModelField("phone", .string, "The main phone number, as the provider holds it."),
            .active,
            ModelField("parent_id", .string, "The id of the parent company, for groups."),
            ModelField("main_site_id", .string, "The id of the company's main site."),
            ModelField("category", .string, "The provider's grouping of the company (customer type, tier)."),
            ModelField("industry", .string, "The company's industry."),
            ModelField("employee_count", .integer, "How many people the company employs."),
            ModelField("annual_revenue", .number, "Yearly revenue, in the company's currency."),
            ModelField("notes", .string, "Free-text notes."),
            ModelField("tags", .array, "Labels attached to the company."),
            .customFields, .createdAt, .updatedAt,
        ]
    )

    static let contact = EntityModel(
        builtIn: "contact",
        [
            .id,
            ModelField("first_name", .string, "Given name."),
            ModelField("last_name", .string, "Family name."),
            ModelField("name", .string, "The full name as displayed."),
            ModelField("email", .string, "The email address, normalised (lower case, no display name)."),
            ModelField("phone", .string, "The work phone number."),
            ModelField("mobile", .string, "The mobile phone number."),
            ModelField("job_title", .string, "The person's role."),
            .companyID, .siteID, .active,
            ModelField("primary", .boolean, "Whether this is a main or important contact of the company."),
            ModelField("tags", .array, "Labels attached to the contact."),
            .customFields, .createdAt, .updatedAt,
        ]
    )

    static let site = EntityModel(
        builtIn: "site",
        [
            .id,
            ModelField("name", .string, "The site's name (`Head Office`)."),
            .companyID,
            ModelField("phone", .string, "The site's phone number."),
            ModelField("email", .string, "The site's email address."),
            ModelField("address_line1", .string, "First line of the street address."),
            ModelField("address_line2", .string, "Second line of the street address."),
            ModelField("city", .string, "Town or city."),
            ModelField("region", .string, "County, state or province."),
            ModelField("postcode", .string, "Postal code."),
            ModelField("country", .string, "Country, as the provider names it."),
            ModelField("time_zone", .string, "The site's time zone, as the provider names it."),
            ModelField("billing", .boolean, "Whether invoices go to this site."),
            .active, .createdAt, .updatedAt,
        ]
    )

    static let asset = EntityModel(
        builtIn: "asset",
        [
            .id,
            ModelField("name", .string, "The device's name or host name."),
            ModelField("asset_tag", .string, "The inventory number or asset tag."),
            ModelField("type", .string, "The kind of asset (`Laptop`, `Firewall`)."),
            ModelField("serial_number", .string, "The manufacturer's serial number."),
            ModelField("manufacturer", .string, "Who made it."),
            ModelField("model", .string, "The product model."),
            .companyID, .siteID,
            ModelField("contact_id", .string, "The id of the contact who uses it."),
            .active,
            ModelField("purchased_on", .date, "When it was bought."),
            ModelField("warranty_expires_on", .date, "When its warranty ends."),
            .createdAt, .updatedAt,
        ]
    )

    /// The statuses of a unified ticket, from new to closed.
    public static let ticketStatuses = ["new", "open", "pending", "on_hold", "resolved", "closed"]
    /// The priorities of a unified ticket, highest first.
    public static let ticketPriorities = ["critical", "high", "medium", "low"]

    static let ticket = EntityModel(
        builtIn: "ticket",
        [
            .id,
            ModelField("number", .string, "The number people quote for the ticket."),
            ModelField("summary", .string, "The subject line."),
            ModelField("description", .string, "The initial details."),
            ModelField(
                "status",
                .enumeration(ticketStatuses),
                "new, open (with the service desk), pending (waiting for the customer), on_hold (waiting for a "
                    + "third party), resolved or closed."
            ),
            ModelField("priority", .enumeration(ticketPriorities), "critical, high, medium or low."),
            ModelField("type", .string, "The ticket type (incident, request ...)."),
            ModelField("category", .string, "The category."),
            .companyID, .siteID,
            ModelField("contact_id", .string, "The id of the contact who raised it."),
            ModelField("agent_id", .string, "The id of the agent it is assigned to."),
            ModelField("team", .string, "The team it is assigned to."),
            ModelField("due_at", .datetime, "When it is due (the SLA deadline)."),
            ModelField("closed_at", .datetime, "When it was closed."),
            ModelField("last_activity_at", .datetime, "When the last action was added."),
            ModelField("tags", .array, "Labels attached to the ticket."),
            .customFields, .createdAt, .updatedAt,
        ]
    )

    static let timeEntry = EntityModel(
        builtIn: "time_entry",
        [
            .id,
            ModelField("agent_id", .string, "The id of the agent whose time it is."),
            .ticketID, .companyID,
            ModelField("date", .date, "The day the time was worked."),
            ModelField("start", .datetime, "When the work started."),
            ModelField("end", .datetime, "When the work ended."),
            ModelField("minutes", .integer, "The time worked, in minutes."),
            ModelField("billable_minutes", .integer, "The part of it that can be charged, in minutes."),
            ModelField("billable", .boolean, "Whether the time can be charged."),
            ModelField("description", .string, "What was done."),
            .createdAt, .updatedAt,
        ]
    )

    /// The statuses of a unified deal.
    public static let dealStatuses = ["open", "won", "lost"]

    static let deal = EntityModel(
        builtIn: "deal",
        [
            .id,
            ModelField("name", .string, "The deal's name."),
            .companyID, .contactID,
            ModelField("owner_id", .string, "The id of the agent or user who owns the deal."),
            ModelField("stage", .string, "The pipeline stage, as the provider names it."),
            ModelField("status", .enumeration(dealStatuses), "open, won or lost."),
            ModelField("amount", .number, "The deal's value."),
            ModelField("currency", .string, "The ISO 4217 code of the amount (`GBP`)."),
            ModelField("probability", .number, "The chance of winning, 0 to 100."),
            ModelField("close_date", .date, "The expected or actual closing date."),
            .createdAt, .updatedAt,
        ]
    )

    static let agent = EntityModel(
        builtIn: "agent",
        [
            .id,
            ModelField("name", .string, "The full name as displayed."),
            ModelField("first_name", .string, "Given name."),
            ModelField("last_name", .string, "Family name."),
            ModelField("email", .string, "The email address, normalised."),
            ModelField("phone", .string, "The phone number."),
            ModelField("job_title", .string, "The agent's role."),
            ModelField("team", .string, "The agent's team."),
            .active, .createdAt, .updatedAt,
        ]
    )

    /// The statuses of a unified task.
    public static let taskStatuses = ["open", "in_progress", "done", "cancelled"]

    static let task = EntityModel(
        builtIn: "task",
        [
            .id,
            ModelField("title", .string, "What is to be done."),
            ModelField("description", .string, "The details."),
            ModelField("status", .enumeration(taskStatuses), "open, in_progress, done or cancelled."),
            ModelField("priority", .string, "The priority, as the provider names it."),
            ModelField("due_at", .datetime, "When it is due."),
            ModelField("completed_at", .datetime, "When it was done."),
            ModelField("assignee_id", .string, "The id of the agent or user it is assigned to."),
            .companyID, .contactID, .ticketID, .dealID, .createdAt, .updatedAt,
        ]
    )

    static let note = EntityModel(
        builtIn: "note",
        [
            .id,
            ModelField("subject", .string, "A heading or the kind of note (a ticket action's outcome)."),
            ModelField("body", .string, "The text."),
            .ticketID, .companyID, .contactID, .dealID,
            ModelField("author_id", .string, "The id of the agent or user who wrote it."),
            ModelField("author_name", .string, "The name of who wrote it."),
            ModelField("private", .boolean, "Whether it is hidden from the customer."),
            .createdAt, .updatedAt,
        ]
    )

    static let document = EntityModel(
        builtIn: "document",
        [
            .id,
            ModelField("name", .string, "The file name or title."),
            ModelField("mime_type", .string, "The media type (`application/pdf`)."),
            ModelField("size_bytes", .integer, "The size in bytes."),
            ModelField("url", .string, "Where to download it."),
            .companyID, .ticketID, .dealID, .createdAt, .updatedAt,
        ]
    )

    /// The directions of a unified message.
    public static let messageDirections = ["inbound", "outbound"]

    static let message = EntityModel(
        builtIn: "message",
        [
            .id,
            ModelField("subject", .string, "The subject line."),
            ModelField("body", .string, "The text."),
            ModelField("channel", .string, "How it was sent (`email`, `chat`, `sms`)."),
            ModelField("direction", .enumeration(messageDirections), "inbound or outbound."),
            ModelField("from", .string, "The sender's address."),
            ModelField("to", .array, "The recipients' addresses."),
            ModelField("cc", .array, "The copied recipients' addresses."),
            ModelField("thread_id", .string, "The id of the conversation it belongs to."),
            .ticketID, .contactID, .companyID,
            ModelField("sent_at", .datetime, "When it was sent."),
            .createdAt,
        ]
    )
}
