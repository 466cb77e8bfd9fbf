import RecordLog

/// A patient was registered with the office: their id, legal name, birth date and, since version 2, preferred language.
public struct PatientRegistered: ClinicEventBody {
    /// The longest name part accepted, in bytes.
    public static let nameByteCountMax = 256
    /// The accepted birth dates, in days since 1970-01-01 (1751-01-26 through 2188-12-09).
    public static let birthDateDaysSince1970Range: ClosedRange<Int64> = -80_000...80_000
    /// The longest preferred-language tag accepted, in bytes.
    public static let languageTagByteCountMax = 35

    /// The rule a registration broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// A name part is empty or longer than `nameByteCountMax` bytes.
        case nameLength
        /// The birth date is outside `birthDateDaysSince1970Range`.
        case birthDateOutOfRange
        /// The preferred language is not 2 to 35 ASCII letters, digits and dashes starting with a letter.
        case languageTagShape
    }

    /// The new patient's opaque id.
    public let patientID: EventID
    /// The family (last) name.
    public let familyName: String
    /// The given (first) name.
    public let givenName: String
    /// The birth date, in days since 1970-01-01 (negative before).
    public let birthDateDaysSince1970: Int64
    /// The preferred language as a BCP 47 tag such as `en` or `es-MX`; nil when not given (and for all version 1
    /// events).
    public let preferredLanguage: String?

    /// Creates a registration, validating every field.
    public init(
        patientID: EventID, familyName: String, givenName: String, birthDateDaysSince1970: Int64,
        preferredLanguage: String? = nil
    ) throws(ValidationError) {
        for name in [familyName, givenName] where name.utf8.isEmpty || name.utf8.count > Self.nameByteCountMax {
            throw .nameLength
        }
        guard Self.birthDateDaysSince1970Range.contains(birthDateDaysSince1970) else { throw .birthDateOutOfRange }
        if let preferredLanguage {
            let bytes = Array(preferredLanguage.utf8)
            let isTagByte = { (byte: UInt8) in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == UInt8(ascii: "-")
            }
            guard bytes.count >= 2, bytes.count <= Self.languageTagByteCountMax, bytes.allSatisfy(isTagByte),
                (bytes[0] | 0x20) >= 0x61, (bytes[0] | 0x20) <= 0x7A
            else { throw .languageTagShape }
        }
        self.patientID = patientID
        self.familyName = familyName
        self.givenName = givenName
        self.birthDateDaysSince1970 = birthDateDaysSince1970
        self.preferredLanguage = preferredLanguage
    }

    /// `PatientRegistered`.
    public static let eventType = "PatientRegistered"
    /// Version 2 added `preferredLanguage`; version 3 seals the identity (names, birth date, language).
    public static let currentSchemaVersion: UInt32 = 3

    /// The registered patient.
    public var subjectPatientID: EventID? { patientID }

    private static let layoutVersion1: [FieldSpec] = [
        FieldSpec("patientID", .eventID),
        FieldSpec("familyName", .string(byteCountMax: nameByteCountMax)),
        FieldSpec("givenName", .string(byteCountMax: nameByteCountMax)),
        FieldSpec("birthDateDaysSince1970", .varInt),
    ]
    private static let languageKind: FieldKind = .optional(.string(byteCountMax: languageTagByteCountMax))
    /// The fields sealed together as `identity` since version 3.
    static let identityKind: FieldKind = .record(
        Array(layoutVersion1.dropFirst()) + [FieldSpec("preferredLanguage", languageKind)])
    private static let identitySealedByteCountMax = identityKind.sealedByteCountMax

    /// Version 1 (the four fields), version 2 (the same, then `preferredLanguage`), version 3 (the patient id, then
    /// the other four fields sealed together as `identity`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(eventType: eventType, version: 1, layout: layoutVersion1),
            EventSchema(
                eventType: eventType, version: 2,
                layout: layoutVersion1 + [FieldSpec("preferredLanguage", languageKind)]),
            EventSchema(
                eventType: eventType, version: 3,
                layout: [FieldSpec("patientID", .eventID), FieldSpec("identity", .sealed(identityKind))]),
        ]
    }

    /// 1 → 2: a version 1 registration had no preferred language, so it becomes absent. 2 → 3: the names, birth date
    /// and language move, in clear, into `identity`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                upcast["preferredLanguage"] = .optional(nil)
                return upcast
            },
            Upcaster(eventType: eventType, fromVersion: 2, toVersion: 3) { fields in
                var upcast = fields
                try upcast.sealInClear(
                    ["familyName", "givenName", "birthDateDaysSince1970", "preferredLanguage"], asRecord: "identity")
                return upcast
            },
        ]
    }

    /// Writes the version 3 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeSealed(field: "identity", patient: patientID) { encoder in
            encoder.writeString(familyName)
            encoder.writeString(givenName)
            encoder.writeVarInt(birthDateDaysSince1970)
            encoder.writeOptional(preferredLanguage) { $0.writeString($1) }
        }
    }

    /// Reads a version 3 body; withheld, the names read as the placeholder text, the birth date as 0 (1970-01-01) and
    /// the language as absent.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientRegistered {
        let start = decoder.offset
        let patientID = try decoder.readEventID(field: "patientID")
        let identity = try decoder.readSealed(
            field: "identity", patient: patientID, sealedByteCountMax: identitySealedByteCountMax,
            placeholder: { ($0.placeholderText, $0.placeholderText, Int64(0), String?.none) },
            read: { decoder in
                (
                    try decoder.readString(field: "familyName", byteCountMax: nameByteCountMax),
                    try decoder.readString(field: "givenName", byteCountMax: nameByteCountMax),
                    try decoder.readVarInt(field: "birthDateDaysSince1970"),
                    try decoder.readOptional(field: "preferredLanguage") {
                        try $0.readString(field: "preferredLanguage", byteCountMax: languageTagByteCountMax)
                    }
                )
            })
        return try decoder.validated(field: "PatientRegistered", offset: start) {
            try PatientRegistered(
                patientID: patientID, familyName: identity.0, givenName: identity.1,
                birthDateDaysSince1970: identity.2, preferredLanguage: identity.3)
        }
    }
}
