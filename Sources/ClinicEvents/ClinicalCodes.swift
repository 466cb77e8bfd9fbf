/// ASCII byte classes shared by the code validators.
extension UInt8 {
    fileprivate var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    fileprivate var isASCIIUppercaseLetter: Bool { self >= 0x41 && self <= 0x5A }
    fileprivate var isASCIIUppercaseAlphanumeric: Bool { isASCIIDigit || isASCIIUppercaseLetter }
}

/// A billed procedure: a CPT (`\d{5}`) or HCPCS Level II (`[A-Z]\d{4}`) code with up to four modifiers.
public struct ProcedureCode: Hashable, Sendable, CustomStringConvertible {
    /// The most modifiers a charge line may carry (as on the CMS-1500 claim form).
    public static let modifierCountMax = 4

    /// The rule a procedure code broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The code is neither five digits (CPT) nor an uppercase letter and four digits (HCPCS).
        case codeShape
        /// A modifier is not exactly two uppercase letters or digits.
        case modifierShape
        /// More than `modifierCountMax` modifiers.
        case tooManyModifiers
        /// The same modifier appears twice.
        case duplicateModifier
    }

    /// The five-character procedure code.
    public let code: String
    /// The modifiers, in billing order.
    public let modifiers: [String]

    /// Creates a procedure code, validating the code and each modifier.
    public init(code: String, modifiers: [String] = []) throws(ValidationError) {
        // The checks read the UTF-8 in place (a short string's from the stack): validating allocates nothing.
        var codeText = code
        let codeIsValid = codeText.withUTF8 { bytes in
            bytes.count == 5 && (bytes[0].isASCIIDigit || bytes[0].isASCIIUppercaseLetter)
                && bytes[1].isASCIIDigit && bytes[2].isASCIIDigit && bytes[3].isASCIIDigit && bytes[4].isASCIIDigit
        }
        guard codeIsValid else { throw .codeShape }
        guard modifiers.count <= Self.modifierCountMax else { throw .tooManyModifiers }
        for modifier in modifiers {
            var modifierText = modifier
            let modifierIsValid = modifierText.withUTF8 { bytes in
                bytes.count == 2 && bytes[0].isASCIIUppercaseAlphanumeric && bytes[1].isASCIIUppercaseAlphanumeric
            }
            guard modifierIsValid else { throw .modifierShape }
        }
        // At most four two-character modifiers: compared pairwise.
        for index in modifiers.indices.dropFirst() where modifiers[..<index].contains(modifiers[index]) {
            throw .duplicateModifier
        }
        self.code = code
        self.modifiers = modifiers
    }

    /// Whether the code is a HCPCS Level II code (a letter and four digits) rather than CPT.
    public var isHCPCS: Bool { code.utf8.first.map(\.isASCIIUppercaseLetter) ?? false }

    /// The code followed by its modifiers, dash-separated, e.g. `99213-25`.
    public var description: String { ([code] + modifiers).joined(separator: "-") }
}

/// A diagnosis in ICD-10-CM: `[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?`, e.g. `E11.9` or `J45`.
public struct DiagnosisCode: Hashable, Sendable, CustomStringConvertible {
    /// The rule a diagnosis code broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The code does not match the ICD-10-CM pattern.
        case codeShape
    }

    /// The code as written, with its dot.
    public let code: String

    /// Creates a diagnosis code, validating its shape.
    public init(_ code: String) throws(ValidationError) {
        // The check reads the UTF-8 in place (a short string's from the stack): validating allocates nothing.
        var text = code
        let isValid = text.withUTF8 { bytes in
            guard bytes.count >= 3, bytes.count != 4, bytes.count <= 8, bytes[0].isASCIIUppercaseLetter,
                bytes[1].isASCIIDigit, bytes[2].isASCIIUppercaseAlphanumeric
            else { return false }
            return bytes.count == 3
                || (bytes[3] == UInt8(ascii: ".") && bytes[4...].allSatisfy(\.isASCIIUppercaseAlphanumeric))
        }
        guard isValid else { throw .codeShape }
        self.code = code
    }

    /// The code as written.
    public var description: String { code }
}

/// A LOINC code: one to seven digits, a dash, and the mod-10 check digit, e.g. `8302-2`.
public struct LOINCCode: Hashable, Sendable, CustomStringConvertible {
    /// The rule a LOINC code broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// Not one to seven digits, a dash and one digit.
        case codeShape
        /// The check digit does not match the mod-10 check digit of the digits before the dash.
        case checkDigit
    }

    /// The code as written, with its dash.
    public let code: String

    /// Creates a LOINC code, validating its shape and check digit.
    public init(_ code: String) throws(ValidationError) {
        let bytes = Array(code.utf8)
        guard bytes.count >= 3, bytes.count <= 9, bytes[bytes.count - 2] == UInt8(ascii: "-"),
            bytes[bytes.count - 1].isASCIIDigit, bytes[..<(bytes.count - 2)].allSatisfy(\.isASCIIDigit)
        else { throw .codeShape }
        let digits = bytes[..<(bytes.count - 2)].map { Int($0 - 0x30) }
        guard Self.checkDigit(of: digits) == Int(bytes[bytes.count - 1] - 0x30) else { throw .checkDigit }
        self.code = code
    }

    /// The LOINC mod-10 check digit of `digits`: from the right, every other digit starting with the last is doubled,
    /// the digits of all the results are summed, and the check digit brings the sum to a multiple of ten.
    public static func checkDigit(of digits: [Int]) -> Int {
        var sum = 0
        for (indexFromRight, digit) in digits.reversed().enumerated() {
            if indexFromRight % 2 == 0 {
                let doubled = digit * 2
                sum += doubled / 10 + doubled % 10
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10
    }

    /// The code as written.
    public var description: String { code }
}
