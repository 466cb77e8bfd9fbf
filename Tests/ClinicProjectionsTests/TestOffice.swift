import ClinicEvents
import ClinicProjections
import Crypto
import Foundation
import Logging
import RecordLog
import RecordLogTesting
import XCTest

let quietLogger = Logger(label: "cliniclog.projections.tests") { _ in SwiftLogNoOpLogHandler() }

/// A fixed source of log ids and nonces for tests.
struct CountingRandomSource: RandomSource {
    func bytes(count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) } }
}

/// Unwraps a value a test builds from literals, failing the test rather than trapping.
func must<Value>(_ make: () throws -> Value, file: StaticString = #filePath, line: UInt = #line) -> Value {
    do {
        return try make()
    } catch {
        XCTFail("building a test value failed: \(error)", file: file, line: line)
        preconditionFailure("test value")
    }
}

func staff(_ id: String) -> StaffID { must { try StaffID(id) } }
func cents(_ value: Int64) -> MoneyCents { must { try MoneyCents(cents: value) } }
func patientID(_ number: UInt64) -> EventID {
    EventID(high: 0x5A71_E000_0000_4000 | number, low: 0x8000_0000_0000_0000 | number)
}
func itemID(_ number: UInt64) -> EventID {
    EventID(high: 0x1D00_0000_0000_4000 | number << 16, low: 0x8000_0000_0000_0001 | number)
}

/// Microseconds of one day and one minute.
let dayMicroseconds: Int64 = 86_400_000_000
let minuteMicroseconds: Int64 = 60_000_000
/// 2025-12-01 (a Monday), in days since 1970-01-01.
let baseDay: Int64 = 20_423

/// A clinic's log on a simulated disk (or a real directory), with helpers to append events as staff would.
final class TestOffice {
    let fileSystem: any FileSystem
    let simulated: SimulatedFileSystem?
    let directory: String
    let clock: ManualClock
    let log: RecordLog
    let codec: EventCodec
    private var eventNumber: UInt64 = 0

    /// A new office log whose clock starts at `startMicroseconds`.
    convenience init(
        fileSystem: SimulatedFileSystem = SimulatedFileSystem(seed: 1), directory: String = "/office/log",
        startMicroseconds: Int64 = baseDay * dayMicroseconds + 8 * 60 * minuteMicroseconds,
        segmentBytesMax: Int64 = 64 << 10
    ) throws {
        try self.init(
            anyFileSystem: fileSystem, simulated: fileSystem, directory: directory,
            startMicroseconds: startMicroseconds,
            segmentBytesMax: segmentBytesMax)
    }

    /// A new office log in a fresh temporary directory on the real file system, removed when `testCase` ends: in
    /// memory (`/dev/shm`) where the machine has it, so that the test measures folding rather than the disk's fsync.
    convenience init(temporaryDirectoryFor testCase: XCTestCase, segmentBytesMax: Int64 = 256 << 10) throws {
        let base =
            FileManager.default.fileExists(atPath: "/dev/shm")
            ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let path = base.appendingPathComponent("cliniclog-views-\(UUID().uuidString)").path
        testCase.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try self.init(
            anyFileSystem: PosixFileSystem(), simulated: nil, directory: path + "/log",
            startMicroseconds: baseDay * dayMicroseconds + 8 * 60 * minuteMicroseconds, segmentBytesMax: segmentBytesMax
        )
    }

    private init(
        anyFileSystem fileSystem: any FileSystem, simulated: SimulatedFileSystem?, directory: String,
        startMicroseconds: Int64 = baseDay * dayMicroseconds + 8 * 60 * minuteMicroseconds,
        segmentBytesMax: Int64 = 64 << 10
    ) throws {
        self.fileSystem = fileSystem
        self.simulated = simulated
        self.directory = directory
        clock = ManualClock(microseconds: startMicroseconds)
        let configuration = LogConfiguration(
            segmentBytesMax: segmentBytesMax, preallocateSegments: false, indexIntervalBytes: 1024,
            groupCommitWaitMicroseconds: 0, clock: clock, logger: quietLogger)
        log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: CountingRandomSource())
        codec = try EventCodec()
    }

    deinit { log.close() }

    var reader: LogReader { LogReader(directory: directory, fileSystem: fileSystem) }
    var replayer: ProjectionReplayer { ProjectionReplayer(reader: reader, decoder: StoredEventDecoder(codec: codec)) }

    /// A replayer that folds on two threads from `parallelFoldEventsMin` events on (0: always; `.max`: never).
    func replayer(parallelFoldEventsMin: UInt64, decoder: StoredEventDecoder? = nil) -> ProjectionReplayer {
        ProjectionReplayer(
            reader: reader, decoder: decoder ?? StoredEventDecoder(codec: codec),
            parallelFoldEventsMin: parallelFoldEventsMin)
    }

    /// When set, patient data is sealed with the patient's key in this sealer's keyring (created at the patient's
    /// first event), as a store writes it; otherwise events are written in clear.
    var sealer: PatientDataSealer?

    /// A decoder that opens patient data with the sealer's keyring.
    var openingDecoder: StoredEventDecoder {
        let codec = codec
        let keyring = sealer?.keyring
        return StoredEventDecoder(
            decodeView: { try codec.decodeStored($0, opening: keyring) },
            decodeRecord: { try codec.decodeStored($0, opening: keyring) })
    }

    /// The current time (UTC microseconds).
    var now: Int64 { clock.nowMicroseconds() }

    /// Moves the clock to `microseconds` (never backwards).
    func setTime(_ microseconds: Int64) {
        if microseconds > clock.nowMicroseconds() { clock.set(microseconds: microseconds) }
    }

    /// Appends `event` to `stream`, effective at `effective` (now when nil), and returns it as stored.
    @discardableResult
    func append(
        _ event: ClinicEvent, to stream: String, by actor: StaffID = staff("frontdesk-1"),
        role: StaffRole = .officeManager, effective: Int64? = nil, reason: String? = nil
    ) throws -> StoredEvent {
        try appendBatch([(event, stream, actor, role, effective, reason)])[0]
    }

    /// Events made but not yet appended, when `bufferedAppendsMax` > 0.
    private var pending: [StreamAppend] = []
    private var pendingVersions: [String: UInt64] = [:]
    /// How many events to hold before appending them in one batch (0: append at once). Call `flush()` before
    /// reading the log.
    var bufferedAppendsMax = 0

    /// Appends several events in one atomic append (or holds them for the next `flush()`), returning them as stored.
    @discardableResult
    func appendBatch(
        _ items: [(
            event: ClinicEvent, stream: String, actor: StaffID, role: StaffRole, effective: Int64?, reason: String?
        )]
    ) throws -> [StoredEvent] {
        var appends: [StreamAppend] = []
        var stored: [StoredEvent] = []
        for item in items {
            eventNumber += 1
            let id = EventID(high: 0xE7E7_0000_0000_4000 | eventNumber << 16, low: 0x8000_0000_0000_0000 | eventNumber)
            let envelope = try EventEnvelope(
                stream: item.stream, eventID: id, eventType: item.event.eventType,
                schemaVersion: item.event.schemaVersion,
                recordedTimeMicroseconds: now, effectiveTimeMicroseconds: item.effective ?? now,
                actorStaffID: item.actor,
                actorRole: item.role, reason: item.reason)
            appends.append(
                StreamAppend(
                    stream: item.stream, expectedVersion: .any,
                    events: [AppendEvent(eventID: id, payload: try encode(item.event, envelope: envelope))]))
            let version = (pendingVersions[item.stream] ?? log.version(of: item.stream)) + 1
            pendingVersions[item.stream] = version
            stored.append(
                StoredEvent(
                    position: log.nextPosition + UInt64(pending.count + appends.count - 1), streamVersion: version,
                    recordedTimeMicroseconds: now, envelope: envelope,
                    event: item.event))
        }
        pending += appends
        if pending.count >= bufferedAppendsMax { try flush() }
        return stored
    }

    /// The payload of `event`: sealed with the patient's key when `sealer` is set, else in clear.
    private func encode(_ event: ClinicEvent, envelope: EventEnvelope) throws -> [UInt8] {
        guard let sealer else { return try codec.encode(event, envelope: envelope) }
        if let patient = event.subjectPatientID, sealer.keyring.wrappedKey(for: patient) == nil,
            !sealer.keyring.isErased(patient)
        {
            try sealer.keyring.createKey(for: patient)
        }
        return try codec.encode(event, envelope: envelope, sealingWith: sealer)
    }

    /// Appends the events held, in one atomic append.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let appends = pending
        pending = []
        pendingVersions = [:]
        _ = try log.appendAndWait(appends)
    }

    /// Every event of the log, decoded.
    func allEvents() throws -> [StoredEvent] {
        try reader.records().map { try codec.decodeStored($0) }
    }

    // MARK: Shorthands for the events of the hand-computed tests

    func register(_ patient: EventID, family: String, given: String) throws {
        try append(
            .patientRegistered(
                try PatientRegistered(
                    patientID: patient, familyName: family, givenName: given, birthDateDaysSince1970: 1000)),
            to: PatientRecordState.streamName(for: patient))
    }

    func charge(
        _ chargeID: EventID, patient: EventID, encounter: EventID, amount: Int64, code: String = "99213",
        effective: Int64? = nil, by actor: StaffID = staff("biller-1")
    ) throws {
        let charge = try ChargePosted(
            chargeID: chargeID, patientID: patient, encounterID: encounter, procedure: try ProcedureCode(code: code),
            units: 1, diagnoses: [try DiagnosisCode("E11.9")], diagnosisPointers: [1],
            amount: try MoneyCents(cents: amount), postingDateDaysSince1970: nil)
        try append(
            .chargePosted(charge), to: PatientAccount.streamName(for: patient), by: actor, role: .biller,
            effective: effective)
    }

    func pay(
        _ paymentID: EventID, patient: EventID, amount: Int64, day: Int64, payer: Payer = .patient,
        method: PaymentMethod = .cash, by actor: StaffID = staff("frontdesk-1")
    ) throws {
        let payment = try PaymentPosted(
            paymentID: paymentID, patientID: patient, payer: payer, method: method, reference: "",
            amount: try MoneyCents(cents: amount), postingDateDaysSince1970: day)
        try append(.paymentPosted(payment), to: PatientAccount.streamName(for: patient), by: actor, role: .frontDesk)
    }

    func apply(_ paymentID: EventID, to chargeID: EventID, patient: EventID, amount: Int64, day: Int64) throws {
        try append(
            .paymentApplied(
                try PaymentApplied(
                    paymentID: paymentID, chargeID: chargeID, amount: try MoneyCents(cents: amount), isCredit: false,
                    postingDateDaysSince1970: day)), to: PatientAccount.streamName(for: patient), by: staff("biller-1"),
            role: .biller)
    }

    func transfer(
        _ chargeID: EventID, patient: EventID, from: Responsibility, to: Responsibility, amount: Int64, day: Int64
    ) throws {
        try append(
            .responsibilityTransferred(
                try ResponsibilityTransferred(
                    chargeID: chargeID, from: from, to: to, amount: try MoneyCents(cents: amount),
                    postingDateDaysSince1970: day)), to: PatientAccount.streamName(for: patient), by: staff("biller-1"),
            role: .biller)
    }

    func adjust(
        _ adjustmentID: EventID, charge chargeID: EventID, patient: EventID, responsibility: Responsibility,
        amount: Int64, day: Int64
    ) throws {
        try append(
            .adjustmentPosted(
                try AdjustmentPosted(
                    adjustmentID: adjustmentID, chargeID: chargeID, responsibility: responsibility,
                    amount: try MoneyCents(cents: amount), reasonCode: try AdjustmentReasonCode("CO-45"),
                    postingDateDaysSince1970: day)), to: PatientAccount.streamName(for: patient), by: staff("biller-1"),
            role: .biller)
    }

    func refund(_ paymentID: EventID, patient: EventID, amount: Int64, day: Int64, method: PaymentMethod = .cash) throws
    {
        try append(
            .refundIssued(
                try RefundIssued(
                    paymentID: paymentID, amount: try MoneyCents(cents: amount), method: method,
                    postingDateDaysSince1970: day)), to: PatientAccount.streamName(for: patient), by: staff("biller-1"),
            role: .biller)
    }

    func voidCharge(_ chargeID: EventID, patient: EventID, day: Int64) throws {
        try append(
            .chargeVoided(
                try ChargeVoided(
                    originalID: chargeID, patientID: patient, reason: "wrong code", postingDateDaysSince1970: day)),
            to: PatientAccount.streamName(for: patient), by: staff("biller-1"), role: .biller)
    }

    func voidPayment(_ paymentID: EventID, patient: EventID, day: Int64) throws {
        try append(
            .paymentVoided(
                try PaymentVoided(
                    originalID: paymentID, patientID: patient, reason: "bounced", postingDateDaysSince1970: day)),
            to: PatientAccount.streamName(for: patient), by: staff("biller-1"), role: .biller)
    }

    func closeDay(_ day: Int64, totals: DayTotals) throws {
        try append(
            .dayClosed(DayClosed(dateDaysSince1970: day, totals: totals)), to: DayBook.streamName,
            by: staff("manager-1"), role: .officeManager)
    }

    func erase(_ patient: EventID) throws {
        try append(
            .patientErased(
                PatientErased(patientID: patient, reason: .patientRequest, authorizingStaffID: staff("privacy-1"))),
            to: PatientRecordState.streamName(for: patient), by: staff("privacy-1"), role: .complianceOfficer)
    }
}

/// A 32-byte checkpoint key for tests.
func testKey(_ seed: UInt8 = 7) -> SymmetricKey { SymmetricKey(data: (0..<32).map { UInt8($0) &* 13 &+ seed }) }
