/// The role a staff member acts in; the wire code of each case is fixed forever.
public enum StaffRole: UInt8, CaseIterable, Hashable, Sendable {
    /// A physician (MD or DO).
    case physician = 1
    /// A nurse practitioner.
    case nursePractitioner = 2
    /// A physician assistant.
    case physicianAssistant = 3
    /// A registered or licensed practical nurse.
    case nurse = 4
    /// A medical assistant.
    case medicalAssistant = 5
    /// Front-desk staff: registration, scheduling, check-in.
    case frontDesk = 6
    /// Billing staff: charges, payments, adjustments.
    case biller = 7
    /// The office manager.
    case officeManager = 8
    /// The compliance (privacy) officer.
    case complianceOfficer = 9
    /// The engine itself, for events no person issued (for example the day close at midnight).
    case system = 10
}

/// The opaque id of a staff member: 1 to 64 ASCII letters, digits, `.`, `_` or `-`.
public struct StaffID: Hashable, Sendable, CustomStringConvertible {
    /// The longest id accepted, in bytes.
    public static let byteCountMax = 64

    /// The rule a staff id broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// Empty, longer than `byteCountMax`, or holding a character outside the allowed set.
        case shape
    }

    /// The id as written.
    public let value: String

    /// Creates a staff id, validating its shape.
    public init(_ value: String) throws(ValidationError) {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= Self.byteCountMax, bytes.allSatisfy(Self.isAllowed) else { throw .shape }
        self.value = value
    }

    /// Creates a staff id of a value already found valid by `isValid(_:)`.
    init(checkedValue value: String) {
        self.value = value
    }

    /// Whether `bytes` are a valid id: 1 to `byteCountMax` bytes, each allowed.
    @inline(__always)
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty, bytes.count <= byteCountMax else { return false }
        for byte in bytes where !isAllowedByMask(byte) { return false }
        return true
    }

    /// The allowed bytes below 64 (`-`, `.`, digits), one bit each.
    private static let allowedBelow64: UInt64 = 0x03FF_6000_0000_0000
    /// The allowed bytes from 64 to 127 (letters, `_`), one bit each at the byte minus 64.
    private static let allowedFrom64: UInt64 = 0x07FF_FFFE_87FF_FFFE

    /// Whether `byte` may appear in an id, as `isAllowed(_:)` says, by a look-up in two 64-bit masks.
    @inline(__always)
    private static func isAllowedByMask(_ byte: UInt8) -> Bool {
        byte < 0x80 && ((byte < 64 ? allowedBelow64 : allowedFrom64) >> UInt64(byte & 63)) & 1 == 1
    }

    /// Whether `byte` may appear in an id: an ASCII letter or digit, `.`, `_` or `-`.
    private static func isAllowed(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// The id as written.
    public var description: String { value }
}
