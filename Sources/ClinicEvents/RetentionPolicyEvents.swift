import RecordLog

/// The office set its retention policy: how long a patient's record is kept after the patient's last activity, and
/// how long after their 18th birthday for a patient who was a minor then; on the `retention` stream. It replaces the
/// policy set before it and carries no patient data.
public struct RetentionPolicySet: ClinicEventBody {
    /// The rule a policy broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// `years` is outside `RetentionPolicySet.yearsRange`.
        case yearsOutOfRange
        /// `minorYears` is outside `RetentionPolicySet.minorYearsRange`.
        case minorYearsOutOfRange
    }

    /// The retention years accepted: at least the six years HIPAA asks documentation to be kept (45 CFR
    /// 164.316(b)(2)), at most a century.
    public static let yearsRange: ClosedRange<Int> = 6...100
    /// The years after the 18th birthday accepted for minors.
    public static let minorYearsRange: ClosedRange<Int> = 0...100

    /// Years a record is kept after the patient's last activity.
    public let years: Int
    /// Years a record is kept after the 18th birthday, for a patient who was a minor at the last activity.
    public let minorYears: Int

    /// Creates the event, validating both values against their ranges.
    public init(years: Int, minorYears: Int) throws(ValidationError) {
        guard Self.yearsRange.contains(years) else { throw .yearsOutOfRange }
        guard Self.minorYearsRange.contains(minorYears) else { throw .minorYearsOutOfRange }
        self.years = years
        self.minorYears = minorYears
    }

    /// `RetentionPolicySet`.
    public static let eventType = "RetentionPolicySet"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the retention policy belongs to the office.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("years", .varUInt),
                    FieldSpec("minorYears", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeVarUInt(UInt64(years))
        encoder.writeVarUInt(UInt64(minorYears))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> RetentionPolicySet {
        let yearsOffset = decoder.offset
        let years = Int(clamping: try decoder.readVarUInt(field: "years"))
        let minorYearsOffset = decoder.offset
        let minorYears = Int(clamping: try decoder.readVarUInt(field: "minorYears"))
        guard yearsRange.contains(years) else {
            throw EventDecodingError(
                .ruleViolated(rule: String(describing: ValidationError.yearsOutOfRange)), field: "years",
                offset: yearsOffset)
        }
        return try decoder.validated(field: "minorYears", offset: minorYearsOffset) {
            try RetentionPolicySet(years: years, minorYears: minorYears)
        }
    }
}
