import RecordLog

/// Vital signs were measured for a patient during an encounter.
public struct VitalsRecorded: ClinicEventBody {
    /// The most measurements one event may carry.
    public static let measurementCountMax = 16

    /// The rule a vitals event broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// No measurements, or more than `measurementCountMax`.
        case measurementCount
        /// The sealed values are not exactly one per measured kind.
        case valueCount
    }

    /// The patient measured.
    public let patientID: EventID
    /// The encounter (visit) the measurements were taken in.
    public let encounterID: EventID
    /// The measurements, in the order taken.
    public let measurements: [VitalSign]

    /// Creates a vitals event, refusing an empty or oversized list of measurements.
    public init(patientID: EventID, encounterID: EventID, measurements: [VitalSign]) throws(ValidationError) {
        guard !measurements.isEmpty, measurements.count <= Self.measurementCountMax else { throw .measurementCount }
        self.patientID = patientID
        self.encounterID = encounterID
        self.measurements = measurements
    }

    /// `VitalsRecorded`.
    public static let eventType = "VitalsRecorded"
    /// Version 2 seals the measured values; the kinds measured stay in clear.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient measured.
    public var subjectPatientID: EventID? { patientID }

    private static let codeAndUnit: [FieldSpec] = [
        FieldSpec("loincCode", .string(byteCountMax: 9)),
        FieldSpec("ucumUnit", .string(byteCountMax: 16)),
    ]
    /// The sealed `values` field's wrapped kind since version 2.
    static let valuesKind: FieldKind = .array(.varInt, countMax: measurementCountMax)
    private static let valuesSealedByteCountMax = valuesKind.sealedByteCountMax

    /// Version 1 (each measurement a code, a unit and a value) and version 2 (the codes and units, then the values
    /// sealed, in the same order).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("patientID", .eventID),
                    FieldSpec("encounterID", .eventID),
                    FieldSpec(
                        "measurements",
                        .array(
                            .record(codeAndUnit + [FieldSpec("valueThousandths", .varInt)]),
                            countMax: measurementCountMax)),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("patientID", .eventID),
                    FieldSpec("encounterID", .eventID),
                    FieldSpec("measurements", .array(.record(codeAndUnit), countMax: measurementCountMax)),
                    FieldSpec("values", .sealed(valuesKind)),
                ]),
        ]
    }

    /// 1 → 2: each measurement's `valueThousandths` moves, in order and in clear, into the `values` array.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                guard case .array(let measurements)? = fields["measurements"] else {
                    throw EventDecodingError(.upcastFailed, field: "measurements", offset: 0)
                }
                var kinds: [FieldValue] = []
                var values: [FieldValue] = []
                for measurement in measurements {
                    guard case .record(var record) = measurement, let value = record["valueThousandths"] else {
                        throw EventDecodingError(.upcastFailed, field: "measurements", offset: 0)
                    }
                    record["valueThousandths"] = nil
                    kinds.append(.record(record))
                    values.append(value)
                }
                var upcast = fields
                upcast["measurements"] = .array(kinds)
                upcast["values"] = .sealed(.clear(.array(values)))
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeEventID(encounterID)
        encoder.writeArray(measurements) { encoder, measurement in
            encoder.writeString(measurement.kind.loincCode)
            encoder.writeString(measurement.kind.ucumUnit)
        }
        encoder.writeSealed(field: "values", patient: patientID) { encoder in
            encoder.writeArray(measurements) { $0.writeVarInt($1.valueThousandths) }
        }
    }

    /// Reads a version 2 body; withheld, every value reads as the lowest plausible value of its kind.
    public static func decode(from decoder: inout BinaryDecoder) throws -> VitalsRecorded {
        let patientID = try decoder.readEventID(field: "patientID")
        let encounterID = try decoder.readEventID(field: "encounterID")
        let listOffset = decoder.offset
        // Each kind is read into a measurement holding its lowest plausible value (always valid), and the values, when
        // opened, are set after: one array, allocated once.
        let count = try decoder.readCount(field: "measurements", limit: measurementCountMax)
        var measurements: [VitalSign] = []
        measurements.reserveCapacity(count)
        for _ in 0..<count {
            let start = decoder.offset
            // The kind is found by the bytes (each checked as UTF-8 first, as `readString` does), making no string.
            let codeBytes = try decoder.readStringBytes(field: "measurements.loincCode", byteCountMax: 9)
            if !BinaryDecoder.isASCII(codeBytes) {
                _ = try BinaryDecoder.makeString(codeBytes, field: "measurements.loincCode", offset: start)
            }
            let unitOffset = decoder.offset
            let unitBytes = try decoder.readStringBytes(field: "measurements.ucumUnit", byteCountMax: 16)
            if !BinaryDecoder.isASCII(unitBytes) {
                _ = try BinaryDecoder.makeString(unitBytes, field: "measurements.ucumUnit", offset: unitOffset)
            }
            guard let kind = VitalSignKind(loincCodeBytes: codeBytes, ucumUnitBytes: unitBytes) else {
                throw EventDecodingError(
                    .ruleViolated(rule: "\(VitalSign.ValidationError.unsupportedCodeAndUnit)"), field: "measurements",
                    offset: start)
            }
            measurements.append(VitalSign(lowestPlausibleOf: kind))
        }
        let valuesOffset = decoder.offset
        // Withheld values read as nil: each measurement is then the lowest plausible value of its kind.
        let values: [Int64]? = try decoder.readSealed(
            field: "values", patient: patientID, sealedByteCountMax: valuesSealedByteCountMax,
            placeholder: { _ in nil },
            read: { decoder in
                try decoder.readArray(field: "values", countMax: measurementCountMax) {
                    try $0.readVarInt(field: "values")
                }
            })
        if let values {
            guard values.count == measurements.count else {
                throw EventDecodingError(
                    .ruleViolated(rule: "\(ValidationError.valueCount)"), field: "values", offset: valuesOffset)
            }
            try decoder.validated(field: "values", offset: valuesOffset) {
                for (index, value) in values.enumerated() {
                    measurements[index] = try VitalSign(kind: measurements[index].kind, valueThousandths: value)
                }
            }
        }
        return try decoder.validated(field: "measurements", offset: listOffset) {
            try VitalsRecorded(patientID: patientID, encounterID: encounterID, measurements: measurements)
        }
    }
}
