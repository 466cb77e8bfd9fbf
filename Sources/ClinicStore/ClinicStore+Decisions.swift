import ClinicEvents
import RecordLog

extension ClinicStore {
    /// The roles that may register patients.
    public static let registeringRoles: Set<StaffRole> = [
        .frontDesk, .officeManager, .nurse, .medicalAssistant, .physician, .nursePractitioner, .physicianAssistant,
    ]
    /// The roles that may record vital signs.
    public static let vitalsRoles: Set<StaffRole> = [
        .nurse, .medicalAssistant, .physician, .nursePractitioner, .physicianAssistant,
    ]
    /// The roles that may manage staff and payers.
    public static let administeringRoles: Set<StaffRole> = [.officeManager]
    /// The roles that may define payers.
    public static let payerRoles: Set<StaffRole> = [.officeManager, .biller]

    /// Loads the state of the record `command` changes and decides it: the decision, or the rule it breaks.
    ///
    /// A registration creates the patient's data key here, after the rules passed and before anything is appended,
    /// and sets `createdKey` (the caller saves the keyring before the registration is written, so the sealed
    /// registration can always be read). An erasure only decides the `PatientErased` marker: the key is destroyed by
    /// the append, once the marker is durable (`ClinicStore+Erasure.swift`). `now` is the command's effective time:
    /// the rules are those of the moment it happened.
    func decide(
        _ command: OfficeCommand, by actor: StaffActor, now: Int64, cache: inout DecisionCache, createdKey: inout Bool
    ) throws(StoreError) -> StreamDecision {
        switch command {
        case .registerPatient(let registration):
            try Self.require(actor, in: Self.registeringRoles, toDo: "register patients")
            let record = try patientRecord(registration.patientID, &cache)
            guard record.streamVersion == 0 else {
                throw StoreError(
                    .refused, code: "patientAlreadyRegistered",
                    message: "A patient with this id is already registered; use a new id for a new patient.")
            }
            if keyring.wrappedKey(for: registration.patientID) == nil {
                do throws(PatientDataError) {
                    try keyring.createKey(for: registration.patientID)
                } catch {
                    throw StoreError.keys(error)
                }
                createdKey = true
            }
            return StreamDecision(
                stream: record.streamName, decidedOnStreamVersion: 0, events: [.patientRegistered(registration)])

        case .patientRecord(let patientID, let recordCommand):
            let record = try patientRecord(patientID, &cache)
            do throws(PatientRecordRefusal) {
                return try record.decide(recordCommand, by: actor.staffID, role: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .mergePatients(let duplicateID, let survivorID, let reason):
            let duplicate = try patientRecord(duplicateID, &cache)
            let survivor = try patientRecord(survivorID, &cache)
            do throws(PatientRecordRefusal) {
                return try duplicate.decideMerge(into: survivor, reason: reason, by: actor.staffID, role: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .scheduling(let provider, let schedulingCommand):
            try checkProvider(provider, cache: &cache)
            if case .book(_, let patientID, _, _, _, _) = schedulingCommand {
                try checkActivePatient(patientID, cache: &cache)
            }
            let schedule = try schedule(of: provider, &cache)
            let nowLocalMinutes = calendar.localMinutes(atMicroseconds: now)
            do throws(SchedulingRefusal) {
                return try schedule.decide(
                    schedulingCommand, by: actor.role,
                    nowLocalMinutesSince1970: nowLocalMinutes)
            } catch {
                throw StoreError.refused(error)
            }

        case .chart(let patientID, let chartCommand):
            try checkActivePatient(patientID, cache: &cache)
            let chart = try chart(of: patientID, &cache)
            do throws(ChartRefusal) {
                return try chart.decide(chartCommand, by: actor.staffID, role: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .recordVitals(let vitals):
            try Self.require(actor, in: Self.vitalsRoles, toDo: "record vital signs")
            try checkActivePatient(vitals.patientID, cache: &cache)
            let chart = try chart(of: vitals.patientID, &cache)
            return StreamDecision(
                stream: chart.streamName, decidedOnStreamVersion: chart.streamVersion,
                events: [.vitalsRecorded(vitals)])

        case .billing(let patientID, let billingCommand, let provider):
            var fees = FeeSchedule()
            switch billingCommand {
            case .postCharge:
                try checkActivePatient(patientID, cache: &cache)
            case .postScheduledCharge:
                try checkActivePatient(patientID, cache: &cache)
                fees = try feeSchedule(&cache)
            default:
                try checkRegisteredPatient(patientID, cache: &cache)
            }
            let account = try account(of: patientID, &cache)
            let dayBook = try dayBook(&cache)
            var ledger = EncounterLedger()
            if let provider { ledger = try encounters(of: provider, &cache) }
            do throws(BillingRefusal) {
                let decision = try account.decide(
                    billingCommand, by: actor.role, dayBook: dayBook, encounters: ledger, fees: fees)
                return StreamDecision(
                    stream: decision.stream, decidedOnStreamVersion: decision.decidedOnStreamVersion,
                    events: decision.events)
            } catch {
                throw StoreError.refused(error)
            }

        case .closeDay(let day, let totals):
            let dayBook = try dayBook(&cache)
            do throws(BillingRefusal) {
                let decision = try dayBook.decideClosing(daysSince1970: day, totals: totals, by: actor.role)
                return StreamDecision(
                    stream: decision.stream, decidedOnStreamVersion: decision.decidedOnStreamVersion,
                    events: decision.events)
            } catch {
                throw StoreError.refused(error)
            }

        case .consent(let patientID, let consentCommand):
            try checkActivePatient(patientID, cache: &cache)
            let consents = try consents(of: patientID, &cache)
            do throws(DisclosureRefusal) {
                return try consents.decide(consentCommand, by: actor.role, nowMicroseconds: now)
            } catch {
                throw StoreError.refused(error)
            }

        case .coverage(let patientID, let coverageCommand):
            try checkActivePatient(patientID, cache: &cache)
            if case .addCoverage(_, let payerID, _, _, _, _, _) = coverageCommand,
                try payerList(&cache).payers[payerID] == nil
            {
                throw StoreError(
                    .notFound, code: "payerNotFound",
                    message: "No payer with this id is defined; define the payer first (clinic payer add).")
            }
            let coverage = try coverage(of: patientID, &cache)
            do throws(CoverageRefusal) {
                return try coverage.decide(coverageCommand, role: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .definePayer(let payer):
            try Self.require(actor, in: Self.payerRoles, toDo: "define payers")
            let payers = try payerList(&cache)
            guard payers.payers[payer.payerID] == nil else {
                throw StoreError(
                    .refused, code: "payerAlreadyExists", message: "A payer with this id is already defined.")
            }
            return StreamDecision(
                stream: StaffDirectory.payersStreamName,
                decidedOnStreamVersion: payers.streamVersion,
                events: [.payerDefined(payer)])

        case .feeSchedule(let feeCommand):
            let fees = try feeSchedule(&cache)
            do throws(FeeScheduleRefusal) {
                return try fees.decide(feeCommand, by: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .retentionPolicy(let retentionCommand):
            let retention = try retentionPolicyState(&cache)
            do throws(RetentionPolicyRefusal) {
                return try retention.decide(retentionCommand, by: actor.role)
            } catch {
                throw StoreError.refused(error)
            }

        case .addStaff(let member):
            try Self.require(actor, in: Self.administeringRoles, toDo: "add staff")
            let directory = try staffDirectory(&cache)
            guard directory.members[member.staffID] == nil else {
                throw StoreError(
                    .refused, code: "staffAlreadyExists",
                    message: "Staff member \(member.staffID) already exists; grant them a role instead.")
            }
            return StreamDecision(
                stream: StaffDirectory.streamName, decidedOnStreamVersion: directory.streamVersion,
                events: [.staffMemberAdded(member)])

        case .grantRole(let grant):
            try Self.require(actor, in: Self.administeringRoles, toDo: "grant roles")
            let directory = try staffDirectory(&cache)
            guard let member = directory.members[grant.staffID] else { throw Self.staffNotFound(grant.staffID) }
            guard !member.roles.contains(grant.role) else {
                throw StoreError(
                    .refused, code: "roleAlreadyHeld",
                    message: "Staff member \(grant.staffID) already holds the role \(grant.role).")
            }
            return StreamDecision(
                stream: StaffDirectory.streamName, decidedOnStreamVersion: directory.streamVersion,
                events: [.staffRoleGranted(grant)])

        case .revokeRole(let revoke):
            try Self.require(actor, in: Self.administeringRoles, toDo: "revoke roles")
            let directory = try staffDirectory(&cache)
            guard let member = directory.members[revoke.staffID] else { throw Self.staffNotFound(revoke.staffID) }
            guard member.roles.contains(revoke.role) else {
                throw StoreError(
                    .refused, code: "roleNotHeld",
                    message: "Staff member \(revoke.staffID) does not hold the role \(revoke.role).")
            }
            guard !(revoke.staffID == actor.staffID && revoke.role == .officeManager) else {
                throw StoreError(
                    .refused, code: "lastAdministrator",
                    message: "You cannot revoke your own office manager role; ask another office manager.")
            }
            return StreamDecision(
                stream: StaffDirectory.streamName, decidedOnStreamVersion: directory.streamVersion,
                events: [.staffRoleRevoked(revoke)])
        }
    }

    private static func require(_ actor: StaffActor, in roles: Set<StaffRole>, toDo what: String) throws(StoreError) {
        guard roles.contains(actor.role) else {
            throw StoreError(
                .permissionDenied, code: "roleNotPermitted",
                message: "The role \(actor.role) may not \(what); ask a permitted staff member to do it.")
        }
    }

    private static func staffNotFound(_ staffID: StaffID) -> StoreError {
        StoreError(.notFound, code: "staffNotFound", message: "No staff member \(staffID); check the id.")
    }

    /// Refuses a provider who is not on staff in a providing role.
    private func checkProvider(_ provider: StaffID, cache: inout DecisionCache) throws(StoreError) {
        let providing: Set<StaffRole> = [.physician, .nursePractitioner, .physicianAssistant]
        guard let member = try staffDirectory(&cache).members[provider] else { throw Self.staffNotFound(provider) }
        guard !member.roles.isDisjoint(with: providing) else {
            throw StoreError(
                .refused, code: "notAProvider",
                message: "Staff member \(provider) is not a provider; schedules belong to physicians, NPs and PAs.")
        }
    }

    /// Refuses a patient who was never registered.
    private func checkRegisteredPatient(_ patientID: EventID, cache: inout DecisionCache) throws(StoreError) {
        guard try patientRecord(patientID, &cache).status != .unregistered else {
            throw StoreError.refused(PatientRecordRefusal.patientNotRegistered)
        }
    }

    /// Refuses a patient who was never registered, was erased, or was merged into another record.
    private func checkActivePatient(_ patientID: EventID, cache: inout DecisionCache) throws(StoreError) {
        switch try patientRecord(patientID, &cache).status {
        case .unregistered: throw StoreError.refused(PatientRecordRefusal.patientNotRegistered)
        case .erased: throw StoreError.refused(PatientRecordRefusal.patientErased)
        case .mergedInto: throw StoreError.refused(PatientRecordRefusal.patientMergedAway)
        default: return
        }
    }

    // MARK: Loading decision state through the cache

    /// The cached state of `stream`, loaded on first use: `empty` when the log has no event of the stream (reading
    /// a stream scans the unsealed segment, which has no stream index, from end to end), otherwise `load`.
    private func cached<State>(
        _ stream: String, _ cache: inout DecisionCache, empty: @autoclosure () -> State,
        extract: (CachedState) -> State?, wrap: (State) -> CachedState,
        load: (StoreReader) throws(StoreError) -> State
    ) throws(StoreError) -> State {
        if let state = cache.states[stream]?.lazy.compactMap(extract).first { return state }
        var loaded = wrap(log.version(of: stream) == 0 ? empty() : try load(reader()))
        for held in cache.held?[stream] ?? [] { loaded.apply(held.event, eventID: held.eventID) }
        cache.states[stream, default: []].append(loaded)
        guard let state = extract(loaded) else { preconditionFailure("a wrapped state extracts") }
        return state
    }

    func patientRecord(_ id: EventID, _ cache: inout DecisionCache) throws(StoreError) -> PatientRecordState {
        try cached(
            PatientRecordState.streamName(for: id), &cache, empty: PatientRecordState(patientID: id),
            extract: { if case .patientRecord(let state) = $0 { state } else { nil } }, wrap: { .patientRecord($0) },
            load: { (reader) throws(StoreError) in try reader.patientRecord(id) })
    }

    func schedule(of provider: StaffID, _ cache: inout DecisionCache) throws(StoreError) -> ProviderSchedule {
        try cached(
            ProviderSchedule.streamName(for: provider), &cache, empty: ProviderSchedule(providerStaffID: provider),
            extract: { if case .schedule(let state) = $0 { state } else { nil } }, wrap: { .schedule($0) },
            load: { (reader) throws(StoreError) in try reader.schedule(of: provider) })
    }

    func encounters(of provider: StaffID, _ cache: inout DecisionCache) throws(StoreError) -> EncounterLedger {
        try cached(
            ProviderSchedule.streamName(for: provider), &cache, empty: EncounterLedger(),
            extract: { if case .encounters(let state) = $0 { state } else { nil } }, wrap: { .encounters($0) },
            load: { (reader) throws(StoreError) in try reader.encounters(of: provider) })
    }

    func chart(of id: EventID, _ cache: inout DecisionCache) throws(StoreError) -> ChartState {
        try cached(
            ChartState.streamName(for: id), &cache, empty: ChartState(patientID: id),
            extract: { if case .chart(let state) = $0 { state } else { nil } }, wrap: { .chart($0) },
            load: { (reader) throws(StoreError) in try reader.chart(of: id) })
    }

    func account(of id: EventID, _ cache: inout DecisionCache) throws(StoreError) -> PatientAccount {
        try cached(
            PatientAccount.streamName(for: id), &cache, empty: PatientAccount(patientID: id),
            extract: { if case .account(let state) = $0 { state } else { nil } }, wrap: { .account($0) },
            load: { (reader) throws(StoreError) in try reader.account(of: id) })
    }

    func consents(of id: EventID, _ cache: inout DecisionCache) throws(StoreError) -> ConsentState {
        try cached(
            ConsentState.streamName(for: id), &cache, empty: ConsentState(patientID: id),
            extract: { if case .consents(let state) = $0 { state } else { nil } }, wrap: { .consents($0) },
            load: { (reader) throws(StoreError) in try reader.consents(of: id) })
    }

    func coverage(of id: EventID, _ cache: inout DecisionCache) throws(StoreError) -> CoverageState {
        try cached(
            CoverageState.streamName(for: id), &cache, empty: CoverageState(patientID: id),
            extract: { if case .coverage(let state) = $0 { state } else { nil } }, wrap: { .coverage($0) },
            load: { (reader) throws(StoreError) in try reader.coverage(of: id) })
    }

    func dayBook(_ cache: inout DecisionCache) throws(StoreError) -> DayBook {
        try cached(
            DayBook.streamName, &cache, empty: DayBook(),
            extract: { if case .dayBook(let state) = $0 { state } else { nil } },
            wrap: { .dayBook($0) }, load: { (reader) throws(StoreError) in try reader.dayBook() })
    }

    /// The staff directory the store's decisions use: read from the log once per store (or taken from
    /// `adoptStaffDirectory(_:)`), then kept up to date with every staff event this store appends.
    public func staffDirectory() throws(StoreError) -> StaffDirectory {
        try commandState.withLock { (state: inout CommandState) throws(StoreError) in
            try staffDirectory(&state.cache)
        }
    }

    /// Takes a staff directory already read (by a `StoreReader`) instead of reading the staff stream again, when it
    /// holds exactly the staff events the log holds now (the same stream version) and the store has none yet; returns
    /// whether it was taken. A directory read before a later staff event is ignored, and the log is read as usual.
    @discardableResult
    public func adoptStaffDirectory(_ directory: StaffDirectory) -> Bool {
        adopt(.staff(directory), of: StaffDirectory.streamName, streamVersion: directory.streamVersion)
    }

    /// Takes the office's day book already folded (from the ledger checkpoint and the log's tail) instead of reading
    /// the day book stream, whose `DayClosed` events lie one in each day's stretch of the log, when it holds exactly
    /// the day book events the log holds now (the same stream version) and the store has none yet; returns whether it
    /// was taken. A day book folded before a later `DayClosed` is ignored, and the log is read as usual.
    @discardableResult
    public func adoptDayBook(_ dayBook: DayBook) -> Bool {
        adopt(.dayBook(dayBook), of: DayBook.streamName, streamVersion: dayBook.streamVersion)
    }

    /// Takes a patient's account already folded (from the ledger checkpoint's account part and the log's tail)
    /// instead of reading the patient's account stream, whose events lie across years of the log, when it holds
    /// exactly the events of that stream the log holds now (the same stream version) and the store has none yet;
    /// returns whether it was taken.
    @discardableResult
    public func adoptAccount(_ account: PatientAccount) -> Bool {
        adopt(
            .account(account), of: PatientAccount.streamName(for: account.patientID),
            streamVersion: account.streamVersion)
    }

    /// Caches `state`, folded elsewhere from `stream`'s first `streamVersion` events, as the stream's decision state
    /// when that is every event of the stream the log holds now and nothing of the stream is cached or held yet.
    private func adopt(_ state: CachedState, of stream: String, streamVersion: UInt64) -> Bool {
        commandState.withLock { command in
            guard command.cache.states[stream] == nil, command.cache.held == nil,
                let version = try? log.streamVersion(of: stream), streamVersion == version
            else { return false }
            command.cache.states[stream] = [state]
            return true
        }
    }

    func staffDirectory(_ cache: inout DecisionCache) throws(StoreError) -> StaffDirectory {
        try cached(
            StaffDirectory.streamName, &cache, empty: StaffDirectory(),
            extract: { if case .staff(let state) = $0 { state } else { nil } },
            wrap: { .staff($0) }, load: { (reader) throws(StoreError) in try reader.staffDirectory() })
    }

    func feeSchedule(_ cache: inout DecisionCache) throws(StoreError) -> FeeSchedule {
        try cached(
            FeeSchedule.streamName, &cache, empty: FeeSchedule(),
            extract: { if case .fees(let state) = $0 { state } else { nil } }, wrap: { .fees($0) },
            load: { (reader) throws(StoreError) in try reader.feeSchedule() })
    }

    func retentionPolicyState(_ cache: inout DecisionCache) throws(StoreError) -> RetentionPolicyState {
        try cached(
            RetentionPolicyState.streamName, &cache, empty: RetentionPolicyState(),
            extract: { if case .retention(let state) = $0 { state } else { nil } }, wrap: { .retention($0) },
            load: { (reader) throws(StoreError) in try reader.retentionPolicyState() })
    }

    func payerList(_ cache: inout DecisionCache) throws(StoreError) -> PayerList {
        try cached(
            StaffDirectory.payersStreamName, &cache, empty: PayerList(),
            extract: { if case .payers(let state) = $0 { state } else { nil } }, wrap: { .payers($0) },
            load: { (reader) throws(StoreError) in try reader.payerList() })
    }
}
