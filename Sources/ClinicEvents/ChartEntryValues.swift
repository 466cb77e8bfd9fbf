import RecordLog

/// The limits shared by the fields of chart events, in bytes or elements.
public enum ChartLimits {
    /// The longest substance, reaction, medication name or reason accepted.
    public static let shortTextByteCountMax = 256
    /// The longest dose or frequency accepted (for example `500 mg`, `twice daily`).
    public static let doseByteCountMax = 64
    /// The longest note or addendum text accepted.
    public static let noteTextByteCountMax = 16_384
    /// The longest amendment request, denial explanation or disagreement instructions accepted.
    public static let amendmentTextByteCountMax = 2_048
    /// The most entries one amendment may reference or link.
    public static let amendmentEntryCountMax = 32
    /// The accepted onset dates, in days since 1970-01-01.
    public static let onsetDaysRange: ClosedRange<Int64> = -80_000...80_000

    /// The layouts of a chart event made of an entry id and a reason: version 1 (the id, the reason) and version 2 (the
    /// id, an optional `patientID`, the reason sealed).
    static func reasonSchemas(eventType: String, idField: String) -> [EventSchema] {
        let reason = FieldKind.string(byteCountMax: shortTextByteCountMax)
        return [
            EventSchema(
                eventType: eventType, version: 1, layout: [FieldSpec(idField, .eventID), FieldSpec("reason", reason)]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec(idField, .eventID), FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("reason", .sealed(reason)),
                ]),
        ]
    }

    /// Whether `text` is 1 to `byteCountMax` bytes of UTF-8.
    static func isValid(_ text: String, byteCountMax: Int) -> Bool {
        let count = text.utf8.count
        return count >= 1 && count <= byteCountMax
    }
}

/// How severe an allergic reaction is (FHIR `AllergyIntolerance.reaction.severity`); wire codes fixed forever.
public enum AllergySeverity: UInt8, CaseIterable, Hashable, Sendable {
    /// Mild.
    case mild = 1
    /// Moderate.
    case moderate = 2
    /// Severe, including anaphylaxis.
    case severe = 3
}

/// How certain the allergy is (FHIR `AllergyIntolerance.verificationStatus`); wire codes fixed forever.
///
/// Refuted allergies are not recorded with a status: they are entered in error.
public enum AllergyVerification: UInt8, CaseIterable, Hashable, Sendable {
    /// Reported but not confirmed.
    case unconfirmed = 1
    /// Confirmed by a clinician or a test.
    case confirmed = 2
}

/// How a medication is taken (a subset of FHIR's SNOMED route codes); wire codes fixed forever.
public enum MedicationRoute: UInt8, CaseIterable, Hashable, Sendable {
    /// By mouth.
    case oral = 1
    /// Under the tongue.
    case sublingual = 2
    /// On the skin.
    case topical = 3
    /// Through the skin by a patch.
    case transdermal = 4
    /// Breathed in.
    case inhaled = 5
    /// Into the nose.
    case nasal = 6
    /// Into the eye.
    case ophthalmic = 7
    /// Into the ear.
    case otic = 8
    /// Into a vein.
    case intravenous = 9
    /// Into a muscle.
    case intramuscular = 10
    /// Under the skin.
    case subcutaneous = 11
    /// Into the rectum.
    case rectal = 12
    /// Any other route.
    case other = 13
}

/// Why a request to amend was denied, as HIPAA 45 CFR 164.526(a)(2) allows; wire codes fixed forever.
public enum AmendmentDenialBasis: UInt8, CaseIterable, Hashable, Sendable {
    /// The office did not create the information (and its originator is available to act on the request).
    case notCreatedByThisOffice = 1
    /// The information is not part of the designated record set.
    case notPartOfDesignatedRecordSet = 2
    /// The information would not be available for inspection under 164.524.
    case notAvailableForInspection = 3
    /// The information is accurate and complete.
    case accurateAndComplete = 4
}

extension BinaryDecoder {
    /// Reads a one-byte enumeration code written as a varuint, refusing a code the enumeration does not know.
    mutating func readCode<Code: RawRepresentable>(_ type: Code.Type, field: String) throws -> Code
    where Code.RawValue == UInt8 {
        let start = offset
        let code = try readVarUInt(field: field)
        guard let narrow = UInt8(exactly: code), let value = Code(rawValue: narrow) else {
            throw EventDecodingError(.unknownEnumerationCode, field: field, offset: start)
        }
        return value
    }
}
