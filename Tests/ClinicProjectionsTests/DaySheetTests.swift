import ClinicEvents
import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicProjections

/// The day sheet's renderings (table rows, CSV, JSON) on the ledger history of `LedgerFixture`, and the month-end
/// run over a range of days.
final class DaySheetTests: XCTestCase {
    func testRenderingsHaveTheirDocumentedShapes() throws {
        let office = try LedgerFixture().makeHistory()
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        let sheet = ledger.daySheet(daysSince1970: baseDay)

        let rows = sheet.tableRows()
        XCTAssertEqual(rows.first, DaySheet.summaryColumns)
        XCTAssertEqual(
            rows[1],
            [
                "office", "", "0.00", "230.00", "80.00", "30.00", "0.00", "0.00", "0.00", "0.00", "120.00", "120.00",
                "30.00", "30.00", "0.00", "0.00", "0.00", "0.00",
            ])
        XCTAssertEqual(rows.map { $0[0] }, ["section", "office", "provider", "provider", "staff", "staff"])
        XCTAssertEqual(rows[2][1], "(none)")
        XCTAssertEqual(rows[3][1], "dr-a")

        let csv = sheet.csv()
        XCTAssertTrue(csv.hasPrefix(DaySheet.summaryColumns.joined(separator: ",") + "\n"))
        XCTAssertTrue(
            csv.contains(
                "\noffice,,0.00,230.00,80.00,30.00,0.00,0.00,0.00,0.00,120.00,120.00,30.00,30.00,0.00,0.00,0.00,0.00\n")
        )
        XCTAssertEqual(csv.split(separator: "\n").count, rows.count)

        let postings = sheet.postingRows()
        XCTAssertEqual(postings.first, DaySheet.postingColumns)
        XCTAssertEqual(postings.count, 7)
        XCTAssertEqual(postings[1][2...4], ["charge", "150.00", ""])
        XCTAssertEqual(postings[3][4...5], ["cash", "patient"])
        XCTAssertEqual(postings[1][9...11], ["2025-12-01", "2025-12-01", "no"])

        let json = sheet.json()
        XCTAssertTrue(
            json.hasPrefix(
                "{\"date\":\"2025-12-01\",\"daysSince1970\":20423,\"closed\":true,\"matchesClosedTotals\":true,\"reconciles\":true,\"openingBalanceCents\":0,\"closingBalanceCents\":12000,\"office\":{\"chargesCents\":23000,\"chargeVoidsCents\":8000,"
            ))
        XCTAssertTrue(
            json.contains(
                "\"closedTotals\":{\"chargesCents\":23000,\"paymentsCents\":3000,\"adjustmentsCents\":0,\"refundsCents\":0,\"chargeVoidsCents\":8000,\"paymentVoidsCents\":0}"
            ))
        XCTAssertTrue(
            json.contains("\"paymentsByMethodCents\":{\"cash\":3000,\"card\":0,\"check\":0,\"eft\":0,\"other\":0}"))
        XCTAssertTrue(json.contains("{\"provider\":\"dr-a\",\"openingBalanceCents\":0,\"closingBalanceCents\":15000,"))

        let next = ledger.daySheet(daysSince1970: baseDay + 1)
        XCTAssertTrue(next.json().contains("\"late\":\"yes\""))
        XCTAssertTrue(next.postingsCSV().contains(",2025-12-01,2025-12-02,yes\n"))
    }

    /// A day whose total cannot be recorded is refused for the rule it breaks: a negative total (more voided than
    /// posted) or one above the largest amount an event records (which was reported as a negative total).
    func testClosingTotalsNameTheRuleTheyBreak() throws {
        var figures = DayFigures()
        figures.chargesCents = 12_000
        figures.paymentsByMethodCents[0] = 2_000
        figures.patientPaymentsCents = 2_000
        let totals = try figures.dayTotals()
        XCTAssertEqual(totals.charges.cents, 12_000)
        XCTAssertEqual(totals.payments.cents, 2_000)

        figures.chargesCents = MoneyCents.magnitudeCentsMax + 1
        XCTAssertThrowsError(try figures.dayTotals()) { error in
            XCTAssertEqual(error as? DayCloseError, .totalAboveLimit)
        }
        figures.chargesCents = 12_000
        figures.refundsCents = -1
        XCTAssertThrowsError(try figures.dayTotals()) { error in
            XCTAssertEqual(error as? DayCloseError, .negativeTotal)
        }
        XCTAssertTrue(DayCloseError.totalAboveLimit.description.contains("correct the day's postings"))
    }

    func testMonthEndRunChainsOpeningBalancesAndReportsProgress() throws {
        let office = try LedgerFixture().makeHistory()
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        var progress: [Int] = []
        let sheets = ledger.daySheets(fromDay: baseDay - 1, throughDay: baseDay + 3) { done, total in
            XCTAssertEqual(total, 5)
            progress.append(done)
        }
        XCTAssertEqual(progress, [1, 2, 3, 4, 5])
        XCTAssertEqual(sheets.map { $0.openingBalanceCents }, [0, 0, 12_000, 4_000, 4_000])
        XCTAssertEqual(sheets.map { $0.closingBalanceCents }, [0, 12_000, 4_000, 4_000, 4_000])
        XCTAssertEqual(sheets, (baseDay - 1...baseDay + 3).map { ledger.daySheet(daysSince1970: $0) })
        XCTAssertTrue(sheets.allSatisfy { $0.reconciles })
    }
}
