import ClinicEvents
import RecordLog
import RecordLogTesting

/// The shape of a generated office history.
public struct OfficeHistoryOptions: Sendable {
    /// The seed of every random choice, key and nonce: the same options give the same bytes.
    public var seed: UInt64
    /// How many patients the office can register (each is registered at their first booking).
    public var patientCount: Int
    /// How many providers see patients (3 by default: two physicians and a nurse practitioner).
    public var providerCount: Int
    /// How many appointments each provider's schedule takes per office day, once the office is busy.
    public var visitsPerProviderPerDay: Int
    /// The first office day, in days since 1970 (default 2021-01-04, a Monday).
    public var firstDaySince1970: Int64

    /// Creates options.
    public init(
        seed: UInt64, patientCount: Int, providerCount: Int = 3, visitsPerProviderPerDay: Int = 16,
        firstDaySince1970: Int64 = 18_631
    ) {
        self.seed = seed
        self.patientCount = patientCount
        self.providerCount = providerCount
        self.visitsPerProviderPerDay = visitsPerProviderPerDay
        self.firstDaySince1970 = firstDaySince1970
    }

    /// The options for a history of about `eventCount` events: one patient per 40 events (25,000 for 1M), at
    /// least 200.
    public static func standard(eventCount: Int, seed: UInt64) -> OfficeHistoryOptions {
        OfficeHistoryOptions(seed: seed, patientCount: max(200, eventCount / 40))
    }
}

/// A failure to build the history: an event the generator made was refused by its own validation.
public struct OfficeHistoryError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}

/// A seeded, realistic office history, made day by day: a few providers, tens of thousands of patients, years of
/// visits with their bookings, check-ins, vitals, notes, charges, copays, insurance payments and contractual
/// adjustments, consents, coverage and eligibility checks, occasional disclosures, and a day close every office day.
///
/// The events use `ClinicStore`'s streams (`patient-`, `consent-`, `coverage-`, `chart-`, `account-` per patient,
/// `schedule-` per provider, `staff`, `payers`, `daybook`) with gapless versions, and are encoded with the patient data
/// sealed under each patient's own key in ``keyring``. Recorded times increase along the history (office hours,
/// weekdays, UTC).
public struct OfficeHistory {
    /// The options it was made with.
    public let options: OfficeHistoryOptions
    /// The master key that wraps every patient's key (drawn from the seed).
    public let masterKey: MasterKey
    /// Every registered patient's data key.
    public let keyring: PatientKeyring
    /// The codec the payloads are encoded with.
    public let codec: EventCodec
    /// The patients registered so far, in order of registration.
    public private(set) var registeredPatients: [EventID] = []
    /// How many events were handed out.
    public private(set) var eventCount = 0
    /// The office day being generated, in days since 1970.
    public private(set) var day: Int64

    private let sealer: PatientDataSealer
    private var random: SeededRandomNumberGenerator
    private var versions: [String: UInt64] = [:]
    private var ready: [HistoryEvent] = []
    private var readyIndex = 0
    private var lastRecordedTime: Int64 = 0
    private var office: Office
    private var patients: [PatientFile]
    private var bookings: [Int64: [Visit]] = [:]
    private var claims: [Int64: [Claim]] = [:]
    /// Booked 15-minute slots per day and provider (bit n: the slot at 08:00 + 15 n minutes).
    private var slots: [Int64: [UInt64]] = [:]
    private var officeDayNumber = 0
    /// The order in which drafts were made, which breaks ties between drafts of the same minute.
    private var sequence = 0

    /// Creates the history's generator; nothing is generated until ``next()``.
    public init(options: OfficeHistoryOptions) throws {
        self.options = options
        var random = SeededRandomNumberGenerator(seed: options.seed)
        masterKey = MasterKey.make(using: RandomByteSource(SeededRandomNumberGenerator(seed: random.next())))
        let nonces = RandomByteSource(SeededRandomNumberGenerator(seed: random.next()))
        keyring = PatientKeyring(masterKey: masterKey, random: nonces)
        sealer = PatientDataSealer(keyring: keyring, random: nonces)
        do {
            codec = try EventCodec()
            office = try Office(providerCount: options.providerCount, random: &random)
        } catch {
            throw OfficeHistoryError(description: "the office could not be set up: \(error)")
        }
        patients = (0..<max(1, options.patientCount)).map { _ in PatientFile(id: EventID.random(using: &random)) }
        day = options.firstDaySince1970
        self.random = random
    }

    /// The next event of the history.
    public mutating func next() throws -> HistoryEvent {
        while readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            try makeOfficeDay()
        }
        defer { readyIndex += 1 }
        eventCount += 1
        return ready[readyIndex]
    }

    /// The next `count` events.
    public mutating func next(_ count: Int) throws -> [HistoryEvent] {
        var events: [HistoryEvent] = []
        events.reserveCapacity(count)
        for _ in 0..<count { events.append(try next()) }
        return events
    }

    // MARK: - One office day

    private mutating func makeOfficeDay() throws {
        var drafts: [Draft] = []
        do {
            if officeDayNumber == 0 { try setUpOffice(&drafts) }
            for visit in bookings.removeValue(forKey: day) ?? [] { try see(visit, &drafts) }
            for claim in claims.removeValue(forKey: day) ?? [] { try pay(claim, &drafts) }
            let ramp = min(1.0, 0.4 + Double(officeDayNumber) / 60)
            let bookingCount = Int(Double(options.providerCount * options.visitsPerProviderPerDay) * ramp)
            for _ in 0..<bookingCount { try book(&drafts) }
            try closeDay(&drafts)
        } catch let error as OfficeHistoryError {
            throw error
        } catch {
            throw OfficeHistoryError(description: "an event of day \(day) failed its validation: \(error)")
        }
        drafts.sort { ($0.minute, $0.sequence) < ($1.minute, $1.sequence) }
        for draft in drafts { ready.append(try encode(draft)) }
        slots.removeValue(forKey: day)
        officeDayNumber += 1
        day = nextWeekday(after: day)
    }

    private func nextWeekday(after day: Int64) -> Int64 {
        var next = day + 1
        while AvailabilityDay.isoWeekday(ofDaysSince1970: next) > 5 { next += 1 }
        return next
    }

    private func weekdays(after day: Int64, count: Int) -> Int64 {
        var result = day
        for _ in 0..<count { result = nextWeekday(after: result) }
        return result
    }

    private mutating func encode(_ draft: Draft) throws -> HistoryEvent {
        let version = (versions[draft.stream] ?? 0) + 1
        versions[draft.stream] = version
        let minuteStart = day * 86_400_000_000 + Int64(draft.minute) * 60_000_000
        let recorded = max(lastRecordedTime + 1_000, minuteStart + int64(0...59_000_000))
        lastRecordedTime = recorded
        let effective = recorded - Int64(draft.effectiveLagMinutes) * 60_000_000 - int64(0...90_000_000)
        let eventID = EventID.random(using: &random)
        do {
            let envelope = try EventEnvelope(
                stream: draft.stream, eventID: eventID, eventType: draft.event.eventType,
                schemaVersion: draft.event.schemaVersion, recordedTimeMicroseconds: recorded,
                effectiveTimeMicroseconds: effective, actorStaffID: draft.actor.staffID, actorRole: draft.actor.role,
                reason: draft.reason, correlationID: draft.correlationID)
            let payload = try codec.encode(draft.event, envelope: envelope, sealingWith: sealer)
            return HistoryEvent(
                stream: draft.stream, streamVersion: version, eventID: eventID, eventType: draft.event.eventType,
                recordedTimeMicroseconds: recorded, effectiveTimeMicroseconds: effective,
                patientID: draft.patientID, payload: payload)
        } catch {
            throw OfficeHistoryError(description: "a \(draft.event.eventType) event could not be encoded: \(error)")
        }
    }

    private mutating func add(
        _ event: ClinicEvent, to stream: String, at minute: Int, by actor: StaffActor, patient: EventID?,
        correlation: EventID? = nil, lagMinutes: Int = 0, reason: String? = nil, into drafts: inout [Draft]
    ) {
        sequence += 1
        drafts.append(
            Draft(
                minute: min(max(minute, 0), 1_439), sequence: sequence, stream: stream, event: event, actor: actor,
                patientID: patient, correlationID: correlation, effectiveLagMinutes: lagMinutes, reason: reason))
    }

    /// Microseconds since 1970 at `minute` of the current day.
    private func time(atMinute minute: Int) -> Int64 { day * 86_400_000_000 + Int64(minute) * 60_000_000 }

    // MARK: - Set-up, bookings, visits, claims, day close

    private mutating func setUpOffice(_ drafts: inout [Draft]) throws {
        let manager = office.manager
        for member in office.staffMembers {
            add(.staffMemberAdded(member), to: "staff", at: 400, by: manager, patient: nil, into: &drafts)
        }
        for payer in office.payers {
            add(.payerDefined(payer), to: "payers", at: 405, by: manager, patient: nil, into: &drafts)
        }
        for provider in office.providers {
            for weekday in UInt8(1)...5 {
                let availability = try ProviderAvailabilityDefined(
                    providerStaffID: provider.staffID, day: .weekday(weekday), startMinuteOfDay: 480,
                    endMinuteOfDay: 1_020, slotMinutes: 15)
                add(
                    .providerAvailabilityDefined(availability), to: ProviderSchedule.streamName(for: provider.staffID),
                    at: 410, by: manager, patient: nil, into: &drafts)
            }
        }
    }

    private mutating func book(_ drafts: inout [Draft]) throws {
        let minute = int(480...1_020)
        let frontDesk = pick(office.frontDesk)
        let patientIndex: Int
        if registeredPatients.count < patients.count, registeredPatients.count < 50 || int(0...99) < 35 {
            patientIndex = registeredPatients.count
            try register(patientIndex, at: minute - 3, by: frontDesk, &drafts)
        } else {
            patientIndex = int(0...(registeredPatients.count - 1))
        }
        let providerIndex = int(0...(office.providers.count - 1))
        let duration = pick([15, 15, 15, 30, 30])
        var lead = pick([0, 1, 2, 3, 5, 8, 10, 15, 20])
        var start: Int?
        var visitDay = day
        for _ in 0..<12 {
            visitDay = lead == 0 ? day : weekdays(after: day, count: lead)
            start = reserveSlot(
                day: visitDay, provider: providerIndex, slotCount: duration / 15, notBefore: lead == 0 ? minute + 30 : 0
            )
            if start != nil { break }
            lead += 1
        }
        guard let start else { return }
        let patient = patients[patientIndex]
        let appointmentID = EventID.random(using: &random)
        let provider = office.providers[providerIndex]
        let booked = try AppointmentBooked(
            appointmentID: appointmentID, patientID: patient.id, providerStaffID: provider.staffID,
            startLocalMinutesSince1970: visitDay * 1_440 + Int64(start), durationMinutes: UInt32(duration),
            reason: pick(Vocabulary.visitReasons))
        add(
            .appointmentBooked(booked), to: ProviderSchedule.streamName(for: provider.staffID), at: minute,
            by: frontDesk, patient: nil, correlation: appointmentID, into: &drafts)
        if let coverage = patient.coverage {
            let checked = EligibilityChecked(
                coverageID: coverage.coverageID, result: int(0...49) == 0 ? .inactive : .active,
                checkedAtMicroseconds: time(atMinute: minute + 1))
            add(
                .eligibilityChecked(checked), to: CoverageState.streamName(for: patient.id), at: minute + 1,
                by: frontDesk, patient: patient.id, correlation: appointmentID, into: &drafts)
        }
        bookings[visitDay, default: []].append(
            Visit(
                appointmentID: appointmentID, patientIndex: patientIndex, providerIndex: providerIndex,
                startMinute: start, durationMinutes: duration, isFirstVisit: patient.visitCount == 0))
        patients[patientIndex].visitCount += 1
    }

    /// The start minute of a free run of `slotCount` slots of the provider on `day` at or after `notBefore`, now
    /// booked, or nil when none was found in a few tries.
    private mutating func reserveSlot(day: Int64, provider: Int, slotCount: Int, notBefore: Int) -> Int? {
        var daySlots = slots[day] ?? Array(repeating: 0, count: office.providers.count)
        let first = max(0, (notBefore - 480 + 14) / 15)
        let last = 36 - slotCount
        guard first <= last else { return nil }
        for _ in 0..<6 {
            let slot = int(first...last)
            let mask = (UInt64(1) << UInt64(slotCount) - 1) << UInt64(slot)
            if daySlots[provider] & mask == 0 {
                daySlots[provider] |= mask
                slots[day] = daySlots
                return 480 + slot * 15
            }
        }
        return nil
    }

    private mutating func register(_ index: Int, at minute: Int, by frontDesk: StaffActor, _ drafts: inout [Draft])
        throws
    {
        let id = patients[index].id
        do {
            _ = try keyring.createKey(for: id)
        } catch {
            throw OfficeHistoryError(description: "a patient's data key could not be created: \(error)")
        }
        registeredPatients.append(id)
        let registration = try PatientRegistered(
            patientID: id, familyName: pick(Vocabulary.familyNames), givenName: pick(Vocabulary.givenNames),
            birthDateDaysSince1970: int64(-32_000...(day - 30)), preferredLanguage: pick([nil, nil, nil, "en", "es"]))
        add(
            .patientRegistered(registration), to: PatientRecordState.streamName(for: id), at: minute, by: frontDesk,
            patient: id, into: &drafts)
        let consentStream = ConsentState.streamName(for: id)
        let notice = try PrivacyNoticeAcknowledged(
            patientID: id, noticeVersion: "NPP-2020-10", acknowledgedAtMicroseconds: time(atMinute: minute))
        add(
            .privacyNoticeAcknowledged(notice), to: consentStream, at: minute, by: frontDesk, patient: id, into: &drafts
        )
        let consent = try ConsentGranted(
            consentID: EventID.random(using: &random), patientID: id,
            scope: try DisclosureScope(recipientCategories: [.healthPlan, .healthCareProvider], purposes: [.payment]),
            effectiveFromMicroseconds: time(atMinute: minute))
        add(.consentGranted(consent), to: consentStream, at: minute, by: frontDesk, patient: id, into: &drafts)
        guard int(0...99) < 80 else { return }
        let payerIndex = int(0...(office.payers.count - 1))
        let coverage = Coverage(
            coverageID: EventID.random(using: &random), payerIndex: payerIndex,
            copayCents: Int64(pick([0, 1_500, 2_000, 2_500, 3_000, 4_000])))
        patients[index].coverage = coverage
        let added = try CoverageAdded(
            coverageID: coverage.coverageID, patientID: id, payerID: office.payers[payerIndex].payerID,
            memberID: "\(pick(["XJH", "QWB", "MCR", "ZKP"]))\(int(100_000_000...999_999_999))", order: .primary,
            copayCents: coverage.copayCents, effectiveDaysSince1970: day - int64(0...400), terminationDaysSince1970: nil
        )
        add(
            .coverageAdded(added), to: CoverageState.streamName(for: id), at: minute + 1, by: frontDesk, patient: id,
            into: &drafts)
    }

    private mutating func see(_ visit: Visit, _ drafts: inout [Draft]) throws {
        let patient = patients[visit.patientIndex]
        let provider = office.providers[visit.providerIndex]
        let schedule = ProviderSchedule.streamName(for: provider.staffID)
        let chart = ChartState.streamName(for: patient.id)
        let account = PatientAccount.streamName(for: patient.id)
        let frontDesk = pick(office.frontDesk)
        let assistant = pick(office.assistants)
        let start = visit.startMinute
        let end = start + visit.durationMinutes
        let appointment = visit.appointmentID
        func mark(_ event: ClinicEvent, at minute: Int, by actor: StaffActor, _ drafts: inout [Draft]) {
            add(event, to: schedule, at: minute, by: actor, patient: nil, correlation: appointment, into: &drafts)
        }
        switch int(0...99) {
        case 0..<5:
            let cancelled = try AppointmentCancelled(
                appointmentID: appointment, patientID: patient.id, reason: pick(Vocabulary.cancellationReasons),
                isLate: int(0...2) == 0)
            mark(.appointmentCancelled(cancelled), at: max(420, start - int(30...300)), by: frontDesk, &drafts)
            return
        case 5..<10:
            mark(
                .appointmentNoShow(AppointmentNoShow(appointmentID: appointment)), at: start + 20, by: frontDesk,
                &drafts)
            return
        default:
            break
        }
        if int(0...9) < 7 {
            mark(
                .appointmentConfirmed(AppointmentConfirmed(appointmentID: appointment)), at: int(420...470),
                by: frontDesk, &drafts)
        }
        let encounterID = EventID.random(using: &random)
        mark(.patientArrived(PatientArrived(appointmentID: appointment)), at: start - 8, by: frontDesk, &drafts)
        mark(
            .patientCheckedIn(PatientCheckedIn(appointmentID: appointment, encounterID: encounterID)), at: start - 5,
            by: frontDesk, &drafts)
        mark(
            .patientRoomed(try PatientRoomed(appointmentID: appointment, room: "Exam \(int(1...6))")), at: start,
            by: assistant, &drafts)
        let kinds = Array(VitalSignKind.allCases.shuffled(using: &random).prefix(int(4...6)))
        let measurements = try kinds.map { kind in
            let range = kind.plausibleThousandths
            let middle = (range.lowerBound + range.upperBound) / 2
            let spread = (range.upperBound - range.lowerBound) / 10
            return try VitalSign(kind: kind, valueThousandths: int64((middle - spread)...(middle + spread)))
        }
        add(
            .vitalsRecorded(
                try VitalsRecorded(patientID: patient.id, encounterID: encounterID, measurements: measurements)),
            to: chart, at: start + 4, by: assistant, patient: patient.id, correlation: appointment, into: &drafts)
        if int(0...99) < 3 {
            let allergy = try AllergyRecorded(
                allergyID: EventID.random(using: &random), patientID: patient.id, substance: pick(Vocabulary.allergens),
                reaction: pick(["hives", "rash", "anaphylaxis", "swelling", "nausea"]),
                severity: pick(AllergySeverity.allCases), verification: .confirmed)
            add(
                .allergyRecorded(allergy), to: chart, at: start + 5, by: assistant, patient: patient.id,
                correlation: appointment, into: &drafts)
        }
        let diagnoses = try (0..<int(1...3)).map { _ in try DiagnosisCode(pick(Vocabulary.diagnoses)) }
        if int(0...99) < 15 {
            let problem = try ProblemAdded(
                problemID: EventID.random(using: &random), patientID: patient.id, diagnosis: diagnoses[0],
                onsetDaysSince1970: int(0...1) == 0 ? nil : day - int64(0...2_000))
            add(
                .problemAdded(problem), to: chart, at: end - 5, by: provider, patient: patient.id,
                correlation: appointment, into: &drafts)
        }
        if int(0...99) < 12 {
            let (name, dose, frequency) = pick(Vocabulary.medications)
            let medication = try MedicationStarted(
                medicationID: EventID.random(using: &random), patientID: patient.id, name: name, dose: dose,
                route: .oral, frequency: frequency, reason: diagnoses[0].code)
            add(
                .medicationStarted(medication), to: chart, at: end - 3, by: provider, patient: patient.id,
                correlation: appointment, into: &drafts)
        }
        var charges: [(id: EventID, amount: Int64)] = []
        let evaluation = visit.isFirstVisit ? pick(["99203", "99204"]) : pick(["99212", "99213", "99213", "99214"])
        var codes = [evaluation]
        for _ in 0..<pick([0, 0, 1, 1, 2]) { codes.append(pick(["36415", "81002", "90471", "85025", "93000"])) }
        for code in codes {
            let chargeID = EventID.random(using: &random)
            let amount = Vocabulary.fee(of: code) + int64(0...20) * 100
            let charge = try ChargePosted(
                chargeID: chargeID, patientID: patient.id, encounterID: encounterID,
                procedure: try ProcedureCode(
                    code: code, modifiers: code == evaluation && codes.count > 1 ? ["25"] : []),
                units: 1, diagnoses: diagnoses, diagnosisPointers: Array(1...UInt8(diagnoses.count)),
                amount: try MoneyCents(cents: amount), postingDateDaysSince1970: day)
            add(
                .chargePosted(charge), to: account, at: end, by: provider, patient: patient.id,
                correlation: appointment, into: &drafts)
            charges.append((chargeID, amount))
        }
        mark(.patientCheckedOut(PatientCheckedOut(appointmentID: appointment)), at: end + 3, by: frontDesk, &drafts)
        let total = charges.reduce(0) { $0 + $1.amount }
        let paidAtDesk = patient.coverage.map { min($0.copayCents, charges[0].amount) } ?? total * 6 / 10
        if paidAtDesk > 0 {
            let paymentID = EventID.random(using: &random)
            let payment = try PaymentPosted(
                paymentID: paymentID, patientID: patient.id, payer: .patient,
                method: pick([.card, .card, .card, .cash, .check]), reference: "",
                amount: try MoneyCents(cents: paidAtDesk), postingDateDaysSince1970: day)
            add(
                .paymentPosted(payment), to: account, at: end + 4, by: frontDesk, patient: patient.id,
                correlation: appointment, into: &drafts)
            var left = paidAtDesk
            for charge in charges where left > 0 {
                let applied = min(left, charge.amount)
                left -= applied
                let application = try PaymentApplied(
                    paymentID: paymentID, chargeID: charge.id, amount: try MoneyCents(cents: applied),
                    postingDateDaysSince1970: day)
                add(
                    .paymentApplied(application), to: account, at: end + 4, by: frontDesk, patient: patient.id,
                    correlation: appointment, into: &drafts)
            }
        }
        let noteAuthor = provider
        let note = try NoteSigned(
            noteID: EventID.random(using: &random), patientID: patient.id, encounterID: encounterID,
            authorStaffID: noteAuthor.staffID, text: makeNote(diagnoses: diagnoses))
        let signedAt = min(1_150, end + int(10...180))
        add(
            .noteSigned(note), to: chart, at: signedAt, by: noteAuthor, patient: patient.id,
            correlation: appointment, lagMinutes: signedAt - end, into: &drafts)
        if int(0...99) == 0 {
            let disclosure = try DisclosureRecorded(
                disclosureID: EventID.random(using: &random), patientID: patient.id,
                recipient: try DisclosureRecipient(
                    name: pick(["Lakeside Cardiology", "Metro Imaging Center", "County Health Department"]),
                    category: .healthCareProvider, address: "\(int(10...999)) Main Street"),
                purpose: .treatment, informationDescription: "visit note and problem list",
                legalBasis: .treatment, disclosedAtMicroseconds: time(atMinute: signedAt + 5))
            add(
                .disclosureRecorded(disclosure), to: ConsentState.streamName(for: patient.id), at: signedAt + 5,
                by: office.manager, patient: patient.id, into: &drafts)
        }
        if let coverage = patient.coverage {
            var due = charges.map { (id: $0.id, amount: $0.amount) }
            var copay = paidAtDesk
            for index in due.indices where copay > 0 {
                let applied = min(copay, due[index].amount)
                due[index].amount -= applied
                copay -= applied
            }
            claims[weekdays(after: day, count: int(8...25)), default: []].append(
                Claim(patientIndex: visit.patientIndex, payerIndex: coverage.payerIndex, charges: due))
        }
    }

    private mutating func pay(_ claim: Claim, _ drafts: inout [Draft]) throws {
        let patient = patients[claim.patientIndex]
        let account = PatientAccount.streamName(for: patient.id)
        let biller = office.biller
        let minute = int(540...960)
        let payer = office.payers[claim.payerIndex]
        let paymentID = EventID.random(using: &random)
        var paid: [(EventID, Int64, Int64)] = []
        for charge in claim.charges where charge.amount > 0 {
            let allowed = charge.amount * int64(55...85) / 100
            paid.append((charge.id, allowed, charge.amount - allowed))
        }
        let total = paid.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return }
        let payment = try PaymentPosted(
            paymentID: paymentID, patientID: patient.id,
            payer: .insurance(payerID: payer.payerID.description, level: 1),
            method: .electronicFundsTransfer, reference: "ERA \(int(1_000_000...9_999_999))",
            amount: try MoneyCents(cents: total), postingDateDaysSince1970: day)
        add(.paymentPosted(payment), to: account, at: minute, by: biller, patient: patient.id, into: &drafts)
        for (chargeID, allowed, writeOff) in paid {
            let application = try PaymentApplied(
                paymentID: paymentID, chargeID: chargeID, amount: try MoneyCents(cents: allowed),
                postingDateDaysSince1970: day)
            add(.paymentApplied(application), to: account, at: minute, by: biller, patient: patient.id, into: &drafts)
            guard writeOff > 0 else { continue }
            let adjustment = try AdjustmentPosted(
                adjustmentID: EventID.random(using: &random), chargeID: chargeID, responsibility: .insurance(level: 1),
                amount: try MoneyCents(cents: writeOff), reasonCode: try AdjustmentReasonCode("CO-45"),
                postingDateDaysSince1970: day)
            add(.adjustmentPosted(adjustment), to: account, at: minute, by: biller, patient: patient.id, into: &drafts)
        }
    }

    private mutating func closeDay(_ drafts: inout [Draft]) throws {
        var charges: Int64 = 0
        var payments: Int64 = 0
        var adjustments: Int64 = 0
        for draft in drafts {
            switch draft.event {
            case .chargePosted(let charge): charges += charge.amount.cents
            case .paymentPosted(let payment): payments += payment.amount.cents
            case .adjustmentPosted(let adjustment): adjustments += adjustment.amount.cents
            default: break
            }
        }
        let totals = try DayTotals(
            charges: try MoneyCents(cents: charges), payments: try MoneyCents(cents: payments),
            adjustments: try MoneyCents(cents: adjustments), refunds: .zero, chargeVoids: .zero, paymentVoids: .zero)
        add(
            .dayClosed(DayClosed(dateDaysSince1970: day, totals: totals)), to: DayBook.streamName, at: 1_170,
            by: office.manager, patient: nil, into: &drafts)
    }

    private mutating func makeNote(diagnoses: [DiagnosisCode]) -> String {
        var sentences: [String] = []
        sentences.append("S: \(pick(Vocabulary.complaints)).")
        sentences.append("O: \(pick(Vocabulary.findings)).")
        sentences.append("A: \(diagnoses.map(\.code).joined(separator: ", ")) \(pick(Vocabulary.assessments)).")
        sentences.append(
            "P: \(pick(Vocabulary.plans)). Return in \(pick(["2 weeks", "1 month", "3 months", "6 months", "1 year"]))."
        )
        return sentences.joined(separator: " ")
    }

    // MARK: - Random choices

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func int64(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }
    private mutating func pick<Element>(_ elements: [Element]) -> Element { elements[int(0...(elements.count - 1))] }
}

/// An event waiting for its place in the day: sorted by minute (then order of making) before it is encoded.
struct Draft {
    var minute: Int
    var sequence: Int
    var stream: String
    var event: ClinicEvent
    var actor: StaffActor
    var patientID: EventID?
    var correlationID: EventID?
    var effectiveLagMinutes: Int
    var reason: String?
}

/// Who did it: a staff member and the role they acted in.
struct StaffActor {
    var staffID: StaffID
    var role: StaffRole
}

struct Visit {
    var appointmentID: EventID
    var patientIndex: Int
    var providerIndex: Int
    var startMinute: Int
    var durationMinutes: Int
    var isFirstVisit: Bool
}

struct Claim {
    var patientIndex: Int
    var payerIndex: Int
    var charges: [(id: EventID, amount: Int64)]
}

struct Coverage {
    var coverageID: EventID
    var payerIndex: Int
    var copayCents: Int64
}

struct PatientFile {
    var id: EventID
    var coverage: Coverage?
    var visitCount = 0

    init(id: EventID) { self.id = id }
}
