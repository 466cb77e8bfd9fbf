import RecordLog

/// Limits shared by the patient lifecycle events.
public enum PatientLifecycleLimits {
    /// The longest reason text accepted, in bytes.
    public static let reasonByteCountMax = 256
}

/// A registration's demographics were corrected: only the fields given change; the registration stays as written.
public struct DemographicsCorrected: ClinicEventBody {
    /// The rule a correction broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// No field is corrected.
        case nothingCorrected
        /// A corrected name part is empty or longer than `PatientRegistered.nameByteCountMax` bytes.
        case nameLength
        /// A corrected birth date or date of death is outside `PatientRegistered.birthDateDaysSince1970Range`.
        case dateOutOfRange
        /// The reason is empty or longer than `PatientLifecycleLimits.reasonByteCountMax` bytes.
        case reasonLength
    }

    /// The patient whose demographics are corrected.
    public let patientID: EventID
    /// The event id of the `PatientRegistered` event corrected.
    public let registrationEventID: EventID
    /// The corrected family name, when corrected.
    public let familyName: String?
    /// The corrected given name, when corrected.
    public let givenName: String?
    /// The corrected birth date, in days since 1970-01-01, when corrected.
    public let birthDateDaysSince1970: Int64?
    /// The corrected date of death, in days since 1970-01-01, when corrected (only once a death is recorded).
    public let dateOfDeathDaysSince1970: Int64?
    /// Why the correction was made.
    public let reason: String

    /// Creates a correction, validating every field.
    public init(
        patientID: EventID, registrationEventID: EventID, familyName: String? = nil, givenName: String? = nil,
        birthDateDaysSince1970: Int64? = nil, dateOfDeathDaysSince1970: Int64? = nil, reason: String
    ) throws(ValidationError) {
        guard familyName != nil || givenName != nil || birthDateDaysSince1970 != nil || dateOfDeathDaysSince1970 != nil
        else { throw .nothingCorrected }
        for name in [familyName, givenName].compactMap({ $0 })
        where name.utf8.isEmpty || name.utf8.count > PatientRegistered.nameByteCountMax {
            throw .nameLength
        }
        for day in [birthDateDaysSince1970, dateOfDeathDaysSince1970].compactMap({ $0 })
        where !PatientRegistered.birthDateDaysSince1970Range.contains(day) {
            throw .dateOutOfRange
        }
        guard !reason.utf8.isEmpty, reason.utf8.count <= PatientLifecycleLimits.reasonByteCountMax else {
            throw .reasonLength
        }
        self.patientID = patientID
        self.registrationEventID = registrationEventID
        self.familyName = familyName
        self.givenName = givenName
        self.birthDateDaysSince1970 = birthDateDaysSince1970
        self.dateOfDeathDaysSince1970 = dateOfDeathDaysSince1970
        self.reason = reason
    }

    /// `DemographicsCorrected`.
    public static let eventType = "DemographicsCorrected"
    /// Version 2 seals the corrected values and the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient corrected.
    public var subjectPatientID: EventID? { patientID }

    private static let correctionsLayout: [FieldSpec] = [
        FieldSpec("familyName", .optional(.string(byteCountMax: PatientRegistered.nameByteCountMax))),
        FieldSpec("givenName", .optional(.string(byteCountMax: PatientRegistered.nameByteCountMax))),
        FieldSpec("birthDateDaysSince1970", .optional(.varInt)),
        FieldSpec("dateOfDeathDaysSince1970", .optional(.varInt)),
        FieldSpec("reason", .string(byteCountMax: PatientLifecycleLimits.reasonByteCountMax)),
    ]
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record(correctionsLayout)
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (the corrected values and the reason sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        let ids = [FieldSpec("patientID", .eventID), FieldSpec("registrationEventID", .eventID)]
        return [
            EventSchema(eventType: eventType, version: 1, layout: ids + correctionsLayout),
            EventSchema(
                eventType: eventType, version: 2, layout: ids + [FieldSpec("patientData", .sealed(patientDataKind))]),
        ]
    }

    /// 1 → 2: the four optional values and the reason move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(correctionsLayout.map(\.name), asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeEventID(registrationEventID)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            encoder.writeOptional(familyName) { $0.writeString($1) }
            encoder.writeOptional(givenName) { $0.writeString($1) }
            encoder.writeOptional(birthDateDaysSince1970) { $0.writeVarInt($1) }
            encoder.writeOptional(dateOfDeathDaysSince1970) { $0.writeVarInt($1) }
            encoder.writeString(reason)
        }
    }

    /// Reads a version 2 body; withheld, the family name and the reason read as the placeholder text and the other
    /// three values as absent (a correction must correct something).
    public static func decode(from decoder: inout BinaryDecoder) throws -> DemographicsCorrected {
        let start = decoder.offset
        let patientID = try decoder.readEventID(field: "patientID")
        let registrationEventID = try decoder.readEventID(field: "registrationEventID")
        let nameMax = PatientRegistered.nameByteCountMax
        let data = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { reason in
                (String?.some(reason.placeholderText), String?.none, Int64?.none, Int64?.none, reason.placeholderText)
            },
            read: { decoder in
                (
                    try decoder.readOptional(field: "familyName") {
                        try $0.readString(field: "familyName", byteCountMax: nameMax)
                    },
                    try decoder.readOptional(field: "givenName") {
                        try $0.readString(field: "givenName", byteCountMax: nameMax)
                    },
                    try decoder.readOptional(field: "birthDateDaysSince1970") {
                        try $0.readVarInt(field: "birthDateDaysSince1970")
                    },
                    try decoder.readOptional(field: "dateOfDeathDaysSince1970") {
                        try $0.readVarInt(field: "dateOfDeathDaysSince1970")
                    },
                    try decoder.readString(field: "reason", byteCountMax: PatientLifecycleLimits.reasonByteCountMax)
                )
            })
        return try decoder.validated(field: "DemographicsCorrected", offset: start) {
            try DemographicsCorrected(
                patientID: patientID, registrationEventID: registrationEventID, familyName: data.0,
                givenName: data.1, birthDateDaysSince1970: data.2, dateOfDeathDaysSince1970: data.3, reason: data.4)
        }
    }
}

/// Two records of the same person were merged: the merged patient's record now lives on under the surviving id.
public struct PatientsMerged: ClinicEventBody {
    /// The rule a merge broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The surviving and merged patients are the same.
        case mergedIntoItself
        /// The reason is empty or longer than `PatientLifecycleLimits.reasonByteCountMax` bytes.
        case reasonLength
    }

    /// The patient whose record survives.
    public let survivingPatientID: EventID
    /// The patient merged away: a duplicate record of the same person.
    public let mergedPatientID: EventID
    /// Why the records were merged.
    public let reason: String

    /// Creates a merge, refusing a patient merged into itself.
    public init(survivingPatientID: EventID, mergedPatientID: EventID, reason: String) throws(ValidationError) {
        guard survivingPatientID != mergedPatientID else { throw .mergedIntoItself }
        guard !reason.utf8.isEmpty, reason.utf8.count <= PatientLifecycleLimits.reasonByteCountMax else {
            throw .reasonLength
        }
        self.survivingPatientID = survivingPatientID
        self.mergedPatientID = mergedPatientID
        self.reason = reason
    }

    /// `PatientsMerged`.
    public static let eventType = "PatientsMerged"
    /// Version 2 seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The merged patient: the event belongs to their stream, and their key seals the reason.
    public var subjectPatientID: EventID? { mergedPatientID }

    /// Version 1 and version 2 (the same fields, the reason sealed with the merged patient's key).
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: PatientLifecycleLimits.reasonByteCountMax)
        let ids = [FieldSpec("survivingPatientID", .eventID), FieldSpec("mergedPatientID", .eventID)]
        return [
            EventSchema(eventType: eventType, version: 1, layout: ids + [FieldSpec("reason", reason)]),
            EventSchema(eventType: eventType, version: 2, layout: ids + [FieldSpec("reason", .sealed(reason))]),
        ]
    }

    /// 1 → 2: the reason is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("reason")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(survivingPatientID)
        encoder.writeEventID(mergedPatientID)
        encoder.writeSealedString(reason, field: "reason", patient: mergedPatientID)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientsMerged {
        let start = decoder.offset
        let surviving = try decoder.readEventID(field: "survivingPatientID")
        let merged = try decoder.readEventID(field: "mergedPatientID")
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: PatientLifecycleLimits.reasonByteCountMax, patient: merged)
        return try decoder.validated(field: "PatientsMerged", offset: start) {
            try PatientsMerged(survivingPatientID: surviving, mergedPatientID: merged, reason: reason)
        }
    }
}

/// A patient's death was recorded, once; a wrong date is fixed by a `DemographicsCorrected`, never a second death.
public struct PatientDeathRecorded: ClinicEventBody {
    /// The rule a death record broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The date of death is outside `PatientRegistered.birthDateDaysSince1970Range`.
        case dateOutOfRange
    }

    /// The patient who died.
    public let patientID: EventID
    /// The date of death, in days since 1970-01-01.
    public let dateOfDeathDaysSince1970: Int64

    /// Creates the event, refusing a date out of range.
    public init(patientID: EventID, dateOfDeathDaysSince1970: Int64) throws(ValidationError) {
        guard PatientRegistered.birthDateDaysSince1970Range.contains(dateOfDeathDaysSince1970) else {
            throw .dateOutOfRange
        }
        self.patientID = patientID
        self.dateOfDeathDaysSince1970 = dateOfDeathDaysSince1970
    }

    /// `PatientDeathRecorded`.
    public static let eventType = "PatientDeathRecorded"
    /// Version 2 seals the date of death.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient who died.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the date of death sealed).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("patientID", .eventID), FieldSpec("dateOfDeathDaysSince1970", .varInt)]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [FieldSpec("patientID", .eventID), FieldSpec("dateOfDeathDaysSince1970", .sealed(.varInt))]),
        ]
    }

    /// 1 → 2: the date is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("dateOfDeathDaysSince1970")
                return upcast
            }
        ]
    }

    private static let dateSealedByteCountMax = FieldKind.varInt.sealedByteCountMax

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeSealed(field: "dateOfDeathDaysSince1970", patient: patientID) {
            $0.writeVarInt(dateOfDeathDaysSince1970)
        }
    }

    /// Reads a version 2 body; withheld, the date reads as 0 (1970-01-01).
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientDeathRecorded {
        let patientID = try decoder.readEventID(field: "patientID")
        let dateStart = decoder.offset
        let date = try decoder.readSealed(
            field: "dateOfDeathDaysSince1970", patient: patientID, sealedByteCountMax: dateSealedByteCountMax,
            placeholder: { _ in 0 }, read: { try $0.readVarInt(field: "dateOfDeathDaysSince1970") })
        return try decoder.validated(field: "dateOfDeathDaysSince1970", offset: dateStart) {
            try PatientDeathRecorded(patientID: patientID, dateOfDeathDaysSince1970: date)
        }
    }
}

/// Why a patient's data was erased; a closed code, so the erasure marker itself carries no free text.
public enum ErasureReason: UInt8, CaseIterable, Hashable, Sendable {
    /// The patient asked for their data to be erased, and the law allows it.
    case patientRequest = 1
    /// The retention period for the record has ended.
    case retentionPeriodEnded = 2
    /// A court or regulator ordered the erasure.
    case legalOrder = 3
    /// The record was registered in error (a test or a wrong person).
    case registeredInError = 4
}

/// A patient's data key was destroyed (crypto-shredding): a marker with opaque ids and codes only, no patient data.
public struct PatientErased: ClinicEventBody {
    /// The patient erased.
    public let patientID: EventID
    /// Why the patient was erased.
    public let reason: ErasureReason
    /// The staff member who authorized the erasure.
    public let authorizingStaffID: StaffID

    /// Creates the marker.
    public init(patientID: EventID, reason: ErasureReason, authorizingStaffID: StaffID) {
        self.patientID = patientID
        self.reason = reason
        self.authorizingStaffID = authorizingStaffID
    }

    /// `PatientErased`.
    public static let eventType = "PatientErased"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient erased; the marker carries no sealed field, so it stays readable after the key is destroyed.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("patientID", .eventID),
                    FieldSpec("reason", .varUInt),
                    FieldSpec("authorizingStaffID", .string(byteCountMax: StaffID.byteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(UInt64(reason.rawValue))
        encoder.writeString(authorizingStaffID.value)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientErased {
        PatientErased(
            patientID: try decoder.readEventID(field: "patientID"),
            reason: try decoder.readCode(ErasureReason.self, field: "reason"),
            authorizingStaffID: try decoder.readStaffID(field: "authorizingStaffID"))
    }
}
