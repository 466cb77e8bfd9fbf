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
    ///
    /// Checked eight bytes at a time (`areAllowed(_:)`): the last word is loaded overlapping the ones before, and an
    /// id of four to seven bytes as two overlapping four-byte halves of one word; only an id below four bytes byte by
    /// byte.
    @inline(__always)
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard count > 0, count <= byteCountMax else { return false }
        if count >= 8 {
            var index = 0
            while index + 8 < count {
                guard areAllowed(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) else { return false }
                index += 8
            }
            return areAllowed(bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        if count >= 4 {
            let low = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return areAllowed(low | high << 32)
        }
        for byte in bytes where !isAllowedByMask(byte) { return false }
        return true
    }

    /// Whether each of the eight bytes of `word` is allowed (`isAllowed(_:)`), all at once.
    ///
    /// For a byte `x` below 0x80, `x + (0x80 - bound)` has its top bit set exactly when `x >= bound`, and no byte
    /// carries into the next (the sum stays below 0x100), so one addition compares all eight bytes with a bound.
    @inline(__always)
    private static func areAllowed(_ word: UInt64) -> Bool {
        let topBits: UInt64 = 0x8080_8080_8080_8080
        guard word & topBits == 0 else { return false }
        func atLeast(_ bound: UInt8) -> UInt64 { (word &+ 0x0101_0101_0101_0101 &* UInt64(0x80 - bound)) & topBits }
        // Letters are compared with bit 5 set, which makes uppercase lowercase and no other byte a lowercase letter.
        let lowered = word | 0x2020_2020_2020_2020
        let letters =
            ((lowered &+ 0x0101_0101_0101_0101 &* 0x1F) & ~(lowered &+ 0x0101_0101_0101_0101 &* 0x05)) & topBits
        let digits = atLeast(0x30) & ~atLeast(0x3A)
        let dashOrDot = atLeast(0x2D) & ~atLeast(0x2F)
        let underscore = atLeast(0x5F) & ~atLeast(0x60)
        return (letters | digits | dashOrDot | underscore) == topBits
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
