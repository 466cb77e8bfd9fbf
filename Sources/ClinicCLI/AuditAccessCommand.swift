import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

extension AuditCommand {
    /// `clinic audit access [PATIENT|STAFF]`: the access log.
    struct Access: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access",
            abstract: "Who read which patient's record and why, break-glass uses (flagged), refusals, sign-ins and "
                + "passphrase changes: for a patient, a staff member, or everyone.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument(help: "A staff id, or a patient id (or its first digits); everything when omitted.") var subject:
            String?
        @Flag(help: "Only the entries flagged for review (break-glass uses and the reads made under them).")
        var flagged = false

        func run() throws {
            try ReadContext.run(options, access, .viewAccessLog) { context in
                let reader = context.reader
                var patient: EventID?
                var staff: StaffID?
                if let subject {
                    if let staffID = try? StaffID(subject), try reader.staffDirectory().members[staffID] != nil {
                        staff = staffID
                    } else {
                        patient = try Lookup.patient(subject, in: try context.views())
                    }
                }
                let entries = try reader.accessLog(patient: patient, staff: staff).filter { !flagged || $0.isFlagged }
                let rows = entries.map { AccessRowJSON($0, calendar: reader.calendar) }
                if options.json {
                    try Output.json(rows)
                    return
                }
                var table = Table(["POS", "RECORDED", "STAFF", "BY", "ROLE", "PATIENT", "WHAT", "FLAG"])
                for row in rows {
                    table.add([
                        "\(row.position)", row.recorded, row.staff, row.actor == row.staff ? "" : row.actor, row.role,
                        row.patientID.map(shortID) ?? "", row.what, row.flagged ? "BREAK-GLASS" : "",
                    ])
                }
                Output.print(rows.isEmpty ? "No access log entries.\n" : table.rendered())
            }
        }
    }
}

/// One row of `clinic audit access --json`.
struct AccessRowJSON: Encodable {
    let position: UInt64
    let recorded: String
    let staff: String
    let actor: String
    let role: String
    let patientID: String?
    let kind: String
    let what: String
    let flagged: Bool

    init(_ entry: AccessLogEntry, calendar: OfficeCalendar) {
        position = entry.position
        recorded = Parse.localMinutesText(calendar.localMinutes(atMicroseconds: entry.recordedTimeMicroseconds))
        staff = entry.staffID.value
        actor = entry.actorStaffID.value
        role = Parse.roleName(entry.role)
        patientID = entry.patientID?.description
        flagged = entry.isFlagged
        switch entry.kind {
        case .recordAccessed(let area, let purpose):
            kind = "recordAccessed"
            what = "read \(area) for \(purpose)"
        case .breakGlass(let reason):
            kind = "breakGlass"
            what = "broke the glass: \(reason)"
        case .accessDenied(let action, let cause):
            kind = "accessDenied"
            what = "refused \(action) (\(cause))"
        case .signedIn:
            kind = "signedIn"
            what = "signed in"
        case .signInFailed(let cause, let failures):
            kind = "signInFailed"
            what = "sign-in failed (\(cause), \(failures) in a row)"
        case .signedOut(let cause):
            kind = "signedOut"
            what = cause == .inactivity ? "signed out after inactivity" : "signed out"
        case .passphraseSet:
            kind = "passphraseSet"
            what = "passphrase set"
        }
    }
}
