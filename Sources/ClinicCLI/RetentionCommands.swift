import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic retention ...`: the office's retention policy and the erasure of records whose period ended.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Set the retention policy, and erase (crypto-shred) the records whose retention period ended.",
        subcommands: [Policy.self, Apply.self])

    /// `clinic retention policy`: shows or sets the policy.
    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Show the retention policy, or set it with --years (and --minor-years).",
            discussion:
                "A record is kept for --years after the patient's last activity (the last event recorded on the "
                + "patient's own records); a patient who was a minor then is also kept until --minor-years after "
                + "their 18th birthday. The policy is an event of the log (RetentionPolicySet on the stream "
                + "retention: clinic audit history retention shows who set it and when); setting it needs an office "
                + "manager, and setting the policy in force again appends nothing. A store made before then keeps "
                + "its policy in STORE/store.settings until one is set here.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(
            help: "Years to keep a record after the patient's last activity (6 to 100; default: the policy in force's)."
        )
        var years: Int?
        @Option(
            name: .customLong("minor-years"),
            help: "Years to keep a minor's record after their 18th birthday (0 to 100; default: as in force, else 0).")
        var minorYears: Int?
        @Option(name: .long, help: "The command's id (32 hex digits); a retry with the same id never appends twice.")
        var id: String?
        @Option(name: .long, help: "Why the policy changes (kept in the log; no patient data).") var reason: String?

        func run() throws {
            let setting = years != nil || minorYears != nil
            try ReadContext.run(options, access, setting ? .setRetentionPolicy : .listStaff) { context in
                if !setting, id != nil || reason != nil {
                    throw CLIError.usage("--id and --reason go with --years: they are those of a policy being set.")
                }
                var inForce = try context.reader.retentionPolicyInForce()
                var alreadyRecorded: Bool?
                if setting {
                    // What is not given stays as the policy in force has it: changing one never resets the other.
                    guard let years = years ?? inForce?.policy.years else {
                        throw CLIError.usage("No retention policy is set yet; give --years with --minor-years.")
                    }
                    let minorYears = minorYears ?? inForce?.policy.minorYears ?? 0
                    guard let chosen = RetentionPolicy(years: years, minorYears: minorYears) else {
                        throw CLIError.usage("--years must be 6 to 100 and --minor-years 0 to 100.")
                    }
                    let commandID = try self.commandID()
                    let reason = try self.reason.map { try Parse.text($0, what: "reason") }
                    (inForce, alreadyRecorded) = try context.options.withStore { store in
                        let receipt = try store.setRetentionPolicy(
                            chosen, by: context.actor, commandID: commandID, reason: reason)
                        return (try store.reader().retentionPolicyInForce(), receipt.alreadyRecorded)
                    }
                }
                let calendar = context.reader.calendar
                if options.json {
                    try Output.json(RetentionPolicyJSON(inForce, alreadyRecorded: alreadyRecorded, calendar: calendar))
                } else if let inForce {
                    Output.print(Self.description(inForce, alreadyRecorded: alreadyRecorded, calendar: calendar))
                } else {
                    Output.print("No retention policy is set; set one with clinic retention policy --years N.\n")
                }
            }
        }

        /// The command id from --id, or a new random one.
        private func commandID() throws -> EventID {
            guard let id else { return ReadContext.newCommandID() }
            guard let parsed = EventID(id) else {
                throw CLIError.usage("The --id must be 32 hex digits (dashes allowed), such as a UUID.")
            }
            return parsed
        }

        /// The policy in words, where it is recorded, and (after a change) whether anything was appended.
        static func description(
            _ inForce: RetentionPolicyInForce, alreadyRecorded: Bool?, calendar: OfficeCalendar
        ) -> String {
            let policy = inForce.policy
            var text =
                "Records are kept \(policy.years) years after the patient's last activity"
                + (policy.minorYears > 0
                    ? ", and a minor's until \(policy.minorYears) years after their 18th birthday.\n" : ".\n")
            switch inForce.source {
            case .log(let position, let setBy, let recorded):
                text +=
                    "Set by \(setBy.staffID) (\(Parse.roleName(setBy.role))) on "
                    + "\(Parse.localMinutesText(calendar.localMinutes(atMicroseconds: recorded))) (log position "
                    + "\(position))"
                text += alreadyRecorded == true ? "; already in force, nothing new was appended.\n" : ".\n"
            case .settingsFile:
                text +=
                    "Read from STORE/store.settings (a store made before the policy was an event of the log); the "
                    + "next clinic retention policy --years records it in the log.\n"
            }
            return text
        }
    }

    /// `clinic retention apply --before DATE`: lists the records due, asks, erases them.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Erase the records whose retention period ended before a date, listing them first and asking "
                + "for confirmation.",
            discussion:
                "Lists every record whose retention period under the policy ended before --before (ids and dates "
                + "only), with those held back (an open balance is settled first). Then asks to type ERASE and the "
                + "count at a terminal; a script passes --yes instead. Each record is erased as clinic patient "
                + "erase does (reason: retention period ended), with a command id derived from the patient's id, so "
                + "running it again never erases twice. Needs the role that may erase patients.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(help: "Erase records whose retention period ended before this date (today or earlier).")
        var before: String
        @Flag(help: "Only list what would be erased.") var dryRun = false
        @Flag(help: "Erase without asking (for scripts; the list is still printed).") var yes = false

        func run() throws {
            try ReadContext.run(options, access, .erasePatient) { context in
                let reader = context.reader
                let now = SystemClockNow.microseconds()
                let day = try Parse.day(before, calendar: reader.calendar, now: now)
                guard day <= reader.calendar.localDay(atMicroseconds: now) else {
                    throw CLIError.usage(
                        "--before must be today or earlier: a later date would erase records still kept.")
                }
                guard let inForce = try reader.retentionPolicyInForce() else {
                    throw StoreError(
                        .refused, code: "noRetentionPolicy",
                        message: "No retention policy is set; an office manager sets one with clinic retention "
                            + "policy --years N.")
                }
                let policy = inForce.policy
                let listed = try reader.retentionCandidates(policy: policy, beforeDay: day)
                let due = listed.filter { $0.heldBecause == nil }.map(\.patientID)
                if !options.json { Output.print(Self.table(listed, calendar: reader.calendar)) }
                var erased: [EventID] = []
                if !due.isEmpty, !dryRun {
                    try confirm(count: due.count)
                    erased = try context.options.withStore { store in
                        try store.applyRetention(policy, beforeDay: day, confirmed: due, by: context.actor)
                    }
                }
                if options.json {
                    try Output.json(
                        RetentionApplyJSON(
                            policy: RetentionPolicyJSON(inForce, calendar: reader.calendar),
                            before: Parse.dateText(day),
                            records: listed.map { RetentionRowJSON($0) }, erased: erased.map(\.description),
                            dryRun: dryRun))
                } else if due.isEmpty {
                    Output.print("No record is due for erasure.\n")
                } else if dryRun {
                    Output.print("\(due.count) record(s) would be erased; run again without --dry-run to erase them.\n")
                } else {
                    Output.print(
                        "Erased \(erased.count) record(s): their keys are destroyed and PatientErased is in the log."
                            + (erased.count < due.count
                                ? " \(due.count - erased.count) were used meanwhile and kept." : "")
                            + "\n")
                }
            }
        }

        /// Asks at a terminal for `ERASE n`, unless --yes; refuses (nothing erased) otherwise.
        private func confirm(count: Int) throws {
            if yes { return }
            guard StandardStream.isInputTerminal else {
                throw CLIError.usage(
                    "Nothing was erased: confirm with --yes (the list shows what would be erased), or run it at a "
                        + "terminal.", code: "notConfirmed")
            }
            StandardStream.error.write("Erase these \(count) record(s) for good? Type ERASE \(count) to confirm: ")
            guard readLine(strippingNewline: true)?.trimmingSpaces() == "ERASE \(count)" else {
                throw CLIError.usage("Not confirmed; nothing was erased.", code: "notConfirmed")
            }
        }

        /// The listing: full ids (to paste into clinic patient show), dates, and what happens to each.
        static func table(_ rows: [RetentionCandidate], calendar: OfficeCalendar) -> String {
            var table = Table(["PATIENT", "LAST ACTIVITY", "KEPT UNTIL", "ACTION"])
            for row in rows {
                table.add([
                    row.patientID.description, Parse.dateText(row.lastActivityDay),
                    Parse.dateText(row.lastRetainedDay), row.heldBecause.map { "held: \($0.rawValue)" } ?? "erase",
                ])
            }
            return rows.isEmpty ? "" : table.rendered()
        }
    }
}

/// The JSON shape of a retention policy and where it is recorded (keys without a value are left out: `{}` when no
/// policy is set).
struct RetentionPolicyJSON: Encodable {
    let years: Int?
    let minorYears: Int?
    /// `log`, `settingsFile`, or null when no policy is set.
    let source: String?
    /// For a policy of the log: who set it, in which role, when it was recorded, at which position.
    let setBy: String?
    let setByRole: String?
    let recorded: String?
    let position: UInt64?
    /// After `--years`: whether the policy was already in force (or the command already recorded), so nothing was
    /// appended; absent when only showing.
    let alreadyRecorded: Bool?

    init(_ inForce: RetentionPolicyInForce?, alreadyRecorded: Bool? = nil, calendar: OfficeCalendar) {
        years = inForce?.policy.years
        minorYears = inForce?.policy.minorYears
        self.alreadyRecorded = alreadyRecorded
        switch inForce?.source {
        case .log(let position, let setBy, let recordedTime):
            source = "log"
            self.setBy = setBy.staffID.value
            setByRole = Parse.roleName(setBy.role)
            recorded = Parse.localMinutesText(calendar.localMinutes(atMicroseconds: recordedTime))
            self.position = position
        case .settingsFile:
            source = "settingsFile"
            (setBy, setByRole, recorded, position) = (nil, nil, nil, nil)
        case nil:
            source = nil
            (setBy, setByRole, recorded, position) = (nil, nil, nil, nil)
        }
    }
}

/// One record of `clinic retention apply --json`.
struct RetentionRowJSON: Encodable {
    let patientID: String
    let lastActivity: String
    let keptUntil: String
    let action: String

    init(_ row: RetentionCandidate) {
        patientID = row.patientID.description
        lastActivity = Parse.dateText(row.lastActivityDay)
        keptUntil = Parse.dateText(row.lastRetainedDay)
        action = row.heldBecause.map { "held: \($0.rawValue)" } ?? "erase"
    }
}

/// The JSON shape of `clinic retention apply --json`.
struct RetentionApplyJSON: Encodable {
    let policy: RetentionPolicyJSON
    let before: String
    let records: [RetentionRowJSON]
    let erased: [String]
    let dryRun: Bool
}
