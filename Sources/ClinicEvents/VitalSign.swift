/// The vital signs ClinicLog records, each with its LOINC code, its one allowed UCUM unit and a plausible range.
public enum VitalSignKind: CaseIterable, Hashable, Sendable {
    /// Body weight (LOINC 29463-7), in kilograms (`kg`), 0.2 to 500.
    case bodyWeight
    /// Body height (LOINC 8302-2), in centimetres (`cm`), 20 to 272.
    case bodyHeight
    /// Heart rate (LOINC 8867-4), per minute (`/min`), 20 to 300.
    case heartRate
    /// Systolic blood pressure (LOINC 8480-6), in millimetres of mercury (`mm[Hg]`), 40 to 300.
    case systolicBloodPressure
    /// Diastolic blood pressure (LOINC 8462-4), in millimetres of mercury (`mm[Hg]`), 20 to 200.
    case diastolicBloodPressure
    /// Body temperature (LOINC 8310-5), in degrees Celsius (`Cel`), 25 to 45.
    case bodyTemperature
    /// Oxygen saturation by pulse oximetry (LOINC 59408-5), in percent (`%`), 50 to 100.
    case oxygenSaturation
    /// Respiratory rate (LOINC 9279-1), per minute (`/min`), 4 to 80.
    case respiratoryRate

    /// The LOINC code, as written.
    public var loincCode: String {
        switch self {
        case .bodyWeight: "29463-7"
        case .bodyHeight: "8302-2"
        case .heartRate: "8867-4"
        case .systolicBloodPressure: "8480-6"
        case .diastolicBloodPressure: "8462-4"
        case .bodyTemperature: "8310-5"
        case .oxygenSaturation: "59408-5"
        case .respiratoryRate: "9279-1"
        }
    }

    /// The UCUM unit code the value is recorded in.
    public var ucumUnit: String {
        switch self {
        case .bodyWeight: "kg"
        case .bodyHeight: "cm"
        case .heartRate, .respiratoryRate: "/min"
        case .systolicBloodPressure, .diastolicBloodPressure: "mm[Hg]"
        case .bodyTemperature: "Cel"
        case .oxygenSaturation: "%"
        }
    }

    /// The plausible range of the value, in thousandths of the unit.
    public var plausibleThousandths: ClosedRange<Int64> {
        switch self {
        case .bodyWeight: 200...500_000
        case .bodyHeight: 20_000...272_000
        case .heartRate: 20_000...300_000
        case .systolicBloodPressure: 40_000...300_000
        case .diastolicBloodPressure: 20_000...200_000
        case .bodyTemperature: 25_000...45_000
        case .oxygenSaturation: 50_000...100_000
        case .respiratoryRate: 4_000...80_000
        }
    }

    /// The kind whose LOINC code and UCUM unit are the bytes `loincCode` and `ucumUnit`; nil when the pair is not in
    /// the table (the same answer as `init?(loincCode:ucumUnit:)` for the strings of those bytes, without making them).
    init?(loincCodeBytes loincCode: UnsafeRawBufferPointer, ucumUnitBytes ucumUnit: UnsafeRawBufferPointer) {
        guard let code = Self.packed(loincCode), let unit = Self.packed(ucumUnit) else { return nil }
        let table = Self.packedCodesAndUnits
        for index in table.indices where table[index].code == code && table[index].unit == unit {
            self = table[index].kind
            return
        }
        return nil
    }

    /// Every kind with its LOINC code and UCUM unit packed by `packed(_:)`.
    private static let packedCodesAndUnits: [(kind: VitalSignKind, code: UInt64, unit: UInt64)] = allCases.map {
        kind in
        var code = kind.loincCode
        var unit = kind.ucumUnit
        let packedCode = code.withUTF8 { packed(UnsafeRawBufferPointer($0)) }
        let packedUnit = unit.withUTF8 { packed(UnsafeRawBufferPointer($0)) }
        guard let packedCode, let packedUnit else { preconditionFailure("a vital sign code or unit exceeds 7 bytes") }
        return (kind, packedCode, packedUnit)
    }

    /// Up to 7 bytes as one number: the bytes, the first lowest, and the count in the top byte; nil for more bytes.
    ///
    /// Read as two words that overlap when the count is not a power of two (a byte read twice lands on the same bits).
    @inline(__always)
    static func packed(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        let count = bytes.count
        let value: UInt64
        switch count {
        case 4...7:
            let low = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            value = low | high << UInt64((count - 4) * 8)
        case 2...3:
            let low = UInt64(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self)))
            let high = UInt64(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)))
            value = low | high << UInt64((count - 2) * 8)
        case 1: value = UInt64(bytes[0])
        case 0: value = 0
        default: return nil
        }
        return value | UInt64(count) << 56
    }

    /// The kind with this LOINC code and UCUM unit; nil when the pair is not in the table.
    public init?(loincCode: String, ucumUnit: String) {
        guard let kind = Self.allCases.first(where: { $0.loincCode == loincCode && $0.ucumUnit == ucumUnit }) else {
            return nil
        }
        self = kind
    }
}

/// One vital-sign measurement: a kind from the table and a value in thousandths of its unit.
public struct VitalSign: Hashable, Sendable {
    /// The rule a measurement broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The (LOINC code, UCUM unit) pair is not in the table of `VitalSignKind`.
        case unsupportedCodeAndUnit
        /// The value is outside the kind's plausible range.
        case outsidePlausibleRange
    }

    /// What was measured.
    public let kind: VitalSignKind
    /// The value in thousandths of `kind.ucumUnit` (72.5 kg is 72_500).
    public let valueThousandths: Int64

    /// Creates a measurement, refusing a value outside the kind's plausible range.
    public init(kind: VitalSignKind, valueThousandths: Int64) throws(ValidationError) {
        guard kind.plausibleThousandths.contains(valueThousandths) else { throw .outsidePlausibleRange }
        self.kind = kind
        self.valueThousandths = valueThousandths
    }

    /// Creates a measurement of `kind` at the lowest value of its plausible range: the placeholder of a withheld value.
    init(lowestPlausibleOf kind: VitalSignKind) {
        self.kind = kind
        self.valueThousandths = kind.plausibleThousandths.lowerBound
    }

    /// Creates a measurement from a LOINC code and UCUM unit, refusing a pair not in the table.
    public init(loincCode: String, ucumUnit: String, valueThousandths: Int64) throws(ValidationError) {
        guard let kind = VitalSignKind(loincCode: loincCode, ucumUnit: ucumUnit) else {
            throw .unsupportedCodeAndUnit
        }
        try self.init(kind: kind, valueThousandths: valueThousandths)
    }
}
