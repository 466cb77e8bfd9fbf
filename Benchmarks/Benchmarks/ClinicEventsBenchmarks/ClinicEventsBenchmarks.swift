import Benchmark
import ClinicEvents
import Foundation
import RecordLog
import RecordLogTesting
import Synchronization

// The codec benchmarks of ClinicEvents (see ../../README.md): the binary `EventCodec` beside Foundation's
// JSONEncoder/JSONDecoder on the same events, and the cost of sealing and opening a patient's name.
//
// Every benchmark works on one fixed mix of 10,000 events, built once from a seeded generator before any measurement.
// One iteration handles 1,000 consecutive events of the mix (the next 1,000 at the next iteration, wrapping around),
// and the suite's scaling factor is `.kilo`, so the figures marked `*` are per event.

/// Metrics that the benchmarks report besides package-benchmark's own, computed from each iteration's own clock.
enum CodecMetric {
    /// Events encoded, decoded, sealed or opened per second, per iteration.
    static let eventsPerSecond = BenchmarkMetric.custom(
        "eventsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
    /// The mean size of one encoded event (envelope and body), in bytes, over the iteration's events.
    static let bytesPerEvent = BenchmarkMetric.custom(
        "bytesPerEvent", polarity: .prefersSmaller, useScalingFactor: false)
}

/// The sizes of the workload.
enum CodecWorkload {
    static let eventCount = 10_000
    static let eventsPerIteration = 1_000
    static let patientCount = 500
    static let seed: UInt64 = 20_261_129
    /// A typical family and given name as stored: 40 bytes of UTF-8.
    static let nameField = Array("Okonkwo-Villanueva, María-José Thérèse".utf8)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, CodecMetric.eventsPerSecond],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )
    let day = ClinicDay.shared
    registerBinaryCodecBenchmarks(day)
    registerJSONBenchmarks(day)
    registerPatientDataBenchmarks(day)
}

// MARK: - The binary codec

func registerBinaryCodecBenchmarks(_ day: ClinicDay) {
    Benchmark(
        "Codec: EventCodec encode (envelope + body)",
        configuration: .init(
            metrics: [
                .throughput, .wallClock, .mallocCountTotal, CodecMetric.eventsPerSecond, CodecMetric.bytesPerEvent,
            ])
    ) { benchmark in
        let window = day.nextWindow()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let payload = try day.codec.encode(day.events[index], envelope: day.envelopes[index])
            byteCount &+= payload.count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
        benchmark.measurement(CodecMetric.bytesPerEvent, byteCount / window.count)
    }

    Benchmark("Codec: EventCodec decode (to DecodedEvent)") { benchmark in
        let window = day.nextWindow()
        var checksum = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let decoded = try day.codec.decode(day.payloads[index])
            checksum &+= Int(decoded.envelope.recordedTimeMicroseconds)
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(checksum)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }

    // The envelope alone (its strings, ids, times and role validated), to show what the body adds to a decode.
    Benchmark("Codec: EventEnvelope decode only") { benchmark in
        let window = day.nextWindow()
        var checksum = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let envelope = try day.payloads[index].withUnsafeBytes { buffer in
                try BinaryDecoder.decodePrefix(buffer) { try EventEnvelope.decode(from: &$0) }.value
            }
            checksum &+= Int(envelope.recordedTimeMicroseconds)
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(checksum)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }
}

// MARK: - Foundation's JSON coders on the Codable mirror

func registerJSONBenchmarks(_ day: ClinicDay) {
    Benchmark(
        "Codec: JSONEncoder (Codable mirror)",
        configuration: .init(
            metrics: [
                .throughput, .wallClock, .mallocCountTotal, CodecMetric.eventsPerSecond, CodecMetric.bytesPerEvent,
            ])
    ) { benchmark in
        let window = day.nextWindow()
        let encoder = JSONEncoder()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            byteCount &+= try encoder.encode(day.mirrors[index]).count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
        benchmark.measurement(CodecMetric.bytesPerEvent, byteCount / window.count)
    }

    Benchmark("Codec: JSONDecoder (Codable mirror)") { benchmark in
        let window = day.nextWindow()
        let decoder = JSONDecoder()
        var checksum = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let decoded = try decoder.decode(JSONMirrorEvent.self, from: day.jsonPayloads[index])
            checksum &+= Int(decoded.envelope.recordedTimeMicroseconds)
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(checksum)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }
}

// MARK: - Patient data encryption

func registerPatientDataBenchmarks(_ day: ClinicDay) {
    Benchmark("Patient data: seal a 40-byte name (PatientKeyring, key unwrapped per call)") { benchmark in
        let window = day.nextWindow()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            byteCount &+= try day.keyring.seal(CodecWorkload.nameField, for: day.nameContexts[index]).ciphertext.count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(byteCount)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }

    Benchmark("Patient data: open a 40-byte name (PatientKeyring, key unwrapped per call)") { benchmark in
        let window = day.nextWindow()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            byteCount &+= try day.keyring.open(day.sealedNames[index], for: day.nameContexts[index]).count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(byteCount == window.count * CodecWorkload.nameField.count)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }

    Benchmark("Patient data: seal a 40-byte name (data key already unwrapped)") { benchmark in
        let window = day.nextWindow()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let context = day.nameContexts[index]
            let sealed = try SealedPatientData.seal(
                CodecWorkload.nameField, for: context, using: day.dataKeys[context.patientID]!, random: day.random)
            byteCount &+= sealed.ciphertext.count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(byteCount)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }

    Benchmark("Patient data: open a 40-byte name (data key already unwrapped)") { benchmark in
        let window = day.nextWindow()
        var byteCount = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for index in window {
            let context = day.nameContexts[index]
            byteCount &+= try day.sealedNames[index].open(for: context, using: day.dataKeys[context.patientID]!).count
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(byteCount == window.count * CodecWorkload.nameField.count)
        benchmark.measurement(CodecMetric.eventsPerSecond, perSecond(window.count, in: elapsed))
    }
}

// MARK: - The events

/// A clinic's day of 10,000 events, made once from a seeded generator, in every form the benchmarks need.
final class ClinicDay: Sendable {
    /// The day, built on first use: package-benchmark runs each benchmark in a process of its own.
    static let shared = ClinicDay()

    let codec: EventCodec
    let envelopes: [EventEnvelope]
    let events: [ClinicEvent]
    /// `codec.encode` of each event.
    let payloads: [[UInt8]]
    /// The Codable mirror of each event.
    let mirrors: [JSONMirrorEvent]
    /// `JSONEncoder().encode` of each mirror.
    let jsonPayloads: [Data]
    /// Where each event's patient name would be sealed: its patient, its event id, the field `familyName`.
    let nameContexts: [PatientDataContext]
    /// The name sealed for each context.
    let sealedNames: [SealedPatientData]
    let keyring: PatientKeyring
    let dataKeys: [EventID: PatientDataKey]
    /// The operating system's generator, which draws the nonces as in production.
    let random: RandomByteSource
    private let nextWindowStart = Mutex(0)

    private init() {
        let random = RandomByteSource.system()
        self.random = random
        do {
            let codec = try EventCodec()
            self.codec = codec
            var generator = ClinicDayGenerator(seed: CodecWorkload.seed)
            var envelopes: [EventEnvelope] = []
            var events: [ClinicEvent] = []
            var contexts: [PatientDataContext] = []
            for _ in 0..<CodecWorkload.eventCount {
                let (envelope, event, patientID) = try generator.makeEvent()
                envelopes.append(envelope)
                events.append(event)
                contexts.append(
                    PatientDataContext(patientID: patientID, eventID: envelope.eventID, fieldName: "familyName"))
            }
            self.envelopes = envelopes
            self.events = events
            nameContexts = contexts
            let payloads = try zip(events, envelopes).map { event, envelope in
                try codec.encode(event, envelope: envelope)
            }
            for (payload, event) in zip(payloads, events) {
                let decoded = try codec.decode(payload)
                precondition(decoded.event == event, "the binary round trip changed an event")
            }
            self.payloads = payloads
            let mirrors = zip(envelopes, events).map { JSONMirrorEvent(envelope: $0, event: $1) }
            self.mirrors = mirrors
            let encoder = JSONEncoder()
            let jsonPayloads = try mirrors.map { try encoder.encode($0) }
            self.jsonPayloads = jsonPayloads
            let decoder = JSONDecoder()
            for (json, mirror) in zip(jsonPayloads, mirrors) {
                let decoded = try decoder.decode(JSONMirrorEvent.self, from: json)
                precondition(decoded == mirror, "the JSON round trip changed an event")
            }
            let keyringRandom = RandomByteSource(SeededRandomNumberGenerator(seed: CodecWorkload.seed))
            let keyring = PatientKeyring(masterKey: MasterKey.make(using: keyringRandom), random: random)
            self.keyring = keyring
            var dataKeys: [EventID: PatientDataKey] = [:]
            for patientID in generator.patientIDs { dataKeys[patientID] = try keyring.createKey(for: patientID) }
            self.dataKeys = dataKeys
            sealedNames = try contexts.map { try keyring.seal(CodecWorkload.nameField, for: $0) }
        } catch {
            fatalError("could not build the benchmark's events: \(error)")
        }
    }

    /// The indexes of the next 1,000 events of the day, wrapping around at the end.
    func nextWindow() -> Range<Int> {
        nextWindowStart.withLock { start in
            let window = start..<(start + CodecWorkload.eventsPerIteration)
            start = window.upperBound % CodecWorkload.eventCount
            return window
        }
    }
}

/// Makes a realistic mix of a practice's events for 500 patients from a seeded generator.
///
/// Per 100 events, about: 4 registrations, 14 bookings, 6 confirmations, 8 arrivals, 8 check-ins, 6 roomings,
/// 16 vitals, 18 charges, 8 check-outs, 6 payments posted, 6 payments applied.
struct ClinicDayGenerator {
    private var random: SeededRandomNumberGenerator
    private(set) var patientIDs: [EventID]
    private var recordedTimeMicroseconds: Int64 = 1_795_939_200_000_000  // 2026-11-28T08:00:00Z

    init(seed: UInt64) {
        random = SeededRandomNumberGenerator(seed: seed)
        var ids: [EventID] = []
        for _ in 0..<CodecWorkload.patientCount { ids.append(EventID.random(using: &random)) }
        patientIDs = ids
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    private mutating func int64(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }

    private mutating func id() -> EventID { EventID.random(using: &random) }

    private mutating func pick<Element>(_ elements: [Element]) -> Element { elements[int(0...(elements.count - 1))] }

    private mutating func provider() throws -> StaffID { try StaffID("dr-\(int(1...12))") }

    /// The next event, its envelope, and the patient it is about.
    mutating func makeEvent() throws -> (EventEnvelope, ClinicEvent, EventID) {
        let patientID = pick(patientIDs)
        let appointmentID = id()
        let event: ClinicEvent
        let role: StaffRole
        switch int(0...99) {
        case 0..<4:
            role = .frontDesk
            event = .patientRegistered(
                try PatientRegistered(
                    patientID: patientID, familyName: pick(["García", "Nguyen", "Okafor", "Smith", "Kowalski"]),
                    givenName: pick(["Ana", "Minh", "Chidi", "John", "Zofia", "María José"]),
                    birthDateDaysSince1970: int64(-30_000...20_000),
                    preferredLanguage: pick([nil, nil, "en", "es-MX"])))
        case 4..<18:
            role = .frontDesk
            event = .appointmentBooked(
                try AppointmentBooked(
                    appointmentID: appointmentID, patientID: patientID, providerStaffID: try provider(),
                    startLocalMinutesSince1970: 29_932_320 + Int64(int(0...20_000)) * 15,
                    durationMinutes: UInt32(pick([15, 20, 30, 45, 60])),
                    reason: pick(["follow-up", "annual physical", "Z00.00", "flu shot", "back pain"]),
                    overbookApproval: nil))
        case 18..<24:
            role = .frontDesk
            event = .appointmentConfirmed(AppointmentConfirmed(appointmentID: appointmentID))
        case 24..<32:
            role = .frontDesk
            event = .patientArrived(PatientArrived(appointmentID: appointmentID))
        case 32..<40:
            role = .frontDesk
            event = .patientCheckedIn(PatientCheckedIn(appointmentID: appointmentID, encounterID: id()))
        case 40..<46:
            role = .medicalAssistant
            event = .patientRoomed(try PatientRoomed(appointmentID: appointmentID, room: "Exam \(int(1...8))"))
        case 46..<62:
            role = .medicalAssistant
            let kinds = Array(VitalSignKind.allCases.shuffled(using: &random).prefix(int(3...6)))
            let measurements = try kinds.map { kind in
                let range = kind.plausibleThousandths
                let middle = (range.lowerBound + range.upperBound) / 2
                let spread = (range.upperBound - range.lowerBound) / 8
                return try VitalSign(kind: kind, valueThousandths: int64((middle - spread)...(middle + spread)))
            }
            event = .vitalsRecorded(
                try VitalsRecorded(patientID: patientID, encounterID: id(), measurements: measurements))
        case 62..<80:
            role = .physician
            let diagnoses = try (0..<int(1...3)).map { _ in
                try DiagnosisCode(pick(["E11.9", "I10", "J45.909", "Z00.00", "M54.5", "J06.9"]))
            }
            event = .chargePosted(
                try ChargePosted(
                    chargeID: id(), patientID: patientID, encounterID: id(),
                    procedure: try ProcedureCode(
                        code: pick(["99213", "99214", "99396", "90471", "36415", "81002"]),
                        modifiers: pick([[], [], ["25"]])),
                    units: 1, diagnoses: diagnoses, diagnosisPointers: Array(1...UInt8(diagnoses.count)),
                    amount: try MoneyCents(cents: int64(1_500...45_000)), postingDateDaysSince1970: 20_000))
        case 80..<88:
            role = .frontDesk
            event = .patientCheckedOut(PatientCheckedOut(appointmentID: appointmentID))
        case 88..<94:
            role = .frontDesk
            let payer: Payer =
                int(0...1) == 0 ? .patient : .insurance(payerID: pick(["60054", "BCBS-TX", "87726"]), level: 1)
            event = .paymentPosted(
                try PaymentPosted(
                    paymentID: id(), patientID: patientID, payer: payer, method: pick(PaymentMethod.allCases),
                    reference: pick(["", "chk 10442", "ERA 2026-11-28"]),
                    amount: try MoneyCents(cents: int64(500...30_000)),
                    postingDateDaysSince1970: 20_785))
        default:
            role = .frontDesk
            event = .paymentApplied(
                try PaymentApplied(
                    paymentID: id(), chargeID: id(), amount: try MoneyCents(cents: int64(500...30_000)),
                    isCredit: false,
                    postingDateDaysSince1970: 20_785))
        }
        recordedTimeMicroseconds += int64(100_000...5_000_000)
        let envelope = try EventEnvelope(
            stream: "patient-\(patientID)", eventID: id(), eventType: event.eventType,
            schemaVersion: event.schemaVersion,
            recordedTimeMicroseconds: recordedTimeMicroseconds,
            effectiveTimeMicroseconds: recordedTimeMicroseconds - int64(0...600_000_000),
            actorStaffID: try StaffID("staff-\(int(1...40))"), actorRole: role,
            correlationID: int(0...3) == 0 ? id() : nil)
        return (envelope, event, patientID)
    }
}

// MARK: - The Codable mirror

/// The same event as plain Codable structs, as an app that stored JSON would write it: ids and codes as strings.
struct JSONMirrorEvent: Codable, Equatable {
    var envelope: JSONMirrorEnvelope
    var body: JSONMirrorBody

    init(envelope: EventEnvelope, event: ClinicEvent) {
        self.envelope = JSONMirrorEnvelope(envelope)
        body = JSONMirrorBody(event)
    }
}

struct JSONMirrorEnvelope: Codable, Equatable {
    var stream: String
    var eventID: String
    var eventType: String
    var schemaVersion: UInt32
    var recordedTimeMicroseconds: Int64
    var effectiveTimeMicroseconds: Int64
    var actorStaffID: String
    var actorRole: UInt8
    var reason: String?
    var correlationID: String?
    var causationID: String?

    init(_ envelope: EventEnvelope) {
        stream = envelope.stream
        eventID = envelope.eventID.description
        eventType = envelope.eventType
        schemaVersion = envelope.schemaVersion
        recordedTimeMicroseconds = envelope.recordedTimeMicroseconds
        effectiveTimeMicroseconds = envelope.effectiveTimeMicroseconds
        actorStaffID = envelope.actorStaffID.value
        actorRole = envelope.actorRole.rawValue
        reason = envelope.reason
        correlationID = envelope.correlationID?.description
        causationID = envelope.causationID?.description
    }
}

/// The bodies of the event types in the mix, one case each (Swift's synthesized Codable for enums).
enum JSONMirrorBody: Codable, Equatable {
    case patientRegistered(JSONPatientRegistered)
    case appointmentBooked(JSONAppointmentBooked)
    case appointmentStatus(JSONAppointmentStatus)
    case vitalsRecorded(JSONVitalsRecorded)
    case chargePosted(JSONChargePosted)
    case paymentPosted(JSONPaymentPosted)
    case paymentApplied(JSONPaymentApplied)

    init(_ event: ClinicEvent) {
        switch event {
        case .patientRegistered(let body):
            self = .patientRegistered(
                JSONPatientRegistered(
                    patientID: body.patientID.description, familyName: body.familyName, givenName: body.givenName,
                    birthDateDaysSince1970: body.birthDateDaysSince1970, preferredLanguage: body.preferredLanguage))
        case .appointmentBooked(let body):
            self = .appointmentBooked(
                JSONAppointmentBooked(
                    appointmentID: body.appointmentID.description, patientID: body.patientID.description,
                    providerStaffID: body.providerStaffID.value,
                    startLocalMinutesSince1970: body.startLocalMinutesSince1970, durationMinutes: body.durationMinutes,
                    reason: body.reason))
        case .appointmentConfirmed(let body):
            self = .appointmentStatus(JSONAppointmentStatus(appointmentID: body.appointmentID.description))
        case .patientArrived(let body):
            self = .appointmentStatus(JSONAppointmentStatus(appointmentID: body.appointmentID.description))
        case .patientCheckedIn(let body):
            self = .appointmentStatus(
                JSONAppointmentStatus(
                    appointmentID: body.appointmentID.description, encounterID: body.encounterID.description))
        case .patientRoomed(let body):
            self = .appointmentStatus(
                JSONAppointmentStatus(appointmentID: body.appointmentID.description, room: body.room))
        case .patientCheckedOut(let body):
            self = .appointmentStatus(JSONAppointmentStatus(appointmentID: body.appointmentID.description))
        case .vitalsRecorded(let body):
            self = .vitalsRecorded(
                JSONVitalsRecorded(
                    patientID: body.patientID.description, encounterID: body.encounterID.description,
                    measurements: body.measurements.map {
                        JSONVitalSign(
                            loincCode: $0.kind.loincCode, ucumUnit: $0.kind.ucumUnit,
                            valueThousandths: $0.valueThousandths)
                    }))
        case .chargePosted(let body):
            self = .chargePosted(
                JSONChargePosted(
                    chargeID: body.chargeID.description, patientID: body.patientID.description,
                    encounterID: body.encounterID.description, procedureCode: body.procedure.code,
                    modifiers: body.procedure.modifiers, units: body.units, diagnoses: body.diagnoses.map(\.code),
                    diagnosisPointers: body.diagnosisPointers, amountCents: body.amount.cents))
        case .paymentPosted(let body):
            let (payerID, level): (String?, UInt8?) =
                switch body.payer {
                case .patient: (nil, nil)
                case .insurance(let payerID, let level): (payerID, level)
                }
            self = .paymentPosted(
                JSONPaymentPosted(
                    paymentID: body.paymentID.description, patientID: body.patientID.description,
                    insurancePayerID: payerID, insuranceLevel: level, method: body.method.rawValue,
                    reference: body.reference, amountCents: body.amount.cents,
                    postingDateDaysSince1970: body.postingDateDaysSince1970))
        case .paymentApplied(let body):
            self = .paymentApplied(
                JSONPaymentApplied(
                    paymentID: body.paymentID.description, chargeID: body.chargeID.description,
                    amountCents: body.amount.cents, isCredit: body.isCredit,
                    postingDateDaysSince1970: body.postingDateDaysSince1970))
        default:
            preconditionFailure("\(event.eventType) is not in the benchmark's mix")
        }
    }
}

struct JSONPatientRegistered: Codable, Equatable {
    var patientID: String
    var familyName: String
    var givenName: String
    var birthDateDaysSince1970: Int64
    var preferredLanguage: String?
}

struct JSONAppointmentBooked: Codable, Equatable {
    var appointmentID: String
    var patientID: String
    var providerStaffID: String
    var startLocalMinutesSince1970: Int64
    var durationMinutes: UInt32
    var reason: String
}

/// AppointmentConfirmed, PatientArrived, PatientCheckedIn, PatientRoomed and PatientCheckedOut.
struct JSONAppointmentStatus: Codable, Equatable {
    var appointmentID: String
    var encounterID: String?
    var room: String?

    init(appointmentID: String, encounterID: String? = nil, room: String? = nil) {
        self.appointmentID = appointmentID
        self.encounterID = encounterID
        self.room = room
    }
}

struct JSONVitalSign: Codable, Equatable {
    var loincCode: String
    var ucumUnit: String
    var valueThousandths: Int64
}

struct JSONVitalsRecorded: Codable, Equatable {
    var patientID: String
    var encounterID: String
    var measurements: [JSONVitalSign]
}

struct JSONChargePosted: Codable, Equatable {
    var chargeID: String
    var patientID: String
    var encounterID: String
    var procedureCode: String
    var modifiers: [String]
    var units: UInt32
    var diagnoses: [String]
    var diagnosisPointers: [UInt8]
    var amountCents: Int64
}

struct JSONPaymentPosted: Codable, Equatable {
    var paymentID: String
    var patientID: String
    var insurancePayerID: String?
    var insuranceLevel: UInt8?
    var method: UInt8
    var reference: String
    var amountCents: Int64
    var postingDateDaysSince1970: Int64
}

struct JSONPaymentApplied: Codable, Equatable {
    var paymentID: String
    var chargeID: String
    var amountCents: Int64
    var isCredit: Bool
    var postingDateDaysSince1970: Int64
}

// MARK: - Support

func perSecond(_ count: Int, in elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
}
