import ArgumentParser
import ClinicEvents
import ClinicStore
import Foundation
import Logging
import RecordLog

/// `clinic demo`: a realistic office history, generated through the same command path staff use.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a realistic demo office (bookings, visits, charges, payments, insurance, consents, "
            + "disclosures, day closes) into a new store; deterministic for a seed.")
    @OptionGroup var options: StoreOptions
    @Option(help: "Years of history.") var years: Int = 5
    @Option(help: "Days of history instead of years.") var days: Int?
    @Option(help: "Providers.") var providers: Int = 3
    @Option(help: "Patients.") var patients: Int = 3_000
    @Option(help: "Appointments per provider per office day.") var perDay: Int = 18
    @Option(help: "The seed: the same seed gives the same office.") var seed: UInt64 = 1
    @Option(name: .customLong("time-zone"), help: "The office's time zone.") var timeZone: String = "America/Chicago"
    @Flag(help: "Replace the store at --store if it is a demo store made by clinic demo.") var replace = false

    static let demoMarker = "demo-store"

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { _ in
            let location = options.location()
            let fileManager = FileManager.default
            if fileManager.fileExists(atPath: location.root) {
                let marker = location.root + "/" + Self.demoMarker
                guard replace, fileManager.fileExists(atPath: marker) else {
                    throw CLIError.usage(
                        "A store already exists at \(location.root); choose another --store"
                            + (replace ? " (only a store made by clinic demo is replaced)." : " or add --replace."))
                }
                try fileManager.removeItem(atPath: location.root)
            }
            let environment = options.storeEnvironment()
            let today: Int64
            do {
                today = try OfficeCalendar(timeZoneIdentifier: timeZone).localDay(
                    atMicroseconds: SystemClockNow.microseconds())
            } catch {
                throw CLIError.usage("The time zone '\(Parse.sanitized(timeZone))' is unknown.")
            }
            let configuration = DemoConfiguration(
                years: years, days: days, providers: providers, patients: patients, seed: seed,
                appointmentsPerProviderDay: perDay, lastDaySince1970: today, timeZone: timeZone)
            let bar = options.json ? nil : ProgressBar("Generating the demo office")
            let stopwatch = Stopwatch()
            let summary = try DemoOffice.generate(at: location, configuration: configuration, environment: environment)
            {
                bar?.update(done: Int64($0.daysDone), total: Int64($0.dayCount), detail: "\($0.eventCount) events")
            }
            bar?.finish()
            _ = fileManager.createFile(
                atPath: location.root + "/" + Self.demoMarker, contents: Data("clinic demo\n".utf8))
            let seconds = stopwatch.seconds
            if options.json {
                try Output.json(
                    DemoJSON(
                        store: location.root, events: summary.eventCount, patients: summary.patientCount,
                        appointments: summary.appointmentCount, closedDays: summary.closedDayCount, seconds: seconds,
                        staff: summary.staff.map {
                            StaffJSON(
                                staffID: $0.staffID.value, displayName: $0.displayName,
                                roles: $0.roles.map(Parse.roleName))
                        }))
                return
            }
            var staff = Table(["STAFF", "NAME", "ROLES"])
            for member in summary.staff {
                staff.add([
                    member.staffID.value, member.displayName, member.roles.map(Parse.roleName).joined(separator: ","),
                ])
            }
            Output.print(
                """
                Generated \(summary.eventCount) events in \(String(format: "%.1f", seconds)) s: \(summary.patientCount) patients, \
                \(summary.appointmentCount) appointments, \(summary.closedDayCount) closed days, \
                \(Parse.dateText(summary.firstDaySince1970)) to \(Parse.dateText(summary.lastDaySince1970)).
                Store: \(location.root)
                Act as any of these staff with --as STAFF-ID (add --role when they hold several roles):

                """ + staff.rendered())
        }
    }
}

/// The JSON shape of `clinic demo --json`.
struct DemoJSON: Encodable {
    let store: String
    let events: Int
    let patients: Int
    let appointments: Int
    let closedDays: Int
    let seconds: Double
    let staff: [StaffJSON]
}
