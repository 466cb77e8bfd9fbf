import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
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
            let passphraseFiles = try Self.writePassphraseFiles(summary.passphrases, root: location.root)
            let seconds = stopwatch.seconds
            let signedInStaff = summary.staff.filter { passphraseFiles[$0.staffID] != nil }
            if options.json {
                try Output.json(
                    DemoJSON(
                        store: location.root, events: summary.eventCount, patients: summary.patientCount,
                        appointments: summary.appointmentCount, closedDays: summary.closedDayCount, seconds: seconds,
                        staff: signedInStaff.map {
                            DemoStaffJSON(
                                staffID: $0.staffID.value, displayName: $0.displayName,
                                roles: $0.roles.map(Parse.roleName), passphraseFile: passphraseFiles[$0.staffID] ?? "")
                        }))
                return
            }
            var staff = Table(["STAFF", "NAME", "ROLES"])
            for member in signedInStaff {
                staff.add([
                    member.staffID.value, member.displayName, member.roles.map(Parse.roleName).joined(separator: ","),
                ])
            }
            Output.print(
                """
                Generated \(summary.eventCount) events in \(NumberText.fixed(seconds, fractionDigits: 1)) s: \(summary.patientCount) patients, \
                \(summary.appointmentCount) appointments, \(summary.closedDayCount) closed days, \
                \(Parse.dateText(summary.firstDaySince1970)) to \(Parse.dateText(summary.lastDaySince1970)).
                Store: \(location.root)
                Each staff member below has a random passphrase in \(location.root)/\(Self.passphraseDirectory)/STAFF-ID \
                (mode 0600; a demo store only). Sign in as one of them, then act with --as STAFF-ID:
                  clinic signin --store \(location.root) --as STAFF-ID --passphrase-file \
                \(location.root)/\(Self.passphraseDirectory)/STAFF-ID

                """ + staff.rendered())
        }
    }

    /// The folder of a demo store that holds its staff's passphrase files.
    static let passphraseDirectory = "demo-passphrases"

    /// Writes each passphrase to `ROOT/demo-passphrases/STAFF-ID` (mode 0600, in a folder of mode 0700); returns
    /// the paths written, by staff id.
    static func writePassphraseFiles(_ passphrases: [StaffID: String], root: String) throws -> [StaffID: String] {
        let directory = root + "/" + passphraseDirectory
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError.storage("The demo passphrase folder could not be created in \(root); check the disk.")
        }
        var paths: [StaffID: String] = [:]
        for (staffID, passphrase) in passphrases {
            let path = directory + "/" + staffID.value
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data((passphrase + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            else {
                throw CLIError.storage("A demo passphrase file could not be written in \(directory); check the disk.")
            }
            paths[staffID] = path
        }
        return paths
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
    let staff: [DemoStaffJSON]
}

/// A demo staff member in `clinic demo --json`: who they are and the file holding their passphrase.
struct DemoStaffJSON: Encodable {
    let staffID: String
    let displayName: String
    let roles: [String]
    let passphraseFile: String
}
