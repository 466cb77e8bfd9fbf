import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import Logging
import RecordLog

/// The options every command accepts: which store, which master key, output shape.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store directory (default: $CLINIC_STORE, else ~/.local/share/cliniclog/store).")
    var store: String?

    @Option(name: .customLong("master-key"), help: "The master key file (default: STORE/master.key).")
    var masterKey: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of a table.")
    var json = false

    @Flag(name: .long, help: "Add technical detail to error messages.")
    var verbose = false

    @Flag(name: .long, help: "Print only the id of the record a command creates (for scripts).")
    var quiet = false

    /// The store location from the options, the environment and the default.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        let root = store ?? environment["CLINIC_STORE"] ?? Self.defaultRoot(environment: environment)
        return StoreLocation(root: root, masterKeyPath: masterKey ?? environment["CLINIC_MASTER_KEY"])
    }

    static func defaultRoot(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/cliniclog/store" }
        return (environment["HOME"] ?? ".") + "/.local/share/cliniclog/store"
    }

    /// The real environment: the system clock, file system and random source, and a logger that prints warnings
    /// only (never patient data: the library logs ids and positions only).
    func storeEnvironment() -> StoreEnvironment {
        var logger = Logger(label: "clinic")
        logger.logLevel = verbose ? .info : .warning
        return StoreEnvironment(
            fileSystem: PosixFileSystem(), clock: SystemWallClock(), random: .system(), logger: logger)
    }

    /// Opens the store for writing.
    func openStore() throws -> ClinicStore {
        try ClinicStore.open(at: location(), environment: storeEnvironment())
    }

    /// Opens the store for reading, without the writer lock.
    func openReader() throws -> StoreReader {
        try StoreReader.open(at: location(), environment: storeEnvironment())
    }
}

/// The options of commands that change records: who acts, in which role, and the command's id.
struct ActorOptions: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: "The signed-in staff id acting (default: $CLINIC_STAFF, else the only staff member signed in).")
    var staff: String?

    @Option(name: .long, help: "The role to act in (default: $CLINIC_ROLE, else the staff member's only role).")
    var role: String?

    @Option(name: .long, help: "The command's id (32 hex digits); a retry with the same id never appends twice.")
    var id: String?

    @Option(name: .long, help: "When it happened, if not now (a late entry): YYYY-MM-DD HH:MM, or HH:MM today.")
    var effective: String?

    @Option(name: .long, help: "Why (required for late entries, corrections, cancellations); no patient data.")
    var reason: String?

    /// The acting staff member and role (`Acting.actor`), checked against the staff directory of `store` (which
    /// its decisions then use too, so the staff stream is read once).
    func actor(store: ClinicStore, sessions: StaffSessions) throws -> StaffActor {
        try Acting.actor(staff: staff, role: role, directory: try store.staffDirectory(), sessions: sessions)
    }

    /// The command id from --id, or a new random one.
    func commandID() throws -> EventID {
        guard let id else { return EventID(bytes: SystemRandomSource().bytes(count: 16)) ?? EventID(high: 0, low: 0) }
        guard let parsed = EventID(id) else {
            throw CLIError.usage("The --id must be 32 hex digits (dashes allowed), such as a UUID.")
        }
        return parsed
    }

    /// The effective time from --effective, or nil for now.
    func effectiveTime(calendar: OfficeCalendar, now: Int64) throws -> Int64? {
        guard let effective else { return nil }
        return try Parse.instant(effective, calendar: calendar, now: now)
    }
}
