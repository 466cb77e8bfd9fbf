import RecordLog

/// The ground on which information was disclosed.
public enum DisclosureLegalBasis: Hashable, Sendable {
    /// For treatment (164.506): needs no consent; left out of an accounting.
    case treatment
    /// For payment (164.506): needs no consent; left out of an accounting.
    case payment
    /// For health-care operations (164.506): needs no consent; left out of an accounting.
    case healthCareOperations
    /// Under the patient's consent with this id; included in an accounting.
    case consent(EventID)
    /// Under the 164.508 authorization with this id; left out of an accounting (164.528(a)(1)(iv)).
    case authorization(EventID)
    /// Required or permitted by law without authorization (164.512: public health, oversight, courts, law
    /// enforcement, research waivers); included in an accounting.
    case requiredOrPermittedByLaw
    /// In a category that needs no consent and is left out of an accounting.
    case exempt(ExemptDisclosureCategory)

    /// Whether the basis is treatment, payment or health-care operations.
    public var isTreatmentPaymentOrOperations: Bool {
        switch self {
        case .treatment, .payment, .healthCareOperations: true
        default: false
        }
    }

    /// Whether a disclosure on this basis must appear in a 164.528 accounting of disclosures.
    public var isAccountable: Bool {
        switch self {
        case .consent, .requiredOrPermittedByLaw: true
        case .treatment, .payment, .healthCareOperations, .authorization, .exempt: false
        }
    }

    /// The wire code of the basis kind, fixed forever.
    var code: UInt8 {
        switch self {
        case .treatment: 1
        case .payment: 2
        case .healthCareOperations: 3
        case .consent: 4
        case .authorization: 5
        case .requiredOrPermittedByLaw: 6
        case .exempt: 7
        }
    }
}

/// Information about a patient was disclosed outside the office: to whom, why, what, on what ground and when.
///
/// Holds what a 164.528(b)(2) accounting entry needs: date, recipient name and address if known, a description of
/// the information and the purpose.
public struct DisclosureRecorded: ClinicEventBody {
    /// The rule a disclosure broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The description is empty or longer than `ConsentLimits.descriptionByteCountMax` bytes.
        case textLength
        /// The time is outside `ConsentLimits.timeMicrosecondsRange`.
        case timeOutOfRange
    }

    /// The disclosure's own id.
    public let disclosureID: EventID
    /// The patient whose information was disclosed.
    public let patientID: EventID
    /// Who received it.
    public let recipient: DisclosureRecipient
    /// Why.
    public let purpose: DisclosurePurpose
    /// A brief description of the information disclosed (patient data).
    public let informationDescription: String
    /// On what ground.
    public let legalBasis: DisclosureLegalBasis
    /// When it was disclosed, in microseconds since 1970.
    public let disclosedAtMicroseconds: Int64

    /// Creates a disclosure, validating its text and time.
    public init(
        disclosureID: EventID, patientID: EventID, recipient: DisclosureRecipient, purpose: DisclosurePurpose,
        informationDescription: String, legalBasis: DisclosureLegalBasis, disclosedAtMicroseconds: Int64
    ) throws(ValidationError) {
        guard !informationDescription.utf8.isEmpty,
            informationDescription.utf8.count <= ConsentLimits.descriptionByteCountMax
        else { throw .textLength }
        guard ConsentLimits.timeMicrosecondsRange.contains(disclosedAtMicroseconds) else { throw .timeOutOfRange }
        self.disclosureID = disclosureID
        self.patientID = patientID
        self.recipient = recipient
        self.purpose = purpose
        self.informationDescription = informationDescription
        self.legalBasis = legalBasis
        self.disclosedAtMicroseconds = disclosedAtMicroseconds
    }

    /// `DisclosureRecorded`.
    public static let eventType = "DisclosureRecorded"
    /// Version 2 seals the recipient's name and address and the description.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient whose information was disclosed.
    public var subjectPatientID: EventID? { patientID }

    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("recipientName", DisclosureRecipient.nameKind),
        FieldSpec("recipientAddress", DisclosureRecipient.addressKind),
        FieldSpec("informationDescription", .string(byteCountMax: ConsentLimits.descriptionByteCountMax)),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    private static let basisLayout: [FieldSpec] = [
        FieldSpec("legalBasis", .varUInt),
        FieldSpec("legalBasisReference", .optional(.eventID)),
        FieldSpec("exemptCategory", .optional(.varUInt)),
        FieldSpec("disclosedAtMicroseconds", .varInt),
    ]

    /// Version 1 and version 2 (the codes, basis and time in clear, then the recipient's name and address and the
    /// description sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("disclosureID", .eventID), FieldSpec("patientID", .eventID)]
                    + DisclosureRecipient.layout
                    + [
                        FieldSpec("purpose", .varUInt),
                        FieldSpec(
                            "informationDescription", .string(byteCountMax: ConsentLimits.descriptionByteCountMax)),
                    ] + basisLayout),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("disclosureID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("recipientCategory", .varUInt),
                    FieldSpec("purpose", .varUInt),
                ] + basisLayout + [FieldSpec("patientData", .sealed(patientDataKind))]),
        ]
    }

    /// 1 → 2: the recipient's name and address and the description move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(
                    ["recipientName", "recipientAddress", "informationDescription"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(disclosureID)
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(UInt64(recipient.category.rawValue))
        encoder.writeVarUInt(UInt64(purpose.rawValue))
        encoder.writeVarUInt(UInt64(legalBasis.code))
        let reference: EventID? =
            switch legalBasis {
            case .consent(let id), .authorization(let id): id
            default: nil
            }
        encoder.writeOptional(reference) { $0.writeEventID($1) }
        let exempt: ExemptDisclosureCategory? =
            switch legalBasis {
            case .exempt(let category): category
            default: nil
            }
        encoder.writeOptional(exempt) { $0.writeVarUInt(UInt64($1.rawValue)) }
        encoder.writeVarInt(disclosedAtMicroseconds)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            recipient.encodeNameAndAddress(into: &encoder)
            encoder.writeString(informationDescription)
        }
    }

    /// Reads a version 2 body; withheld, the recipient's name and the description read as the placeholder text and
    /// the address as absent.
    public static func decode(from decoder: inout BinaryDecoder) throws -> DisclosureRecorded {
        let disclosureID = try decoder.readEventID(field: "disclosureID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let category = try decoder.readCode(RecipientCategory.self, field: "recipientCategory")
        let purpose = try decoder.readCode(DisclosurePurpose.self, field: "purpose")
        let basisOffset = decoder.offset
        let code = try decoder.readVarUInt(field: "legalBasis")
        let reference = try decoder.readOptional(field: "legalBasisReference") {
            try $0.readEventID(field: "legalBasisReference")
        }
        let exempt = try decoder.readOptional(field: "exemptCategory") {
            try $0.readCode(ExemptDisclosureCategory.self, field: "exemptCategory")
        }
        let basis: DisclosureLegalBasis
        switch (code, reference, exempt) {
        case (1, nil, nil): basis = .treatment
        case (2, nil, nil): basis = .payment
        case (3, nil, nil): basis = .healthCareOperations
        case (4, let id?, nil): basis = .consent(id)
        case (5, let id?, nil): basis = .authorization(id)
        case (6, nil, nil): basis = .requiredOrPermittedByLaw
        case (7, nil, let category?): basis = .exempt(category)
        case (1...7, _, _):
            throw EventDecodingError(.ruleViolated(rule: "legalBasisShape"), field: "legalBasis", offset: basisOffset)
        default: throw EventDecodingError(.unknownEnumerationCode, field: "legalBasis", offset: basisOffset)
        }
        let disclosedAt = try decoder.readConsentTime(field: "disclosedAtMicroseconds")
        let texts = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { ($0.placeholderText, String?.none, $0.placeholderText) },
            read: { decoder in
                let recipient = try DisclosureRecipient.decodeNameAndAddress(from: &decoder)
                return (
                    recipient.name, recipient.address,
                    try decoder.readString(
                        field: "informationDescription", byteCountMax: ConsentLimits.descriptionByteCountMax)
                )
            })
        let recipient = try decoder.validated(field: "recipient", offset: start) {
            try DisclosureRecipient(name: texts.0, category: category, address: texts.1)
        }
        return try decoder.validated(field: "DisclosureRecorded", offset: start) {
            try DisclosureRecorded(
                disclosureID: disclosureID, patientID: patientID, recipient: recipient, purpose: purpose,
                informationDescription: texts.2, legalBasis: basis, disclosedAtMicroseconds: disclosedAt)
        }
    }
}
