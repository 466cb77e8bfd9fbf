import ClinicEvents
import RecordLog
import RecordLogTesting

/// Makes random, valid envelopes and events from a seeded generator, so every property test is reproducible.
struct EventGenerator {
    var random: SeededRandomNumberGenerator

    init(seed: UInt64) {
        random = SeededRandomNumberGenerator(seed: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }

    mutating func bool() -> Bool { Bool.random(using: &random) }

    mutating func id() -> EventID { EventID.random(using: &random) }

    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[int(0...(elements.count - 1))] }

    /// A name of 1 to 40 characters mixing ASCII, accented letters, CJK and an emoji.
    mutating func name() -> String {
        let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCZ '-éøñüßÅ李王😀")
        return String((0..<int(1...40)).map { _ in pick(alphabet) })
    }

    mutating func envelope(for event: ClinicEvent) throws -> EventEnvelope {
        let recorded = int64(0...4_102_444_800_000_000)
        return try EventEnvelope(
            stream: "patient-" + id().description, eventID: id(), eventType: event.eventType,
            schemaVersion: event.schemaVersion, recordedTimeMicroseconds: recorded,
            effectiveTimeMicroseconds: recorded - int64(0...86_400_000_000 * 30),
            actorStaffID: StaffID("staff-\(int(1...999))"), actorRole: pick(StaffRole.allCases),
            reason: bool() ? nil : name(), correlationID: bool() ? id() : nil, causationID: bool() ? id() : nil)
    }

    mutating func patientRegistered() throws -> PatientRegistered {
        try PatientRegistered(
            patientID: id(), familyName: name(), givenName: name(), birthDateDaysSince1970: int64(-40_000...20_000),
            preferredLanguage: bool() ? nil : pick(["en", "es-MX", "zh-Hant-TW", "fr"]))
    }

    mutating func vitalsRecorded() throws -> VitalsRecorded {
        let measurements = try (0..<int(1...VitalsRecorded.measurementCountMax)).map { _ in
            let kind = pick(VitalSignKind.allCases)
            return try VitalSign(kind: kind, valueThousandths: int64(kind.plausibleThousandths))
        }
        return try VitalsRecorded(patientID: id(), encounterID: id(), measurements: measurements)
    }

    mutating func chargePosted() throws -> ChargePosted {
        let procedure = try ProcedureCode(
            code: pick(["99213", "99214", "J1100", "G0008", "36415", "80053"]),
            modifiers: Array(["25", "59", "LT", "RT", "GT"].shuffled(using: &random).prefix(int(0...4))))
        let diagnoses = try (0..<int(1...ChargePosted.diagnosisCountMax)).map { _ in
            try DiagnosisCode(pick(["E11.9", "I10", "J45.909", "Z00.00", "M54.5", "S72.001A"]))
        }
        let pointers = Array((1...UInt8(diagnoses.count)).shuffled(using: &random).prefix(int(1...4)))
        return try ChargePosted(
            chargeID: id(), patientID: id(), encounterID: id(), procedure: procedure, units: UInt32(int(1...999)),
            diagnoses: diagnoses, diagnosisPointers: pointers, amount: MoneyCents(cents: int64(0...10_000_000)),
            postingDateDaysSince1970: bool() ? nil : int64(-40_000...40_000))
    }

    mutating func event() throws -> ClinicEvent {
        switch int(0...11) {
        case 0: .patientRegistered(try patientRegistered())
        case 1: .vitalsRecorded(try vitalsRecorded())
        case 2: .chargePosted(try chargePosted())
        case 3: try chartEvent()
        case 4: try billingEvent()
        case 5: try consentEvent()
        case 6: try patientEvent()
        case 7: try insuranceEvent()
        case 8: try staffAccessEvent()
        case 9: try feeScheduleEvent()
        case 10: .retentionPolicySet(try retentionPolicySet())
        default: try appointmentEvent()
        }
    }

    /// A retention policy anywhere in the accepted ranges.
    mutating func retentionPolicySet() throws -> RetentionPolicySet {
        try RetentionPolicySet(
            years: int(RetentionPolicySet.yearsRange), minorYears: int(RetentionPolicySet.minorYearsRange))
    }

    mutating func bytes(count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
}
