import ClinicEvents
import Crypto
import RecordLog

/// A signed-in staff member's session, as its file holds it.
public struct StaffSession: Equatable, Sendable {
    /// The staff member.
    public let staffID: StaffID
    /// The session's random id (the `StaffSignedIn` and `StaffSignedOut` events name it).
    public let sessionID: EventID
    /// When they signed in, in microseconds since 1970.
    public let signedInMicroseconds: Int64
    /// When they last ran a command, in microseconds since 1970.
    public var lastActivityMicroseconds: Int64

    /// Creates a session.
    public init(staffID: StaffID, sessionID: EventID, signedInMicroseconds: Int64, lastActivityMicroseconds: Int64) {
        self.staffID = staffID
        self.sessionID = sessionID
        self.signedInMicroseconds = signedInMicroseconds
        self.lastActivityMicroseconds = lastActivityMicroseconds
    }
}

/// Where a staff member's session stands.
public enum SessionState: Equatable, Sendable {
    /// Signed in, and active within the idle time.
    case active(StaffSession)
    /// Signed in, but idle longer than the idle time: the session has ended (automatic logoff).
    case expired(StaffSession)
    /// Not signed in.
    case missing
    /// The session file is damaged, altered, or signed with another master key.
    case invalid
}

/// The sessions of signed-in staff: one file per staff member (`sessions/STAFF.session`), signed with HMAC-SHA256
/// under a key derived from the master key, checked and refreshed by every command, and ended after the store's idle
/// time (`StoreSettings.sessionIdleMinutes`).
///
/// ```
/// format=1
/// staff=fd-1
/// session=6f1c0a52-...
/// signedIn=1764579600000000
/// lastActivity=1764580200000000
/// mac=<64 hex digits: HMAC-SHA256 of every byte before this line>
/// ```
public struct StaffSessions: Sendable {
    /// Where the store's files are.
    public let location: StoreLocation
    /// How long a session lasts without activity.
    public let idleMinutes: Int
    private let fileSystem: any FileSystem
    private let clock: any WallClock
    private let random: RandomByteSource
    private let keyBytes: [UInt8]

    /// The sessions of the store `reader` reads, with the clock and file system of `environment`.
    public init(reader: StoreReader, environment: StoreEnvironment) throws(StoreError) {
        try self.init(location: reader.location, keys: reader.keys, environment: environment)
    }

    init(location: StoreLocation, keys: StoreKeys, environment: StoreEnvironment) throws(StoreError) {
        self.location = location
        idleMinutes = try StoreSettings.load(from: location.settingsPath, fileSystem: environment.fileSystem)
            .sessionIdleMinutes
        fileSystem = environment.fileSystem
        clock = environment.clock
        random = environment.random
        keyBytes = keys.sessionKeyBytes
    }

    /// Where `staffID`'s session stands now.
    public func state(of staffID: StaffID) -> SessionState {
        let path = location.sessionPath(of: staffID)
        guard fileSystem.exists(path) else { return .missing }
        guard let bytes = try? fileSystem.readWholeFile(path), let session = parse(bytes), session.staffID == staffID
        else { return .invalid }
        let idle = clock.nowMicroseconds() - session.lastActivityMicroseconds
        return idle > Int64(idleMinutes) * 60_000_000 ? .expired(session) : .active(session)
    }

    /// Checks `staffID`'s session and marks activity now (the idle time starts again); refuses with
    /// `permissionDenied` when they are not signed in, their session expired, or its file is not valid.
    @discardableResult
    public func resume(_ staffID: StaffID) throws(StoreError) -> StaffSession {
        switch state(of: staffID) {
        case .active(var session):
            session.lastActivityMicroseconds = max(session.lastActivityMicroseconds, clock.nowMicroseconds())
            try? write(session, durably: false)
            return session
        case .expired:
            throw StoreError(
                .permissionDenied, code: "sessionExpired",
                message: "The session of \(staffID) ended after \(idleMinutes) minutes without activity; sign in "
                    + "again with `clinic signin --as \(staffID)`.")
        case .missing:
            throw StoreError(
                .permissionDenied, code: "notSignedIn",
                message: "Staff member \(staffID) is not signed in; run `clinic signin --as \(staffID)` first.")
        case .invalid:
            throw StoreError(
                .permissionDenied, code: "sessionInvalid",
                message: "The session file of \(staffID) is not valid (altered, or made before a key rotation); sign "
                    + "in again with `clinic signin --as \(staffID)`.")
        }
    }

    /// The staff members with an active session, in id order.
    public func activeStaff() -> [StaffID] {
        let names = (try? fileSystem.contentsOfDirectory(location.sessionsDirectory)) ?? []
        return names.compactMap { name -> StaffID? in
            guard name.hasSuffix(".session"), let staffID = try? StaffID(String(name.dropLast(8))) else { return nil }
            if case .active = state(of: staffID) { return staffID }
            return nil
        }.sorted { $0.value < $1.value }
    }

    /// Writes `session`'s file: durably (write, fsync, rename, fsync the directory) at sign-in; a refresh is only
    /// renamed into place, under a name of its own so concurrent commands never collide.
    func write(_ session: StaffSession, durably: Bool) throws(StoreError) {
        let path = location.sessionPath(of: session.staffID)
        do {
            try fileSystem.createDirectory(location.sessionsDirectory)
            if durably {
                try fileSystem.writeAtomically(serialized(session), to: path)
                return
            }
            let temporary = path + "." + hex(random.bytes(count: 8)) + ".tmp"
            let handle = try fileSystem.open(temporary, mode: .createNew)
            do {
                try handle.write(serialized(session), at: 0)
            } catch {
                handle.close()
                try? fileSystem.remove(temporary)
                throw error
            }
            handle.close()
            try fileSystem.rename(temporary, to: path)
        } catch {
            throw StoreError(
                .storage, code: "sessionWrite", message: "The session file could not be written: \(error).")
        }
    }

    /// Removes `staffID`'s session file, if any.
    func remove(_ staffID: StaffID) {
        let path = location.sessionPath(of: staffID)
        guard fileSystem.exists(path) else { return }
        try? fileSystem.remove(path)
        try? fileSystem.syncDirectory(location.sessionsDirectory)
    }

    /// The file's bytes, signed.
    func serialized(_ session: StaffSession) -> [UInt8] {
        let body = Array(
            ("format=1\nstaff=\(session.staffID.value)\nsession=\(session.sessionID)\n"
                + "signedIn=\(session.signedInMicroseconds)\nlastActivity=\(session.lastActivityMicroseconds)\n").utf8)
        return body + Array("mac=\(hex(mac(body)))\n".utf8)
    }

    /// The session a file holds, or nil when it is malformed or its signature does not verify.
    func parse(_ bytes: [UInt8]) -> StaffSession? {
        guard let macStart = findLastLine(in: bytes) else { return nil }
        let body = Array(bytes[..<macStart])
        let macLine = String(decoding: bytes[macStart...], as: UTF8.self)
        guard macLine.hasPrefix("mac="), macLine.hasSuffix("\n"),
            let stored = decodeHex(String(macLine.dropFirst(4).dropLast())),
            HMAC<SHA256>.isValidAuthenticationCode(stored, authenticating: body, using: SymmetricKey(data: keyBytes))
        else { return nil }
        var values: [String: String] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { return nil }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard values["format"] == "1", let staffText = values["staff"], let staffID = try? StaffID(staffText),
            let sessionText = values["session"], let sessionID = EventID(sessionText),
            let signedIn = values["signedIn"].flatMap({ Int64($0) }),
            let lastActivity = values["lastActivity"].flatMap({ Int64($0) })
        else { return nil }
        return StaffSession(
            staffID: staffID, sessionID: sessionID, signedInMicroseconds: signedIn,
            lastActivityMicroseconds: lastActivity)
    }

    private func mac(_ body: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: keyBytes)))
    }

    /// The offset of the last line of `bytes` (which ends with a newline).
    private func findLastLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count > 1, bytes.last == 0x0A else { return nil }
        var index = bytes.count - 2
        while index >= 0, bytes[index] != 0x0A { index -= 1 }
        return index < 0 ? nil : index + 1
    }
}

extension StoreReader {
    /// The sessions of this store, with the clock and file system of `environment`.
    public func sessions(environment: StoreEnvironment) throws(StoreError) -> StaffSessions {
        try StaffSessions(reader: self, environment: environment)
    }
}

extension ClinicStore {
    /// The sessions of this store.
    public func sessions() throws(StoreError) -> StaffSessions {
        try StaffSessions(location: location, keys: keys, environment: environment)
    }

    /// Signs `staffID` in with `passphrase`: a new session (its file written durably) and `StaffSignedIn`, or a
    /// refusal with `SignInFailed` appended (never the passphrase tried).
    ///
    /// After n failures in a row the next attempt waits `SignInThrottle.waitSeconds(afterFailures: n)` from the moment
    /// the last failure was found; an attempt before then is refused unchecked (`signInThrottled`) and logged. A
    /// success clears the count. A hash made at a lower cost than `StoreEnvironment.passphraseHashCost` is made again
    /// at that cost on success.
    @discardableResult
    public func signIn(_ staffID: StaffID, passphrase: [UInt8]) throws(StoreError) -> StaffSession {
        let sessions = try sessions()
        return try commandState.withLock { (state: inout CommandState) throws(StoreError) -> StaffSession in
            let now = environment.clock.nowMicroseconds()
            let engine = StaffActor(staffID: staffID, role: .system)
            var throttle = try SignInThrottle.load(location: location, fileSystem: environment.fileSystem)
            let previous = throttle.failures[staffID]?.count ?? 0
            func fail(_ cause: SignInFailureCause, _ error: StoreError) throws(StoreError) -> Never {
                var count = previous
                if cause == .wrongPassphrase || cause == .unknownStaff {
                    count = previous &+ 1
                    throttle.failures[staffID] = (count, environment.clock.nowMicroseconds())
                    try throttle.save(location: location, fileSystem: environment.fileSystem)
                }
                try appendAccessEvents(
                    [.signInFailed(SignInFailed(staffID: staffID, cause: cause, consecutiveFailures: count))],
                    by: engine, commandID: makeID(), now: now, state: &state)
                throw error
            }
            let wrong = StoreError(
                .permissionDenied, code: "signInFailed",
                message: "Sign-in as \(staffID) failed: the staff id or the passphrase is wrong; each failure in a row "
                    + "doubles the wait before the next try.")
            let wait = throttle.remainingWaitSeconds(of: staffID, now: now)
            if wait > 0 {
                try fail(
                    .throttled,
                    StoreError(
                        .permissionDenied, code: "signInThrottled",
                        message: "Too many failed sign-ins in a row as \(staffID); wait \(wait) seconds and try again.")
                )
            }
            guard try staffDirectory(&state.cache).members[staffID] != nil else { try fail(.unknownStaff, wrong) }
            let credentials = try StaffCredentials.load(location: location, fileSystem: environment.fileSystem)
            guard let stored = credentials.hashes[staffID] else {
                try fail(
                    .noPassphrase,
                    StoreError(
                        .permissionDenied, code: "noPassphrase",
                        message:
                            "Staff member \(staffID) has no passphrase yet; ask the office manager to set one with "
                            + "`clinic staff passphrase \(staffID)`."))
            }
            guard stored.matches(passphrase) else { try fail(.wrongPassphrase, wrong) }
            if throttle.failures.removeValue(forKey: staffID) != nil {
                try throttle.save(location: location, fileSystem: environment.fileSystem)
            }
            if stored.cost.work < environment.passphraseHashCost.work {
                var upgraded = credentials
                upgraded.hashes[staffID] = try PassphraseHash.make(
                    passphrase: passphrase, cost: environment.passphraseHashCost, random: environment.random)
                try upgraded.save(location: location, fileSystem: environment.fileSystem)
            }
            let session = StaffSession(
                staffID: staffID, sessionID: makeID(), signedInMicroseconds: now, lastActivityMicroseconds: now)
            try appendAccessEvents(
                [.staffSignedIn(StaffSignedIn(staffID: staffID, sessionID: session.sessionID))], by: engine,
                commandID: makeID(), now: now, state: &state)
            try sessions.write(session, durably: true)
            return session
        }
    }

    /// Ends `staffID`'s session, if they have one: removes its file and appends `StaffSignedOut` with `cause`
    /// (`inactivity` when a command found it expired). A missing or invalid session file is just removed.
    public func signOut(_ staffID: StaffID, cause: SessionEndCause = .signedOut) throws(StoreError) {
        let sessions = try sessions()
        let session: StaffSession
        switch sessions.state(of: staffID) {
        case .active(let found), .expired(let found): session = found
        case .missing, .invalid:
            sessions.remove(staffID)
            return
        }
        try commandState.withLock { (state: inout CommandState) throws(StoreError) in
            let now = environment.clock.nowMicroseconds()
            try appendAccessEvents(
                [.staffSignedOut(StaffSignedOut(staffID: staffID, sessionID: session.sessionID, cause: cause))],
                by: StaffActor(staffID: staffID, role: .system),
                commandID: EventID.derived(from: session.sessionID.bytes + Array("signed out".utf8)), now: now,
                state: &state)
        }
        sessions.remove(staffID)
    }

    /// Sets `staffID`'s passphrase (hashed with scrypt at `StoreEnvironment.passphraseHashCost`; only the hash is
    /// kept, in `keys/staff-credentials`) and appends `PassphraseSet`.
    ///
    /// Anyone on staff may set their own; setting another's needs `StoreAction.setPassphrase` (an office manager),
    /// and ends that staff member's session. A refusal appends `AccessDenied`.
    @discardableResult
    public func setPassphrase(
        _ passphrase: [UInt8], of staffID: StaffID, by actor: StaffActor, commandID: EventID
    ) throws(StoreError) -> CommandReceipt {
        try PassphraseHash.checkRules(passphrase)
        let sessions = try sessions()
        let made = try PassphraseHash.make(
            passphrase: passphrase, cost: environment.passphraseHashCost, random: environment.random)
        return try commandState.withLock { (state: inout CommandState) throws(StoreError) -> CommandReceipt in
            let now = environment.clock.nowMicroseconds()
            let directory = try staffDirectory(&state.cache)
            let isOwn = actor.staffID == staffID
            var refusal = Permissions.refusal(of: .setPassphrase, by: actor, in: directory)
            if isOwn, refusal?.cause == .roleNotPermitted { refusal = nil }
            if let refusal {
                try recordDenial(refusal, patientID: nil, commandID: commandID, now: now, state: &state)
                throw refusal.error
            }
            guard directory.members[staffID] != nil else {
                throw StoreError(.notFound, code: "staffNotFound", message: "No staff member \(staffID); check the id.")
            }
            var credentials = try StaffCredentials.load(location: location, fileSystem: environment.fileSystem)
            credentials.hashes[staffID] = made
            try credentials.save(location: location, fileSystem: environment.fileSystem)
            if !isOwn { sessions.remove(staffID) }
            return try appendAccessEvents(
                [.passphraseSet(PassphraseSet(staffID: staffID))], by: actor, commandID: commandID, now: now,
                state: &state)
        }
    }
}
