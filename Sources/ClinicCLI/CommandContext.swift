import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// What a command that changes records works with: the open store, the acting staff member, and lookups of what
/// staff typed.
struct WriteContext {
    let store: ClinicStore
    let reader: StoreReader
    let actor: StaffActor
    let actorOptions: ActorOptions
    /// The command's id: `--id`, or a random one made once for this run.
    let commandID: EventID
    let json: Bool
    let quiet: Bool
    let now: Int64
    private var cachedViews: LazyViews?

    var calendar: OfficeCalendar { store.calendar }

    /// Opens the store for writing, resolves the actor and checks their session, runs `body`, and closes the store.
    static func run(
        _ options: StoreOptions, _ actorOptions: ActorOptions, _ body: (inout WriteContext) throws -> Void
    ) throws {
        try runReporting(json: options.json, verbose: options.verbose) { run in
            let store = try options.openStore()
            defer { store.close() }
            let reader = store.reader()
            let sessions = try store.sessions()
            let actor = try actorOptions.actor(store: store, sessions: sessions)
            try Acting.resumeSession(of: actor.staffID, sessions: sessions) {
                try store.signOut($0, cause: .inactivity)
            }
            var context = WriteContext(
                store: store, reader: reader, actor: actor, actorOptions: actorOptions,
                commandID: try actorOptions.commandID(), json: options.json, quiet: options.quiet,
                now: store.nowMicroseconds)
            try body(&context)
            context.cachedViews?.saveIfUseful()
            store.saveStreamCache()
        }
    }

    private init(
        store: ClinicStore, reader: StoreReader, actor: StaffActor, actorOptions: ActorOptions, commandID: EventID,
        json: Bool, quiet: Bool, now: Int64
    ) {
        self.store = store
        self.reader = reader
        self.actor = actor
        self.actorOptions = actorOptions
        self.commandID = commandID
        self.json = json
        self.quiet = quiet
        self.now = now
    }

    /// Executes `command` with the actor, the command id, effective time and reason from the options.
    @discardableResult
    mutating func execute(_ command: OfficeCommand) throws -> CommandReceipt {
        switch command {
        case .billing(let patientID, _, _):
            // Billing decisions consult the patient's account and the day book, whose events lie across years of a
            // long log: both are taken from the ledger checkpoint instead, when current (the store checks versions).
            if let dayBook = try views().dayBookFromCheckpoint() { store.adoptDayBook(dayBook) }
            if case .some(.some(let ledger)) = try views().accountFromCheckpoint(of: patientID) {
                store.adoptAccount(ledger.account)
            }
        case .closeDay:
            if let dayBook = try views().dayBookFromCheckpoint() { store.adoptDayBook(dayBook) }
        default: break
        }
        return try store.execute(
            command, by: actor, commandID: commandID,
            effectiveTimeMicroseconds: try actorOptions.effectiveTime(calendar: calendar, now: now),
            reason: try actorOptions.reason.map { try Parse.text($0, what: "reason") })
    }

    /// Prints what a command did: `summary` for people, the receipt (and `details`) with --json.
    func report(_ receipt: CommandReceipt, _ summary: String, details: [String: String] = [:]) throws {
        if json {
            try Output.json(ReceiptJSON(receipt: receipt, details: details))
        } else if quiet {
            let keys = [
                "patientID", "appointmentID", "chargeID", "paymentID", "entryID", "payerID", "coverageID", "id",
            ]
            let id = keys.lazy.compactMap { details[$0] }.first ?? receipt.commandID.description
            Output.print(id + "\n")
        } else {
            let retry = receipt.alreadyRecorded ? " (already recorded earlier; nothing new was appended)" : ""
            Output.print(summary + retry + "\n")
        }
    }

    /// The office views (from their checkpoints, caught up), opened once per command.
    mutating func views() throws -> LazyViews {
        if let cachedViews { return cachedViews }
        let views = LazyViews(reader: reader, showProgress: !json)
        cachedViews = views
        return views
    }

    /// The id of the new record `label` names (a patient, a charge, an encounter), derived from the command id:
    /// a retry with the same `--id` makes, prints and looks for the same ids as the first attempt.
    func newID(_ label: String) -> EventID {
        EventID.derived(from: commandID.bytes + Array("new \(label)".utf8))
    }

    /// The patient named by `text`: a full id or an unambiguous prefix of at least 4 hex digits.
    mutating func patient(_ text: String) throws -> EventID {
        try Lookup.patient(text, in: try views())
    }

    /// The appointment named by `text`.
    mutating func appointment(_ text: String) throws -> AppointmentRef {
        try Lookup.appointment(text, in: try views())
    }
}

/// The JSON shape of a receipt (documented in docs/cli.md).
struct ReceiptJSON: Encodable {
    let commandID: String
    let stream: String
    let positions: [UInt64]
    let streamVersions: [UInt64]
    let eventTypes: [String]
    let alreadyRecorded: Bool
    let details: [String: String]

    init(receipt: CommandReceipt, details: [String: String]) {
        commandID = receipt.commandID.description
        stream = receipt.stream
        positions = receipt.positions
        streamVersions = receipt.streamVersions
        eventTypes = receipt.events.map(\.eventType)
        alreadyRecorded = receipt.alreadyRecorded
        self.details = details
    }
}

/// An appointment found by its id: where it is booked and how it stands.
struct AppointmentRef {
    let appointmentID: EventID
    let providerStaffID: StaffID
    let state: AppointmentState

    var patientID: EventID? { state.patientID }
    var encounterID: EventID? { state.encounterID }
}

/// Resolves what staff typed into ids, through the office views.
enum Lookup {
    static func patient(_ text: String, in views: LazyViews) throws -> EventID {
        try unique(text, among: views.schedule.patients.keys, what: "patient")
    }

    static func appointment(_ text: String, in views: LazyViews) throws -> AppointmentRef {
        var all: [EventID: AppointmentRef] = [:]
        for book in try views.schedule.providers.values {
            for (id, appointment) in book.appointments {
                all[id] = AppointmentRef(
                    appointmentID: id, providerStaffID: book.providerStaffID, state: appointment.state)
            }
        }
        let id = try unique(text, among: all.keys, what: "appointment")
        guard let found = all[id] else { throw CLIError.notFound("No such appointment.") }
        return found
    }

    /// The charge named by `text` and its patient.
    static func charge(_ text: String, in views: LazyViews) throws -> (id: EventID, patient: EventID) {
        try record(.charge, text, in: views, what: "charge")
    }

    /// The payment named by `text` and its patient.
    static func payment(_ text: String, in views: LazyViews) throws -> (id: EventID, patient: EventID) {
        try record(.payment, text, in: views, what: "payment")
    }

    /// The charge or payment named by `text` (its id, or at least 4 of its first hex digits) and its patient. Only
    /// the group of the ledger's index holding ids with `text`'s first digit is read, not every account.
    private static func record(
        _ kind: LedgerRecordKind, _ text: String, in views: LazyViews, what: String
    ) throws -> (id: EventID, patient: EventID) {
        let digits = text.lowercased().filter { $0 != "-" }
        guard let first = digits.first?.hexDigitValue else {
            // Not an id: `unique` says so.
            _ = try unique(text, among: [EventID](), what: what)
            throw CLIError.usage("The \(what) '\(Parse.sanitized(text))' is not an id.")
        }
        let owners = try views.ledger.owners(of: kind, group: first)
        let candidates: [EventID]
        if let full = EventID(text) {
            candidates = owners.patient(of: full) == nil ? [] : [full]
        } else {
            candidates = owners.ids(startingWithHexDigits: digits)
        }
        let id = try unique(text, among: candidates, what: what)
        return (id, owners.patient(of: id) ?? id)
    }

    static func unique(_ text: String, among ids: some Collection<EventID>, what: String) throws -> EventID {
        if let full = EventID(text) {
            guard ids.contains(full) else {
                throw CLIError.notFound("No \(what) has the id \(full); check the id and try again.")
            }
            return full
        }
        let digits = text.lowercased().filter { $0 != "-" }
        guard digits.count >= 4, digits.allSatisfy({ $0.isHexDigit }) else {
            throw CLIError.usage(
                "The \(what) '\(Parse.sanitized(text))' is not an id; give at least 4 hex digits of the id clinic "
                    + "printed.")
        }
        let matches = ids.filter { $0.description.filter { $0 != "-" }.hasPrefix(digits) }
        guard let first = matches.first else {
            throw CLIError.notFound("No \(what) id starts with \(digits); check it and try again.")
        }
        guard matches.count == 1 else {
            throw CLIError.usage("Several \(what) ids start with \(digits); type more digits.", code: "ambiguousID")
        }
        return first
    }

    /// The patients whose family or given name contains `fragment` (case-insensitive), erased ones excluded.
    static func patients(named fragment: String, in views: LazyViews) throws -> [PatientRecordState] {
        let wanted = fragment.lowercased()
        return try views.schedule.patients.values.filter { record in
            guard record.status != .erased else { return false }
            let family = (record.familyName ?? "").lowercased()
            let given = (record.givenName ?? "").lowercased()
            return family.contains(wanted) || given.contains(wanted) || "\(given) \(family)".contains(wanted)
                || "\(family), \(given)".contains(wanted)
        }
    }
}
