import RecordLog

/// Vital signs were measured for a patient during an encounter.
public struct VitalsRecorded: ClinicEventBody {
    /// The most measurements one event may carry.
    public static let measurementCountMax = 16

    /// The rule a vitals event broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// No measurements, or more than `measurementCountMax`.
        case measurementCount
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
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
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
                            .record([
                                FieldSpec("loincCode", .string(byteCountMax: 9)),
                                FieldSpec("ucumUnit", .string(byteCountMax: 16)),
                                FieldSpec("valueThousandths", .varInt),
                            ]), countMax: measurementCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeEventID(encounterID)
        encoder.writeArray(measurements) { encoder, measurement in
            encoder.writeString(measurement.kind.loincCode)
            encoder.writeString(measurement.kind.ucumUnit)
            encoder.writeVarInt(measurement.valueThousandths)
        }
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> VitalsRecorded {
        let patientID = try decoder.readEventID(field: "patientID")
        let encounterID = try decoder.readEventID(field: "encounterID")
        let listOffset = decoder.offset
        let measurements = try decoder.readArray(field: "measurements", countMax: measurementCountMax) { decoder in
            let start = decoder.offset
            let code = try decoder.readString(field: "measurements.loincCode", byteCountMax: 9)
            let unit = try decoder.readString(field: "measurements.ucumUnit", byteCountMax: 16)
            let value = try decoder.readVarInt(field: "measurements.valueThousandths")
            return try decoder.validated(field: "measurements", offset: start) {
                try VitalSign(loincCode: code, ucumUnit: unit, valueThousandths: value)
            }
        }
        return try decoder.validated(field: "measurements", offset: listOffset) {
            try VitalsRecorded(patientID: patientID, encounterID: encounterID, measurements: measurements)
        }
    }
}
