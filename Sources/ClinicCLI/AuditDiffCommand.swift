import ArgumentParser
import ClinicAudit
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic audit diff T1 T2 VIEW`: what changed in a view between two moments.
struct AuditDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in a chart, consent view, ledger or schedule between two moments: the events "
            + "recorded in between that changed it, and the rows added, removed and changed.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions
    @Argument(help: "The first moment: YYYY-MM-DD HH:MM (office time), or a date for its start.") var from: String
    @Argument(help: "The second moment, not before the first.") var to: String
    @Argument(help: "chart, consent, ledger or schedule.") var view: String
    @Option(help: "The patient (for chart and consent; for ledger, the patient's account instead of a day sheet).")
    var patient: String?
    @Option(help: "The day shown (for schedule and a ledger's day sheet; default: the second moment's day).")
    var date: String?
    @Flag(help: "Compare what was true on the two moments' days (effective dates), including later late entries.")
    var effective = false

    static let views = ["chart", "consent", "ledger", "schedule"]

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { _ in try checkArguments() }
        let patientRead = view != "schedule" ? patient : nil
        try ReadContext.run(options, access, .viewHistory, patient: patientRead) { context in
            let reader = context.reader
            let now = SystemClockNow.microseconds()
            let first = try Parse.instant(from, calendar: reader.calendar, now: now)
            let second = try Parse.instant(to, calendar: reader.calendar, now: now)
            let moments: DiffMoments =
                effective
                ? .effective(
                    fromDay: reader.calendar.localDay(atMicroseconds: first),
                    toDay: reader.calendar.localDay(atMicroseconds: second))
                : .recorded(fromMicroseconds: first, toMicroseconds: second)
            guard moments.isOrdered else { throw Self.outOfOrder }
            let day =
                try date.map { try Parse.day($0, calendar: reader.calendar, now: now) }
                ?? reader.calendar.localDay(atMicroseconds: second)
            let audited: AuditedView
            if let patient, view != "schedule" {
                let patientID = try Lookup.patient(patient, in: try context.views())
                try context.recordAccess(of: patientID)
                switch view {
                case "chart": audited = .chart(patientID: patientID)
                case "consent": audited = .consent(patientID: patientID)
                default: audited = .patientLedger(patientID: patientID)
                }
            } else {
                audited = view == "schedule" ? .schedule(daysSince1970: day) : .daySheet(daysSince1970: day)
            }
            let audit = AuditReader(reader: reader.logReader, codec: reader.codec, keyring: reader.keyring)
            let diff: ViewDiff
            do {
                diff = try audit.diff(audited, between: moments, calendar: try Views.viewCalendar(reader.calendar))
            } catch let error as AuditError {
                throw AuditCommand.failure(error)
            }
            if options.json {
                Output.print(diff.json.serialized() + "\n")
            } else {
                Output.print(Self.rendered(diff, calendar: reader.calendar))
            }
        }
    }

    private static let outOfOrder = CLIError.usage(
        "The second moment is before the first; give the earlier moment first.")

    /// Refuses what is wrong with the arguments before the store is opened: an unknown view, options that do not
    /// fit it, malformed moments or dates, and a second moment before the first.
    private func checkArguments() throws {
        guard Self.views.contains(view) else {
            throw CLIError.usage("The view must be chart, consent, ledger or schedule.")
        }
        switch view {
        case "chart", "consent":
            guard patient != nil else { throw CLIError.usage("Name the patient with --patient.") }
            guard date == nil else { throw CLIError.usage("--date is for schedule and ledger, not \(view).") }
        case "schedule":
            guard patient == nil else { throw CLIError.usage("--patient is not for schedule; use --date.") }
        default:
            guard patient == nil || date == nil else {
                throw CLIError.usage("Give --patient (a patient's account) or --date (a day sheet), not both.")
            }
        }
        // Office time and UTC order two moments alike (up to a clock change within the day): refuse early here,
        // and check again with the office's time zone once the store is open.
        let now = SystemClockNow.microseconds()
        let first = try Parse.instant(from, calendar: .utc, now: now)
        let second = try Parse.instant(to, calendar: .utc, now: now)
        if let date { _ = try Parse.day(date, calendar: .utc, now: now) }
        let ordered =
            effective
            ? OfficeCalendar.utc.localDay(atMicroseconds: first) <= OfficeCalendar.utc.localDay(atMicroseconds: second)
            : first <= second
        guard ordered else { throw Self.outOfOrder }
    }

    /// The diff as text: what was compared, the events in between, then the changes.
    static func rendered(_ diff: ViewDiff, calendar: OfficeCalendar) -> String {
        func when(_ microseconds: Int64) -> String {
            Parse.localMinutesText(calendar.localMinutes(atMicroseconds: microseconds))
        }
        var subject: String
        switch diff.view {
        case .chart(let id): subject = "Chart of patient \(shortID(id))"
        case .consent(let id): subject = "Consents of patient \(shortID(id))"
        case .patientLedger(let id): subject = "Ledger of patient \(shortID(id))"
        case .daySheet(let day): subject = "Day sheet of \(Parse.dateText(day))"
        case .schedule(let day): subject = "Schedule of \(Parse.dateText(day))"
        }
        switch diff.moments {
        case .recorded(let from, let to):
            subject += ", as known at \(when(from)) and at \(when(to))"
        case .effective(let from, let to):
            subject += ", as true on \(Parse.dateText(from)) and on \(Parse.dateText(to))"
        }
        var text = subject + "\n"
        if diff.patientErased, diff.view.name != "ledger" {
            text += "The patient was erased; their \(diff.view.name) can no longer be read.\n"
        }
        text += "\nEvents in between (\(diff.events.count))\n"
        if diff.events.isEmpty {
            text += "  none\n"
        } else {
            var table = Table(["POS", "RECORDED", "EFFECTIVE", "WHO", "ROLE", "WHAT", "REASON"])
            for entry in diff.events {
                table.add([
                    "\(entry.position)", when(entry.recordedTimeMicroseconds), when(entry.effectiveTimeMicroseconds),
                    entry.actor.value, Parse.roleName(entry.role), entry.summary, entry.reason ?? "",
                ])
            }
            text += indented(table.rendered())
        }
        let changes = diff.changes
        text += "\nChanges (\(changes.count))\n"
        if changes.isEmpty { text += "  none\n" }
        for change in changes { text += "  " + line(change) + "\n" }
        return text
    }

    /// One change as text: `+ allergy 0a0d17c0  substance penicillin, ...`, `- ...`, or
    /// `~ allergy 0a0d17c0  status active → resolved`; ids are shortened to 8 digits, other long values cut to 60
    /// characters.
    static func line(_ change: ViewRowChange) -> String {
        func shown(_ value: String?) -> String {
            guard let value, !value.isEmpty else { return "(none)" }
            let single = value.replacing("\n", with: " ")
            return single.count > 60 ? String(single.prefix(59)) + "…" : single
        }
        let key = EventID(change.key) != nil ? shortID(change.key) : change.key
        let head = "\(change.section) \(key)"
        switch change.kind {
        case .added, .removed:
            let row = change.kind == .added ? change.after : change.before
            let values = (row?.fields ?? []).filter { !$0.value.isEmpty }.map { field in
                "\(field.name) " + (field.name.hasSuffix("ID") ? shortID(field.value) : shown(field.value))
            }
            return (change.kind == .added ? "+ " : "- ") + head + "  " + values.joined(separator: ", ")
        case .changed:
            let values = change.changedFields.map { name in
                "\(name) \(shown(change.before?.value(name))) → \(shown(change.after?.value(name)))"
            }
            return "~ " + head + "  " + values.joined(separator: ", ")
        }
    }

    private static func indented(_ text: String) -> String {
        text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
}
