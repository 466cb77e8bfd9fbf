import ArgumentParser
import ClinicAudit
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic audit ...`: the compliance officer's read-only tools.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the log, show a record's history, account for disclosures, and hand out proofs anyone can "
            + "check. Read-only; never takes the writer lock.",
        subcommands: [
            Verify.self, History.self, Disclosures.self, Checkpoint.self, Checkpoints.self, ExportCheckpoint.self,
            Prove.self, ProveConsistency.self, Export.self, AsOf.self, AuditDiff.self, Access.self,
        ])

    /// Writes a JSON document to `path` (or standard output for `-`); a new file gets mode 0600, since an export
    /// holds a patient's data.
    static func write(_ json: JSONValue, to path: String) throws {
        let bytes = json.serializedBytes() + [0x0A]
        if path == "-" {
            StandardStream.output.write(bytes)
            return
        }
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else {
            throw CLIError.usage("The file \(Parse.sanitized(path)) could not be written; check the path.")
        }
    }

    /// Reads an exported checkpoint document.
    static func readCheckpoint(_ path: String) throws -> SignedCheckpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.notFound("The checkpoint file \(Parse.sanitized(path)) could not be read.")
        }
        do {
            let document = try CheckpointDocument(jsonBytes: [UInt8](data))
            guard let checkpoint = document.signedCheckpoint else {
                throw CLIError.usage("The file \(Parse.sanitized(path)) does not hold a well-formed checkpoint.")
            }
            return checkpoint
        } catch {
            throw CLIError.usage("The file \(Parse.sanitized(path)) is not a checkpoint document (\(error)).")
        }
    }

    /// The patient whose per-patient stream `stream` is (`patient-`, `chart-`, `account-`, `consent-`, `coverage-`
    /// followed by the patient id), or nil for any other stream.
    static func patient(ofStream stream: String) -> EventID? {
        guard stream.count > 36, let id = EventID(String(stream.suffix(36))) else { return nil }
        return PatientStreamKind.allCases.contains { $0.streamName(for: id) == stream } ? id : nil
    }

    /// Turns an audit library error into a CLI error.
    static func failure(_ error: AuditError) -> StoreError {
        StoreError(.storage, code: "audit", message: "\(error)")
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every batch, record, position, index, signature and the Merkle tree against every "
                + "checkpoint; exit 0 only when everything holds.")
        @OptionGroup var options: StoreOptions
        @Option(
            name: .customLong("since-checkpoint"), help: "Verify only what was added after this exported checkpoint.")
        var sinceCheckpoint: String?
        @Option(name: .customLong("against"), help: "An exported checkpoint the log must still match (repeatable).")
        var against: [String] = []

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let verifier = AuditVerifier(directory: reader.location.logDirectory)
                let trusted = try reader.checkpointPublicKeys()
                let bar = options.json ? nil : ProgressBar("Verifying")
                let stopwatch = Stopwatch()
                let report: AuditReport
                do {
                    if let sinceCheckpoint {
                        report = try verifier.verify(
                            since: try AuditCommand.readCheckpoint(sinceCheckpoint), trustedPublicKeys: trusted
                        ) { bar?.update(done: $0.bytesChecked, total: $0.bytesTotal) }
                    } else {
                        report = try verifier.verify(
                            trustedPublicKeys: trusted,
                            exportedCheckpoints: try against.map(AuditCommand.readCheckpoint)
                        ) { bar?.update(done: $0.bytesChecked, total: $0.bytesTotal) }
                    }
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
                bar?.finish()
                let seconds = stopwatch.seconds
                if options.json {
                    try Output.json(VerifyJSON(report, seconds: seconds))
                } else {
                    var pairs: [(String, String)] = [
                        ("positions checked", "\(report.firstPositionChecked)..<\(report.endPosition)"),
                        ("records", "\(report.recordsChecked)"), ("batches", "\(report.batchesChecked)"),
                        ("bytes", "\(report.bytesChecked)"),
                        ("stored checkpoints verified", "\(report.storedCheckpointsVerified)"),
                        ("exported checkpoints verified", "\(report.exportedCheckpointsVerified)"),
                        ("root", report.root.description),
                        ("time", NumberText.fixed(seconds, fractionDigits: 2) + " s"),
                    ]
                    if let tail = report.unfinishedTail { pairs.append(("unfinished tail", "\(tail)")) }
                    Output.print(keyValueText(pairs))
                    for problem in report.problems { Output.print("PROBLEM (\(problem.check)): \(problem)\n") }
                    Output.print(report.isValid ? "The log verifies.\n" : "The log does NOT verify.\n")
                }
                guard report.isValid else {
                    throw StoreError(
                        .storage, code: "verificationFailed",
                        message: "Verification found \(report.problems.count) problem(s); see the report above.")
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Every event that touched a patient (or a stream), with recorded and effective time, actor, "
                + "role, reason, and links to what it corrects.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument(
            help: "A patient id (or its first digits), or a stream name such as schedule-dr-1 or retention.")
        var subject: String
        @Option(help: "Only events recorded from this day on.") var from: String?
        @Option(help: "Only events recorded up to this day.") var to: String?

        func run() throws {
            // A patient is named by hex digits; anything else (a dash, another letter) names a stream.
            let isStream = EventID(subject) == nil && subject.contains { $0 == "-" || !$0.isHexDigit }
            try ReadContext.run(options, access, .viewHistory, patient: isStream ? nil : subject) { context in
                let reader = context.reader
                let audit = AuditReader(reader: reader.logReader, codec: reader.codec, keyring: reader.keyring)
                let now = SystemClockNow.microseconds()
                let lower =
                    try from.map {
                        reader.calendar.microseconds(
                            atStartOfLocalDay: try Parse.day($0, calendar: reader.calendar, now: now))
                    } ?? Int64.min
                let upper =
                    try to.map {
                        reader.calendar.microseconds(
                            atStartOfLocalDay: try Parse.day($0, calendar: reader.calendar, now: now) + 1)
                    } ?? Int64.max
                let entries: [HistoryEntry]
                do {
                    if isStream {
                        if let patientID = AuditCommand.patient(ofStream: subject) {
                            try context.recordAccess(of: patientID)
                        }
                        entries = try audit.history(stream: subject, recordedRange: lower..<upper)
                    } else {
                        let patientID = try Lookup.patient(subject, in: try context.views())
                        try context.recordAccess(of: patientID)
                        entries = try audit.history(patient: patientID, recordedRange: lower..<upper)
                    }
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
                let rows = entries.map { HistoryRowJSON($0, calendar: reader.calendar) }
                if options.json {
                    try Output.json(rows)
                    return
                }
                var table = Table(["POS", "RECORDED", "EFFECTIVE", "WHO", "ROLE", "WHAT", "REASON", "LINKS"])
                for row in rows {
                    table.add([
                        "\(row.position)", row.recorded, row.effective, row.actor, row.role, row.summary, row.reason,
                        row.links.joined(separator: "; "),
                    ])
                }
                Output.print(entries.isEmpty ? "No events.\n" : table.rendered())
            }
        }
    }

    struct Disclosures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disclosures",
            abstract: "The accounting of a patient's disclosures (HIPAA 164.528), without the exempt ones unless "
                + "--all.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument var patient: String
        @Option(help: "How many years back (at most 6).") var years: Int = 6
        @Flag(help: "Also list the disclosures the accounting leaves out (treatment, payment, operations).")
        var all = false

        func run() throws {
            try ReadContext.run(options, access, .viewDisclosureAccounting, patient: patient) { context in
                guard (1...6).contains(years) else { throw CLIError.usage("--years must be 1 to 6.") }
                let reader = context.reader
                let patientID = try Lookup.patient(patient, in: try context.views())
                try context.recordAccess(of: patientID)
                let audit = AuditReader(reader: reader.logReader, codec: reader.codec, keyring: reader.keyring)
                let accounting: DisclosureAccounting
                do {
                    accounting = try audit.disclosureAccounting(
                        patient: patientID, years: years, asOfMicroseconds: SystemClockNow.microseconds(),
                        includingLeftOut: all)
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
                let rows =
                    accounting.entries.map { DisclosureRowJSON($0, calendar: reader.calendar, accounted: true) }
                    + accounting.leftOut.map { DisclosureRowJSON($0, calendar: reader.calendar, accounted: false) }
                if options.json {
                    try Output.json(rows)
                    return
                }
                var table = Table(["DATE", "RECIPIENT", "ADDRESS", "INFORMATION", "PURPOSE / BASIS", "ACCOUNTED"])
                for row in rows {
                    table.add([
                        row.date, row.recipient, row.address, row.information, row.statement,
                        row.accounted ? "yes" : "exempt",
                    ])
                }
                Output.print(
                    "Accounting of disclosures of patient \(shortID(patientID)), last \(years) year(s)\n"
                        + (rows.isEmpty ? "No disclosures.\n" : table.rendered()))
            }
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint", abstract: "Take and sign a checkpoint of the whole log now.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                try context.store.authorize(
                    .signCheckpoint, by: context.actor, commandID: context.commandID)
                let checkpoint = try context.store.checkpoint()
                if context.json {
                    Output.print(CheckpointDocument(checkpoint).json.serialized() + "\n")
                } else {
                    Output.print("Signed a checkpoint of \(checkpoint.treeSize) events; root \(checkpoint.root).\n")
                }
            }
        }
    }

    struct Checkpoints: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoints", abstract: "List the signed checkpoints.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let checkpoints: [SignedCheckpoint]
                do { checkpoints = try reader.logReader.checkpoints() } catch {
                    throw StoreError.init(.storage, code: "storage", message: "\(error)")
                }
                if options.json {
                    Output.print(JSONValue.array(checkpoints.map { CheckpointDocument($0).json }).serialized() + "\n")
                    return
                }
                var table = Table(["#", "TREE SIZE", "TIME", "ROOT"])
                for (number, checkpoint) in checkpoints.enumerated() {
                    table.add([
                        "\(number + 1)", "\(checkpoint.treeSize)",
                        Parse.localMinutesText(
                            reader.calendar.localMinutes(atMicroseconds: checkpoint.timeMicroseconds)),
                        checkpoint.root.description,
                    ])
                }
                Output.print(
                    checkpoints.isEmpty
                        ? "No checkpoints yet; take one with clinic audit checkpoint.\n" : table.rendered())
            }
        }
    }

    struct ExportCheckpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-checkpoint",
            abstract: "Write a signed checkpoint (the latest, or number N) as a JSON document to keep off the machine.")
        @OptionGroup var options: StoreOptions
        @Option(help: "The checkpoint's number in clinic audit checkpoints (default: the latest).") var number: Int?
        @Option(help: "Where to write it (- for standard output).") var out: String = "-"

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let checkpoints = (try? reader.logReader.checkpoints()) ?? []
                guard !checkpoints.isEmpty else {
                    throw CLIError.notFound("There is no checkpoint yet; take one with clinic audit checkpoint.")
                }
                let wanted = number ?? checkpoints.count
                guard (1...checkpoints.count).contains(wanted) else {
                    throw CLIError.notFound("There is no checkpoint number \(wanted); there are \(checkpoints.count).")
                }
                let index = wanted - 1
                try AuditCommand.write(CheckpointDocument(checkpoints[index]).json, to: out)
            }
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "An inclusion proof that the event at a position is in the log a checkpoint covers.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The event's log position.") var position: UInt64
        @Option(help: "An exported checkpoint document (default: the latest stored checkpoint).") var checkpoint:
            String?
        @Option(help: "Where to write the proof (- for standard output).") var out: String = "-"

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let issuer = ProofIssuer(reader: reader.logReader)
                let end = try reader.endPosition()
                guard position < end else {
                    throw CLIError.notFound("There is no event at position \(position); the log holds \(end) events.")
                }
                do {
                    let against =
                        try checkpoint.map(AuditCommand.readCheckpoint)
                        ?? issuer.latestCheckpoint(covering: position + 1)
                    let proof = try issuer.inclusionProof(position: position, against: against)
                    try AuditCommand.write(proof.json, to: out)
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
            }
        }
    }

    struct ProveConsistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove-consistency",
            abstract: "A consistency proof that the log at checkpoint NEW extends the log at checkpoint OLD unchanged.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The older exported checkpoint document.") var old: String
        @Argument(help: "The newer exported checkpoint document (default: the latest stored).") var new: String?
        @Option(help: "Where to write the proof (- for standard output).") var out: String = "-"

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let issuer = ProofIssuer(reader: reader.logReader)
                do {
                    let older = try AuditCommand.readCheckpoint(old)
                    let newer =
                        try new.map(AuditCommand.readCheckpoint) ?? issuer.latestCheckpoint(covering: older.treeSize)
                    try AuditCommand.write(try issuer.consistencyProof(from: older, to: newer).json, to: out)
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Everything held about a patient (HIPAA 164.524 right of access) as JSON, with a proof bundle.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument var patient: String
        @Option(help: "Where to write the export (- for standard output; a new file gets mode 0600).") var out: String =
            "-"

        func run() throws {
            try ReadContext.run(options, access, .exportRecord, patient: patient) { context in
                let reader = context.reader
                let views = try context.run.views(reader, showProgress: false)
                let patientID = try Lookup.patient(patient, in: views)
                try context.recordAccess(of: patientID)
                let audit = AuditReader(reader: reader.logReader, codec: reader.codec, keyring: reader.keyring)
                do {
                    try AuditCommand.write(try audit.patientExport(patient: patientID).json, to: out)
                } catch let error as AuditError {
                    throw AuditCommand.failure(error)
                }
            }
        }
    }
}

/// `clinic audit as-of TIME VIEW`: a view exactly as it was known at a recorded time, or as true on a date.
struct AsOf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "as-of",
        abstract: "Show the schedule, a day sheet or a chart exactly as the office knew it at a moment (what was "
            + "recorded by then), or with --effective as it was true on a date including later late entries.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions
    @Argument(help: "The moment: YYYY-MM-DD HH:MM (office time), or a date for its start.") var moment: String
    @Argument(help: "schedule, ledger or chart.") var view: String
    @Option(help: "The patient (for chart).") var patient: String?
    @Option(help: "The day shown (for schedule and ledger; default: the moment's day).") var date: String?
    @Flag(help: "Fold what was true on the moment's day (effective dates), including entries recorded later.")
    var effective = false

    func run() throws {
        try ReadContext.run(options, access, .viewHistory, patient: view == "chart" ? patient : nil) { context in
            let (reader, run) = (context.reader, context.run)
            let now = SystemClockNow.microseconds()
            let instant = try Parse.instant(moment, calendar: reader.calendar, now: now)
            let day =
                try date.map { try Parse.day($0, calendar: reader.calendar, now: now) }
                ?? reader.calendar.localDay(atMicroseconds: instant)
            let decoder = StoredEventDecoder(
                decodeView: { try reader.decodeStored($0) }, decodeRecord: { try reader.decodeStored($0) })
            let replayer = ProjectionReplayer(reader: reader.logReader, decoder: decoder)
            let calendar = try Views.viewCalendar(reader.calendar)
            func fold<View: Projection>(_ empty: View) throws -> View {
                do {
                    if effective {
                        return try replayer.view(
                            empty, asOfEffectiveDay: reader.calendar.localDay(atMicroseconds: instant),
                            calendar: calendar)
                    }
                    return try replayer.view(empty, asOfRecordedTime: instant)
                } catch {
                    throw StoreError(.storage, code: "views", message: "The view could not be folded: \(error).")
                }
            }
            let known =
                (effective ? "as true on " : "as known at ")
                + Parse.localMinutesText(
                    reader.calendar.localMinutes(atMicroseconds: instant))
            switch view {
            case "schedule":
                let schedule = try fold(ScheduleView())
                var table = Table(["TIME", "PROVIDER", "APPT", "PATIENT", "STATUS", "ROOM"])
                for provider in try providers(reader) {
                    for row in schedule.day(of: provider, daysSince1970: day).rows {
                        table.add([
                            Parse.timeText(minuteOfDay: row.startLocalMinutesSince1970 - day * 1440), provider.value,
                            shortID(row.appointmentID), row.patientName.description, "\(row.status)", row.room ?? "",
                        ])
                    }
                }
                Output.print("Schedule for \(Parse.dateText(day)), \(known)\n" + table.rendered())
            case "ledger":
                let sheet = try fold(LedgerView(calendar: calendar)).daySheet(daysSince1970: day)
                if options.json {
                    Output.print(sheet.json() + "\n")
                } else {
                    Output.print("(\(known))\n" + DaySheetText.render(sheet, postings: false))
                }
            case "chart":
                guard let patient else { throw CLIError.usage("Name the patient with --patient.") }
                let patientID = try Lookup.patient(patient, in: try run.views(reader, showProgress: false))
                try context.recordAccess(of: patientID)
                let chartView = try fold(ChartView())
                guard case .chart(let chart) = chartView.lookUp(patientID) else {
                    throw CLIError.notFound("Patient \(shortID(patientID)) had no chart then (or was erased).")
                }
                let text = ChartText(
                    chart: chart, encounters: chartView.encounters(of: patientID), calendar: reader.calendar)
                if options.json { try Output.json(text.json) } else { Output.print("(\(known))\n" + text.rendered) }
            default:
                throw CLIError.usage("The view must be schedule, ledger or chart.")
            }
        }
    }
}

/// The JSON shape of `clinic audit verify --json`.
struct VerifyJSON: Encodable {
    let valid: Bool
    let firstPosition: UInt64
    let endPosition: UInt64
    let records: UInt64
    let batches: Int
    let bytes: Int64
    let storedCheckpointsVerified: Int
    let exportedCheckpointsVerified: Int
    let root: String
    let seconds: Double
    let problems: [[String: String]]

    init(_ report: AuditReport, seconds: Double) {
        valid = report.isValid
        firstPosition = report.firstPositionChecked
        endPosition = report.endPosition
        records = report.recordsChecked
        batches = report.batchesChecked
        bytes = report.bytesChecked
        storedCheckpointsVerified = report.storedCheckpointsVerified
        exportedCheckpointsVerified = report.exportedCheckpointsVerified
        root = report.root.description
        self.seconds = seconds
        problems = report.problems.map { ["check": "\($0.check)", "where": "\($0.location)", "reason": $0.reason] }
    }
}

/// One event in `clinic audit history --json`.
struct HistoryRowJSON: Encodable {
    let position: UInt64
    let stream: String
    let eventID: String
    let eventType: String
    let recorded: String
    let effective: String
    let actor: String
    let role: String
    let reason: String
    let summary: String
    let links: [String]

    init(_ entry: HistoryEntry, calendar: OfficeCalendar) {
        let envelope = entry.stored.envelope
        position = entry.stored.position
        stream = envelope.stream
        eventID = envelope.eventID.description
        eventType = envelope.eventType
        recorded = Parse.localMinutesText(calendar.localMinutes(atMicroseconds: entry.stored.recordedTimeMicroseconds))
        effective = Parse.localMinutesText(calendar.localMinutes(atMicroseconds: envelope.effectiveTimeMicroseconds))
        actor = envelope.actorStaffID.value
        role = Parse.roleName(envelope.actorRole)
        reason = envelope.reason ?? ""
        summary = entry.summary
        links =
            entry.links.map { "\($0.relation.rawValue) \($0.target.map { "#\($0.position)" } ?? shortID($0.targetID))" }
            + entry.linkedFrom.map { "by #\($0.position) \($0.eventType)" }
    }
}

/// One disclosure in `clinic audit disclosures --json`.
struct DisclosureRowJSON: Encodable {
    let date: String
    let recipient: String
    let address: String
    let information: String
    let statement: String
    let accounted: Bool

    init(_ entry: AccountingEntry, calendar: OfficeCalendar, accounted: Bool) {
        date = Parse.localMinutesText(calendar.localMinutes(atMicroseconds: entry.disclosure.disclosedAtMicroseconds))
        recipient = entry.disclosure.recipient.name
        address = entry.disclosure.recipient.address ?? ""
        information = entry.disclosure.informationDescription
        statement = entry.statement
        self.accounted = accounted
    }
}
