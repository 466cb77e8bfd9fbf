import ClinicEvents
import Crypto
import RecordLog

/// Read-only access to a store: decoded events and the state of any record, without the writer lock.
///
/// Readers see a consistent prefix of the log while a writer appends. Patient data is decrypted with the keyring as
/// it was when the reader was made, except that a patient whose key is marked erasure-pending and whose
/// `PatientErased` marker is in the log reads as erased (an erasure interrupted before its key was destroyed).
public struct StoreReader: Sendable {
    /// Where the store's files are.
    public let location: StoreLocation
    /// The office's time zone.
    public let calendar: OfficeCalendar
    /// The log reader underneath.
    public let logReader: LogReader
    /// The patients' data keys.
    public var keyring: PatientKeyring { keys.keyring }
    /// The event codec.
    public let codec: EventCodec
    let keys: StoreKeys
    /// The retention policy of `store.settings`, read at open: honoured only while the log records none.
    let settingsRetentionPolicy: RetentionPolicy?
    /// The copy of the staff stream's records (`views/streams.cache`), shared by the copies of this reader.
    let streamCache: StreamRecordCache

    init(
        location: StoreLocation, calendar: OfficeCalendar, reader: LogReader, codec: EventCodec, keys: StoreKeys,
        settingsRetentionPolicy: RetentionPolicy?, streamCache: StreamRecordCache
    ) {
        self.location = location
        self.calendar = calendar
        self.logReader = reader
        self.codec = codec
        self.keys = keys
        self.settingsRetentionPolicy = settingsRetentionPolicy
        self.streamCache = streamCache
    }

    /// Opens the store at `location` for reading only; no writer lock is taken.
    public static func open(at location: StoreLocation, environment: StoreEnvironment) throws(StoreError) -> StoreReader
    {
        let fileSystem = environment.fileSystem
        guard fileSystem.exists(location.settingsPath) else {
            throw StoreError(
                .notFound, code: "noStore",
                message: "No store at \(location.root); run `clinic init --store PATH` first or pass the right --store."
            )
        }
        let settings = try StoreSettings.load(from: location.settingsPath, fileSystem: fileSystem)
        let keys = try StoreKeys.load(location: location, environment: environment)
        let codec: EventCodec
        do {
            codec = try EventCodec()
        } catch {
            preconditionFailure("the standard event catalogue is valid: \(error)")
        }
        let reader = StoreReader(
            location: location, calendar: settings.calendar,
            reader: LogReader(directory: location.logDirectory, fileSystem: fileSystem), codec: codec, keys: keys,
            settingsRetentionPolicy: settings.legacyRetentionPolicy,
            streamCache: StreamRecordCache(
                location: location, fileSystem: fileSystem, keyBytes: keys.streamCacheKeyBytes,
                random: environment.random))
        try reader.settlePendingErasures()
        return reader
    }

    /// Treats every patient whose key is marked erasure-pending and whose `PatientErased` marker is in the log as
    /// erased, by dropping the key from this reader's keyring in memory (the file is the writer's to change).
    func settlePendingErasures() throws(StoreError) {
        for patientID in keyring.erasurePendingPatientIDs where try holdsErasureMarker(of: patientID) {
            keyring.destroyKey(for: patientID)
        }
    }

    /// Whether the log holds the patient's `PatientErased` marker, read from their patient stream without opening
    /// any sealed value.
    func holdsErasureMarker(of patientID: EventID) throws(StoreError) -> Bool {
        let records: [LogRecord]
        do {
            records = try logReader.records(inStream: PatientRecordState.streamName(for: patientID))
        } catch {
            throw StoreError.storage(error)
        }
        for record in records.reversed() {
            let stored: StoredEvent
            do {
                stored = try codec.decodeStored(record)
            } catch {
                throw Self.damaged(position: record.position, error)
            }
            if case .patientErased(let erased) = stored.event, erased.patientID == patientID { return true }
        }
        return false
    }

    /// The signer's public key, which verifies this store's checkpoints.
    public var checkpointPublicKey: [UInt8] { keys.checkpointSigner.publicKey }

    /// The key that encrypts the views' checkpoints.
    public var viewCheckpointKey: SymmetricKey { keys.viewCheckpointKey }

    /// The number of events in the log (the position the next one will get).
    public func endPosition() throws(StoreError) -> UInt64 {
        do {
            return try logReader.endPosition()
        } catch {
            throw StoreError.storage(error)
        }
    }

    /// Calls `body` with every event from `position` on, in log order, until it returns false; returns the position
    /// after the last event read.
    @discardableResult
    public func forEachEvent(
        from position: UInt64 = 0, _ body: (StoredEvent) -> Bool
    ) throws(StoreError) -> UInt64 {
        var failure: StoreError?
        let end: UInt64
        do {
            end = try logReader.forEachRecordView(from: position) { view in
                do {
                    return body(try decodeStored(view))
                } catch {
                    failure = Self.damaged(position: view.position, error)
                    return false
                }
            }
        } catch {
            throw StoreError.storage(error)
        }
        if let failure { throw failure }
        return end
    }

    /// Every event of `stream`, oldest first.
    public func events(inStream stream: String) throws(StoreError) -> [StoredEvent] {
        let records: [LogRecord]
        do {
            records = try logReader.records(inStream: stream)
        } catch {
            throw StoreError.storage(error)
        }
        var events: [StoredEvent] = []
        events.reserveCapacity(records.count)
        for record in records { events.append(try decode(record)) }
        return events
    }

    private func decode(_ record: LogRecord) throws(StoreError) -> StoredEvent {
        do {
            return try decodeStored(record)
        } catch {
            throw Self.damaged(position: record.position, error)
        }
    }

    /// Decodes a record, re-reading the keyring once when the record's patient has no key in it yet (registered
    /// by another process after this reader opened).
    public func decodeStored(_ view: LogRecordView) throws -> StoredEvent {
        do {
            return try codec.decodeStored(view, opening: keyring)
        } catch let error as EventDecodingError {
            guard case .sealedValueUnreadable(.noKey) = error.kind, try reloadKeyring() else { throw error }
            return try codec.decodeStored(view, opening: keyring)
        }
    }

    /// Re-reads the keyring file and settles its pending erasures; false when it could not be read.
    private func reloadKeyring() throws(StoreError) -> Bool {
        guard keys.keyringSource.reload() else { return false }
        try settlePendingErasures()
        return true
    }

    /// Decodes a copied record; see `decodeStored(_:)` for views.
    public func decodeStored(_ record: LogRecord) throws -> StoredEvent {
        do {
            return try codec.decodeStored(record, opening: keyring)
        } catch let error as EventDecodingError {
            guard case .sealedValueUnreadable(.noKey) = error.kind, try reloadKeyring() else { throw error }
            return try codec.decodeStored(record, opening: keyring)
        }
    }

    static func damaged(position: UInt64, _ error: any Error) -> StoreError {
        StoreError(
            .storage, code: "damagedEvent",
            message: "The event at position \(position) could not be decoded (\(error)); run `clinic audit verify`.")
    }

    /// The fold of `stream`'s events into `initial` with `apply`, in place.
    func fold<State>(
        _ stream: String, from initial: State, _ apply: (inout State, StoredEvent) -> Void
    ) throws(StoreError) -> State {
        var state = initial
        for event in try events(inStream: stream) { apply(&state, event) }
        return state
    }

    /// A patient's lifecycle record.
    public func patientRecord(_ patientID: EventID) throws(StoreError) -> PatientRecordState {
        try fold(PatientRecordState.streamName(for: patientID), from: PatientRecordState(patientID: patientID)) {
            $0.apply($1.event, eventID: $1.envelope.eventID)
        }
    }

    /// A provider's schedule.
    public func schedule(of provider: StaffID) throws(StoreError) -> ProviderSchedule {
        try fold(ProviderSchedule.streamName(for: provider), from: ProviderSchedule(providerStaffID: provider)) {
            $0.apply($1.event)
        }
    }

    /// The encounters opened on a provider's schedule.
    public func encounters(of provider: StaffID) throws(StoreError) -> EncounterLedger {
        try fold(ProviderSchedule.streamName(for: provider), from: EncounterLedger()) { $0.apply($1.event) }
    }

    /// A patient's chart decision state.
    public func chart(of patientID: EventID) throws(StoreError) -> ChartState {
        try fold(ChartState.streamName(for: patientID), from: ChartState(patientID: patientID)) {
            $0.apply($1.event)
        }
    }

    /// A patient's account.
    public func account(of patientID: EventID) throws(StoreError) -> PatientAccount {
        try fold(PatientAccount.streamName(for: patientID), from: PatientAccount(patientID: patientID)) {
            $0.apply($1.event)
        }
    }

    /// The office's day book: which days are closed.
    public func dayBook() throws(StoreError) -> DayBook {
        try fold(DayBook.streamName, from: DayBook()) { $0.apply($1.event) }
    }

    /// A patient's consents, authorizations, restrictions and disclosures.
    public func consents(of patientID: EventID) throws(StoreError) -> ConsentState {
        try fold(ConsentState.streamName(for: patientID), from: ConsentState(patientID: patientID)) {
            $0.apply($1.event)
        }
    }

    /// A patient's insurance coverages.
    public func coverage(of patientID: EventID) throws(StoreError) -> CoverageState {
        try fold(CoverageState.streamName(for: patientID), from: CoverageState(patientID: patientID)) {
            $0.apply($1.event)
        }
    }

    /// The staff members and the roles they hold.
    ///
    /// The staff stream's records come from the stream cache (`views/streams.cache`) and the log's records after its
    /// newest; `saveStreamCache()` writes what this read added to it.
    public func staffDirectory() throws(StoreError) -> StaffDirectory {
        let records: [LogRecord]
        do {
            records = try streamCache.records(inStream: StaffDirectory.streamName, reader: logReader)
        } catch {
            throw StoreError.storage(error)
        }
        var directory = StaffDirectory()
        for record in records { directory.apply(try decode(record).event) }
        return directory
    }

    /// Writes the stream cache (`views/streams.cache`) when a read of this reader (or of a copy) found staff records
    /// it lacks; returns whether it was written. Call it once a command succeeded: a refused command leaves the
    /// store's files as they were. A failed write is not an error (the next command reads the log again).
    @discardableResult
    public func saveStreamCache() -> Bool {
        streamCache.saveIfChanged()
    }

    /// The payers defined.
    public func payerList() throws(StoreError) -> PayerList {
        try fold(StaffDirectory.payersStreamName, from: PayerList()) { $0.apply($1.event) }
    }

    /// The office's fee schedule, folded from the `fees` stream alone (read through the stream index).
    public func feeSchedule() throws(StoreError) -> FeeSchedule {
        try fold(FeeSchedule.streamName, from: FeeSchedule()) { $0.apply($1.event) }
    }

    /// The retention policy the log records, folded from the `retention` stream alone (read through the stream
    /// index); see `retentionPolicy()` for the policy in force.
    public func retentionPolicyState() throws(StoreError) -> RetentionPolicyState {
        try fold(RetentionPolicyState.streamName, from: RetentionPolicyState()) { $0.apply($1.event) }
    }
}

/// The staff members and their roles: a fold over the `staff` stream.
public struct StaffDirectory: Equatable, Sendable {
    /// The name of the stream of staff events.
    public static let streamName = "staff"
    /// The name of the stream of payer definitions.
    public static let payersStreamName = "payers"

    /// One staff member.
    public struct Member: Equatable, Sendable {
        /// The name shown in lists.
        public var displayName: String
        /// The roles held now.
        public var roles: Set<StaffRole>
    }

    /// Every staff member by id.
    public private(set) var members: [StaffID: Member] = [:]
    /// The version of the staff stream folded.
    public private(set) var streamVersion: UInt64 = 0

    /// An empty directory.
    public init() {}

    /// Folds one more staff event.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .staffMemberAdded(let added):
            members[added.staffID] = Member(displayName: added.displayName, roles: Set(added.roles))
        case .staffRoleGranted(let granted):
            members[granted.staffID]?.roles.insert(granted.role)
        case .staffRoleRevoked(let revoked):
            members[revoked.staffID]?.roles.remove(revoked.role)
        default:
            break
        }
    }
}
