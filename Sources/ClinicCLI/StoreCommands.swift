import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clinic init`: creates a store with its master key and first administrator.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new store, its master key and its first administrator.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The first administrator's staff id (an office manager).")
    var admin: String = "admin"

    @Option(name: .customLong("admin-name"), help: "The first administrator's display name.")
    var adminName: String = "Office Manager"

    @Option(name: .customLong("time-zone"), help: "The office's time zone (IANA name).")
    var timeZone: String = "UTC"

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "A file (mode 0600) whose first line is the administrator's passphrase (default: "
                + "$CLINIC_PASSPHRASE_FILE, else typed twice at a prompt)."))
    var passphraseFile: String?

    @Option(
        name: .customLong("session-idle-minutes"),
        help: "Minutes without a command after which a session ends and staff sign in again (1 to 1440).")
    var sessionIdleMinutes: Int = StoreSettings.sessionIdleMinutesDefault

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { run in
            guard StoreSettings.sessionIdleMinutesRange.contains(sessionIdleMinutes) else {
                throw CLIError.usage("--session-idle-minutes must be 1 to 1440.")
            }
            let calendar: OfficeCalendar
            do {
                calendar = try OfficeCalendar(timeZoneIdentifier: timeZone)
            } catch {
                throw CLIError.usage(
                    "The time zone '\(Parse.sanitized(timeZone))' is unknown; use an IANA name like America/Chicago.")
            }
            let administrator: StaffMemberAdded
            do {
                administrator = try StaffMemberAdded(
                    staffID: try Parse.staffID(admin), displayName: try Parse.text(adminName, what: "name"),
                    roles: [.officeManager])
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError.usage("The administrator's name is not valid (\(error)).")
            }
            let location = options.location()
            let passphrase = try PassphraseInput.read(
                file: passphraseFile, prompt: "Passphrase for \(admin): ", confirm: true)
            let store = try ClinicStore.create(
                at: location, settings: StoreSettings(calendar: calendar, sessionIdleMinutes: sessionIdleMinutes),
                administrator: administrator, administratorPassphrase: passphrase,
                environment: options.storeEnvironment())
            store.close()
            if options.json {
                try Output.json([
                    "store": location.root, "masterKey": location.masterKeyPath, "administrator": admin,
                    "timeZone": timeZone,
                ])
            } else {
                Output.print(
                    """
                    Created the store at \(location.root) (time zone \(timeZone)).
                    The master key is at \(location.masterKeyPath) (mode 0600). Back it up somewhere safe and
                    separate: without it no patient data in this store can ever be read again.
                    First administrator: \(admin) (office manager). Sign in with `clinic signin --as \(admin)`.

                    """)
            }
        }
    }
}

/// `clinic status`: what the store holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the store: events, segments, size on disk, checkpoints.")

    @OptionGroup var options: StoreOptions

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { run in
            let reader = try options.openReader()
            let status = try StoreStatus.measure(reader)
            if options.json {
                try Output.json(status)
            } else {
                var pairs: [(String, String)] = []
                pairs.append(("store", status.store))
                pairs.append(("time zone", status.timeZone))
                pairs.append(("events", "\(status.events)"))
                pairs.append(("segments", "\(status.segments)"))
                pairs.append(("log files (with preallocated space)", "\(status.logBytes) bytes"))
                pairs.append(("batches as stored", "\(status.storedBatchBytes) bytes"))
                pairs.append(("batches uncompressed", "\(status.uncompressedBytes) bytes"))
                pairs.append(("compression ratio", NumberText.fixed(status.compressionRatio, fractionDigits: 2)))
                pairs.append(("patients with keys", "\(status.patientKeys)"))
                pairs.append(("signed checkpoints", "\(status.checkpoints)"))
                pairs.append(("last checkpoint", status.lastCheckpoint ?? "none"))
                Output.print(keyValueText(pairs))
            }
        }
    }
}

/// The figures `clinic status` prints (the JSON shape is documented in docs/cli.md).
struct StoreStatus: Encodable {
    let store: String
    let timeZone: String
    let events: UInt64
    let segments: Int
    let logBytes: Int64
    let storedBatchBytes: Int64
    let uncompressedBytes: Int64
    let compressionRatio: Double
    let patientKeys: Int
    let checkpoints: Int
    let lastCheckpoint: String?

    static func measure(_ reader: StoreReader) throws -> StoreStatus {
        let fileManager = FileManager.default
        let directory = reader.location.logDirectory
        let names = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
        var logBytes: Int64 = 0
        for name in names {
            var status = stat()
            if stat(directory + "/" + name, &status) == 0 { logBytes += Int64(status.st_size) }
        }
        let summary: LogStorageSummary
        do {
            summary = try reader.logReader.storageSummary()
        } catch {
            throw StoreError(.storage, code: "storage", message: "The log could not be read: \(error).")
        }
        let checkpoints = (try? reader.logReader.checkpoints()) ?? []
        let last = checkpoints.last.map { checkpoint in
            "tree size \(checkpoint.treeSize) at "
                + Parse.localMinutesText(reader.calendar.localMinutes(atMicroseconds: checkpoint.timeMicroseconds))
        }
        return StoreStatus(
            store: reader.location.root, timeZone: reader.calendar.timeZoneIdentifier, events: summary.records,
            segments: names.filter { $0.hasSuffix(".segment") }.count, logBytes: logBytes,
            storedBatchBytes: summary.storedBytes, uncompressedBytes: summary.uncompressedBytes,
            compressionRatio: summary.compressionRatio,
            patientKeys: reader.keyring.patientIDs.count, checkpoints: checkpoints.count, lastCheckpoint: last)
    }
}

/// `clinic staff ...`: staff members and their roles.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Add staff, grant and revoke roles, list staff.",
        subcommands: [Add.self, Grant.self, Revoke.self, List.self, Passphrase.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a staff member with one or more roles.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument(help: "The new staff id (letters, digits, '.', '_', '-').") var staffID: String
        @Option(help: "The display name.") var name: String
        @Option(name: .customLong("roles"), help: "Comma-separated roles, e.g. front-desk,biller.") var roles: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let roleList = try roles.split(separator: ",").map { try Parse.role(String($0)) }
                let member: StaffMemberAdded
                do {
                    member = try StaffMemberAdded(
                        staffID: try Parse.staffID(staffID), displayName: try Parse.text(name, what: "name"),
                        roles: roleList)
                } catch let error as CLIError {
                    throw error
                } catch {
                    throw CLIError.usage("The staff member is not valid: give a name and distinct roles.")
                }
                let receipt = try context.execute(.addStaff(member))
                try context.report(
                    receipt,
                    "Added staff member \(member.staffID) (\(roleList.map(Parse.roleName).joined(separator: ", "))).")
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant", abstract: "Grant a role to a staff member.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var staffID: String
        @Argument var roleName: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let grant = StaffRoleGranted(staffID: try Parse.staffID(staffID), role: try Parse.role(roleName))
                try context.report(
                    try context.execute(.grantRole(grant)), "Granted \(roleName) to \(staffID).")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a role from a staff member.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var staffID: String
        @Argument var roleName: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let revoke = StaffRoleRevoked(staffID: try Parse.staffID(staffID), role: try Parse.role(roleName))
                try context.report(
                    try context.execute(.revokeRole(revoke)), "Revoked \(roleName) from \(staffID).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List staff members and their roles.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions

        func run() throws {
            try ReadContext.run(options, access, .listStaff) { context in
                let directory = try context.reader.staffDirectory()
                let members = directory.members.sorted { $0.key.value < $1.key.value }
                if options.json {
                    try Output.json(
                        members.map { id, member in
                            StaffJSON(
                                staffID: id.value, displayName: member.displayName,
                                roles: member.roles.map(Parse.roleName).sorted())
                        })
                } else {
                    var table = Table(["STAFF", "NAME", "ROLES"])
                    for (id, member) in members {
                        table.add([
                            id.value, member.displayName,
                            member.roles.map(Parse.roleName).sorted().joined(separator: ","),
                        ])
                    }
                    Output.print(table.rendered())
                }
            }
        }
    }
}

struct StaffJSON: Encodable {
    let staffID: String
    let displayName: String
    let roles: [String]
}
