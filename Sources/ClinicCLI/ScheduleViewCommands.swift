import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// The providers on staff: those holding a physician, nurse practitioner or physician assistant role.
func providers(_ reader: StoreReader) throws -> [StaffID] {
    let providing: Set<StaffRole> = [.physician, .nursePractitioner, .physicianAssistant]
    return try reader.staffDirectory().members
        .filter { !$0.value.roles.isDisjoint(with: providing) }
        .map(\.key).sorted { $0.value < $1.value }
}

/// `clinic schedule [--date D] [--provider P]`: the day's appointments and flow board.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Show a day's appointments per provider, with status and room.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions
    @Option(help: "today, tomorrow or YYYY-MM-DD.") var date: String = "today"
    @Option(help: "Only this provider.") var provider: String?
    @Flag(help: "Print CSV.") var csv = false

    func run() throws {
        try ReadContext.run(options, access, .viewSchedule) { context in
            let (reader, run) = (context.reader, context.run)
            let day = try Parse.day(date, calendar: reader.calendar, now: SystemClockNow.microseconds())
            let chosen = try provider.map { [try Parse.staffID($0)] } ?? providers(reader)
            let views = try run.views(reader, showProgress: !options.json && !csv)
            var rows: [ScheduleRowJSON] = []
            var conflicts = 0
            for providerID in chosen {
                let providerDay = try views.schedule.day(of: providerID, daysSince1970: day)
                conflicts += providerDay.conflicts.count
                for row in providerDay.rows {
                    rows.append(
                        ScheduleRowJSON(
                            appointmentID: row.appointmentID.description, provider: providerID.value,
                            start: Parse.localMinutesText(row.startLocalMinutesSince1970),
                            minutes: Int(row.durationMinutes), patientID: row.patientID?.description ?? "",
                            patient: row.patientName.description, status: "\(row.status)",
                            statusCode: row.openEMRCode ?? "", room: row.room ?? "", reason: row.reason ?? "",
                            overbook: row.overbookApproval != nil,
                            conflict: providerDay.conflicts.contains {
                                $0.first == row.appointmentID || $0.second == row.appointmentID
                            }))
                }
            }
            if options.json {
                try Output.json(ScheduleJSON(date: Parse.dateText(day), appointments: rows))
                return
            }
            var table = Table(
                ["TIME", "PROVIDER", "APPT", "PATIENT", "STATUS", "ROOM", "MIN", "REASON"], rightAligned: [6])
            for row in rows {
                var status = row.status
                if row.overbook { status += " (overbook)" }
                if row.conflict { status += " (conflict)" }
                table.add([
                    String(row.start.suffix(5)), row.provider, shortID(row.appointmentID), row.patient, status,
                    row.room,
                    "\(row.minutes)", row.reason,
                ])
            }
            if csv {
                Output.print(table.csv())
            } else if rows.isEmpty {
                Output.print("No appointments on \(Parse.dateText(day)).\n")
            } else {
                let note = conflicts > 0 ? " (\(conflicts) overlapping pair\(conflicts == 1 ? "" : "s"))" : ""
                Output.print("Schedule for \(Parse.dateText(day))\(note)\n" + table.rendered())
            }
        }
    }
}

/// The JSON shape of `clinic schedule --json` (documented in docs/cli.md).
struct ScheduleJSON: Encodable {
    let date: String
    let appointments: [ScheduleRowJSON]
}

/// One appointment in `clinic schedule --json`.
struct ScheduleRowJSON: Encodable {
    let appointmentID: String
    let provider: String
    let start: String
    let minutes: Int
    let patientID: String
    let patient: String
    let status: String
    let statusCode: String
    let room: String
    let reason: String
    let overbook: Bool
    let conflict: Bool
}

/// `clinic slots --provider P [--date D]`: free slots from availability.
struct FreeSlotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slots", abstract: "List a provider's free slots on a day.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions
    @Option(help: "The provider's staff id.") var provider: String
    @Option(help: "today, tomorrow or YYYY-MM-DD.") var date: String = "today"

    func run() throws {
        try ReadContext.run(options, access, .viewSchedule) { context in
            let reader = context.reader
            let day = try Parse.day(date, calendar: reader.calendar, now: SystemClockNow.microseconds())
            let views = try context.views()
            let providerDay = try views.schedule.day(of: try Parse.staffID(provider), daysSince1970: day)
            let free = providerDay.freeSlots.map {
                Parse.timeText(minuteOfDay: $0.startLocalMinutesSince1970 - day * 1440)
            }
            if options.json {
                try Output.json([
                    "date": Parse.dateText(day), "provider": provider, "free": free.joined(separator: " "),
                ])
            } else {
                Output.print(
                    free.isEmpty
                        ? "No free slots.\n" : "Free on \(Parse.dateText(day)): " + free.joined(separator: " ") + "\n")
            }
        }
    }
}
