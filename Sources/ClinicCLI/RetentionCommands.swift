import ArgumentParser
import ClinicEvents
import ClinicStore
import Foundation
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
                + "their 18th birthday. The policy is kept in STORE/store.settings; setting it needs an office "
                + "manager.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(help: "Years to keep a record after the patient's last activity (6 to 100).") var years: Int?
        @Option(
            name: .customLong("minor-years"),
            help: "Years to keep a minor's record after their 18th birthday (0 to 100; default 0).")
        var minorYears: Int?

        func run() throws {
            let action: StoreAction = years == nil && minorYears == nil ? .listStaff : .setRetentionPolicy
            try ReadContext.run(options, access, action) { context in
                var policy = try context.options.retentionPolicy(of: context.reader)
                if years != nil || minorYears != nil {
                    guard let years else { throw CLIError.usage("Give --years with --minor-years.") }
                    guard let chosen = RetentionPolicy(years: years, minorYears: minorYears ?? 0) else {
                        throw CLIError.usage("--years must be 6 to 100 and --minor-years 0 to 100.")
                    }
                    try context.options.withStore { store in
                        try store.setRetentionPolicy(chosen, by: context.actor, commandID: ReadContext.newCommandID())
                    }
                    policy = chosen
                }
                if options.json {
                    try Output.json(RetentionPolicyJSON(policy))
                } else if let policy {
                    Output.print(
                        "Records are kept \(policy.years) years after the patient's last activity"
                            + (policy.minorYears > 0
                                ? ", and a minor's until \(policy.minorYears) years after their 18th birthday.\n"
                                : ".\n"))
                } else {
                    Output.print("No retention policy is set; set one with clinic retention policy --years N.\n")
                }
            }
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
                guard let policy = try context.options.retentionPolicy(of: context.reader) else {
                    throw StoreError(
                        .refused, code: "noRetentionPolicy",
                        message: "No retention policy is set; an office manager sets one with clinic retention "
                            + "policy --years N.")
                }
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
                            policy: RetentionPolicyJSON(policy), before: Parse.dateText(day),
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
            guard isatty(STDIN_FILENO) == 1 else {
                throw CLIError.usage(
                    "Nothing was erased: confirm with --yes (the list shows what would be erased), or run it at a "
                        + "terminal.", code: "notConfirmed")
            }
            FileHandle.standardError.write(
                Data("Erase these \(count) record(s) for good? Type ERASE \(count) to confirm: ".utf8))
            guard readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) == "ERASE \(count)" else {
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

/// The JSON shape of a retention policy (null when none is set).
struct RetentionPolicyJSON: Encodable {
    let years: Int?
    let minorYears: Int?

    init(_ policy: RetentionPolicy?) {
        years = policy?.years
        minorYears = policy?.minorYears
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

extension StoreOptions {
    /// The store's retention policy, read from its settings file now.
    func retentionPolicy(of reader: StoreReader) throws -> RetentionPolicy? {
        try StoreSettings.load(from: reader.location.settingsPath, fileSystem: storeEnvironment().fileSystem)
            .retentionPolicy
    }
}
