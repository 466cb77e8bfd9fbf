import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import Dispatch
import FoundationEssentials
import RecordLog
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options of commands that read records: who reads, in which role, and why.
struct AccessOptions: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: "The signed-in staff id reading (default: $CLINIC_STAFF, else the only staff member signed in).")
    var staff: String?

    @Option(name: .long, help: "The role to act in (default: $CLINIC_ROLE, else the staff member's only role).")
    var role: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Why a patient's record is read: treatment, payment, operations, patient-request or required-by-law "
                + "(default: treatment for a chart, payment for a ledger, patient-request for an export, else "
                + "operations)."))
    var purpose: String?

    /// The purpose from --purpose, or nil for the usual one.
    func accessPurpose() throws -> AccessPurpose? {
        guard let purpose else { return nil }
        switch purpose.lowercased() {
        case "treatment": return .treatment
        case "payment": return .payment
        case "operations": return .operations
        case "patient-request": return .patientRequest
        case "required-by-law": return .requiredByLaw
        default:
            throw CLIError.usage(
                "Unknown purpose '\(Parse.sanitized(purpose))'; use treatment, payment, operations, patient-request or "
                    + "required-by-law.")
        }
    }
}

/// Who is acting: the staff id and role from the options, the environment, or the one signed-in staff member.
enum Acting {
    /// The acting staff member and role, checked against the staff directory (unknown staff: `permissionDenied`).
    static func actor(
        staff: String?, role: String?, directory: StaffDirectory, sessions: StaffSessions,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StaffActor {
        let staffID = try self.staffID(staff, sessions: sessions, environment: environment)
        guard let member = directory.members[staffID] else {
            throw StoreError(
                .permissionDenied, code: "unknownStaff",
                message: "Staff member \(staffID) is not on staff; ask the office manager to add them.")
        }
        if let roleText = role ?? environment["CLINIC_ROLE"] {
            return StaffActor(staffID: staffID, role: try Parse.role(roleText))
        }
        guard member.roles.count == 1, let only = member.roles.first else {
            let roles = member.roles.map(Parse.roleName).sorted().joined(separator: ", ")
            throw CLIError.usage("Staff member \(staffID) holds several roles (\(roles)); choose one with --role.")
        }
        return StaffActor(staffID: staffID, role: only)
    }

    /// The staff id from --as, else $CLINIC_STAFF, else the only staff member with an active session.
    static func staffID(
        _ staff: String?, sessions: StaffSessions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StaffID {
        if let text = staff ?? environment["CLINIC_STAFF"] { return try Parse.staffID(text) }
        let active = sessions.activeStaff()
        guard active.count == 1, let only = active.first else {
            throw CLIError.usage(
                active.isEmpty
                    ? "No one is signed in; sign in with `clinic signin --as STAFF-ID` first."
                    : "Several staff members are signed in here; say who is acting with --as STAFF-ID (or set "
                        + "CLINIC_STAFF).")
        }
        return only
    }

    /// Checks `staffID`'s session and marks activity (automatic logoff after the idle time); an expired session is
    /// ended in the log (`StaffSignedOut`, inactivity) through `endExpired` before the refusal.
    static func resumeSession(
        of staffID: StaffID, sessions: StaffSessions, endExpired: (StaffID) throws -> Void
    ) throws {
        do throws(StoreError) {
            try sessions.resume(staffID)
        } catch {
            if error.code == "sessionExpired" { try endExpired(staffID) }
            throw error
        }
    }
}

/// What a command that reads records works with: the reader, the signed-in actor allowed to do the action, and the
/// access log.
struct ReadContext {
    let reader: StoreReader
    let run: CommandRun
    let actor: StaffActor
    let options: StoreOptions
    let purpose: AccessPurpose?
    let action: StoreAction
    let breakGlassReason: String?
    /// The staff directory as read when the command started.
    let staffDirectory: StaffDirectory
    /// The store being opened for writing beside the reads, when the command logs its read of a patient's record.
    let opening: StoreOpening?

    /// Opens the store for reading, resolves the actor, checks their session and that they may do `action`, then
    /// runs `body`. A refusal is logged (`AccessDenied`, naming the patient `patient` resolves to, when it does).
    ///
    /// `breakGlassReason` (chart only) lets a role that may not read charts open one: the refusal is then replaced by
    /// the break-glass record that `recordAccess(of:)` appends.
    ///
    /// `logsAccess` is for a command that logs its read of a patient's record (`recordAccess(of:)`): the store is then
    /// opened for writing on another thread from the start (`StoreOpening`), while this one reads.
    static func run(
        _ options: StoreOptions, _ access: AccessOptions, _ action: StoreAction, patient: String? = nil,
        breakGlassReason: String? = nil, logsAccess: Bool = false, _ body: (ReadContext) throws -> Void
    ) throws {
        try runReporting(json: options.json, verbose: options.verbose) { run in
            let opening =
                logsAccess ? StoreOpening(at: options.location(), environment: options.storeEnvironment()) : nil
            defer { opening?.close() }
            func withStore<Result>(_ body: (ClinicStore) throws -> Result) throws -> Result {
                if let opening { return try body(try opening.store()) }
                return try options.withStore(body)
            }
            let reader = try options.openReader()
            let environment = options.storeEnvironment()
            let sessions = try reader.sessions(environment: environment)
            // Read once: the actor, the permission check and the store that logs the access all use it.
            let directory = try reader.staffDirectory()
            let actor = try Acting.actor(
                staff: access.staff, role: access.role, directory: directory, sessions: sessions)
            try Acting.resumeSession(of: actor.staffID, sessions: sessions) { staffID in
                try withStore { try $0.signOut(staffID, cause: .inactivity) }
            }
            let context = ReadContext(
                reader: reader, run: run, actor: actor, options: options, purpose: try access.accessPurpose(),
                action: action, breakGlassReason: breakGlassReason, staffDirectory: directory, opening: opening)
            if let refusal = Permissions.refusal(of: action, by: actor, in: directory),
                !(refusal.cause == .roleNotPermitted && action == .viewChart && breakGlassReason != nil)
            {
                let patientID = patient.flatMap { text in
                    (try? run.views(reader, showProgress: false)).flatMap { try? Lookup.patient(text, in: $0) }
                }
                _ = try withStore { store in
                    store.adoptStaffDirectory(directory)
                    return try store.authorize(action, of: patientID, by: actor, commandID: ReadContext.newCommandID())
                }
                throw refusal.error
            }
            try body(context)
            reader.saveStreamCache()
        }
    }

    /// The office views, opened once per command.
    func views() throws -> LazyViews {
        try run.views(reader, showProgress: !options.json)
    }

    /// Logs this read of `patientID`'s record (`RecordAccessed`, and `BreakGlassUsed` when breaking the glass)
    /// before anything of it is shown; returns whether the glass was broken.
    @discardableResult
    func recordAccess(of patientID: EventID) throws -> AccessGrant {
        func authorize(_ store: ClinicStore) throws -> AccessGrant {
            store.adoptStaffDirectory(staffDirectory)
            return try store.authorize(
                action, of: patientID, by: actor, purpose: purpose, breakGlassReason: breakGlassReason,
                commandID: ReadContext.newCommandID())
        }
        if let opening { return try authorize(try opening.store()) }
        return try options.withStore(authorize)
    }

    static func newCommandID() -> EventID {
        EventID(bytes: SystemRandomSource().bytes(count: 16)) ?? EventID(high: 0, low: 0)
    }
}

/// A store opened for writing on another thread while a read command reads the views: the access event the read
/// appends needs the writer, whose opening (recovery of the log, docs/log-format.md section 15) then takes no time of
/// its own beside the reads. Opening is exactly `ClinicStore.open`, with its checks and its wait for another writer.
final class StoreOpening: Sendable {
    private let outcome = Mutex<Result<ClinicStore, StoreError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts opening the store at `location` for writing.
    init(at location: StoreLocation, environment: StoreEnvironment) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { () throws(StoreError) -> ClinicStore in
                try ClinicStore.open(at: location, environment: environment)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    /// The store, once it is open; or the error opening it threw.
    func store() throws(StoreError) -> ClinicStore {
        finished.wait()
        finished.signal()
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("the store's opening has finished") }
        return try result.get()
    }

    /// Waits for the opening to finish and closes the store it opened.
    func close() {
        (try? store())?.close()
    }
}

extension StoreOptions {
    /// Opens the store for writing just long enough to run `body` (to log an access or a refusal).
    func withStore<Result>(_ body: (ClinicStore) throws -> Result) throws -> Result {
        let store = try openStore()
        defer { store.close() }
        return try body(store)
    }
}

/// Reads passphrases without ever taking one from the command line: from a file (`--passphrase-file`, or the file
/// `$CLINIC_PASSPHRASE_FILE` names), or typed at a terminal prompt with echo off.
enum PassphraseInput {
    /// The environment variable naming a passphrase file.
    static let fileVariable = "CLINIC_PASSPHRASE_FILE"

    /// The passphrase from `file`, else `$CLINIC_PASSPHRASE_FILE`, else a prompt (typed twice when `confirm`).
    static func read(
        file: String?, prompt: String, confirm: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [UInt8] {
        if let path = file ?? environment[fileVariable], !path.isEmpty { return try readFile(path) }
        guard StandardStream.isInputTerminal else {
            throw CLIError.usage(
                "No passphrase given: use --passphrase-file PATH (or set \(fileVariable)), or run in a terminal to "
                    + "type it.")
        }
        let first = try promptHidden(prompt)
        if confirm {
            guard try promptHidden("Type it again: ") == first else {
                throw CLIError.usage("The two passphrases differ; nothing was changed.")
            }
        }
        return first
    }

    /// The first line of the file at `path`; refuses a regular file that group or others may read.
    static func readFile(_ path: String) throws -> [UInt8] {
        let unreadable = CLIError.usage(
            "The passphrase file \(Parse.sanitized(path)) could not be read; check the path.")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable }
        if status.st_mode & S_IFMT == S_IFREG, status.st_mode & 0o077 != 0 {
            throw StoreError(
                .permissionDenied, code: "passphraseFileExposed",
                message: "The passphrase file \(Parse.sanitized(path)) can be read by other users; run "
                    + "`chmod 600 \(Parse.sanitized(path))` first.")
        }
        var bytes = [UInt8](repeating: 0, count: PassphraseHash.passphraseByteCountMax + 2)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                SystemCall.read(descriptor, $0.baseAddress! + filled, $0.count - filled)
            }
            if count > 0 {
                filled += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                throw unreadable
            }
        }
        bytes.removeSubrange(filled...)
        if let newline = bytes.firstIndex(of: 0x0A) { bytes = Array(bytes[..<newline]) }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    /// Prints `prompt` on standard error and reads one line from the terminal with echo off.
    private static func promptHidden(_ prompt: String) throws -> [UInt8] {
        StandardStream.error.write(prompt)
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            StandardStream.error.write("\n")
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError.usage("No passphrase was typed.")
        }
        return Array(line.utf8)
    }
}
