import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// Generates a random but valid office history, seeded: every event is produced by the ClinicEvents decisions (or,
/// for registrations, charges, vitals and payers, built as staff would) against the state the history has so far, and
/// appended to a real log as it is made. Days advance; at each day's end the day is usually closed with the totals
/// the ledger computes, so closed days, late entries and postings redirected from closed days all occur.
struct OfficeHistoryGenerator {
    /// The calendar of the generated office (UTC-5).
    static let calendar = ViewCalendar(utcOffsetMinutes: -300)

    let office: TestOffice
    private var random: SeededRandomNumberGenerator
    private let providers = [staff("dr-a"), staff("dr-b"), staff("np-c")]
    private var schedules: [String: ProviderSchedule] = [:]
    private var records: [EventID: PatientRecordState] = [:]
    private var charts: [EventID: ChartState] = [:]
    private var accounts: [EventID: PatientAccount] = [:]
    private var coverages: [EventID: CoverageState] = [:]
    private var consents: [EventID: ConsentState] = [:]
    private var dayBook = DayBook()
    private var ledger = LedgerView(calendar: Self.calendar)
    private var payers: [EventID] = []
    private var patientIDs: [EventID] = []
    private var patientStreams: [String: (PatientStreamKind, EventID)] = [:]
    private var encounters: [(patientID: EventID, encounterID: EventID)] = []
    private var idCounter: UInt64 = 0
    private var day: Int64
    /// The distinctive family name given to some patients, for erasure tests.
    static let distinctiveName = "Zqwxjvorth"
    /// The patients registered with the distinctive name.
    private(set) var distinctivePatients: [EventID] = []
    /// The events appended.
    private(set) var count = 0

    init(office: TestOffice, seed: UInt64) {
        self.office = office
        random = SeededRandomNumberGenerator(seed: seed)
        day = Self.calendar.day(ofMicroseconds: office.now)
    }

    // MARK: Time

    private var localMinutesNow: Int64 {
        Self.calendar.day(ofMicroseconds: office.now) * 1440
            + (office.now - Self.calendar.startMicroseconds(ofDay: Self.calendar.day(ofMicroseconds: office.now)))
            / minuteMicroseconds
    }

    private mutating func chance(_ percent: Int) -> Bool { random.next(below: 100) < percent }
    private mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[random.next(below: items.count)] }
    private mutating func newID() -> EventID {
        idCounter += 1
        return EventID(high: 0xA11C_E000_0000_4000 | idCounter << 16, low: 0x8000_0000_0000_0000 | random.next() >> 2)
    }

    // MARK: Appending

    @discardableResult
    private mutating func emit(
        _ events: [ClinicEvent], to stream: String, by actor: StaffID, role: StaffRole, effective: Int64? = nil,
        onStored: (StoredEvent) -> Void
    ) throws -> [StoredEvent] {
        office.setTime(office.now + Int64(random.next(below: 90) + 1) * 1_000_000)
        let stored = try office.appendBatch(events.map { ($0, stream, actor, role, effective, nil) })
        for event in stored {
            fold(event)
            onStored(event)
            count += 1
        }
        return stored
    }

    private mutating func fold(_ stored: StoredEvent) {
        ledger.apply(stored)
        let stream = stored.envelope.stream
        let event = stored.event
        if stream == DayBook.streamName { dayBook = dayBook.applying(event) }
        for provider in providers where stream == ProviderSchedule.streamName(for: provider) {
            schedules[provider.value] = (schedules[provider.value] ?? ProviderSchedule(providerStaffID: provider))
                .applying(event)
        }
        guard let (kind, patient) = patientStreams[stream] else { return }
        switch kind {
        case .patient:
            records[patient] = (records[patient] ?? PatientRecordState(patientID: patient))
                .applying(event, eventID: stored.envelope.eventID)
        case .chart: charts[patient] = (charts[patient] ?? ChartState(patientID: patient)).applying(event)
        case .account: accounts[patient] = (accounts[patient] ?? PatientAccount(patientID: patient)).applying(event)
        case .coverage: coverages[patient] = (coverages[patient] ?? CoverageState(patientID: patient)).applying(event)
        case .consent: consents[patient] = (consents[patient] ?? ConsentState(patientID: patient)).applying(event)
        }
    }

    /// Appends about `eventCount` events, calling `onStored` with each as it is stored.
    mutating func run(eventCount: Int, onStored: (StoredEvent) -> Void) throws {
        if schedules.isEmpty { try setUp(onStored: onStored) }
        while count < eventCount { try step(onStored: onStored) }
        try office.flush()
    }

    private mutating func setUp(onStored: (StoredEvent) -> Void) throws {
        for provider in providers {
            let schedule = ProviderSchedule(providerStaffID: provider)
            for weekday: UInt8 in 1...7 {
                let decision = try schedule.decide(
                    .defineAvailability(
                        day: .weekday(weekday), startMinuteOfDay: 480, endMinuteOfDay: 1020, slotMinutes: 15),
                    by: .officeManager, nowLocalMinutesSince1970: localMinutesNow)
                try emit(
                    decision.events, to: decision.stream, by: staff("manager-1"), role: .officeManager,
                    onStored: onStored)
            }
        }
        for index in 0..<3 {
            let payer = newID()
            payers.append(payer)
            try emit(
                [.payerDefined(try PayerDefined(payerID: payer, name: "Payer \(index)", type: .commercial))],
                to: "payers",
                by: staff("biller-1"), role: .biller, onStored: onStored)
        }
    }

    private mutating func step(onStored: (StoredEvent) -> Void) throws {
        office.setTime(office.now + Int64(random.next(below: 12) + 1) * minuteMicroseconds)
        let today = Self.calendar.day(ofMicroseconds: office.now)
        let minuteOfDay = localMinutesNow - today * 1440
        if today > day || minuteOfDay >= 18 * 60 {
            try endDay(onStored: onStored)
            return
        }
        let roll = random.next(below: 100)
        switch roll {
        case 0..<8: try registerPatient(onStored: onStored)
        case 8..<28: try scheduling(onStored: onStored)
        case 28..<40: try chartAction(onStored: onStored)
        case 40..<62: try billing(onStored: onStored)
        case 62..<68: try coverage(onStored: onStored)
        case 68..<76: try consent(onStored: onStored)
        case 76..<79: try lifecycle(onStored: onStored)
        default: try scheduling(onStored: onStored)
        }
    }

    private mutating func endDay(onStored: (StoredEvent) -> Void) throws {
        // Everything of the day is recorded on the day: the log stamps a batch with the time it is written.
        try office.flush()
        if chance(85), !dayBook.isClosed(daysSince1970: day),
            let decision = try? ledger.decideClosing(daysSince1970: day, by: .biller)
        {
            try emit(decision.events, to: decision.stream, by: staff("biller-1"), role: .biller, onStored: onStored)
        }
        day += 1
        office.setTime(Self.calendar.startMicroseconds(ofDay: day) + 8 * 60 * minuteMicroseconds)
    }

    // MARK: Patients

    private mutating func registerPatient(onStored: (StoredEvent) -> Void) throws {
        let patient = newID()
        patientIDs.append(patient)
        for kind in PatientStreamKind.allCases { patientStreams[kind.streamName(for: patient)] = (kind, patient) }
        let distinctive = chance(15)
        let family =
            distinctive ? Self.distinctiveName : pick(["Smith", "García", "Nguyen", "Okafor", "Müller"]) ?? "Smith"
        if distinctive { distinctivePatients.append(patient) }
        let registered = try PatientRegistered(
            patientID: patient, familyName: family, givenName: pick(["Ana", "Ben", "Chloé", "Dev"]) ?? "Ana",
            birthDateDaysSince1970: Int64(random.next(below: 30_000)) - 10_000,
            preferredLanguage: chance(30) ? "es" : nil)
        try emit(
            [.patientRegistered(registered)], to: PatientRecordState.streamName(for: patient), by: staff("frontdesk-1"),
            role: .frontDesk, onStored: onStored)
    }

    private mutating func activePatient() -> EventID? {
        pick(patientIDs.filter { records[$0]?.status == .active })
    }

    private mutating func lifecycle(onStored: (StoredEvent) -> Void) throws {
        guard let patient = activePatient(), let record = records[patient] else { return }
        let command: PatientRecordCommand
        switch random.next(below: 10) {
        case 0..<5:
            command = .correctDemographics(
                familyName: chance(50) ? "Corrected" : nil, givenName: "Given\(random.next(below: 9))",
                birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: nil, reason: "typo at registration")
        case 5..<7:
            if record.isDeceased { return }
            command = .recordDeath(dateOfDeathDaysSince1970: day - 1)
        case 7..<9:
            guard let survivor = activePatient(), survivor != patient, let survivorRecord = records[survivor],
                let decision = try? record.decideMerge(
                    into: survivorRecord, reason: "duplicate", by: staff("manager-1"), role: .officeManager)
            else { return }
            try emit(
                decision.events, to: decision.stream, by: staff("manager-1"), role: .officeManager, onStored: onStored)
            return
        default:
            command = .erase(reason: .patientRequest)
        }
        guard let decision = try? record.decide(command, by: staff("manager-1"), role: .officeManager) else { return }
        try emit(decision.events, to: decision.stream, by: staff("manager-1"), role: .officeManager, onStored: onStored)
    }

    // MARK: Scheduling

    private mutating func scheduling(onStored: (StoredEvent) -> Void) throws {
        guard let provider = pick(providers) else { return }
        let schedule = schedules[provider.value] ?? ProviderSchedule(providerStaffID: provider)
        let now = localMinutesNow
        let appointments = schedule.appointments.values.filter { $0.status != .enteredInError }
            .sorted { $0.appointmentID < $1.appointmentID }
        var command: SchedulingCommand?
        if appointments.isEmpty || chance(30) {
            guard let patient = activePatient() else { return try registerPatient(onStored: onStored) }
            let bookDay = day + Int64(random.next(below: 3))
            let start = bookDay * 1440 + 480 + Int64(random.next(below: 36)) * 15
            guard start >= now else { return }
            let approval = chance(30) ? OverbookApproval(approverStaffID: staff("dr-a"), approverRole: .physician) : nil
            command = .book(
                appointmentID: newID(), patientID: patient, startLocalMinutesSince1970: start,
                durationMinutes: chance(50) ? 15 : 30, reason: pick(["follow-up", "annual exam", "cough"]) ?? "x",
                overbookApproval: approval)
        } else if let appointment = pick(appointments) {
            let id = appointment.appointmentID
            switch appointment.status {
            case .booked, .confirmed:
                switch random.next(below: 10) {
                case 0: command = .confirm(appointmentID: id)
                case 1: command = .cancel(appointmentID: id, reason: "patient called")
                case 2:
                    let start = (day + Int64(random.next(below: 3))) * 1440 + 480 + Int64(random.next(below: 36)) * 15
                    command = .reschedule(
                        appointmentID: id, startLocalMinutesSince1970: start, durationMinutes: 15,
                        overbookApproval: OverbookApproval(approverStaffID: staff("dr-b"), approverRole: .physician))
                case 3: command = .markNoShow(appointmentID: id)
                case 4: command = .enterInError(appointmentID: id, reason: "booked twice")
                default: command = .markArrived(appointmentID: id)
                }
            case .arrived: command = .checkIn(appointmentID: id, encounterID: newID())
            case .checkedIn:
                command =
                    chance(60)
                    ? .room(appointmentID: id, room: "Exam \(random.next(below: 4) + 1)") : .checkOut(appointmentID: id)
            case .roomed: command = .checkOut(appointmentID: id)
            default: command = nil
            }
        }
        guard let command, let decision = try? schedule.decide(command, by: .frontDesk, nowLocalMinutesSince1970: now)
        else { return }
        let stored = try emit(
            decision.events, to: decision.stream, by: staff("frontdesk-1"), role: .frontDesk, onStored: onStored)
        for event in stored {
            if case .patientCheckedIn(let checkIn) = event.event,
                let patient = schedule.appointment(checkIn.appointmentID).patientID
            {
                encounters.append((patient, checkIn.encounterID))
                try visit(patient: patient, encounter: checkIn.encounterID, onStored: onStored)
            }
        }
    }

    /// A visit's clinical and billing events: vitals, a note, one or two charges (sometimes entered late).
    private mutating func visit(patient: EventID, encounter: EventID, onStored: (StoredEvent) -> Void) throws {
        guard records[patient]?.status == .active else { return }
        let vitals = try VitalsRecorded(
            patientID: patient, encounterID: encounter,
            measurements: [
                try VitalSign(kind: .heartRate, valueThousandths: Int64(60 + random.next(below: 40)) * 1000),
                try VitalSign(kind: .bodyWeight, valueThousandths: Int64(50 + random.next(below: 50)) * 1000),
            ])
        try emit(
            [.vitalsRecorded(vitals)], to: ChartState.streamName(for: patient), by: staff("ma-1"),
            role: .medicalAssistant,
            onStored: onStored)
        for _ in 0..<(1 + random.next(below: 2)) {
            let late = chance(15)
            let charge = try ChargePosted(
                chargeID: newID(), patientID: patient, encounterID: encounter,
                procedure: try ProcedureCode(code: pick(["99213", "99214", "G0439", "36415"]) ?? "99213"), units: 1,
                diagnoses: [try DiagnosisCode("E11.9"), try DiagnosisCode("I10")], diagnosisPointers: [1, 2],
                amount: try MoneyCents(cents: Int64(2_000 + random.next(below: 20_000))), postingDateDaysSince1970: nil)
            try emit(
                [.chargePosted(charge)], to: PatientAccount.streamName(for: patient), by: staff("biller-1"),
                role: .biller,
                effective: late ? office.now - dayMicroseconds : nil, onStored: onStored)
        }
    }

    // MARK: Chart

    private mutating func chartAction(onStored: (StoredEvent) -> Void) throws {
        guard let patient = activePatient() else { return }
        let chart = charts[patient] ?? ChartState(patientID: patient)
        let clinician = staff("dr-a")
        var command: ChartCommand?
        switch random.next(below: 12) {
        case 0:
            command = .recordAllergy(
                allergyID: newID(), substance: "penicillin", reaction: "hives", severity: .moderate,
                verification: .confirmed)
        case 1: command = pick(chart.activeAllergies).map { .resolveAllergy(allergyID: $0.recorded.allergyID) }
        case 2:
            command = pick(Array(chart.allergies.keys).sorted()).map {
                .enterAllergyInError(allergyID: $0, reason: "wrong patient")
            }
        case 3:
            command = .startMedication(
                medicationID: newID(), name: "metformin", dose: "500 mg", route: .oral, frequency: "twice daily",
                reason: "diabetes")
        case 4:
            command = pick(chart.activeMedications).map {
                .stopMedication(medicationID: $0.started.medicationID, reason: "done")
            }
        case 5:
            command = .addProblem(
                problemID: newID(), diagnosis: try DiagnosisCode("E11.9"), onsetDaysSince1970: day - 100)
        case 6: command = pick(chart.activeProblems).map { .resolveProblem(problemID: $0.added.problemID) }
        case 7:
            guard let encounter = pick(encounters.filter { $0.patientID == patient }) else { return }
            command = .signNote(noteID: newID(), encounterID: encounter.encounterID, text: "Stable. Continue plan.")
        case 8:
            command = pick(chart.notesInSigningOrder).map {
                .signAddendum(addendumID: newID(), noteID: $0.signed.noteID, text: "Lab reviewed.")
            }
        case 9:
            let entries = Array(chart.allergies.keys) + Array(chart.problems.keys)
            guard let entry = pick(entries.sorted()) else { return }
            command = .requestAmendment(
                amendmentID: newID(), amendedEntryIDs: [entry], request: "This is not right.",
                requestedTimeMicroseconds: office.now)
        case 10:
            guard let amendment = pick(chart.amendmentsInRequestOrder.filter { $0.status == .requested }),
                let correcting = pick(
                    chart.activeProblems.map(\.added.problemID).filter {
                        !amendment.requested.amendedEntryIDs.contains($0)
                    })
            else { return }
            command = .acceptAmendment(amendmentID: amendment.requested.amendmentID, correctingEntryIDs: [correcting])
        default:
            command = pick(chart.amendmentsInRequestOrder.filter { $0.status == .requested }).map {
                .denyAmendment(
                    amendmentID: $0.requested.amendmentID, basis: .accurateAndComplete, explanation: "Accurate.",
                    disagreementInstructions: "You may file a statement of disagreement.")
            }
        }
        guard let command, let decision = try? chart.decide(command, by: clinician, role: .physician) else { return }
        try emit(decision.events, to: decision.stream, by: clinician, role: .physician, onStored: onStored)
    }

    // MARK: Billing

    private mutating func billing(onStored: (StoredEvent) -> Void) throws {
        guard let patient = pick(patientIDs.filter { accounts[$0] != nil }), let account = accounts[patient] else {
            return
        }
        let charges = account.charges.values.filter { !$0.isVoided }.sorted { $0.chargeID < $1.chargeID }
        let payments = account.payments.values.filter { !$0.isVoided }.sorted { $0.paymentID < $1.paymentID }
        let postingDay = chance(10) ? day - 1 : day
        var command: BillingCommand?
        switch random.next(below: 9) {
        case 0, 1:
            let insured = chance(40)
            let payer: Payer =
                insured
                ? .insurance(payerID: (pick(payers) ?? newID()).description, level: UInt8(1 + random.next(below: 2)))
                : .patient
            command = .postPayment(
                paymentID: newID(), payer: payer, method: pick(PaymentMethod.allCases) ?? .cash, reference: "",
                amount: try MoneyCents(cents: Int64(500 + random.next(below: 15_000))),
                postingDateDaysSince1970: postingDay)
        case 2, 3:
            guard let payment = pick(payments), payment.unappliedCents > 0, let charge = pick(charges) else { return }
            let owed = charge.owedCents(by: payment.payer.responsibility)
            let amount = min(payment.unappliedCents, max(owed, 1))
            command = .applyPayment(
                paymentID: payment.paymentID, chargeID: charge.chargeID, amount: try MoneyCents(cents: amount),
                asCredit: owed < amount, postingDateDaysSince1970: postingDay)
        case 4:
            guard let charge = pick(charges) else { return }
            let responsibility: Responsibility = chance(50) ? .patient : .insurance(level: 1)
            let owed = charge.owedCents(by: responsibility)
            guard owed > 0 else { return }
            command = .postAdjustment(
                adjustmentID: newID(), chargeID: charge.chargeID, responsibility: responsibility,
                amount: try MoneyCents(cents: Int64(1 + random.next(below: Int(min(owed, 5_000))))),
                reasonCode: try AdjustmentReasonCode("CO-45"), postingDateDaysSince1970: postingDay)
        case 5:
            guard let payment = pick(payments), payment.unappliedCents > 0 else { return }
            command = .issueRefund(
                paymentID: payment.paymentID, amount: try MoneyCents(cents: payment.unappliedCents),
                method: pick(PaymentMethod.allCases) ?? .check, postingDateDaysSince1970: postingDay)
        case 6:
            guard let charge = pick(charges) else { return }
            let from: Responsibility = chance(70) ? .patient : .insurance(level: 1)
            let to: Responsibility = from == .patient ? .insurance(level: UInt8(1 + random.next(below: 2))) : .patient
            let held = charge.owedCents(by: from)
            guard held > 0 else { return }
            command = .transferResponsibility(
                chargeID: charge.chargeID, from: from, to: to,
                amount: try MoneyCents(cents: Int64(1 + random.next(below: Int(held)))),
                postingDateDaysSince1970: postingDay)
        case 7:
            guard let charge = pick(charges) else { return }
            command = .voidCharge(chargeID: charge.chargeID, reason: "wrong code", postingDateDaysSince1970: postingDay)
        default:
            guard let payment = pick(payments) else { return }
            command = .voidPayment(
                paymentID: payment.paymentID, reason: "bounced", postingDateDaysSince1970: postingDay)
        }
        guard let command, let decision = try? account.decide(command, by: .biller, dayBook: dayBook) else { return }
        try emit(
            decision.events, to: decision.stream, by: staff(chance(50) ? "biller-1" : "biller-2"), role: .biller,
            onStored: onStored)
    }

    // MARK: Coverage and consent

    private mutating func coverage(onStored: (StoredEvent) -> Void) throws {
        guard let patient = activePatient(), let payer = pick(payers) else { return }
        let state = coverages[patient] ?? CoverageState(patientID: patient)
        let command: CoverageCommand
        if let existing = pick(state.coverages.values.sorted { $0.added.coverageID < $1.added.coverageID }), chance(50)
        {
            command =
                chance(50)
                ? .endCoverage(coverageID: existing.added.coverageID, terminationDaysSince1970: day)
                : .recordEligibility(
                    coverageID: existing.added.coverageID, result: .active, checkedAtMicroseconds: office.now)
        } else {
            command = .addCoverage(
                coverageID: newID(), payerID: payer, memberID: "MBR\(random.next(below: 99_999))",
                order: pick([.primary, .secondary]) ?? .primary, copayCents: 2_000, effectiveDaysSince1970: day - 10,
                terminationDaysSince1970: nil)
        }
        guard let decision = try? state.decide(command, role: .frontDesk) else { return }
        try emit(decision.events, to: decision.stream, by: staff("frontdesk-1"), role: .frontDesk, onStored: onStored)
    }

    private mutating func consent(onStored: (StoredEvent) -> Void) throws {
        guard let patient = activePatient() else { return }
        let state = consents[patient] ?? ConsentState(patientID: patient)
        let now = office.now
        let command: ConsentCommand
        let recipient = try DisclosureRecipient(
            name: "Dr. Outside", category: .healthCareProvider, address: "1 Main St")
        switch random.next(below: 7) {
        case 0: command = .acknowledgePrivacyNotice(noticeVersion: "2025-1", acknowledgedAtMicroseconds: now)
        case 1:
            command = .grantConsent(
                consentID: newID(),
                scope: try DisclosureScope(
                    recipientCategories: [.healthCareProvider, .familyMember], purposes: [.research, .treatment]),
                effectiveFromMicroseconds: now - 1_000_000,
                expiresAtMicroseconds: chance(50) ? now + 30 * dayMicroseconds : nil)
        case 2:
            guard let consent = pick(state.consents.keys.sorted()) else { return }
            command = .revokeConsent(consentID: consent, effectiveFromMicroseconds: now)
        case 3:
            command = .requestRestriction(
                restrictionID: newID(),
                scope: try DisclosureScope(recipientCategories: [.employer], purposes: [.thirdPartyRequest]),
                informationDescription: "HIV status", requestedAtMicroseconds: now)
        case 4:
            guard let restriction = pick(state.restrictions.keys.sorted()) else { return }
            command = .agreeRestriction(restrictionID: restriction, effectiveFromMicroseconds: now)
        default:
            let basis: DisclosureLegalBasis
            if let consent = pick(state.permissions(asOfMicroseconds: now - 1)), case .consent(let id) = consent.source,
                chance(60)
            {
                basis = .consent(id)
            } else {
                basis = chance(50) ? .requiredOrPermittedByLaw : .treatment
            }
            command = .recordDisclosure(
                disclosureID: newID(), recipient: recipient,
                purpose: basis == .treatment || chance(50) ? .treatment : .research,
                informationDescription: "visit summary", legalBasis: basis, disclosedAtMicroseconds: now - 1)
        }
        guard let decision = try? state.decide(command, by: .physician, nowMicroseconds: now) else { return }
        try emit(decision.events, to: decision.stream, by: staff("dr-a"), role: .physician, onStored: onStored)
    }
}
