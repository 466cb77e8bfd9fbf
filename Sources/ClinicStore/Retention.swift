import ClinicEvents
import RecordLog

/// How long the office keeps a patient's record: the last `RetentionPolicySet` of the log's `retention` stream (see
/// `StoreReader.retentionPolicyInForce()` for the policy of a store made before the policy was an event).
///
/// A record is kept for `years` after the patient's last activity (the last event recorded on any of the patient's
/// own streams: demographics, chart, account, coverage, consents); for a patient who was a minor at that last
/// activity, also until `minorYears` after their 18th birthday, whichever is later. Records merged into another are
/// kept as long as the record they were merged into. Years are calendar years (February 29 plus a year is March 1).
public struct RetentionPolicy: Equatable, Sendable {
    /// The retention years accepted: at least the six years HIPAA asks documentation to be kept (45 CFR
    /// 164.316(b)(2)), at most a century (`RetentionPolicySet.yearsRange`).
    public static let yearsRange: ClosedRange<Int> = RetentionPolicySet.yearsRange
    /// The years after the 18th birthday accepted for minors (`RetentionPolicySet.minorYearsRange`).
    public static let minorYearsRange: ClosedRange<Int> = RetentionPolicySet.minorYearsRange

    /// Years after the last activity.
    public let years: Int
    /// Years after the 18th birthday, for a patient who was a minor at the last activity.
    public let minorYears: Int

    /// Creates a policy, or nil when a value is outside its range.
    public init?(years: Int, minorYears: Int) {
        guard Self.yearsRange.contains(years), Self.minorYearsRange.contains(minorYears) else { return nil }
        self.years = years
        self.minorYears = minorYears
    }

    /// The policy an event recorded.
    public init(_ event: RetentionPolicySet) {
        years = event.years
        minorYears = event.minorYears
    }

    /// The last day a record is kept (days since 1970-01-01): the later of `years` after the last activity and, for a
    /// minor at the last activity, `minorYears` after the 18th birthday.
    public func lastRetainedDay(lastActivityDay: Int64, birthDay: Int64?) -> Int64 {
        var end = Self.adding(years: years, to: lastActivityDay)
        if let birthDay {
            let majority = Self.adding(years: 18, to: birthDay)
            if lastActivityDay < majority { end = max(end, Self.adding(years: minorYears, to: majority)) }
        }
        return end
    }

    /// `days` moved `years` calendar years on.
    static func adding(years: Int, to days: Int64) -> Int64 {
        let date = DemoCalendar.civilDate(ofDaysSince1970: days)
        return DemoCalendar.daysSince1970(year: date.year + Int64(years), month: date.month, day: date.day)
    }
}

/// One patient record whose retention period ended, or that is held past it.
public struct RetentionCandidate: Equatable, Sendable {
    /// The patient.
    public let patientID: EventID
    /// The day of the last event recorded on the patient's streams (office-local).
    public let lastActivityDay: Int64
    /// The last day the policy keeps the record.
    public let lastRetainedDay: Int64
    /// Why the record is kept although its period ended (nil: it is due for erasure).
    public let heldBecause: RetentionHold?
    /// The duplicate records merged into this one (directly or not), erased with it.
    public let mergedPatientIDs: [EventID]
}

/// Why a record past its retention period is not erased.
public enum RetentionHold: String, Equatable, Sendable {
    /// The patient's account has a balance or an unapplied payment: the books are settled first.
    case openBalance
}

extension StoreReader {
    /// The patient records whose retention period under `policy` ended before `beforeDay` (days since
    /// 1970-01-01, office-local), oldest first, each either due for erasure or held (an open balance). Erased
    /// records and records merged into another (they follow the record they were merged into) are not listed.
    ///
    /// Reads the whole log once (record headers for every stream; the events of the patient and account streams).
    public func retentionCandidates(
        policy: RetentionPolicy, beforeDay: Int64
    ) throws(StoreError) -> [RetentionCandidate] {
        let zero = EventID(high: 0, low: 0)
        let prefixes = [
            PatientRecordState.streamName(for: zero), ChartState.streamName(for: zero),
            PatientAccount.streamName(for: zero), CoverageState.streamName(for: zero),
            ConsentState.streamName(for: zero),
        ].map { String($0.dropLast(zero.description.count)) }
        let idLength = zero.description.count
        var lastActivity: [EventID: Int64] = [:]
        var records: [EventID: PatientRecordState] = [:]
        var accounts: [EventID: PatientAccount] = [:]
        var failure: StoreError?
        do throws(RecordLogError) {
            try logReader.forEachRecordView { (view: LogRecordView) -> Bool in
                let stream = view.stream
                guard stream.count > idLength,
                    let prefixIndex = prefixes.firstIndex(where: { stream.hasPrefix($0) }),
                    stream.count == prefixes[prefixIndex].count + idLength,
                    let patientID = EventID(String(stream.suffix(idLength)))
                else { return true }
                lastActivity[patientID] = max(lastActivity[patientID] ?? .min, view.recordedTimeMicroseconds)
                guard prefixIndex == 0 || prefixIndex == 2 else { return true }
                let stored: StoredEvent
                do {
                    stored = try decodeStored(view)
                } catch {
                    failure = Self.damaged(position: view.position, error)
                    return false
                }
                if prefixIndex == 0 {
                    records[patientID, default: PatientRecordState(patientID: patientID)].apply(
                        stored.event, eventID: stored.envelope.eventID)
                } else {
                    accounts[patientID, default: PatientAccount(patientID: patientID)].apply(stored.event)
                }
                return true
            }
        } catch {
            throw StoreError.storage(error)
        }
        if let failure { throw failure }
        // A merged record's activity counts for the record it lives on in, and the other way round.
        var groupActivity: [EventID: Int64] = [:]
        func survivor(of id: EventID) -> EventID {
            var current = id
            var steps = 0
            while case .mergedInto(let next) = records[current]?.status, steps < records.count {
                current = next
                steps += 1
            }
            return current
        }
        for (id, time) in lastActivity {
            let root = survivor(of: id)
            groupActivity[root] = max(groupActivity[root] ?? .min, time)
        }
        var members: [EventID: [EventID]] = [:]
        for id in records.keys { members[survivor(of: id), default: []].append(id) }
        var candidates: [RetentionCandidate] = []
        for (id, record) in records where record.status == .active {
            guard let time = groupActivity[id] else { continue }
            let lastDay = calendar.localDay(atMicroseconds: time)
            let retained = policy.lastRetainedDay(lastActivityDay: lastDay, birthDay: record.birthDateDaysSince1970)
            guard retained < beforeDay else { continue }
            let merged = members[id] ?? [id]
            let duplicates = merged.filter { $0 != id && records[$0]?.status != .erased }.sorted {
                $0.description < $1.description
            }
            let open = merged.contains { accounts[$0].map { $0.balanceCents != 0 || $0.unappliedCents != 0 } ?? false }
            candidates.append(
                RetentionCandidate(
                    patientID: id, lastActivityDay: lastDay, lastRetainedDay: retained,
                    heldBecause: open ? .openBalance : nil, mergedPatientIDs: duplicates))
        }
        return candidates.sorted {
            ($0.lastRetainedDay, $0.patientID.description) < ($1.lastRetainedDay, $1.patientID.description)
        }
    }
}

/// The retention policy in force and where it comes from.
public struct RetentionPolicyInForce: Equatable, Sendable {
    /// The policy.
    public let policy: RetentionPolicy
    /// Where it is recorded.
    public let source: RetentionPolicySource

    /// Creates the answer.
    public init(policy: RetentionPolicy, source: RetentionPolicySource) {
        self.policy = policy
        self.source = source
    }
}

/// Where the retention policy in force is recorded.
public enum RetentionPolicySource: Equatable, Sendable {
    /// The last `RetentionPolicySet` of the log's `retention` stream: its position, who set it in which role, and
    /// when it was recorded.
    case log(position: UInt64, setBy: StaffActor, recordedTimeMicroseconds: Int64)
    /// The `retentionYears` and `retentionMinorYears` lines of `store.settings`, of a store made before the policy
    /// was an event, whose log holds no `RetentionPolicySet` yet. Read only.
    case settingsFile
}

extension StoreReader {
    /// The retention policy in force: the last `RetentionPolicySet` of the `retention` stream (read through the
    /// stream index); when the log holds none, the policy of `store.settings`'s retention lines (a store made before
    /// the policy was an event); nil when neither says. Once the log holds a `RetentionPolicySet`, the settings
    /// file's retention lines are ignored.
    public func retentionPolicyInForce() throws(StoreError) -> RetentionPolicyInForce? {
        for stored in try events(inStream: RetentionPolicyState.streamName).reversed() {
            guard case .retentionPolicySet(let set) = stored.event else { continue }
            return RetentionPolicyInForce(
                policy: RetentionPolicy(set),
                source: .log(
                    position: stored.position,
                    setBy: StaffActor(staffID: stored.envelope.actorStaffID, role: stored.envelope.actorRole),
                    recordedTimeMicroseconds: stored.recordedTimeMicroseconds))
        }
        return settingsRetentionPolicy.map { RetentionPolicyInForce(policy: $0, source: .settingsFile) }
    }
}

extension ClinicStore {
    /// Sets the office's retention policy: appends `RetentionPolicySet` to the `retention` stream through the command
    /// path (`OfficeCommand.retentionPolicy`). Needs an office manager (`StoreAction.setRetentionPolicy`); a refusal
    /// appends `AccessDenied` alone. A retry with the same `commandID`, or the policy the log already records, appends
    /// nothing (`alreadyRecorded`). A policy of `store.settings` alone is not in the log: setting it appends the event.
    @discardableResult
    public func setRetentionPolicy(
        _ policy: RetentionPolicy, by actor: StaffActor, commandID: EventID, reason: String? = nil
    ) throws(StoreError) -> CommandReceipt {
        try execute(
            .retentionPolicy(.setPolicy(years: policy.years, minorYears: policy.minorYears)), by: actor,
            commandID: commandID, reason: reason)
    }

    /// Erases those of `confirmed` whose retention period under `policy` still ended before `beforeDay` and that are
    /// not held (a record used since it was listed is kept), each as `clinic patient erase` does with the reason
    /// `retentionPeriodEnded` and a command id derived from the patient's id, so that running it again never erases
    /// twice. Returns the patients erased by this call or an earlier one. `policy` is the policy the records were
    /// listed under: when it is not the policy in force (`StoreReader.retentionPolicyInForce()`), nothing is erased
    /// (`retentionPolicyChanged`; `noRetentionPolicy` when none is).
    public func applyRetention(
        _ policy: RetentionPolicy, beforeDay: Int64, confirmed: [EventID], by actor: StaffActor
    ) throws(StoreError) -> [EventID] {
        let reader = reader()
        guard let inForce = try reader.retentionPolicyInForce() else {
            throw StoreError(
                .refused, code: "noRetentionPolicy",
                message: "No retention policy is set; an office manager sets one with clinic retention policy "
                    + "--years N.")
        }
        guard inForce.policy == policy else {
            throw StoreError(
                .refused, code: "retentionPolicyChanged",
                message: "The retention policy changed since the records were listed; nothing was erased. List them "
                    + "again under the policy in force.")
        }
        let stillDue = Dictionary(
            try reader.retentionCandidates(policy: policy, beforeDay: beforeDay).filter { $0.heldBecause == nil }
                .map { ($0.patientID, $0) }, uniquingKeysWith: { first, _ in first })
        var erased: [EventID] = []
        for patientID in confirmed {
            guard let candidate = stillDue[patientID] else { continue }
            // The duplicates merged into the record are the same person: they go with it.
            for id in [patientID] + candidate.mergedPatientIDs {
                try execute(
                    .patientRecord(patientID: id, .erase(reason: .retentionPeriodEnded)), by: actor,
                    commandID: EventID.derived(from: Array("retention erasure".utf8) + id.bytes))
            }
            erased.append(patientID)
        }
        return erased
    }
}
