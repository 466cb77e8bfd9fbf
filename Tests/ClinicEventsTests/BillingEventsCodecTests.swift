import ClinicEvents
import RecordLog
import XCTest

final class BillingEventsCodecTests: XCTestCase {
    func testEveryBillingEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xB111) { try $0.billingEvent() }
        XCTAssertEqual(seenTypes.count, 8)
    }

    func testFieldRulesAreChecked() throws {
        let id = EventID(high: 1, low: 2)
        XCTAssertThrowsError(
            try PaymentPosted(
                paymentID: id, patientID: id, payer: .patient, method: .cash, reference: "", amount: .zero,
                postingDateDaysSince1970: 0))
        XCTAssertThrowsError(
            try PaymentPosted(
                paymentID: id, patientID: id, payer: .insurance(payerID: "X", level: 4), method: .cash, reference: "",
                amount: try MoneyCents(cents: 1), postingDateDaysSince1970: 0))
        XCTAssertThrowsError(
            try ResponsibilityTransferred(
                chargeID: id, from: .patient, to: .patient, amount: try MoneyCents(cents: 1),
                postingDateDaysSince1970: 0))
        XCTAssertThrowsError(try ChargeVoided(originalID: id, patientID: id, reason: "", postingDateDaysSince1970: 0))
        for bad in [
            "CO45", "XX-45", "CO-", "CO-1234", "co-45", "", "C-45", "COO-45", "CO--4", "CO-4a", "CO-4-", "CO_45",
            "-CO45", "CÖ-45", "CO-45\u{301}", "CO-é", "\u{212A}O-1", "CO-4 ", " CO-4",
        ] {
            XCTAssertThrowsError(try AdjustmentReasonCode(bad), bad)
        }
        XCTAssertEqual(try AdjustmentReasonCode("PR-1").code, "PR-1")
        for group in AdjustmentReasonCode.groupCodes {
            for reason in ["1", "45", "253", "A", "Z9", "0A9"] {
                XCTAssertEqual(try AdjustmentReasonCode("\(group)-\(reason)").code, "\(group)-\(reason)")
            }
        }
    }

    /// Reason codes of 3 to 7 bytes with every ASCII byte, and some non-ASCII characters, at every position are
    /// accepted exactly when they are a group code, a hyphen and 1 to 3 uppercase letters or digits.
    func testAdjustmentReasonCodesAreCheckedAtEveryPosition() {
        func followsTheRule(_ code: String) -> Bool {
            let characters = Array(code)
            guard (4...6).contains(code.utf8.count), characters.count == code.utf8.count, characters[2] == "-" else {
                return false
            }
            return AdjustmentReasonCode.groupCodes.contains(String(characters[0..<2]))
                && characters[3...].allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }
        }
        var checked = 0
        for base in ["CO-", "PR-1", "OA-45", "CR-0A9", "PI-ZZZ9"] {
            let baseCharacters = Array(base)
            for position in baseCharacters.indices {
                let replacements = (0...0x7F).map { Character(Unicode.Scalar(UInt8($0))) } + ["é", "Ö", "\u{212A}"]
                for replacement in replacements {
                    var characters = baseCharacters
                    characters[position] = replacement
                    let code = String(characters)
                    XCTAssertEqual((try? AdjustmentReasonCode(code)) != nil, followsTheRule(code), code)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 3_000)
    }

    func testAnUnknownResponsibilityCodeIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeEventID(EventID(high: 1, low: 2))
        encoder.writeVarUInt(4)
        XCTAssertThrowsError(
            try BinaryDecoder.decode(encoder.bytes) { try ResponsibilityTransferred.decode(from: &$0) }
        ) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }
}
