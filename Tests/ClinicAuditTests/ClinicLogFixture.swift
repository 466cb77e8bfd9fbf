import ClinicEvents
import Foundation
import Logging
import RecordLog
import RecordLogTesting
import XCTest

/// A fresh directory under the system temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ testCase: XCTestCase) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cliniclog-audit-\(UUID().uuidString)")
        .path
    testCase.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Appends clinic events to a real log with a clock the test moves and deterministic event ids.
final class ClinicLogWriter {
    let log: RecordLog
    let codec: EventCodec
    let clock: ManualClock
    private var nextID: UInt64 = 1

    init(
        directory: String, segmentBytesMax: Int64 = 4096, startMicroseconds: Int64 = 1_764_581_400_000_000,
        firstID: UInt64 = 1
    ) throws {
        nextID = firstID
        clock = ManualClock(microseconds: startMicroseconds)
        let configuration = LogConfiguration(
            segmentBytesMax: segmentBytesMax, indexIntervalBytes: 512, clock: clock,
            logger: Logger(label: "cliniclog.audit.tests") { _ in SwiftLogNoOpLogHandler() })
        log = try RecordLog.open(directory: directory, configuration: configuration)
        codec = try EventCodec()
    }

    /// A new deterministic id.
    func makeID() -> EventID {
        defer { nextID += 1 }
        return EventID(high: 0x0A0D_17C0_0000_4000 | nextID << 16, low: 0x8000_0000_0000_0000 | nextID)
    }

    /// Appends one event to `stream`, a minute after the previous one; returns its event id.
    @discardableResult
    func append(
        _ event: ClinicEvent, to stream: String, actor: String = "dr.lee", role: StaffRole = .physician,
        reason: String? = nil, effectiveEarlierByMicroseconds: Int64 = 0
    ) throws -> EventID {
        clock.advance(byMicroseconds: 60_000_000)
        let now = clock.nowMicroseconds()
        let eventID = makeID()
        let envelope = try EventEnvelope(
            stream: stream, eventID: eventID, eventType: event.eventType, schemaVersion: event.schemaVersion,
            recordedTimeMicroseconds: now, effectiveTimeMicroseconds: now - effectiveEarlierByMicroseconds,
            actorStaffID: StaffID(actor), actorRole: role, reason: reason)
        let payload = try codec.encode(event, envelope: envelope)
        _ = try log.appendAndWait([
            StreamAppend(
                stream: stream, expectedVersion: .any, events: [AppendEvent(eventID: eventID, payload: payload)])
        ])
        return eventID
    }
}

/// A real clinic log in a temporary directory: one patient with a full history (registration and correction,
/// chart entries withdrawn, amended and added to, charges with a payment and a void, a consent and disclosures on
/// every basis), other patients' registrations and charges around it, and three signed checkpoints.
struct ClinicLogFixture {
    static let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 7, count: 32))
    static let day: Int64 = 86_400_000_000

    let directory: String
    let patient: EventID
    /// The checkpoints taken, oldest first; the first is the one the officer exported.
    let checkpoints: [SignedCheckpoint]
    /// Event ids by what they are.
    let events: [String: EventID]
    /// Entry ids by what they are.
    let entries: [String: EventID]
    /// The time the last event was recorded.
    let endMicroseconds: Int64

    var exported: SignedCheckpoint { checkpoints[0] }
    var reader: LogReader { LogReader(directory: directory) }

    static func make(_ testCase: XCTestCase, otherPatients: Int = 40) throws -> ClinicLogFixture {
        let directory = makeTemporaryDirectory(testCase)
        let writer = try ClinicLogWriter(directory: directory)
        defer { writer.log.close() }
        var events: [String: EventID] = [:]
        var entries: [String: EventID] = [:]
        var checkpoints: [SignedCheckpoint] = []
        let patient = writer.makeID()
        let account = PatientAccount.streamName(for: patient)
        let chart = ChartState.streamName(for: patient)
        let consent = ConsentState.streamName(for: patient)
        let today = writer.clock.nowMicroseconds() / day

        try addOtherPatients(writer, count: otherPatients / 2, today: today)
        events["registered"] = try writer.append(
            .patientRegistered(
                PatientRegistered(
                    patientID: patient, familyName: "Rivera", givenName: "Ana", birthDateDaysSince1970: 3_000)),
            to: PatientRecordState.streamName(for: patient), actor: "desk.kim", role: .frontDesk)
        events["corrected"] = try writer.append(
            .demographicsCorrected(
                DemographicsCorrected(
                    patientID: patient, registrationEventID: events["registered"]!, birthDateDaysSince1970: 3_001,
                    reason: "typo in the birth date")),
            to: PatientRecordState.streamName(for: patient), actor: "desk.kim", role: .frontDesk,
            reason: "patient showed her ID")
        let charge = writer.makeID()
        entries["charge"] = charge
        events["charge"] = try writer.append(
            .chargePosted(
                ChargePosted(
                    chargeID: charge, patientID: patient, encounterID: writer.makeID(),
                    procedure: ProcedureCode(code: "99213"), units: 1, diagnoses: [DiagnosisCode("E11.9")],
                    diagnosisPointers: [1], amount: MoneyCents(cents: 12_500), postingDateDaysSince1970: nil)),
            to: account, actor: "bill.ng", role: .biller)
        checkpoints.append(try writer.log.checkpointAndWait(signer: signer))

        let payment = writer.makeID()
        events["payment"] = try writer.append(
            .paymentPosted(
                PaymentPosted(
                    paymentID: payment, patientID: patient, payer: .patient, method: .card, reference: "auth-1",
                    amount: MoneyCents(cents: 2_000), postingDateDaysSince1970: today)),
            to: account, actor: "desk.kim", role: .frontDesk)
        events["applied"] = try writer.append(
            .paymentApplied(
                PaymentApplied(
                    paymentID: payment, chargeID: charge, amount: MoneyCents(cents: 2_000),
                    postingDateDaysSince1970: today)),
            to: account, actor: "desk.kim", role: .frontDesk)
        let wrongCharge = writer.makeID()
        entries["wrongCharge"] = wrongCharge
        events["wrongCharge"] = try writer.append(
            .chargePosted(
                ChargePosted(
                    chargeID: wrongCharge, patientID: patient, encounterID: writer.makeID(),
                    procedure: ProcedureCode(code: "99214"), units: 1, diagnoses: [DiagnosisCode("I10")],
                    diagnosisPointers: [1], amount: MoneyCents(cents: 18_000), postingDateDaysSince1970: nil)),
            to: account, actor: "bill.ng", role: .biller)
        events["void"] = try writer.append(
            .chargeVoided(
                ChargeVoided(
                    originalID: wrongCharge, patientID: patient, reason: "posted twice", postingDateDaysSince1970: today)),
            to: account, actor: "bill.ng", role: .biller, reason: "duplicate charge")

        let allergy = writer.makeID()
        events["allergy"] = try writer.append(
            .allergyRecorded(
                AllergyRecorded(
                    allergyID: allergy, patientID: patient, substance: "penicillin", reaction: "hives",
                    severity: .moderate, verification: .confirmed)), to: chart)
        events["allergyInError"] = try writer.append(
            .allergyEnteredInError(AllergyEnteredInError(allergyID: allergy, patientID: patient, reason: "wrong patient")), to: chart)
        let note = writer.makeID()
        events["note"] = try writer.append(
            .noteSigned(
                NoteSigned(
                    noteID: note, patientID: patient, encounterID: writer.makeID(), authorStaffID: StaffID("dr.lee"),
                    text: "Follow-up visit. Stable.")), to: chart, effectiveEarlierByMicroseconds: 2 * day)
        events["addendum"] = try writer.append(
            .noteAddendumSigned(
                NoteAddendumSigned(
                    addendumID: writer.makeID(), noteID: note, patientID: patient, authorStaffID: StaffID("dr.lee"),
                    text: "Labs normal.")),
            to: chart)
        let problem = writer.makeID()
        events["problem"] = try writer.append(
            .problemAdded(
                ProblemAdded(
                    problemID: problem, patientID: patient, diagnosis: DiagnosisCode("E11.9"),
                    onsetDaysSince1970: nil)),
            to: chart)
        let amendment = writer.makeID()
        events["amendmentRequested"] = try writer.append(
            .amendmentRequested(
                AmendmentRequested(
                    amendmentID: amendment, patientID: patient, amendedEntryIDs: [problem],
                    request: "The diagnosis should be type 1", requestedTimeMicroseconds: writer.clock.nowMicroseconds()
                )),
            to: chart, actor: "privacy.ott", role: .complianceOfficer)
        let correcting = writer.makeID()
        events["correctingProblem"] = try writer.append(
            .problemAdded(
                ProblemAdded(
                    problemID: correcting, patientID: patient, diagnosis: DiagnosisCode("E10.9"),
                    onsetDaysSince1970: nil)),
            to: chart)
        events["amendmentAccepted"] = try writer.append(
            .amendmentAccepted(AmendmentAccepted(amendmentID: amendment, correctingEntryIDs: [correcting])), to: chart)
        try addOtherPatients(writer, count: otherPatients / 2, today: today)
        checkpoints.append(try writer.log.checkpointAndWait(signer: signer))

        let now = writer.clock.nowMicroseconds()
        let consentID = writer.makeID()
        entries["consent"] = consentID
        events["consent"] = try writer.append(
            .consentGranted(
                ConsentGranted(
                    consentID: consentID, patientID: patient,
                    scope: DisclosureScope(recipientCategories: [.familyMember], purposes: [.patientRequest]),
                    effectiveFromMicroseconds: now - 3 * 365 * day)), to: consent, actor: "desk.kim", role: .frontDesk)
        func disclose(_ key: String, _ basis: DisclosureLegalBasis, _ purpose: DisclosurePurpose, _ at: Int64) throws {
            events[key] = try writer.append(
                .disclosureRecorded(
                    DisclosureRecorded(
                        disclosureID: writer.makeID(), patientID: patient,
                        recipient: DisclosureRecipient(
                            name: "Recipient \(key)", category: .familyMember, address: "1 Main St"),
                        purpose: purpose, informationDescription: "visit summary", legalBasis: basis,
                        disclosedAtMicroseconds: at)), to: consent, actor: "desk.kim", role: .frontDesk)
        }
        try disclose("disclosedUnderConsent", .consent(consentID), .patientRequest, now - 2 * 365 * day)
        try disclose("disclosedForTreatment", .treatment, .treatment, now - 365 * day)
        try disclose("disclosedByLaw", .requiredOrPermittedByLaw, .publicHealth, now - 30 * day)
        try disclose("disclosedToPatient", .exempt(.toPatient), .patientRequest, now - 10 * day)
        try disclose("disclosedLongAgo", .requiredOrPermittedByLaw, .lawEnforcement, now - 7 * 366 * day)
        checkpoints.append(try writer.log.checkpointAndWait(signer: signer))
        try addOtherPatients(writer, count: 4, today: today)
        return ClinicLogFixture(
            directory: directory, patient: patient, checkpoints: checkpoints, events: events, entries: entries,
            endMicroseconds: writer.clock.nowMicroseconds())
    }

    private static func addOtherPatients(_ writer: ClinicLogWriter, count: Int, today: Int64) throws {
        for number in 0..<count {
            let other = writer.makeID()
            try writer.append(
                .patientRegistered(
                    PatientRegistered(
                        patientID: other, familyName: "Family \(number)", givenName: "Given \(number)",
                        birthDateDaysSince1970: 5_000 + Int64(number))),
                to: PatientRecordState.streamName(for: other), actor: "desk.kim", role: .frontDesk)
            try writer.append(
                .chargePosted(
                    ChargePosted(
                        chargeID: writer.makeID(), patientID: other, encounterID: writer.makeID(),
                        procedure: ProcedureCode(code: "99212"), units: 1, diagnoses: [DiagnosisCode("J06.9")],
                        diagnosisPointers: [1], amount: MoneyCents(cents: 7_500 + Int64(number)),
                        postingDateDaysSince1970: nil)),
                to: PatientAccount.streamName(for: other), actor: "bill.ng", role: .biller)
        }
    }

    /// The segment files of the log, oldest first.
    func segmentNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.sorted()
    }
}
