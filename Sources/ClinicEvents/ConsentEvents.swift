import RecordLog

/// The patient acknowledged receipt of the office's notice of privacy practices (164.520(c)(2)(ii)).
public struct PrivacyNoticeAcknowledged: ClinicEventBody {
    /// The rule an acknowledgement broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The notice version is empty or longer than `ConsentLimits.noticeVersionByteCountMax` bytes.
        case noticeVersionLength
        /// The time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
    }

    /// The patient.
    public let patientID: EventID
    /// The version of the notice acknowledged, as the office names it (for example `2026-01`).
    public let noticeVersion: String
    /// When the patient acknowledged, in microseconds since 1970.
    public let acknowledgedAtMicroseconds: Int64

    /// Creates an acknowledgement, validating the notice version and time.
    public init(patientID: EventID, noticeVersion: String, acknowledgedAtMicroseconds: Int64) throws(ValidationError) {
        guard !noticeVersion.utf8.isEmpty, noticeVersion.utf8.count <= ConsentLimits.noticeVersionByteCountMax else {
            throw .noticeVersionLength
        }
        guard ConsentLimits.timeMicrosecondsRange.contains(acknowledgedAtMicroseconds) else { throw .timeOutOfRange }
        self.patientID = patientID
        self.noticeVersion = noticeVersion
        self.acknowledgedAtMicroseconds = acknowledgedAtMicroseconds
    }

    /// `PrivacyNoticeAcknowledged`.
    public static let eventType = "PrivacyNoticeAcknowledged"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient; the event carries no sealed field.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("patientID", .eventID),
                    FieldSpec("noticeVersion", .string(byteCountMax: ConsentLimits.noticeVersionByteCountMax)),
                    FieldSpec("acknowledgedAtMicroseconds", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeString(noticeVersion)
        encoder.writeVarInt(acknowledgedAtMicroseconds)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PrivacyNoticeAcknowledged {
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let version = try decoder.readString(
            field: "noticeVersion", byteCountMax: ConsentLimits.noticeVersionByteCountMax)
        let time = try decoder.readConsentTime(field: "acknowledgedAtMicroseconds")
        return try decoder.validated(field: "PrivacyNoticeAcknowledged", offset: start) {
            try PrivacyNoticeAcknowledged(
                patientID: patientID, noticeVersion: version, acknowledgedAtMicroseconds: time)
        }
    }
}

/// The patient consented to disclosures to some recipients for some purposes, from a time and possibly until one.
///
/// FHIR R4 `Consent` with `provision.actor`, `provision.purpose` and `provision.period`.
public struct ConsentGranted: ClinicEventBody {
    /// The rule a consent broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// A time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
        /// The expiry is not after the effective time.
        case expiryNotAfterEffective
    }

    /// The consent's own id, referenced by revocations and disclosures.
    public let consentID: EventID
    /// The patient.
    public let patientID: EventID
    /// Whom and for what the consent allows disclosures.
    public let scope: DisclosureScope
    /// From when the consent covers, in microseconds since 1970 (inclusive).
    public let effectiveFromMicroseconds: Int64
    /// Until when the consent covers, in microseconds since 1970 (exclusive); nil for no expiry.
    public let expiresAtMicroseconds: Int64?

    /// Creates a consent, validating its times.
    public init(
        consentID: EventID, patientID: EventID, scope: DisclosureScope, effectiveFromMicroseconds: Int64,
        expiresAtMicroseconds: Int64? = nil
    ) throws(ValidationError) {
        let range = ConsentLimits.timeMicrosecondsRange
        guard range.contains(effectiveFromMicroseconds) else { throw .timeOutOfRange }
        if let expiresAtMicroseconds {
            guard range.contains(expiresAtMicroseconds) else { throw .timeOutOfRange }
            guard expiresAtMicroseconds > effectiveFromMicroseconds else { throw .expiryNotAfterEffective }
        }
        self.consentID = consentID
        self.patientID = patientID
        self.scope = scope
        self.effectiveFromMicroseconds = effectiveFromMicroseconds
        self.expiresAtMicroseconds = expiresAtMicroseconds
    }

    /// `ConsentGranted`.
    public static let eventType = "ConsentGranted"
    /// Version 2 seals the recipient names.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient.
    public var subjectPatientID: EventID? { patientID }

    private static let namesSealedByteCountMax = DisclosureScope.namesKind.sealedByteCountMax

    private static func layout(names: FieldKind) -> [FieldSpec] {
        [FieldSpec("consentID", .eventID), FieldSpec("patientID", .eventID), FieldSpec("recipientNames", names)]
            + DisclosureScope.layout.dropFirst()
            + [
                FieldSpec("effectiveFromMicroseconds", .varInt),
                FieldSpec("expiresAtMicroseconds", .optional(.varInt)),
            ]
    }

    /// Version 1 and version 2 (the same fields, the recipient names sealed).
    public static var schemas: [EventSchema] {
        [
            EventSchema(eventType: eventType, version: 1, layout: layout(names: DisclosureScope.namesKind)),
            EventSchema(eventType: eventType, version: 2, layout: layout(names: .sealed(DisclosureScope.namesKind))),
        ]
    }

    /// 1 → 2: the recipient names are held in clear in their sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("recipientNames")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(consentID)
        encoder.writeEventID(patientID)
        encoder.writeSealed(field: "recipientNames", patient: patientID) { scope.encodeNames(into: &$0) }
        scope.encodeCategoriesAndPurposes(into: &encoder)
        encoder.writeVarInt(effectiveFromMicroseconds)
        encoder.writeOptional(expiresAtMicroseconds) { $0.writeVarInt($1) }
    }

    /// Reads a version 2 body; withheld, the recipient names read as one name, the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ConsentGranted {
        let consentID = try decoder.readEventID(field: "consentID")
        let patientID = try decoder.readEventID(field: "patientID")
        let scopeOffset = decoder.offset
        let names = try decoder.readSealed(
            field: "recipientNames", patient: patientID, sealedByteCountMax: namesSealedByteCountMax,
            placeholder: { [$0.placeholderText] }, read: DisclosureScope.decodeNames)
        let clear = try DisclosureScope.decodeCategoriesAndPurposes(from: &decoder)
        let scope = try decoder.validated(field: "scope", offset: scopeOffset) {
            try DisclosureScope(recipientNames: names, recipientCategories: clear.categories, purposes: clear.purposes)
        }
        let start = decoder.offset
        let effective = try decoder.readConsentTime(field: "effectiveFromMicroseconds")
        let expiry = try decoder.readOptional(field: "expiresAtMicroseconds") {
            try $0.readConsentTime(field: "expiresAtMicroseconds")
        }
        return try decoder.validated(field: "ConsentGranted", offset: start) {
            try ConsentGranted(
                consentID: consentID, patientID: patientID, scope: scope, effectiveFromMicroseconds: effective,
                expiresAtMicroseconds: expiry)
        }
    }
}

/// A consent or an authorization was revoked: it stops covering disclosures from `effectiveFromMicroseconds` on.
///
/// Disclosures made before that time in reliance on it stay covered (164.508(b)(5)).
public struct ConsentRevoked: ClinicEventBody {
    /// The rule a revocation broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
    }

    /// The consent (or authorization) revoked.
    public let consentID: EventID
    /// The patient.
    public let patientID: EventID
    /// From when the consent no longer covers, in microseconds since 1970 (inclusive).
    public let effectiveFromMicroseconds: Int64

    /// Creates a revocation, validating its time.
    public init(consentID: EventID, patientID: EventID, effectiveFromMicroseconds: Int64) throws(ValidationError) {
        guard ConsentLimits.timeMicrosecondsRange.contains(effectiveFromMicroseconds) else { throw .timeOutOfRange }
        self.consentID = consentID
        self.patientID = patientID
        self.effectiveFromMicroseconds = effectiveFromMicroseconds
    }

    /// `ConsentRevoked`.
    public static let eventType = "ConsentRevoked"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient; the event carries no sealed field.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("consentID", .eventID), FieldSpec("patientID", .eventID),
                    FieldSpec("effectiveFromMicroseconds", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(consentID)
        encoder.writeEventID(patientID)
        encoder.writeVarInt(effectiveFromMicroseconds)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ConsentRevoked {
        let consentID = try decoder.readEventID(field: "consentID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let effective = try decoder.readConsentTime(field: "effectiveFromMicroseconds")
        return try decoder.validated(field: "ConsentRevoked", offset: start) {
            try ConsentRevoked(consentID: consentID, patientID: patientID, effectiveFromMicroseconds: effective)
        }
    }
}

/// A signed HIPAA authorization (164.508) was recorded: one recipient, one purpose, the information described, an
/// expiry date or event, and who signed.
public struct AuthorizationRecorded: ClinicEventBody {
    /// The rule an authorization broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// A time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
        /// Neither an expiry date nor an expiry event is given (164.508(c)(1)(v)).
        case expiryRequired
        /// The expiry date is not after the signature.
        case expiryNotAfterSignature
        /// The description, the expiry event or the signer is empty or longer than
        /// `ConsentLimits.descriptionByteCountMax` bytes.
        case textLength
    }

    /// The authorization's own id, referenced by revocations and disclosures.
    public let authorizationID: EventID
    /// The patient.
    public let patientID: EventID
    /// The person or organisation authorized to receive the information.
    public let recipient: DisclosureRecipient
    /// The purpose of the disclosure.
    public let purpose: DisclosurePurpose
    /// A specific and meaningful description of the information to be disclosed (patient data).
    public let informationDescription: String
    /// The expiry date, in microseconds since 1970 (exclusive); nil when an expiry event is given instead.
    public let expiresAtMicroseconds: Int64?
    /// The expiry event in words (for example "end of the research study"); nil when only a date is given.
    public let expiryEvent: String?
    /// Who signed: the patient or their personal representative, with the representative's authority (patient data).
    public let signedBy: String
    /// When it was signed, in microseconds since 1970: it covers from then on.
    public let signedAtMicroseconds: Int64

    /// Creates an authorization, validating its texts and times.
    public init(
        authorizationID: EventID, patientID: EventID, recipient: DisclosureRecipient, purpose: DisclosurePurpose,
        informationDescription: String, expiresAtMicroseconds: Int64?, expiryEvent: String?, signedBy: String,
        signedAtMicroseconds: Int64
    ) throws(ValidationError) {
        let range = ConsentLimits.timeMicrosecondsRange
        let texts = [informationDescription, signedBy] + (expiryEvent.map { [$0] } ?? [])
        guard texts.allSatisfy({ !$0.utf8.isEmpty && $0.utf8.count <= ConsentLimits.descriptionByteCountMax }) else {
            throw .textLength
        }
        guard range.contains(signedAtMicroseconds) else { throw .timeOutOfRange }
        guard expiresAtMicroseconds != nil || expiryEvent != nil else { throw .expiryRequired }
        if let expiresAtMicroseconds {
            guard range.contains(expiresAtMicroseconds) else { throw .timeOutOfRange }
            guard expiresAtMicroseconds > signedAtMicroseconds else { throw .expiryNotAfterSignature }
        }
        self.authorizationID = authorizationID
        self.patientID = patientID
        self.recipient = recipient
        self.purpose = purpose
        self.informationDescription = informationDescription
        self.expiresAtMicroseconds = expiresAtMicroseconds
        self.expiryEvent = expiryEvent
        self.signedBy = signedBy
        self.signedAtMicroseconds = signedAtMicroseconds
    }

    /// `AuthorizationRecorded`.
    public static let eventType = "AuthorizationRecorded"
    /// Version 2 seals the recipient's name and address, the description, the expiry event and the signer.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient.
    public var subjectPatientID: EventID? { patientID }

    private static let text = FieldKind.string(byteCountMax: ConsentLimits.descriptionByteCountMax)
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("recipientName", DisclosureRecipient.nameKind),
        FieldSpec("recipientAddress", DisclosureRecipient.addressKind),
        FieldSpec("informationDescription", text),
        FieldSpec("expiryEvent", .optional(text)),
        FieldSpec("signedBy", text),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (the codes and times in clear, then the texts sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("authorizationID", .eventID), FieldSpec("patientID", .eventID)]
                    + DisclosureRecipient.layout
                    + [
                        FieldSpec("purpose", .varUInt),
                        FieldSpec("informationDescription", text),
                        FieldSpec("expiresAtMicroseconds", .optional(.varInt)),
                        FieldSpec("expiryEvent", .optional(text)),
                        FieldSpec("signedBy", text),
                        FieldSpec("signedAtMicroseconds", .varInt),
                    ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("authorizationID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("recipientCategory", .varUInt),
                    FieldSpec("purpose", .varUInt),
                    FieldSpec("expiresAtMicroseconds", .optional(.varInt)),
                    FieldSpec("signedAtMicroseconds", .varInt),
                    FieldSpec("patientData", .sealed(patientDataKind)),
                ]),
        ]
    }

    /// 1 → 2: the recipient's name and address, the description, the expiry event and the signer move, in clear, into
    /// `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(
                    ["recipientName", "recipientAddress", "informationDescription", "expiryEvent", "signedBy"],
                    asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(authorizationID)
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(UInt64(recipient.category.rawValue))
        encoder.writeVarUInt(UInt64(purpose.rawValue))
        encoder.writeOptional(expiresAtMicroseconds) { $0.writeVarInt($1) }
        encoder.writeVarInt(signedAtMicroseconds)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            recipient.encodeNameAndAddress(into: &encoder)
            encoder.writeString(informationDescription)
            encoder.writeOptional(expiryEvent) { $0.writeString($1) }
            encoder.writeString(signedBy)
        }
    }

    /// Reads a version 2 body; withheld, the recipient's name, the description and the signer read as the placeholder
    /// text, the address as absent, and the expiry event as the placeholder text when no expiry date is given (one of
    /// the two is required) and absent otherwise.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AuthorizationRecorded {
        let textMax = ConsentLimits.descriptionByteCountMax
        let authorizationID = try decoder.readEventID(field: "authorizationID")
        let patientID = try decoder.readEventID(field: "patientID")
        let category = try decoder.readCode(RecipientCategory.self, field: "recipientCategory")
        let purpose = try decoder.readCode(DisclosurePurpose.self, field: "purpose")
        let start = decoder.offset
        let expiry = try decoder.readOptional(field: "expiresAtMicroseconds") {
            try $0.readConsentTime(field: "expiresAtMicroseconds")
        }
        let signedAt = try decoder.readConsentTime(field: "signedAtMicroseconds")
        let texts = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { reason in
                let text = reason.placeholderText
                return (text, String?.none, text, expiry == nil ? text : nil, text)
            },
            read: { decoder in
                let recipient = try DisclosureRecipient.decodeNameAndAddress(from: &decoder)
                return (
                    recipient.name, recipient.address,
                    try decoder.readString(field: "informationDescription", byteCountMax: textMax),
                    try decoder.readOptional(field: "expiryEvent") {
                        try $0.readString(field: "expiryEvent", byteCountMax: textMax)
                    },
                    try decoder.readString(field: "signedBy", byteCountMax: textMax)
                )
            })
        let recipient = try decoder.validated(field: "recipient", offset: start) {
            try DisclosureRecipient(name: texts.0, category: category, address: texts.1)
        }
        return try decoder.validated(field: "AuthorizationRecorded", offset: start) {
            try AuthorizationRecorded(
                authorizationID: authorizationID, patientID: patientID, recipient: recipient, purpose: purpose,
                informationDescription: texts.2, expiresAtMicroseconds: expiry, expiryEvent: texts.3,
                signedBy: texts.4, signedAtMicroseconds: signedAt)
        }
    }
}

/// The patient asked the office to restrict disclosures to some recipients for some purposes (164.522(a)).
public struct RestrictionRequested: ClinicEventBody {
    /// The rule a restriction request broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The description is empty or longer than `ConsentLimits.descriptionByteCountMax` bytes.
        case textLength
        /// The time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
    }

    /// The restriction's own id, referenced when it is agreed.
    public let restrictionID: EventID
    /// The patient.
    public let patientID: EventID
    /// Whom and for what disclosures are to be restricted.
    public let scope: DisclosureScope
    /// The information the restriction is about, in the patient's words (patient data).
    public let informationDescription: String
    /// When the patient asked, in microseconds since 1970.
    public let requestedAtMicroseconds: Int64

    /// Creates a request, validating its text and time.
    public init(
        restrictionID: EventID, patientID: EventID, scope: DisclosureScope, informationDescription: String,
        requestedAtMicroseconds: Int64
    ) throws(ValidationError) {
        guard !informationDescription.utf8.isEmpty,
            informationDescription.utf8.count <= ConsentLimits.descriptionByteCountMax
        else { throw .textLength }
        guard ConsentLimits.timeMicrosecondsRange.contains(requestedAtMicroseconds) else { throw .timeOutOfRange }
        self.restrictionID = restrictionID
        self.patientID = patientID
        self.scope = scope
        self.informationDescription = informationDescription
        self.requestedAtMicroseconds = requestedAtMicroseconds
    }

    /// `RestrictionRequested`.
    public static let eventType = "RestrictionRequested"
    /// Version 2 seals the recipient names and the description.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient.
    public var subjectPatientID: EventID? { patientID }

    private static let text = FieldKind.string(byteCountMax: ConsentLimits.descriptionByteCountMax)
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("recipientNames", DisclosureScope.namesKind), FieldSpec("informationDescription", text),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (the categories, purposes and time in clear, then the names and the description
    /// sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("restrictionID", .eventID), FieldSpec("patientID", .eventID)]
                    + DisclosureScope.layout
                    + [FieldSpec("informationDescription", text), FieldSpec("requestedAtMicroseconds", .varInt)]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [FieldSpec("restrictionID", .eventID), FieldSpec("patientID", .eventID)]
                    + DisclosureScope.layout.dropFirst()
                    + [
                        FieldSpec("requestedAtMicroseconds", .varInt),
                        FieldSpec("patientData", .sealed(patientDataKind)),
                    ]),
        ]
    }

    /// 1 → 2: the recipient names and the description move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(["recipientNames", "informationDescription"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(restrictionID)
        encoder.writeEventID(patientID)
        scope.encodeCategoriesAndPurposes(into: &encoder)
        encoder.writeVarInt(requestedAtMicroseconds)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            scope.encodeNames(into: &encoder)
            encoder.writeString(informationDescription)
        }
    }

    /// Reads a version 2 body; withheld, the recipient names read as one name, the placeholder text, and the
    /// description as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> RestrictionRequested {
        let restrictionID = try decoder.readEventID(field: "restrictionID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let clear = try DisclosureScope.decodeCategoriesAndPurposes(from: &decoder)
        let requestedAt = try decoder.readConsentTime(field: "requestedAtMicroseconds")
        let data = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { ([$0.placeholderText], $0.placeholderText) },
            read: { decoder in
                (
                    try DisclosureScope.decodeNames(from: &decoder),
                    try decoder.readString(
                        field: "informationDescription", byteCountMax: ConsentLimits.descriptionByteCountMax)
                )
            })
        let scope = try decoder.validated(field: "scope", offset: start) {
            try DisclosureScope(recipientNames: data.0, recipientCategories: clear.categories, purposes: clear.purposes)
        }
        return try decoder.validated(field: "RestrictionRequested", offset: start) {
            try RestrictionRequested(
                restrictionID: restrictionID, patientID: patientID, scope: scope, informationDescription: data.1,
                requestedAtMicroseconds: requestedAt)
        }
    }
}

/// The office agreed to a requested restriction (164.522(a)(1)(ii)); it binds from `effectiveFromMicroseconds` on.
public struct RestrictionAgreed: ClinicEventBody {
    /// The rule an agreement broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
    }

    /// The restriction agreed.
    public let restrictionID: EventID
    /// The patient.
    public let patientID: EventID
    /// From when the restriction binds, in microseconds since 1970 (inclusive).
    public let effectiveFromMicroseconds: Int64

    /// Creates an agreement, validating its time.
    public init(restrictionID: EventID, patientID: EventID, effectiveFromMicroseconds: Int64) throws(ValidationError) {
        guard ConsentLimits.timeMicrosecondsRange.contains(effectiveFromMicroseconds) else { throw .timeOutOfRange }
        self.restrictionID = restrictionID
        self.patientID = patientID
        self.effectiveFromMicroseconds = effectiveFromMicroseconds
    }

    /// `RestrictionAgreed`.
    public static let eventType = "RestrictionAgreed"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient; the event carries no sealed field.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("restrictionID", .eventID), FieldSpec("patientID", .eventID),
                    FieldSpec("effectiveFromMicroseconds", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(restrictionID)
        encoder.writeEventID(patientID)
        encoder.writeVarInt(effectiveFromMicroseconds)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> RestrictionAgreed {
        let restrictionID = try decoder.readEventID(field: "restrictionID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let effective = try decoder.readConsentTime(field: "effectiveFromMicroseconds")
        return try decoder.validated(field: "RestrictionAgreed", offset: start) {
            try RestrictionAgreed(
                restrictionID: restrictionID, patientID: patientID, effectiveFromMicroseconds: effective)
        }
    }
}
