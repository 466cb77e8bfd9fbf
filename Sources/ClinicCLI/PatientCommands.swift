import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic patient ...`: registration and the patient's lifecycle.
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Register, find, show, correct, merge, record death, erase.",
        subcommands: [Register.self, Find.self, Show.self, Update.self, Merge.self, Death.self, Erase.self])

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "register", abstract: "Register a new patient.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Option(help: "Family (last) name.") var family: String
        @Option(help: "Given (first) name.") var given: String
        @Option(help: "Birth date, YYYY-MM-DD.") var birth: String
        @Option(help: "Preferred language (BCP 47 tag such as en or es-MX).") var language: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let birthDay = try Parse.day(birth, calendar: context.calendar, now: context.now)
                guard birthDay <= context.calendar.localDay(atMicroseconds: context.now) else {
                    throw CLIError.usage("The birth date is in the future; check it.")
                }
                let patientID = context.newID("patient")
                let registration: PatientRegistered
                do {
                    registration = try PatientRegistered(
                        patientID: patientID, familyName: try Parse.text(family, what: "family name"),
                        givenName: try Parse.text(given, what: "given name"), birthDateDaysSince1970: birthDay,
                        preferredLanguage: language)
                } catch let error as CLIError {
                    throw error
                } catch {
                    throw CLIError.usage("The registration is not valid (\(error)); check names and language tag.")
                }
                let receipt = try context.execute(.registerPatient(registration))
                try context.report(
                    receipt, "Registered patient \(shortID(patientID)) (id \(patientID)).",
                    details: ["patientID": patientID.description])
            }
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "find", abstract: "Find patients by name fragment, birth date or id.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(help: "A fragment of the family or given name.") var name: String?
        @Option(help: "Birth date, YYYY-MM-DD.") var birth: String?
        @Option(help: "The start of the patient id.") var id: String?

        func run() throws {
            guard name != nil || birth != nil || id != nil else {
                throw CLIError.usage("Say what to look for: --name, --birth or --id.")
            }
            try ReadContext.run(options, access, .findPatients) { context in
                let reader = context.reader
                let views = try context.views()
                let now = SystemClockNow.microseconds()
                var found = Array(try views.schedule.patients.values.filter { $0.status != .erased })
                if let name { found = try Lookup.patients(named: try Parse.text(name, what: "name"), in: views) }
                if let birth {
                    let day = try Parse.day(birth, calendar: reader.calendar, now: now)
                    found = found.filter { $0.birthDateDaysSince1970 == day }
                }
                if let id {
                    let digits = id.lowercased().filter { $0 != "-" }
                    found = found.filter { $0.patientID.description.filter { $0 != "-" }.hasPrefix(digits) }
                }
                found.sort { ($0.familyName ?? "", $0.givenName ?? "") < ($1.familyName ?? "", $1.givenName ?? "") }
                if options.json {
                    try Output.json(found.map(PatientJSON.init))
                } else if options.quiet {
                    Output.print(found.map { $0.patientID.description + "\n" }.joined())
                } else if found.isEmpty {
                    Output.print("No patient matches.\n")
                } else {
                    var table = Table(["PATIENT", "NAME", "BORN", "STATUS"])
                    for record in found {
                        table.add([
                            shortID(record.patientID), PatientJSON.displayName(record),
                            record.birthDateDaysSince1970.map(Parse.dateText) ?? "", PatientJSON.status(record),
                        ])
                    }
                    Output.print(table.rendered())
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a patient's registration and status.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument(help: "The patient id (or its first digits).") var patient: String

        func run() throws {
            try ReadContext.run(options, access, .viewPatient, patient: patient, logsAccess: true) { context in
                let views = try context.views()
                let id = try Lookup.patient(patient, in: views)
                guard let record = try views.schedule.patients[id] else { throw CLIError.notFound("No such patient.") }
                try context.recordAccess(of: id)
                if options.json {
                    try Output.json(PatientJSON(record))
                } else {
                    var pairs: [(String, String)] = []
                    pairs.append(("patient", id.description))
                    pairs.append(("name", PatientJSON.displayName(record)))
                    pairs.append(("born", record.birthDateDaysSince1970.map(Parse.dateText) ?? ""))
                    pairs.append(("status", PatientJSON.status(record)))
                    if let death = record.dateOfDeathDaysSince1970 { pairs.append(("died", Parse.dateText(death))) }
                    pairs.append(("corrections", "\(record.corrections.count)"))
                    Output.print(keyValueText(pairs))
                }
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Correct a patient's demographics (only the fields given change).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option var family: String?
        @Option var given: String?
        @Option(help: "Birth date, YYYY-MM-DD.") var birth: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let id = try context.patient(patient)
                guard let why = actorOptions.reason else {
                    throw CLIError.usage("A correction needs a reason; give one with --reason.")
                }
                let receipt = try context.execute(
                    .patientRecord(
                        patientID: id,
                        .correctDemographics(
                            familyName: try family.map { try Parse.text($0, what: "family name") },
                            givenName: try given.map { try Parse.text($0, what: "given name") },
                            birthDateDaysSince1970: try birth.map {
                                try Parse.day($0, calendar: context.calendar, now: context.now)
                            }, dateOfDeathDaysSince1970: nil, reason: try Parse.text(why, what: "reason"))))
                try context.report(receipt, "Corrected the demographics of patient \(shortID(id)).")
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge a duplicate patient record into the surviving one.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument(help: "The duplicate record.") var duplicate: String
        @Option(name: .customLong("into"), help: "The surviving record.") var survivor: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let duplicateID = try context.patient(duplicate)
                let survivorID = try context.patient(survivor)
                let reason = try Parse.text(actorOptions.reason ?? "duplicate registration", what: "reason")
                let receipt = try context.execute(
                    .mergePatients(duplicateID: duplicateID, survivorID: survivorID, reason: reason))
                try context.report(
                    receipt, "Merged patient \(shortID(duplicateID)) into \(shortID(survivorID)).")
            }
        }
    }

    struct Death: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "death", abstract: "Record a patient's death.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(help: "Date of death, YYYY-MM-DD.") var date: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let id = try context.patient(patient)
                let day = try Parse.day(date, calendar: context.calendar, now: context.now)
                let receipt = try context.execute(
                    .patientRecord(patientID: id, .recordDeath(dateOfDeathDaysSince1970: day)))
                try context.report(receipt, "Recorded the death of patient \(shortID(id)).")
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Erase a patient for good: destroy their data key (crypto-shredding).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(help: "patient-request, retention-ended, legal-order or registered-in-error.")
        var because: String
        @Flag(help: "Confirm that the patient's data is to be destroyed forever.") var confirm = false

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let id = try context.patient(patient)
                let reason: ErasureReason
                switch because {
                case "patient-request": reason = .patientRequest
                case "retention-ended": reason = .retentionPeriodEnded
                case "legal-order": reason = .legalOrder
                case "registered-in-error": reason = .registeredInError
                default:
                    throw CLIError.usage(
                        "Say why with --because patient-request, retention-ended, legal-order or registered-in-error.")
                }
                guard confirm else {
                    throw CLIError.usage(
                        "Erasing destroys patient \(shortID(id))'s data forever; add --confirm if that is intended.")
                }
                // The duplicates merged into the patient are the same person: their records (and keys) go too.
                let duplicates = Self.mergedDuplicates(of: id, in: try context.views().schedule.patients.values)
                let receipt = try context.execute(.patientRecord(patientID: id, .erase(reason: reason)))
                for duplicate in duplicates {
                    try context.store.execute(
                        .patientRecord(patientID: duplicate, .erase(reason: reason)), by: context.actor,
                        commandID: context.newID("erasure of merged \(duplicate)"))
                }
                let merged = duplicates.isEmpty ? "" : " with the \(duplicates.count) record(s) merged into it"
                try context.report(
                    receipt, "Erased patient \(shortID(id))\(merged): their data keys are destroyed.",
                    details: ["mergedRecordsErased": duplicates.map(\.description).joined(separator: ",")])
            }
        }
    }
}

extension PatientCommand.Erase {
    /// The records merged into `patientID`, directly or through another merged record, not yet erased.
    static func mergedDuplicates(
        of patientID: EventID, in records: some Sequence<PatientRecordState>
    ) -> [EventID] {
        var intoSurvivor: [EventID: [EventID]] = [:]
        for record in records {
            if case .mergedInto(let survivor) = record.status {
                intoSurvivor[survivor, default: []].append(record.patientID)
            }
        }
        var found: [EventID] = []
        var pending = [patientID]
        var seen: Set<EventID> = [patientID]
        while let next = pending.popLast() {
            for duplicate in intoSurvivor[next] ?? [] where seen.insert(duplicate).inserted {
                found.append(duplicate)
                pending.append(duplicate)
            }
        }
        return found.sorted { $0.description < $1.description }
    }
}

/// The JSON shape of a patient (documented in docs/cli.md).
struct PatientJSON: Encodable {
    let patientID: String
    let familyName: String?
    let givenName: String?
    let birthDate: String?
    let dateOfDeath: String?
    let status: String

    init(_ record: PatientRecordState) {
        patientID = record.patientID.description
        let erased = record.status == .erased
        familyName = erased ? nil : record.familyName
        givenName = erased ? nil : record.givenName
        birthDate = erased ? nil : record.birthDateDaysSince1970.map(Parse.dateText)
        dateOfDeath = erased ? nil : record.dateOfDeathDaysSince1970.map(Parse.dateText)
        status = Self.status(record)
    }

    static func displayName(_ record: PatientRecordState) -> String {
        guard record.status != .erased else { return "(erased)" }
        return "\(record.familyName ?? ""), \(record.givenName ?? "")"
    }

    static func status(_ record: PatientRecordState) -> String {
        switch record.status {
        case .unregistered: "unregistered"
        case .active: record.isDeceased ? "deceased" : "active"
        case .mergedInto(let survivor): "merged into \(shortID(survivor))"
        case .erased: "erased"
        }
    }
}

/// The wall clock for read commands that only need "today".
enum SystemClockNow {
    static func microseconds() -> Int64 { SystemWallClock().nowMicroseconds() }
}
