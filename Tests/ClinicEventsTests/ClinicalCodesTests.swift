import RecordLog
import XCTest

@testable import ClinicEvents

final class ClinicalCodesTests: XCTestCase {
    func testProcedureCodes() throws {
        for code in ["99213", "00100", "J1100", "G0008", "A0428"] { XCTAssertNoThrow(try ProcedureCode(code: code)) }
        for code in ["9921", "992134", "j1100", "JJ100", "9921A", "", "99 13", "٩٩٢١٣"] {
            XCTAssertThrowsError(try ProcedureCode(code: code)) {
                XCTAssertEqual($0 as? ProcedureCode.ValidationError, .codeShape, code)
            }
        }
        let code = try ProcedureCode(code: "99214", modifiers: ["25", "GT", "59", "RT"])
        XCTAssertEqual(code.description, "99214-25-GT-59-RT")
        XCTAssertFalse(code.isHCPCS)
        XCTAssertTrue(try ProcedureCode(code: "J1100").isHCPCS)
        XCTAssertThrowsError(try ProcedureCode(code: "99214", modifiers: ["25", "GT", "59", "RT", "LT"])) {
            XCTAssertEqual($0 as? ProcedureCode.ValidationError, .tooManyModifiers)
        }
        for modifier in ["2", "255", "gt", "G-", ""] {
            XCTAssertThrowsError(try ProcedureCode(code: "99214", modifiers: [modifier])) {
                XCTAssertEqual($0 as? ProcedureCode.ValidationError, .modifierShape, modifier)
            }
        }
        XCTAssertThrowsError(try ProcedureCode(code: "99214", modifiers: ["25", "25"])) {
            XCTAssertEqual($0 as? ProcedureCode.ValidationError, .duplicateModifier)
        }
    }

    /// Modifiers are compared pairwise: the same modifier twice is refused wherever the two stand, distinct ones never.
    func testADuplicateModifierIsRefusedAtEveryPosition() throws {
        let distinct = ["25", "GT", "59", "RT"]
        XCTAssertEqual(try ProcedureCode(code: "99214", modifiers: distinct).modifiers, distinct)
        for first in 0..<4 {
            for second in (first + 1)..<4 {
                var modifiers = distinct
                modifiers[second] = modifiers[first]
                XCTAssertThrowsError(try ProcedureCode(code: "99214", modifiers: modifiers)) {
                    XCTAssertEqual($0 as? ProcedureCode.ValidationError, .duplicateModifier, "\(modifiers)")
                }
            }
        }
        // A shape fault of a later modifier is found before a duplicate of an earlier one.
        XCTAssertThrowsError(try ProcedureCode(code: "99214", modifiers: ["25", "25", "g"])) {
            XCTAssertEqual($0 as? ProcedureCode.ValidationError, .modifierShape)
        }
    }

    /// Diagnosis pointers are compared pairwise: the same pointer twice is refused wherever the two stand.
    func testADuplicateDiagnosisPointerIsRefusedAtEveryPosition() throws {
        let diagnoses = try ["E11.9", "I10", "J45", "Z00.00"].map { try DiagnosisCode($0) }
        func charge(_ pointers: [UInt8]) throws -> ChargePosted {
            try ChargePosted(
                chargeID: EventID(high: 1, low: 1), patientID: EventID(high: 1, low: 2),
                encounterID: EventID(high: 1, low: 3), procedure: ProcedureCode(code: "99213"), units: 1,
                diagnoses: diagnoses, diagnosisPointers: pointers, amount: MoneyCents(cents: 100),
                postingDateDaysSince1970: nil)
        }
        XCTAssertEqual(try charge([4, 3, 2, 1]).diagnosisPointers, [4, 3, 2, 1])
        for first in 0..<4 {
            for second in (first + 1)..<4 {
                var pointers: [UInt8] = [1, 2, 3, 4]
                pointers[second] = pointers[first]
                XCTAssertThrowsError(try charge(pointers)) {
                    XCTAssertEqual($0 as? ChargePosted.ValidationError, .duplicateDiagnosisPointer, "\(pointers)")
                }
            }
        }
    }

    /// The staff id check of raw bytes (two bit masks) allows exactly the characters `StaffID.init` allows.
    func testStaffIDBytesAreCheckedAsTheInitializerChecks() throws {
        for byte in UInt8.min...UInt8.max {
            let bytes: [UInt8] = [0x61, byte, 0x62]
            let isValid = bytes.withUnsafeBytes { StaffID.isValid($0) }
            let initializerAccepts = String(validating: bytes, as: UTF8.self).map { (try? StaffID($0)) != nil } ?? false
            XCTAssertEqual(isValid, initializerAccepts, "byte \(byte)")
        }
        for count in [0, 1, 64, 65] {
            let bytes = [UInt8](repeating: 0x7A, count: count)
            XCTAssertEqual(bytes.withUnsafeBytes { StaffID.isValid($0) }, count >= 1 && count <= 64, "\(count)")
        }
    }

    /// The word-at-a-time staff id check agrees with the initializer for every byte value at every position of ids of
    /// every length its words split differently (1 to 20 bytes, around 32 and up to 64), among allowed bytes of every
    /// kind.
    func testStaffIDBytesAreCheckedAtEveryPositionOfEveryLength() {
        let allowed = Array("aZ09._-zA9y".utf8)
        for count in Array(1...20) + [31, 32, 33, 63, 64] {
            let base = (0..<count).map { allowed[$0 % allowed.count] }
            XCTAssertTrue(base.withUnsafeBytes { StaffID.isValid($0) }, "length \(count)")
            for position in 0..<count {
                for byte in UInt8.min...UInt8.max {
                    var bytes = base
                    bytes[position] = byte
                    let isValid = bytes.withUnsafeBytes { StaffID.isValid($0) }
                    let initializerAccepts =
                        String(validating: bytes, as: UTF8.self).map { (try? StaffID($0)) != nil } ?? false
                    XCTAssertEqual(isValid, initializerAccepts, "length \(count), position \(position), byte \(byte)")
                }
            }
        }
    }

    /// Up to seven bytes are packed with each byte at its place and the count in the top byte, read as overlapping
    /// words; more are not packed.
    func testVitalSignCodesArePackedByteByByte() {
        var state: UInt64 = 0x5EED
        for count in 0...9 {
            for _ in 0..<64 {
                let bytes: [UInt8] = (0..<count).map { _ in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return UInt8(truncatingIfNeeded: state >> 56)
                }
                var expected: UInt64? = count <= 7 ? UInt64(count) << 56 : nil
                for (index, byte) in bytes.enumerated() where count <= 7 {
                    expected? |= UInt64(byte) << UInt64(index * 8)
                }
                XCTAssertEqual(bytes.withUnsafeBytes { VitalSignKind.packed($0) }, expected, "\(bytes)")
            }
        }
    }

    /// A vital sign kind found by the bytes of its code and unit is the one found by the strings, and a pair not in
    /// the table (swapped units, longer codes, a code alone) is found by neither.
    func testVitalSignKindsFoundByBytesMatchTheStrings() {
        var pairs = VitalSignKind.allCases.map { ($0.loincCode, $0.ucumUnit) }
        pairs += [
            ("8867-4", "kg"), ("29463-7", "/min"), ("29463-77", "kg"), ("8867-4", ""), ("", ""), ("mm[Hg]", "8480-6"),
        ]
        pairs += [
            ("8480-6 ", "mm[Hg]"), ("8480-6", "mm[Hg]x"), ("123456789", "mm[Hg]"), ("8480-6", "0123456789abcdef"),
        ]
        for (code, unit) in pairs {
            let byBytes = Array(code.utf8).withUnsafeBytes { code in
                Array(unit.utf8).withUnsafeBytes { unit in VitalSignKind(loincCodeBytes: code, ucumUnitBytes: unit) }
            }
            XCTAssertEqual(byBytes, VitalSignKind(loincCode: code, ucumUnit: unit), "\(code) \(unit)")
        }
    }

    func testDiagnosisCodes() {
        for code in ["E11.9", "I10", "J45.909", "Z00.00", "S72.001A", "U07.1", "C4A.0", "M1A.0710"] {
            XCTAssertNoThrow(try DiagnosisCode(code), code)
        }
        for code in ["E11.", "E119", "e11.9", "1E1.9", "EA1.9", "E11.12345", "E11-9", "I1", "", "E11.9a", "E11..9"] {
            XCTAssertThrowsError(try DiagnosisCode(code), code) {
                XCTAssertEqual($0 as? DiagnosisCode.ValidationError, .codeShape)
            }
        }
    }

    func testLOINCCheckDigits() {
        for code in ["8302-2", "29463-7", "8867-4", "8480-6", "8462-4", "8310-5", "59408-5", "9279-1", "2345-7"] {
            XCTAssertNoThrow(try LOINCCode(code), code)
        }
        for code in ["8302-3", "29463-1", "8867-5", "8480-0", "2345-6"] {
            XCTAssertThrowsError(try LOINCCode(code), code) {
                XCTAssertEqual($0 as? LOINCCode.ValidationError, .checkDigit)
            }
        }
        for code in ["8302", "8302-", "-2", "8302-22", "83a2-2", "12345678-9", "8302 2"] {
            XCTAssertThrowsError(try LOINCCode(code), code) {
                XCTAssertEqual($0 as? LOINCCode.ValidationError, .codeShape)
            }
        }
        for kind in VitalSignKind.allCases { XCTAssertNoThrow(try LOINCCode(kind.loincCode), kind.loincCode) }
    }

    func testVitalSignsFollowTheTable() throws {
        XCTAssertEqual(try VitalSign(loincCode: "29463-7", ucumUnit: "kg", valueThousandths: 72_500).kind, .bodyWeight)
        XCTAssertNoThrow(try VitalSign(kind: .bodyWeight, valueThousandths: 200))
        XCTAssertNoThrow(try VitalSign(kind: .bodyWeight, valueThousandths: 500_000))
        XCTAssertThrowsError(try VitalSign(kind: .bodyWeight, valueThousandths: 199)) {
            XCTAssertEqual($0 as? VitalSign.ValidationError, .outsidePlausibleRange)
        }
        XCTAssertThrowsError(try VitalSign(kind: .bodyTemperature, valueThousandths: 98_600)) {
            XCTAssertEqual($0 as? VitalSign.ValidationError, .outsidePlausibleRange)
        }
        XCTAssertThrowsError(try VitalSign(loincCode: "29463-7", ucumUnit: "[lb_av]", valueThousandths: 150_000)) {
            XCTAssertEqual($0 as? VitalSign.ValidationError, .unsupportedCodeAndUnit)
        }
        XCTAssertThrowsError(try VitalSign(loincCode: "8867-4", ucumUnit: "mm[Hg]", valueThousandths: 70_000)) {
            XCTAssertEqual($0 as? VitalSign.ValidationError, .unsupportedCodeAndUnit)
        }
    }

    func testMoneyIsWholeCentsWithinLimits() throws {
        XCTAssertEqual(try MoneyCents(cents: -1205).description, "-12.05")
        XCTAssertEqual(try MoneyCents(cents: 10_000).description, "100.00")
        XCTAssertEqual(try MoneyCents(cents: 7).adding(MoneyCents(cents: 5)).cents, 12)
        XCTAssertThrowsError(try MoneyCents(cents: Int64.max)) {
            XCTAssertEqual($0 as? MoneyCents.ValidationError, .magnitudeAboveLimit)
        }
        let maximum = try MoneyCents(cents: MoneyCents.magnitudeCentsMax)
        XCTAssertThrowsError(try maximum.adding(MoneyCents(cents: 1))) {
            XCTAssertEqual($0 as? MoneyCents.ValidationError, .arithmeticOutOfRange)
        }
    }

    func testStaffIDsAndRoleCodes() {
        XCTAssertNoThrow(try StaffID("dr.smith_2-a"))
        for bad in ["", "a b", "é", String(repeating: "a", count: 65)] {
            XCTAssertThrowsError(try StaffID(bad)) { XCTAssertEqual($0 as? StaffID.ValidationError, .shape) }
        }
        XCTAssertEqual(StaffRole.allCases.map(\.rawValue), Array(1...10))
    }

    func testValidationErrorsNameTheRuleNotTheValue() {
        XCTAssertThrowsError(
            try PatientRegistered(
                patientID: .init(high: 1, low: 2), familyName: "Distinctivename", givenName: "",
                birthDateDaysSince1970: 0)
        ) { error in
            XCTAssertFalse(String(describing: error).contains("Distinctivename"))
            XCTAssertEqual(error as? PatientRegistered.ValidationError, .nameLength)
        }
    }
}
