import ClinicEvents
import Crypto
import Logging
import RecordLog
import Synchronization

/// A medical office's store: the event log, the patients' keys and the office settings, and the one path by which
/// staff commands become events.
///
/// Every command is checked against the permission table (`Permissions`), decided against the current state of the
/// record it changes (`OfficeCommand`), then appended with the stream version it was decided on. Nothing is appended
/// on a refusal by a rule; a refusal by access control appends its `AccessDenied` event only. Commands are decided
/// and appended one at a time within a process, and the log's writer lock serialises processes, so rules that look across
/// records (a closed day, an open encounter) always see what they decide on.
public final class ClinicStore: Sendable {
    /// Where the store's files are.
    public let location: StoreLocation
    /// The office's time zone.
    public let calendar: OfficeCalendar
    /// The event log, open for writing.
    public let log: RecordLog
    /// The patients' data keys.
    public var keyring: PatientKeyring { keys.keyring }
    /// The event codec.
    public let codec: EventCodec
    let keys: StoreKeys
    let environment: StoreEnvironment
    /// The retention policy of `store.settings`, read at open: honoured only while the log records none.
    let settingsRetentionPolicy: RetentionPolicy?
    let commandState = Mutex(CommandState())
    /// The copy of the staff stream's records that this store's readers share (`views/streams.cache`).
    let streamCache: StreamRecordCache

    private init(
        location: StoreLocation, calendar: OfficeCalendar, log: RecordLog, codec: EventCodec, keys: StoreKeys,
        environment: StoreEnvironment, settingsRetentionPolicy: RetentionPolicy?
    ) {
        self.location = location
        self.calendar = calendar
        self.log = log
        self.codec = codec
        self.keys = keys
        self.environment = environment
        self.settingsRetentionPolicy = settingsRetentionPolicy
        self.streamCache = StreamRecordCache(
            location: location, fileSystem: environment.fileSystem, keyBytes: keys.streamCacheKeyBytes,
            random: environment.random)
    }

    /// Creates a new store at `location` with its first administrator (an office manager), a new master key and an
    /// empty keyring; with `administratorPassphrase`, the administrator's passphrase too (so they can sign in).
    ///
    /// Refuses a location that already holds a store or a master key file, and a passphrase that breaks the rules
    /// (`PassphraseHash.checkRules`) before anything is created.
    public static func create(
        at location: StoreLocation, settings: StoreSettings, administrator: StaffMemberAdded,
        administratorPassphrase: [UInt8]? = nil, environment: StoreEnvironment
    ) throws(StoreError) -> ClinicStore {
        let fileSystem = environment.fileSystem
        if let administratorPassphrase { try PassphraseHash.checkRules(administratorPassphrase) }
        for path in [location.settingsPath, location.masterKeyPath, location.logDirectory]
        where fileSystem.exists(path) {
            throw StoreError(
                .usage, code: "storeExists",
                message: "A store or master key already exists at \(path); choose another --store or remove it first.")
        }
        guard administrator.roles.contains(.officeManager) else {
            throw StoreError(
                .usage, code: "administratorRole", message: "The first staff member must hold the office manager role.")
        }
        let masterKey = MasterKey.make(using: environment.random)
        do {
            try fileSystem.createDirectory(location.root)
            try fileSystem.createDirectory(parentDirectory(of: location.masterKeyPath))
            try fileSystem.writeAtomically(masterKey.keyMaterial, to: location.masterKeyPath)
            try fileSystem.createDirectory(location.keysDirectory)
            try fileSystem.createDirectory(location.viewsDirectory)
            let keyring = PatientKeyring(masterKey: masterKey, random: environment.random)
            try fileSystem.writeAtomically(keyring.serialized(), to: location.keyringPath)
            try fileSystem.writeAtomically(settings.serialized(), to: location.settingsPath)
        } catch {
            throw StoreError(
                .storage, code: "createFailed", message: "The store could not be created: \(error).")
        }
        let store = try open(at: location, environment: environment)
        let actor = StaffActor(staffID: administrator.staffID, role: .officeManager)
        _ = try store.execute(
            .addStaff(administrator), by: actor, commandID: EventID.derived(from: environment.random.bytes(count: 16)),
            skippingStaffCheck: true)
        if let administratorPassphrase {
            try store.setPassphrase(
                administratorPassphrase, of: administrator.staffID, by: actor, commandID: store.makeID())
        }
        return store
    }

    /// Opens the store at `location` for writing, waiting for another writer to finish.
    public static func open(at location: StoreLocation, environment: StoreEnvironment) throws(StoreError) -> ClinicStore
    {
        let fileSystem = environment.fileSystem
        guard fileSystem.exists(location.settingsPath) else {
            throw StoreError(
                .notFound, code: "noStore",
                message: "No store at \(location.root); run `clinic init --store PATH` first or pass the right --store."
            )
        }
        let settings = try StoreSettings.load(from: location.settingsPath, fileSystem: fileSystem)
        // The log's writer lock is taken first: the keyring is read under it, so no other writer can add a key
        // between this read and this process's next keyring write (which would lose that key).
        let log: RecordLog
        do {
            log = try RecordLog.open(
                directory: location.logDirectory, fileSystem: fileSystem, configuration: environment.logConfiguration,
                randomSource: RandomSourceAdapter(random: environment.random))
        } catch {
            throw StoreError.storage(error)
        }
        let keys: StoreKeys
        do {
            keys = try StoreKeys.load(location: location, environment: environment)
        } catch {
            log.close()
            throw error
        }
        let codec: EventCodec
        do {
            codec = try EventCodec()
        } catch {
            preconditionFailure("the standard event catalogue is valid: \(error)")
        }
        let store = ClinicStore(
            location: location, calendar: settings.calendar, log: log, codec: codec, keys: keys,
            environment: environment, settingsRetentionPolicy: settings.legacyRetentionPolicy)
        if keys.pendingRotation != nil {
            do {
                try store.finishInterruptedRotation()
            } catch {
                store.close()
                throw error
            }
            store.close()
            return try open(at: location, environment: environment)
        }
        do {
            try store.finishInterruptedErasures()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// Closes the log and releases the writer lock.
    public func close() {
        log.close()
    }

    /// The signer of this store's log checkpoints (derived from the master key).
    public var checkpointSigner: CheckpointSigner { keys.checkpointSigner }

    /// The key that encrypts the views' checkpoints (derived from the master key).
    public var viewCheckpointKey: SymmetricKey { keys.viewCheckpointKey }

    /// The time now, from the injected clock, in microseconds since 1970.
    public var nowMicroseconds: Int64 { environment.clock.nowMicroseconds() }

    /// A new random id from the store's random source, for a new record (patient, appointment, charge).
    public func makeID() -> EventID {
        guard let id = EventID(bytes: environment.random.bytes(count: 16)) else {
            preconditionFailure("16 random bytes make an id")
        }
        return id
    }

    /// A read-only view of the same store that needs no writer lock.
    public func reader() -> StoreReader {
        StoreReader(
            location: location, calendar: calendar, reader: log.reader(), codec: codec, keys: keys,
            settingsRetentionPolicy: settingsRetentionPolicy, streamCache: streamCache)
    }

    /// Writes the stream cache (`views/streams.cache`) when a read by this store or its readers found staff records
    /// it lacks; returns whether it was written. Call it once a command succeeded; a failed write is not an error.
    @discardableResult
    public func saveStreamCache() -> Bool {
        streamCache.saveIfChanged()
    }

    /// Takes and stores a signed checkpoint of the whole log now.
    @discardableResult
    public func checkpoint() throws(StoreError) -> SignedCheckpoint {
        do {
            return try log.checkpointAndWait(signer: keys.checkpointSigner)
        } catch {
            throw StoreError.storage(error)
        }
    }

    /// Decides `command` as `actor` and appends its events, or refuses it with nothing appended, except when access
    /// control refuses it (the actor is not on staff, does not hold the role, or the role may not do it:
    /// `Permissions`): then its `AccessDenied` event alone is appended, and `permissionDenied` thrown.
    ///
    /// - Parameters:
    ///   - commandID: the client-made id of the command, also the id of its first event. A retry with the same id
    ///     answers the original receipt (`alreadyRecorded`) and appends nothing.
    ///   - effectiveTimeMicroseconds: when it happened, as staff state it; nil for now. It may be earlier (a late
    ///     entry, which needs a `reason` after a day), never later than now plus five minutes (`EffectiveTimePolicy`).
    ///   - reason: why, when a rule asks for one or staff give one; it is kept in the envelope, so it must not hold
    ///     patient data.
    @discardableResult
    public func execute(
        _ command: OfficeCommand, by actor: StaffActor, commandID: EventID, effectiveTimeMicroseconds: Int64? = nil,
        reason: String? = nil
    ) throws(StoreError) -> CommandReceipt {
        try execute(
            command, by: actor, commandID: commandID, effectiveTimeMicroseconds: effectiveTimeMicroseconds,
            reason: reason, skippingStaffCheck: false)
    }

    private func execute(
        _ command: OfficeCommand, by actor: StaffActor, commandID: EventID, effectiveTimeMicroseconds: Int64? = nil,
        reason: String? = nil, skippingStaffCheck: Bool
    ) throws(StoreError) -> CommandReceipt {
        try commandState.withLock { (state: inout CommandState) throws(StoreError) -> CommandReceipt in
            if let receipt = try receiptOfEarlierRun(commandID: commandID, state: &state) { return receipt }
            let now = environment.clock.nowMicroseconds()
            let effective = effectiveTimeMicroseconds ?? now
            try Self.checkEffectiveTime(effective, now: now, reason: reason)
            if !skippingStaffCheck,
                let refusal = Permissions.refusal(of: command.action, by: actor, in: try staffDirectory(&state.cache))
            {
                try recordDenial(refusal, patientID: command.patientID, commandID: commandID, now: now, state: &state)
                throw refusal.error
            }
            var createdKey = false
            let decision: StreamDecision
            do throws(StoreError) {
                // The rules judge the moment it happened: a late entry's time rules (an appointment not in the past, a
                // cancellation under 24 hours, a consent in force) are those of its effective time.
                decision = try decide(command, by: actor, now: effective, cache: &state.cache, createdKey: &createdKey)
            } catch {
                if error.category == .permissionDenied {
                    let refusal = AccessRefusal(action: command.action, actor: actor, cause: .roleNotPermitted)
                    try recordDenial(
                        refusal, patientID: command.patientID, commandID: commandID, now: now, state: &state)
                }
                throw error
            }
            if createdKey { try saveCreatedKeys(&state) }
            return try append(
                decision, commandID: commandID, actor: actor, effectiveTimeMicroseconds: effective, reason: reason,
                now: now, state: &state)
        }
    }

    /// Starts holding decided commands in memory instead of appending each one: `commitBatch()` appends them all
    /// in one durable write. Every command still sees the ones before it. For bulk work such as `clinic demo`.
    public func beginBatch() {
        commandState.withLock { state in
            guard state.batch == nil else { return }
            state.batch = []
            state.batchFirstPosition = log.nextPosition
            state.cache.held = [:]
        }
    }

    /// Appends every command held since `beginBatch()` in one durable write, and stops batching.
    ///
    /// On a storage failure nothing of the batch is stored, and the store forgets its cached decision states.
    public func commitBatch() throws(StoreError) {
        try commandState.withLock { (state: inout CommandState) throws(StoreError) in
            try flush(&state)
            state.batch = nil
            state.cache.held = nil
        }
    }

    /// Saves the keyring after a key was created: now, or while a batch is held, just before the batch is written
    /// (one keyring write per batch instead of one per registration; the keys are durable before any event sealed
    /// with them is).
    private func saveCreatedKeys(_ state: inout CommandState) throws(StoreError) {
        if state.batch != nil {
            state.keyringUnsaved = true
        } else {
            try saveKeyring()
        }
    }

    private func flush(_ state: inout CommandState) throws(StoreError) {
        if state.keyringUnsaved {
            try saveKeyring()
            state.keyringUnsaved = false
        }
        guard let batch = state.batch, !batch.isEmpty else { return }
        state.batch = []
        state.batchEventCount = 0
        state.batchBytes = 0
        let erasures = state.heldErasures
        state.heldErasures = []
        do {
            _ = try log.appendAndWait(batch)
        } catch {
            state.cache = DecisionCache()
            state.cache.held = state.batch == nil ? nil : [:]
            state.batchEventIDs = [:]
            throw StoreError.storage(error)
        }
        state.batchEventIDs = [:]
        state.batchFirstPosition = log.nextPosition
        state.cache.held = [:]
        try destroyKeys(ofErased: erasures, state: &state)
    }

    /// Refuses an effective time in the future beyond the tolerance, and a late entry (more than a day earlier)
    /// without a reason (`EffectiveTimePolicy`).
    static func checkEffectiveTime(_ effective: Int64, now: Int64, reason: String?) throws(StoreError) {
        do throws(EffectiveTimeRefusal) {
            try EffectiveTimePolicy().check(effectiveTimeMicroseconds: effective, nowMicroseconds: now, reason: reason)
        } catch {
            let code = if case .inFuture = error { "effectiveTimeInFuture" } else { "lateEntryWithoutReason" }
            throw StoreError(.refused, code: code, message: error.message)
        }
    }

    /// The receipt of a command already recorded with `commandID` (stored, or held in the current batch), or nil.
    /// A stored erasure whose key may still be on disk (its keyring write failed) is finished first.
    private func receiptOfEarlierRun(
        commandID: EventID, state: inout CommandState
    ) throws(StoreError) -> CommandReceipt? {
        if let held = state.batchEventIDs[commandID] {
            return CommandReceipt(
                commandID: commandID, stream: held.stream, positions: [held.position], streamVersions: [held.version],
                events: [held.event], alreadyRecorded: true)
        }
        let position: UInt64?
        do {
            position = try log.position(of: commandID)
        } catch {
            throw StoreError.storage(error)
        }
        guard let position else { return nil }
        let stored: StoredEvent
        do {
            stored = try codec.decodeStored(try log.reader().record(at: position), opening: keyring)
        } catch {
            throw StoreError(
                .storage, code: "damagedEvent",
                message: "The event at position \(position) could not be read: \(error).")
        }
        try finishRetriedErasure(stored.event, state: &state)
        return CommandReceipt(
            commandID: commandID, stream: stored.envelope.stream, positions: [position],
            streamVersions: [stored.streamVersion], events: [stored.event], alreadyRecorded: true)
    }

    /// Encodes the decision's events (sealing patient data) and appends them with the version they were decided on.
    ///
    /// Public so that callers holding a decision made elsewhere (and tests of concurrent decisions) append it the
    /// same way; a decision made on an outdated state fails with a `conflict` and appends nothing.
    public func append(
        _ decision: StreamDecision, commandID: EventID, actor: StaffActor, effectiveTimeMicroseconds: Int64,
        reason: String? = nil
    ) throws(StoreError) -> CommandReceipt {
        try commandState.withLock { (state: inout CommandState) throws(StoreError) -> CommandReceipt in
            try append(
                decision, commandID: commandID, actor: actor, effectiveTimeMicroseconds: effectiveTimeMicroseconds,
                reason: reason, now: environment.clock.nowMicroseconds(), state: &state)
        }
    }

    func append(
        _ decision: StreamDecision, commandID: EventID, actor: StaffActor, effectiveTimeMicroseconds: Int64,
        reason: String?, now: Int64, state: inout CommandState
    ) throws(StoreError) -> CommandReceipt {
        guard !decision.events.isEmpty else {
            return CommandReceipt(
                commandID: commandID, stream: decision.stream, positions: [], streamVersions: [], events: [],
                alreadyRecorded: true)
        }
        var appendEvents: [AppendEvent] = []
        var appended: [(stream: String, eventID: EventID, event: ClinicEvent)] = []
        for (index, event) in decision.events.enumerated() {
            let eventID = index == 0 ? commandID : EventID.derived(from: commandID.bytes + [UInt8(index & 0xFF)])
            let envelope: EventEnvelope
            do {
                envelope = try EventEnvelope(
                    stream: decision.stream, eventID: eventID, eventType: event.eventType,
                    schemaVersion: event.schemaVersion, recordedTimeMicroseconds: now,
                    effectiveTimeMicroseconds: effectiveTimeMicroseconds, actorStaffID: actor.staffID,
                    actorRole: actor.role, reason: reason, correlationID: commandID)
            } catch {
                throw StoreError(
                    .usage, code: "envelope", message: "The request breaks the envelope rule '\(error)'; correct it.")
            }
            appendEvents.append(AppendEvent(eventID: eventID, payload: try encode(event, envelope: envelope)))
            appended.append((decision.stream, eventID, event))
        }
        let expected: ExpectedVersion =
            decision.decidedOnStreamVersion == 0 ? .noStream : .exactly(decision.decidedOnStreamVersion)
        let streamAppend = StreamAppend(stream: decision.stream, expectedVersion: expected, events: appendEvents)
        let erasures = Self.erasedPatients(in: decision.events)
        try markErasuresPending(erasures)
        if state.batch != nil {
            let receipt = try hold(
                streamAppend, decision: decision, commandID: commandID, appended: appended, state: &state)
            state.heldErasures += erasures
            return receipt
        }
        let result: AppendResult
        do {
            result = try log.appendAndWait([streamAppend])
        } catch {
            throw StoreError.storage(error)
        }
        state.cache.apply(appended)
        try destroyKeys(ofErased: erasures, state: &state)
        environment.logger.debug(
            "command recorded",
            metadata: ["stream": "\(decision.stream)", "position": "\(result.positions.first ?? 0)"])
        return CommandReceipt(
            commandID: commandID, stream: decision.stream, positions: result.positions,
            streamVersions: result.streamVersions, events: decision.events, alreadyRecorded: result.alreadyStored)
    }

    /// Holds a decided append in the current batch, writing the batch first when it is full.
    private func hold(
        _ streamAppend: StreamAppend, decision: StreamDecision, commandID: EventID,
        appended: [(stream: String, eventID: EventID, event: ClinicEvent)], state: inout CommandState
    ) throws(StoreError) -> CommandReceipt {
        let bytes = streamAppend.events.reduce(0) { $0 + $1.payload.count + 64 + streamAppend.stream.utf8.count }
        if state.batchEventCount + streamAppend.events.count > CommandState.batchEventCountMax
            || state.batchBytes + bytes > CommandState.batchBytesMax
        {
            try flush(&state)
        }
        let firstPosition = state.batchFirstPosition + UInt64(state.batchEventCount)
        let count = UInt64(streamAppend.events.count)
        let positions = Array(firstPosition..<(firstPosition + count))
        let versions = Array((decision.decidedOnStreamVersion + 1)...(decision.decidedOnStreamVersion + count))
        state.batch?.append(streamAppend)
        state.batchEventCount += streamAppend.events.count
        state.batchBytes += bytes
        if let first = decision.events.first {
            state.batchEventIDs[commandID] = (decision.stream, firstPosition, versions[0], first)
        }
        state.cache.apply(appended)
        return CommandReceipt(
            commandID: commandID, stream: decision.stream, positions: positions, streamVersions: versions,
            events: decision.events, alreadyRecorded: false)
    }

    /// Encodes one event with its patient data sealed under the patient's key.
    private func encode(_ event: ClinicEvent, envelope: EventEnvelope) throws(StoreError) -> [UInt8] {
        do {
            return try codec.encode(
                event, envelope: envelope, sealingWith: PatientDataSealer(keyring: keyring, random: environment.random))
        } catch {
            throw StoreError(
                .storage, code: "sealing",
                message: "The event's patient data could not be encrypted (\(error)); check the patient's key.")
        }
    }

    /// Writes the keyring durably: after a key creation, before the append it guards; for an erasure, before the
    /// marker's append (the pending mark) and after it (the destroyed key).
    func saveKeyring() throws(StoreError) {
        do {
            try environment.fileSystem.writeAtomically(keyring.serialized(), to: location.keyringPath)
        } catch {
            throw StoreError(
                .storage, code: "keyringWrite", message: "The patient keyring could not be written: \(error).")
        }
    }
}

/// What the store keeps between commands, guarded by one lock: the decision states and the batch being held.
struct CommandState: Sendable {
    /// The most events one batch write holds.
    static let batchEventCountMax = 5_000
    /// The most payload bytes one batch write holds.
    static let batchBytesMax = 4 << 20

    var cache = DecisionCache()
    var batch: [StreamAppend]?
    var batchEventCount = 0
    /// The position the first event held in the batch will get (the writer lock keeps anyone else from appending).
    var batchFirstPosition: UInt64 = 0
    var batchBytes = 0
    var batchEventIDs: [EventID: (stream: String, position: UInt64, version: UInt64, event: ClinicEvent)] = [:]
    /// Whether the keyring in memory holds changes its file lacks: keys created for commands held in the batch, or a
    /// destroyed key whose keyring write failed.
    var keyringUnsaved = false
    /// The patients whose `PatientErased` marker is held in the batch: their keys are destroyed once it is written.
    var heldErasures: [EventID] = []
}

/// Adapts the store's random byte source to the log's random source protocol.
struct RandomSourceAdapter: RandomSource {
    let random: RandomByteSource

    func bytes(count: Int) -> [UInt8] { random.bytes(count: count) }
}

extension EventID {
    /// A deterministic id derived from `bytes` (the first 16 bytes of their SHA-256): the ids a command makes are
    /// derived from its command id, so that every attempt of the command makes the same ones.
    public static func derived(from bytes: [UInt8]) -> EventID {
        let digest = Array(SHA256.hash(data: bytes))
        guard let id = EventID(bytes: digest[0..<16]) else { preconditionFailure("16 bytes make an event id") }
        return id
    }
}
