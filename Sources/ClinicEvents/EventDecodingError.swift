/// A refusal to decode event bytes, naming the field and the byte offset where the input went wrong.
///
/// The error never carries field values: they may be patient data.
public struct EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the bytes.
    public enum Kind: Equatable, Sendable {
        /// The input ended inside a field.
        case truncated
        /// A varint had more than ten bytes, or a tenth byte above 1.
        case overlongVarint
        /// A varint's value does not fit the field's integer type.
        case integerOutOfRange
        /// A string's bytes are not valid UTF-8.
        case invalidUTF8
        /// A length or count is above the field's limit.
        case countAboveLimit(limit: Int)
        /// A presence or boolean byte was neither 0 nor 1.
        case invalidFlagByte
        /// Bytes remain after the last field.
        case trailingBytes(count: Int)
        /// The leading format byte is not one this decoder knows.
        case unknownFormat
        /// The event type name is not in the catalogue.
        case unknownEventType
        /// The schema version is newer than the catalogue's current version, or has no upcasting chain.
        case unsupportedSchemaVersion
        /// An enumeration's code is not one this decoder knows.
        case unknownEnumerationCode
        /// A value has the right shape on the wire but breaks a domain rule (the rule is named, the value is not).
        case ruleViolated(rule: String)
        /// An upcaster found the old field representation not as its schema declared.
        case upcastFailed
        /// A sealed value could not be opened: tampered, moved, sealed for another patient or with another key,
        /// malformed, or its patient has no key in the keyring given (an erased patient is not an error: the value
        /// decodes as a placeholder).
        case sealedValueUnreadable(PatientDataError)
    }

    /// What was wrong.
    public var kind: Kind
    /// The name of the field being read (a name from the schema, never a value).
    public var field: String
    /// The byte offset from the start of the decoded buffer at which the field began or the fault was found.
    public var offset: Int

    /// Creates an error of `kind` at `field` and `offset`.
    public init(_ kind: Kind, field: String, offset: Int) {
        self.kind = kind
        self.field = field
        self.offset = offset
    }

    /// A sentence naming the fault and where it is, without any value.
    public var description: String {
        "event decoding failed: \(kind) in field '\(field)' at byte \(offset)"
    }
}
