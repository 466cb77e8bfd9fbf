import ClinicEvents
import RecordLog

/// What an authorized read was allowed as.
public enum AccessGrant: Equatable, Sendable {
    /// The role may do it; a read of a patient's record was logged.
    case permitted
    /// The role may not open the chart, but the staff member broke the glass with a reason; both were logged.
    case brokeGlass
}

extension ClinicStore {
    /// The stream of the access log: record accesses, break-glass uses, refusals, sign-ins and passphrase changes.
    public static let accessStreamName = "access"
    /// The stream of key management events (master key rotations).
    public static let keysStreamName = "office-keys"

    /// Checks that `actor` may do `action` (a read, or an office task that decides nothing) and logs it: a refusal
    /// appends `AccessDenied` and throws `permissionDenied`; an allowed read of a patient's record
    /// (`action.recordArea`) appends `RecordAccessed`.
    ///
    /// - Parameters:
    ///   - patientID: the patient whose record is read, for actions that read one.
    ///   - purpose: why; nil for the area's usual purpose (chart: treatment, ledger: payment, export: the patient's
    ///     request, otherwise health-care operations).
    ///   - breakGlassReason: for `viewChart` only: a staff member on staff whose role may not read charts opens it
    ///     anyway, stating why (1 to 256 bytes, sealed with the patient's key); `BreakGlassUsed` is appended too.
    ///   - commandID: the id of the first event appended (a retry appends nothing new).
    @discardableResult
    public func authorize(
        _ action: StoreAction, of patientID: EventID? = nil, by actor: StaffActor, purpose: AccessPurpose? = nil,
        breakGlassReason: String? = nil, commandID: EventID
    ) throws(StoreError) -> AccessGrant {
        if breakGlassReason != nil, action != .viewChart {
            throw StoreError(
                .usage, code: "breakGlassNotApplicable",
                message: "Breaking the glass opens a chart only (clinic chart).")
        }
        return try commandState.withLock { (state: inout CommandState) throws(StoreError) -> AccessGrant in
            let now = environment.clock.nowMicroseconds()
            var grant = AccessGrant.permitted
            var events: [ClinicEvent] = []
            if let refusal = Permissions.refusal(of: action, by: actor, in: try staffDirectory(&state.cache)) {
                guard refusal.cause == .roleNotPermitted, let breakGlassReason, let patientID else {
                    try recordDenial(refusal, patientID: patientID, commandID: commandID, now: now, state: &state)
                    throw refusal.error
                }
                if !keyring.isErased(patientID) {
                    do {
                        events.append(
                            .breakGlassUsed(
                                try BreakGlassUsed(
                                    staffID: actor.staffID, patientID: patientID, reason: breakGlassReason)
                            ))
                    } catch {
                        throw StoreError(
                            .usage, code: "breakGlassReason",
                            message: "Give the emergency's reason in 1 to 256 bytes with --break-glass \"REASON\".")
                    }
                }
                grant = .brokeGlass
            }
            if let area = action.recordArea, let patientID {
                events.append(
                    .recordAccessed(
                        RecordAccessed(
                            staffID: actor.staffID, patientID: patientID, area: area,
                            purpose: purpose ?? Self.usualPurpose(of: area))))
            }
            if !events.isEmpty {
                try appendAccessEvents(events, by: actor, commandID: commandID, now: now, state: &state)
            }
            return grant
        }
    }

    /// The purpose a read of `area` has unless staff say otherwise.
    public static func usualPurpose(of area: RecordArea) -> AccessPurpose {
        switch area {
        case .chart: .treatment
        case .ledger: .payment
        case .export: .patientRequest
        case .history, .demographics, .disclosures: .operations
        }
    }

    /// Appends the `AccessDenied` event of `refusal` (its id derived from the command's, so a retried refusal is
    /// logged once).
    func recordDenial(
        _ refusal: AccessRefusal, patientID: EventID?, commandID: EventID, now: Int64, state: inout CommandState
    ) throws(StoreError) {
        try appendAccessEvents(
            [.accessDenied(refusal.event(patientID: patientID))], by: refusal.actor,
            commandID: EventID.derived(from: commandID.bytes + Array("access denied".utf8)), now: now, state: &state)
    }

    /// Appends `events` to the access stream in one atomic append, whatever its version (the access stream has no
    /// rule to decide on).
    @discardableResult
    func appendAccessEvents(
        _ events: [ClinicEvent], by actor: StaffActor, commandID: EventID, now: Int64, state: inout CommandState
    ) throws(StoreError) -> CommandReceipt {
        try appendUndecided(
            events, to: Self.accessStreamName, by: actor, commandID: commandID, now: now, state: &state)
    }

    /// Appends `events` to `stream` at its current version (including events held in the current batch).
    func appendUndecided(
        _ events: [ClinicEvent], to stream: String, by actor: StaffActor, commandID: EventID, now: Int64,
        state: inout CommandState
    ) throws(StoreError) -> CommandReceipt {
        let held = (state.batch ?? []).reduce(0) { $0 + ($1.stream == stream ? $1.events.count : 0) }
        let decision = StreamDecision(
            stream: stream, decidedOnStreamVersion: log.version(of: stream) + UInt64(held), events: events)
        return try append(
            decision, commandID: commandID, actor: actor, effectiveTimeMicroseconds: now, reason: nil, now: now,
            state: &state)
    }
}

/// One entry of the access log, as `clinic audit access` lists it.
public struct AccessLogEntry: Equatable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Sendable {
        /// A part of a patient's record was read, for a purpose.
        case recordAccessed(area: RecordArea, purpose: AccessPurpose)
        /// The glass was broken to open a chart, with this reason (withheld text when the patient was erased).
        case breakGlass(reason: String)
        /// A request was refused.
        case accessDenied(action: String, cause: AccessDenialCause)
        /// A sign-in succeeded.
        case signedIn
        /// A sign-in failed.
        case signInFailed(cause: SignInFailureCause, consecutiveFailures: UInt32)
        /// A session ended.
        case signedOut(cause: SessionEndCause)
        /// A passphrase was set (by the envelope's actor).
        case passphraseSet
    }

    /// The log position of the event.
    public let position: UInt64
    /// When it was recorded, in microseconds since 1970.
    public let recordedTimeMicroseconds: Int64
    /// The staff member it is about (the one who read, was refused, signed in, or whose passphrase was set).
    public let staffID: StaffID
    /// The staff member who issued the event (differs for a passphrase set by an office manager).
    public let actorStaffID: StaffID
    /// The role acted in (`system` for sign-in events).
    public let role: StaffRole
    /// The patient whose record it names, if any.
    public let patientID: EventID?
    /// What happened.
    public let kind: Kind
    /// Whether a compliance officer must review it: break-glass uses and the reads made under them.
    public let isFlagged: Bool
}

extension StoreReader {
    /// The access log, oldest first: every entry naming `patient` (when given) and every entry about or by `staff`
    /// (when given); everything when both are nil.
    public func accessLog(patient: EventID? = nil, staff: StaffID? = nil) throws(StoreError) -> [AccessLogEntry] {
        let events = try events(inStream: ClinicStore.accessStreamName)
        let brokeGlass = Set(
            events.compactMap { event -> EventID? in
                guard case .breakGlassUsed = event.event else { return nil }
                return event.envelope.correlationID ?? event.envelope.eventID
            })
        var entries: [AccessLogEntry] = []
        for stored in events {
            let envelope = stored.envelope
            let flagged = brokeGlass.contains(envelope.correlationID ?? envelope.eventID)
            let entry: (StaffID, EventID?, AccessLogEntry.Kind)
            switch stored.event {
            case .recordAccessed(let body):
                entry = (body.staffID, body.patientID, .recordAccessed(area: body.area, purpose: body.purpose))
            case .breakGlassUsed(let body): entry = (body.staffID, body.patientID, .breakGlass(reason: body.reason))
            case .accessDenied(let body):
                entry = (body.staffID, body.patientID, .accessDenied(action: body.action, cause: body.cause))
            case .staffSignedIn(let body): entry = (body.staffID, nil, .signedIn)
            case .signInFailed(let body):
                entry = (
                    body.staffID, nil,
                    .signInFailed(cause: body.cause, consecutiveFailures: body.consecutiveFailures)
                )
            case .staffSignedOut(let body): entry = (body.staffID, nil, .signedOut(cause: body.cause))
            case .passphraseSet(let body): entry = (body.staffID, nil, .passphraseSet)
            default: continue
            }
            if let patient, entry.1 != patient { continue }
            if let staff, entry.0 != staff, envelope.actorStaffID != staff { continue }
            entries.append(
                AccessLogEntry(
                    position: stored.position, recordedTimeMicroseconds: envelope.recordedTimeMicroseconds,
                    staffID: entry.0, actorStaffID: envelope.actorStaffID, role: envelope.actorRole,
                    patientID: entry.1, kind: entry.2, isFlagged: flagged))
        }
        return entries
    }
}
