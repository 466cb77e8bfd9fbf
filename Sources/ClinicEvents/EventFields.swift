import RecordLog

/// The wire shape of one field in a schema layout, enough to read and write a body without its Swift type.
public indirect enum FieldKind: Hashable, Sendable {
    /// An unsigned LEB128 varint.
    case varUInt
    /// A zigzag signed varint.
    case varInt
    /// One byte, 0 or 1.
    case bool
    /// A length-prefixed UTF-8 string of at most `byteCountMax` bytes.
    case string(byteCountMax: Int)
    /// Sixteen bytes of an event id (or any other 128-bit opaque id), big-endian.
    case eventID
    /// A presence byte and, when 1, a value of the wrapped kind.
    case optional(FieldKind)
    /// A varint count of at most `countMax` and that many elements of the element kind.
    case array(FieldKind, countMax: Int)
    /// The fields of a nested record, in order, with no prefix of their own.
    case record([FieldSpec])
    /// Patient data: a tag byte, then the wrapped value in clear (`0x00`) or sealed with the patient's data key
    /// (`0x01`, a varint length and a `SealedPatientData` whose plaintext is the wrapped value's encoding). Allowed
    /// only as a top-level field of a body layout; see `docs/events.md`.
    case sealed(FieldKind)

    /// The most bytes a value of this kind can take on the wire.
    public var encodedByteCountMax: Int {
        switch self {
        case .varUInt, .varInt: return 10
        case .bool: return 1
        case .string(let byteCountMax): return Self.stringEncodedByteCountMax(byteCountMax: byteCountMax)
        case .eventID: return 16
        case .optional(let wrapped): return 1 + wrapped.encodedByteCountMax
        case .array(let element, let countMax):
            return Self.varUIntByteCount(countMax) + countMax * element.encodedByteCountMax
        case .record(let layout): return layout.reduce(0) { $0 + $1.kind.encodedByteCountMax }
        case .sealed(let wrapped):
            let sealedMax = wrapped.sealedByteCountMax
            return 1 + Self.varUIntByteCount(sealedMax) + sealedMax
        }
    }

    /// The most bytes a sealed value of this kind can take: the sealing overhead plus this kind's largest encoding.
    public var sealedByteCountMax: Int {
        SealedPatientData.overheadByteCount + encodedByteCountMax
    }

    /// Whether this kind is, or holds anywhere inside it, a sealed kind.
    public var containsSealed: Bool {
        switch self {
        case .varUInt, .varInt, .bool, .string, .eventID: false
        case .optional(let wrapped): wrapped.containsSealed
        case .array(let element, _): element.containsSealed
        case .record(let layout): layout.contains { $0.kind.containsSealed }
        case .sealed: true
        }
    }

    /// The most bytes a `string(byteCountMax)` can take on the wire: its length's varint and its bytes (the
    /// `encodedByteCountMax` of `.string(byteCountMax:)`, without making the kind, whose payload is boxed).
    static func stringEncodedByteCountMax(byteCountMax: Int) -> Int {
        varUIntByteCount(byteCountMax) + byteCountMax
    }

    /// The number of bytes of the shortest LEB128 encoding of `value`.
    static func varUIntByteCount(_ value: Int) -> Int {
        var count = 1
        var remaining = UInt64(value)
        while remaining >= 0x80 {
            remaining >>= 7
            count += 1
        }
        return count
    }
}

/// A named field in a schema layout.
public struct FieldSpec: Hashable, Sendable {
    /// The field's name, as `docs/events.md` gives it.
    public let name: String
    /// The field's wire shape.
    public let kind: FieldKind

    /// Creates a field spec.
    public init(_ name: String, _ kind: FieldKind) {
        self.name = name
        self.kind = kind
    }
}

/// A decoded field value, untyped beyond its wire shape: what upcasters work on.
public indirect enum FieldValue: Hashable, Sendable {
    /// The value of a `varUInt` field.
    case unsigned(UInt64)
    /// The value of a `varInt` field.
    case signed(Int64)
    /// The value of a `bool` field.
    case bool(Bool)
    /// The value of a `string` field.
    case string(String)
    /// The value of an `eventID` field.
    case eventID(EventID)
    /// The value of an `optional` field: nil when absent.
    case optional(FieldValue?)
    /// The elements of an `array` field.
    case array([FieldValue])
    /// The fields of a `record` field.
    case record(EventFields)
    /// The value of a `sealed` field: in clear, or the sealed bytes as written (never opened by upcasting).
    case sealed(SealedFieldValue)
}

/// The value of a `sealed` field as upcasters see it.
///
/// Upcasting never opens sealed bytes: they pass through unchanged, which is why a sealed field keeps its name (bound
/// into its ciphertext) and its wrapped kind in every later version.
public enum SealedFieldValue: Hashable, Sendable {
    /// The value in clear (tag `0x00`): written unsealed, or upcast from a version that held the field in clear.
    case clear(FieldValue)
    /// The bytes of a `SealedPatientData` (tag `0x01`), exactly as written.
    case sealedBytes([UInt8])
}

/// The fields of one event body (or nested record) by name, in layout order: the representation upcasters transform.
public struct EventFields: Hashable, Sendable {
    /// One named value.
    public struct Field: Hashable, Sendable {
        /// The field's name.
        public var name: String
        /// The field's value.
        public var value: FieldValue
    }

    /// The fields, in order.
    public private(set) var fields: [Field]

    /// Creates fields from name-value pairs, in order.
    public init(_ pairs: [(String, FieldValue)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The value of the field called `name`; setting nil removes it, setting a new name appends it.
    public subscript(name: String) -> FieldValue? {
        get { fields.first(where: { $0.name == name })?.value }
        set {
            let index = fields.firstIndex(where: { $0.name == name })
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append(Field(name: name, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Reads the fields of `layout` in order.
    public static func decode(layout: [FieldSpec], from decoder: inout BinaryDecoder) throws -> EventFields {
        var result = EventFields()
        result.fields.reserveCapacity(layout.count)
        for spec in layout {
            result.fields.append(Field(name: spec.name, value: try decodeValue(spec.kind, field: spec.name, &decoder)))
        }
        return result
    }

    private static func decodeValue(
        _ kind: FieldKind, field: String, _ decoder: inout BinaryDecoder
    ) throws -> FieldValue {
        switch kind {
        case .varUInt: return .unsigned(try decoder.readVarUInt(field: field))
        case .varInt: return .signed(try decoder.readVarInt(field: field))
        case .bool: return .bool(try decoder.readBool(field: field))
        case .string(let byteCountMax): return .string(try decoder.readString(field: field, byteCountMax: byteCountMax))
        case .eventID: return .eventID(try decoder.readEventID(field: field))
        case .optional(let wrapped):
            return .optional(try decoder.readOptional(field: field) { try decodeValue(wrapped, field: field, &$0) })
        case .array(let element, let countMax):
            return .array(
                try decoder.readArray(field: field, countMax: countMax) {
                    try decodeValue(element, field: field, &$0)
                })
        case .record(let layout):
            return .record(try decode(layout: layout, from: &decoder))
        case .sealed(let wrapped):
            let start = decoder.offset
            switch try decoder.readUInt8(field: field) {
            case BinaryEncoder.sealedClearTag: return .sealed(.clear(try decodeValue(wrapped, field: field, &decoder)))
            case BinaryEncoder.sealedValueTag:
                let bytes = try decoder.readSealedBytes(field: field, sealedByteCountMax: wrapped.sealedByteCountMax)
                return .sealed(.sealedBytes(Array(bytes)))
            default: throw EventDecodingError(.invalidFlagByte, field: field, offset: start)
            }
        }
    }

    /// Writes the fields in the order of `layout`, refusing a missing field or a value of the wrong shape.
    ///
    /// The refusal is an `EventDecodingError` of kind `upcastFailed` at offset 0, naming the field: it means an
    /// upcaster produced fields that do not match the layout it upcast to.
    public func encode(layout: [FieldSpec], into encoder: inout BinaryEncoder) throws {
        for spec in layout {
            guard let value = self[spec.name] else {
                throw EventDecodingError(.upcastFailed, field: spec.name, offset: 0)
            }
            try Self.encodeValue(value, kind: spec.kind, field: spec.name, into: &encoder)
        }
    }

    private static func encodeValue(
        _ value: FieldValue, kind: FieldKind, field: String, into encoder: inout BinaryEncoder
    ) throws {
        switch (kind, value) {
        case (.varUInt, .unsigned(let number)): encoder.writeVarUInt(number)
        case (.varInt, .signed(let number)): encoder.writeVarInt(number)
        case (.bool, .bool(let flag)): encoder.writeBool(flag)
        case (.string(let byteCountMax), .string(let text)) where text.utf8.count <= byteCountMax:
            encoder.writeString(text)
        case (.eventID, .eventID(let id)): encoder.writeEventID(id)
        case (.optional, .optional(nil)): encoder.writeUInt8(0)
        case (.optional(let wrapped), .optional(let inner?)):
            encoder.writeUInt8(1)
            try encodeValue(inner, kind: wrapped, field: field, into: &encoder)
        case (.array(let element, let countMax), .array(let elements)) where elements.count <= countMax:
            encoder.writeVarUInt(UInt64(elements.count))
            for item in elements { try encodeValue(item, kind: element, field: field, into: &encoder) }
        case (.record(let layout), .record(let nested)):
            try nested.encode(layout: layout, into: &encoder)
        case (.sealed(let wrapped), .sealed(.clear(let inner))):
            encoder.writeUInt8(BinaryEncoder.sealedClearTag)
            try encodeValue(inner, kind: wrapped, field: field, into: &encoder)
        case (.sealed(let wrapped), .sealed(.sealedBytes(let bytes)))
        where bytes.count >= SealedPatientData.overheadByteCount && bytes.count <= wrapped.sealedByteCountMax:
            encoder.writeUInt8(BinaryEncoder.sealedValueTag)
            encoder.writeBytes(bytes)
        default:
            throw EventDecodingError(.upcastFailed, field: field, offset: 0)
        }
    }
}

extension EventFields {
    /// For an upcaster: wraps the field `name` in a `sealed` value held in clear (the new version seals it in place).
    ///
    /// Throws `upcastFailed` naming the field when it is missing.
    public mutating func sealInClear(_ name: String) throws {
        guard let value = self[name] else { throw EventDecodingError(.upcastFailed, field: name, offset: 0) }
        self[name] = .sealed(.clear(value))
    }

    /// For an upcaster: moves the fields `names`, in order, into one record held in clear in a new `sealed` field
    /// `recordName` (the new version seals them together).
    ///
    /// Throws `upcastFailed` naming the first missing field.
    public mutating func sealInClear(_ names: [String], asRecord recordName: String) throws {
        var record = EventFields()
        for name in names {
            guard let value = self[name] else { throw EventDecodingError(.upcastFailed, field: name, offset: 0) }
            record[name] = value
            self[name] = nil
        }
        self[recordName] = .sealed(.clear(.record(record)))
    }
}
