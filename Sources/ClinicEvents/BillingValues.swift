import RecordLog

/// Who owes (or paid) an amount on a charge: the patient or one insurance level (primary, secondary, tertiary).
public enum Responsibility: Hashable, Sendable, CustomStringConvertible {
    /// The patient (or guarantor) owes it.
    case patient
    /// The insurance at `level` (1 primary, 2 secondary, 3 tertiary) owes it.
    case insurance(level: UInt8)

    /// The accepted insurance levels.
    public static let insuranceLevels: ClosedRange<UInt8> = 1...3

    /// The rule a responsibility broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The insurance level is not 1, 2 or 3.
        case insuranceLevelOutOfRange
    }

    /// Creates a responsibility from its wire code: 0 for the patient, 1 to 3 for an insurance level.
    public init(code: UInt8) throws(ValidationError) {
        if code == 0 {
            self = .patient
        } else {
            guard Self.insuranceLevels.contains(code) else { throw .insuranceLevelOutOfRange }
            self = .insurance(level: code)
        }
    }

    /// The wire code: 0 for the patient, the level for an insurance.
    public var code: UInt8 {
        switch self {
        case .patient: 0
        case .insurance(let level): level
        }
    }

    /// Whether the value is well formed (an insurance level of 1 to 3).
    public var isValid: Bool {
        switch self {
        case .patient: true
        case .insurance(let level): Self.insuranceLevels.contains(level)
        }
    }

    /// `patient` or `insurance1` to `insurance3`.
    public var description: String {
        switch self {
        case .patient: "patient"
        case .insurance(let level): "insurance\(level)"
        }
    }
}

/// Who made a payment: the patient or an insurance payer at one level.
public enum Payer: Hashable, Sendable {
    /// The patient (or guarantor) paid.
    case patient
    /// An insurance payer, by its payer id, paid as the insurance at `level`.
    case insurance(payerID: String, level: UInt8)

    /// The longest payer id accepted, in bytes.
    public static let payerIDByteCountMax = 64

    /// The responsibility a payment of this payer settles.
    public var responsibility: Responsibility {
        switch self {
        case .patient: .patient
        case .insurance(_, let level): .insurance(level: level)
        }
    }

    /// Whether the payer id is 1 to `payerIDByteCountMax` bytes and the level 1 to 3.
    public var isValid: Bool {
        switch self {
        case .patient: true
        case .insurance(let payerID, let level):
            !payerID.utf8.isEmpty && payerID.utf8.count <= Self.payerIDByteCountMax
                && Responsibility.insuranceLevels.contains(level)
        }
    }
}

/// How money moved; the wire code of each case is fixed forever.
public enum PaymentMethod: UInt8, CaseIterable, Hashable, Sendable {
    /// Cash.
    case cash = 1
    /// A debit or credit card.
    case card = 2
    /// A paper check.
    case check = 3
    /// An electronic funds transfer (an ERA/835 remittance).
    case electronicFundsTransfer = 4
    /// Any other method.
    case other = 5
}

/// A CARC-style adjustment reason: a group code (CO, PR, OA, PI, CR) and a reason code of 1 to 3 letters or digits,
/// e.g. `CO-45` (charge exceeds the contracted fee) or `PR-1` (deductible).
public struct AdjustmentReasonCode: Hashable, Sendable, CustomStringConvertible {
    /// The accepted claim adjustment group codes.
    public static let groupCodes: Set<String> = ["CO", "PR", "OA", "PI", "CR"]
    /// The longest code accepted, in bytes (`CO-123`).
    public static let byteCountMax = 6

    /// The rule a reason code broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// Not a group code, a hyphen and 1 to 3 uppercase letters or digits.
        case shape
    }

    /// The code as written, e.g. `CO-45`.
    public let code: String

    /// Creates a reason code, validating its shape.
    public init(_ code: String) throws(ValidationError) {
        var utf8 = code
        guard utf8.withUTF8({ Self.isValid(UnsafeRawBufferPointer($0)) }) else { throw .shape }
        self.code = code
    }

    /// Whether `utf8` is a group code of `groupCodes`, a hyphen and 1 to 3 uppercase ASCII letters or digits, checked
    /// byte by byte in place (decoding an adjustment checks its code; this allocates nothing).
    static func isValid(_ utf8: UnsafeRawBufferPointer) -> Bool {
        guard (4...byteCountMax).contains(utf8.count), utf8[2] == UInt8(ascii: "-") else { return false }
        for byte in utf8[3...] where !((0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)) { return false }
        return groupCodeWords.contains(UInt16(utf8[0]) << 8 | UInt16(utf8[1]))
    }

    /// The two ASCII bytes of each of `groupCodes`, as one big-endian word.
    private static let groupCodeWords: [UInt16] = groupCodes.map { code in
        code.utf8.reduce(UInt16(0)) { $0 << 8 | UInt16($1) }
    }

    /// The code.
    public var description: String { code }
}

extension BinaryEncoder {
    /// Writes a responsibility as its `varuint` code.
    mutating func writeResponsibility(_ responsibility: Responsibility) {
        writeVarUInt(UInt64(responsibility.code))
    }
}

extension BinaryDecoder {
    /// Reads a responsibility code, refusing an unknown one.
    mutating func readResponsibility(field: String) throws -> Responsibility {
        let offset = self.offset
        guard let code = UInt8(exactly: try readVarUInt(field: field)), let value = try? Responsibility(code: code)
        else { throw EventDecodingError(.unknownEnumerationCode, field: field, offset: offset) }
        return value
    }

    /// Reads a payment method code, refusing an unknown one.
    mutating func readPaymentMethod(field: String) throws -> PaymentMethod {
        let offset = self.offset
        guard let code = UInt8(exactly: try readVarUInt(field: field)), let method = PaymentMethod(rawValue: code)
        else { throw EventDecodingError(.unknownEnumerationCode, field: field, offset: offset) }
        return method
    }

    /// Reads a `varint` amount of cents within the `MoneyCents` limits.
    mutating func readMoney(field: String) throws -> MoneyCents {
        let offset = self.offset
        let cents = try readVarInt(field: field)
        return try validated(field: field, offset: offset) { try MoneyCents(cents: cents) }
    }
}
