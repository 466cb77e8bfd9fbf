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
