import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// Picks an enumeration case by its name as typed (case-insensitive, dashes ignored).
func choose<Value: CaseIterable>(_ text: String, from _: Value.Type, what: String) throws -> Value {
    let wanted = text.lowercased().replacing("-", with: "")
    guard let value = Value.allCases.first(where: { "\($0)".lowercased() == wanted }) else {
        let names = Value.allCases.map { "\($0)" }.joined(separator: ", ")
        throw CLIError.usage("The \(what) '\(Parse.sanitized(text))' is not valid; use one of: \(names).")
    }
    return value
}

/// Runs a chart command for the patient named by `patient`.
func chartStep(
    _ options: StoreOptions, _ actorOptions: ActorOptions, patient: String, summary: String,
    details: [String: String] = [:], _ make: (EventID, inout WriteContext) throws -> ChartCommand
) throws {
    try WriteContext.run(options, actorOptions) { context in
        let patientID = try context.patient(patient)
        let command = try make(patientID, &context)
        var details = details
        var text = summary
        if let entryID = newEntryID(of: command) {
            details["entryID"] = entryID.description
            text += " Entry \(shortID(entryID))."
        }
        try context.report(try context.execute(.chart(patientID: patientID, command)), text, details: details)
    }
}

/// The id of the entry a chart command creates, if it creates one.
func newEntryID(of command: ChartCommand) -> EventID? {
    switch command {
    case .recordAllergy(let id, _, _, _, _): id
    case .startMedication(let id, _, _, _, _, _): id
    case .addProblem(let id, _, _): id
    case .signNote(let id, _, _): id
    case .signAddendum(let id, _, _): id
    case .requestAmendment(let id, _, _, _): id
    default: nil
    }
}

/// Resolves a chart entry id typed as a prefix, among the patient's chart entries.
func chartEntry(_ text: String, patient: EventID, context: WriteContext) throws -> EventID {
    let chart = try context.reader.chart(of: patient)
    let ids =
        Array(chart.allergies.keys) + Array(chart.medications.keys) + Array(chart.problems.keys)
        + Array(chart.notes.keys) + Array(chart.amendments.keys)
    return try Lookup.unique(text, among: ids, what: "chart entry")
}

/// `clinic vitals PATIENT --encounter E --bp 120/80 --pulse 72 ...`.
struct VitalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals", abstract: "Record vital signs taken during a visit.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var patient: String
    @Option(help: "The visit (appointment id or its first digits).") var visit: String
    @Option(help: "Blood pressure, systolic/diastolic in mm[Hg], e.g. 120/80.") var bp: String?
    @Option(help: "Heart rate, beats per minute.") var pulse: String?
    @Option(help: "Weight in kg.") var weight: String?
    @Option(help: "Height in cm.") var height: String?
    @Option(help: "Temperature in Cel.") var temperature: String?
    @Option(help: "Oxygen saturation in %.") var spo2: String?
    @Option(help: "Respiratory rate per minute.") var respiration: String?

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            let patientID = try context.patient(patient)
            let appointment = try context.appointment(visit)
            guard appointment.patientID == patientID, let encounterID = appointment.encounterID else {
                throw CLIError.notFound(
                    "This visit is not a checked-in visit of this patient; check the patient in first.",
                    code: "encounterNotFound")
            }
            var measurements: [VitalSign] = []
            func add(_ kind: VitalSignKind, _ text: String?) throws {
                guard let text else { return }
                measurements.append(try Self.measurement(kind, text))
            }
            if let bp {
                let parts = bp.split(separator: "/")
                guard parts.count == 2 else {
                    throw CLIError.usage("Give blood pressure as systolic/diastolic, e.g. 120/80.")
                }
                try add(.systolicBloodPressure, String(parts[0]))
                try add(.diastolicBloodPressure, String(parts[1]))
            }
            try add(.heartRate, pulse)
            try add(.bodyWeight, weight)
            try add(.bodyHeight, height)
            try add(.bodyTemperature, temperature)
            try add(.oxygenSaturation, spo2)
            try add(.respiratoryRate, respiration)
            let vitals: VitalsRecorded
            do {
                vitals = try VitalsRecorded(patientID: patientID, encounterID: encounterID, measurements: measurements)
            } catch {
                throw CLIError.usage("Give at least one measurement (--bp, --pulse, --weight, ...).")
            }
            try context.report(
                try context.execute(.recordVitals(vitals)),
                "Recorded \(measurements.count) vital sign\(measurements.count == 1 ? "" : "s") for patient \(shortID(patientID))."
            )
        }
    }

    static func measurement(_ kind: VitalSignKind, _ text: String) throws -> VitalSign {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 6,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (1...3).contains(parts[1].count), let whole = Int64(parts[0])
        else {
            throw CLIError.usage("The value '\(Parse.sanitized(text))' for \(kind) is not a number.")
        }
        var thousandths = whole * 1000
        if parts.count == 2, let fraction = Int64(parts[1]) {
            thousandths += fraction * [100, 10, 1][parts[1].count - 1]
        }
        do {
            return try VitalSign(kind: kind, valueThousandths: thousandths)
        } catch {
            throw CLIError.usage(
                "The value \(Parse.sanitized(text)) for \(kind) is outside the plausible range; check it and its unit.")
        }
    }
}

/// `clinic allergy add|resolve|error`.
struct AllergyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allergy", abstract: "Record, resolve or mark in error an allergy.",
        subcommands: [Add.self, Resolve.self, EnteredInError.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record an allergy or intolerance.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option var substance: String
        @Option var reaction: String
        @Option(help: "mild, moderate or severe.") var severity: String = "moderate"
        @Flag(help: "Confirmed (default: unconfirmed).") var confirmed = false

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Recorded the allergy.") { _, context in
                .recordAllergy(
                    allergyID: context.newID("allergy"), substance: try Parse.text(substance, what: "substance"),
                    reaction: try Parse.text(reaction, what: "reaction"),
                    severity: try choose(severity, from: AllergySeverity.self, what: "severity"),
                    verification: confirmed ? .confirmed : .unconfirmed)
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Mark an allergy as no longer applying.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var allergy: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Resolved the allergy.") {
                patientID, context in
                .resolveAllergy(allergyID: try chartEntry(allergy, patient: patientID, context: context))
            }
        }
    }

    struct EnteredInError: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "error", abstract: "Mark an allergy entry as wrong.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var allergy: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Marked the allergy entry in error.") {
                patientID, context in
                .enterAllergyInError(
                    allergyID: try chartEntry(allergy, patient: patientID, context: context),
                    reason: try Parse.text(actorOptions.reason ?? "", what: "reason (--reason)"))
            }
        }
    }
}

/// `clinic medication start|stop`.
struct MedicationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medication", abstract: "Start or stop a medication.", subcommands: [Start.self, Stop.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Record a medication the patient starts or takes.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option var name: String
        @Option var dose: String
        @Option(help: "oral, topical, inhaled, ...") var route: String = "oral"
        @Option var frequency: String
        @Option(name: .customLong("for"), help: "What it is for.") var indication: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Recorded the medication.") { _, context in
                .startMedication(
                    medicationID: context.newID("medication"), name: try Parse.text(name, what: "name"),
                    dose: try Parse.text(dose, what: "dose"),
                    route: try choose(route, from: MedicationRoute.self, what: "route"),
                    frequency: try Parse.text(frequency, what: "frequency"),
                    reason: try Parse.text(indication, what: "indication"))
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop", abstract: "Record that the patient stopped a medication.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var medication: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Stopped the medication.") {
                patientID, context in
                .stopMedication(
                    medicationID: try chartEntry(medication, patient: patientID, context: context),
                    reason: try Parse.text(actorOptions.reason ?? "", what: "reason (--reason)"))
            }
        }
    }
}

/// `clinic problem add|resolve`.
struct ProblemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "problem", abstract: "Add or resolve a problem (ICD-10-CM).",
        subcommands: [Add.self, Resolve.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a diagnosis to the problem list.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(help: "ICD-10-CM code, e.g. E11.9.") var code: String
        @Option(help: "Onset date, YYYY-MM-DD.") var onset: String?

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Added the problem \(code).") {
                _, context in
                let diagnosis: DiagnosisCode
                do {
                    diagnosis = try DiagnosisCode(code)
                } catch {
                    throw CLIError.usage("The code '\(Parse.sanitized(code))' is not an ICD-10-CM code such as E11.9.")
                }
                return .addProblem(
                    problemID: context.newID("problem"), diagnosis: diagnosis,
                    onsetDaysSince1970: try onset.map {
                        try Parse.day($0, calendar: context.calendar, now: context.now)
                    })
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a problem resolved.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var problem: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Resolved the problem.") {
                patientID, context in
                .resolveProblem(problemID: try chartEntry(problem, patient: patientID, context: context))
            }
        }
    }
}

/// Reads a note's text from --text or a file (--file; `-` for standard input).
func noteText(text: String?, file: String?) throws -> String {
    if let text { return try Parse.text(text, what: "note text") }
    guard let file else { throw CLIError.usage("Give the note with --text or --file PATH.") }
    let data: Data
    if file == "-" {
        guard let bytes = StandardStream.readStandardInput() else {
            throw CLIError.usage("Standard input could not be read; give the note with --text or --file PATH.")
        }
        data = Data(bytes)
    } else {
        guard let read = FileManager.default.contents(atPath: file) else {
            throw CLIError.notFound("The file \(Parse.sanitized(file)) could not be read.")
        }
        data = read
    }
    guard let string = String(data: data, encoding: .utf8) else {
        throw CLIError.usage("The note file is not valid UTF-8 text.")
    }
    let trimmed = string.trimmingWhitespaceAndNewlines()
    guard !trimmed.isEmpty, trimmed.utf8.count <= ChartLimits.noteTextByteCountMax else {
        throw CLIError.usage("The note is empty or longer than \(ChartLimits.noteTextByteCountMax) bytes.")
    }
    return trimmed
}

/// `clinic note sign|addendum`.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Sign a visit note or an addendum.", subcommands: [Sign.self, Addendum.self])

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", abstract: "Sign a note for a visit.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(help: "The visit (appointment id or its first digits).") var visit: String
        @Option var text: String?
        @Option var file: String?

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Signed the note.") { patientID, context in
                let appointment = try context.appointment(visit)
                guard appointment.patientID == patientID, let encounterID = appointment.encounterID else {
                    throw CLIError.notFound(
                        "This visit is not a checked-in visit of this patient.", code: "encounterNotFound")
                }
                return .signNote(
                    noteID: context.newID("note"), encounterID: encounterID, text: try noteText(text: text, file: file)
                )
            }
        }
    }

    struct Addendum: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "addendum", abstract: "Sign an addendum to a signed note.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var note: String
        @Option var text: String?
        @Option var file: String?

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Signed the addendum.") {
                patientID, context in
                .signAddendum(
                    addendumID: context.newID("addendum"),
                    noteID: try chartEntry(note, patient: patientID, context: context),
                    text: try noteText(text: text, file: file))
            }
        }
    }
}

/// `clinic amendment request|accept|deny` (HIPAA 164.526).
struct AmendmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amendment", abstract: "Amendment requests under HIPAA 164.526.",
        subcommands: [Request.self, Accept.self, Deny.self])

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request", abstract: "Record a patient's request to amend entries.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(name: .customLong("entry"), help: "An entry to amend (repeatable).") var entries: [String]
        @Option(help: "What the patient asks.") var request: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Recorded the amendment request.") {
                patientID, context in
                .requestAmendment(
                    amendmentID: context.newID("amendment"),
                    amendedEntryIDs: try entries.map { try chartEntry($0, patient: patientID, context: context) },
                    request: try Parse.text(request, what: "request"), requestedTimeMicroseconds: context.now)
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Accept an amendment, linking the correcting entries.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var amendment: String
        @Option(name: .customLong("correction"), help: "A correcting entry (repeatable).") var corrections: [String]

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Accepted the amendment.") {
                patientID, context in
                .acceptAmendment(
                    amendmentID: try chartEntry(amendment, patient: patientID, context: context),
                    correctingEntryIDs: try corrections.map { try chartEntry($0, patient: patientID, context: context) }
                )
            }
        }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deny", abstract: "Deny an amendment with its basis.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var amendment: String
        @Option(
            help:
                "notCreatedByThisOffice, notPartOfDesignatedRecordSet, notAvailableForInspection, accurateAndComplete.")
        var basis: String
        @Option var explanation: String
        @Option(help: "How to file a statement of disagreement.") var instructions: String

        func run() throws {
            try chartStep(options, actorOptions, patient: patient, summary: "Denied the amendment.") {
                patientID, context in
                .denyAmendment(
                    amendmentID: try chartEntry(amendment, patient: patientID, context: context),
                    basis: try choose(basis, from: AmendmentDenialBasis.self, what: "basis"),
                    explanation: try Parse.text(explanation, what: "explanation"),
                    disagreementInstructions: try Parse.text(instructions, what: "instructions"))
            }
        }
    }
}
