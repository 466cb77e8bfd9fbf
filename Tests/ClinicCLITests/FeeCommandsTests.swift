import Foundation
import XCTest

/// End-to-end: the fee schedule (`clinic fee set|withdraw|list`) and charges posted from it (`clinic charge` without
/// `--amount`), through the built `clinic` binary.
final class FeeCommandsTests: XCTestCase {
    private func json(_ result: CLIHarness.Result) throws -> [String: Any] {
        try XCTUnwrap(try result.json() as? [String: Any], result.stdout)
    }

    private func listed(_ cli: CLIHarness, asOf day: String) throws -> [[String: Any]] {
        let list = try cli.ok(["fee", "list", "--as-of", day, "--json", "--as", "bl-1"])
        let object = try json(list)
        if day.contains("-") { XCTAssertEqual(object["asOf"] as? String, day) }
        return try XCTUnwrap(object["fees"] as? [[String: Any]], list.stdout)
    }

    /// `fee list --history`: every fee set or withdrawn, by code, modifiers and effective day, withdrawals as such;
    /// a fee set twice for the same day keeps the later.
    func testTheScheduleHistoryListsEveryEntry() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        XCTAssertEqual(
            try cli.ok(["fee", "list", "--history", "--as", "bl-1"]).stdout,
            "No fee was ever set; set one with clinic fee set.\n")
        for arguments in [
            ["fee", "set", "99213", "--amount", "125", "--from", "2026-01-01", "--description", "Office visit"],
            ["fee", "set", "99213", "--amount", "130", "--from", "2026-07-01"],
            ["fee", "set", "99213", "--amount", "131", "--from", "2026-07-01"],
            ["fee", "set", "99213", "--modifier", "25", "--amount", "140", "--from", "2026-01-01"],
            ["fee", "withdraw", "99213", "--modifier", "25", "--from", "2026-02-01"],
            ["fee", "set", "90658", "--amount", "20", "--from", "2026-03-01"],
        ] {
            try cli.ok(arguments + ["--as", "bl-1"])
        }
        let list = try cli.ok(["fee", "list", "--history", "--json", "--as", "bl-1"])
        let history = try XCTUnwrap(try json(list)["history"] as? [[String: Any]], list.stdout)
        XCTAssertEqual(history.map { $0["code"] as? String }, ["90658", "99213", "99213", "99213", "99213"])
        XCTAssertEqual(
            history.map { $0["effectiveFrom"] as? String },
            ["2026-03-01", "2026-01-01", "2026-07-01", "2026-01-01", "2026-02-01"])
        XCTAssertEqual(history.map { $0["amountCents"] as? Int }, [2_000, 12_500, 13_100, 14_000, nil])
        XCTAssertEqual(history.map { $0["withdrawn"] as? Bool }, [false, false, false, false, true])
        XCTAssertTrue(history[4]["amountCents"] is NSNull, "a withdrawal has no amount")
        XCTAssertEqual(history[3]["modifiers"] as? [String], ["25"])
        XCTAssertEqual(history[1]["description"] as? String, "Office visit")

        let table = try cli.ok(["fee", "list", "--history", "--as", "bl-1"])
        XCTAssertEqual(
            table.stdout,
            """
            Fee schedule history
            CODE   MODIFIERS  FROM           AMOUNT  DESCRIPTION
            90658             2026-03-01      20.00
            99213             2026-01-01     125.00  Office visit
            99213             2026-07-01     131.00
            99213  25         2026-01-01     140.00
            99213  25         2026-02-01  withdrawn

            """)
        let both = try cli.run(["fee", "list", "--history", "--as-of", "2026-03-01", "--as", "bl-1"])
        XCTAssertEqual(both.status, 64, both.stderr)
    }

    func testFeesAreSetListedAsOfADayAndWithdrawn() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let events = try cli.eventCount()
        let set = try cli.ok([
            "fee", "set", "99213", "--amount", "125.00", "--from", "2026-01-01", "--description",
            "Office visit, level 3", "--as", "bl-1", "--json",
        ])
        XCTAssertEqual(try json(set)["eventTypes"] as? [String], ["FeeScheduled"])
        XCTAssertEqual(try json(set)["stream"] as? String, "fees")
        XCTAssertEqual(try cli.detail(set, "amountCents"), "12500")
        try cli.ok([
            "fee", "set", "99213", "--modifier", "25", "--amount", "140", "--from", "2026-01-01", "--as", "bl-1",
        ])
        let raised = try cli.ok(["fee", "set", "99213", "--amount", "$130", "--from", "2026-07-01", "--as", "bl-1"])
        XCTAssertEqual(raised.stdout, "Set the fee of 99213 to 130.00 per unit from 2026-07-01.\n")
        XCTAssertEqual(try cli.eventCount(), events + 3)

        let march = try listed(cli, asOf: "2026-03-01")
        XCTAssertEqual(march.count, 2)
        XCTAssertEqual(march.first?["code"] as? String, "99213")
        XCTAssertEqual(march.first?["modifiers"] as? [String], [])
        XCTAssertEqual(march.first?["amountCents"] as? Int, 12_500)
        XCTAssertEqual(march.first?["effectiveFrom"] as? String, "2026-01-01")
        XCTAssertEqual(march.first?["description"] as? String, "Office visit, level 3")
        XCTAssertEqual(march.last?["modifiers"] as? [String], ["25"])
        XCTAssertEqual(march.last?["amountCents"] as? Int, 14_000)
        XCTAssertTrue(march.last?["description"] is NSNull, "an absent description is null")
        XCTAssertEqual(try listed(cli, asOf: "2026-07-01").first?["amountCents"] as? Int, 13_000)
        XCTAssertEqual(try listed(cli, asOf: "2025-12-31").count, 0)

        let table = try cli.ok(["fee", "list", "--as-of", "2026-03-01", "--as", "bl-1"])
        XCTAssertEqual(
            table.stdout,
            """
            Fees in force on 2026-03-01
            CODE   MODIFIERS  AMOUNT  FROM        DESCRIPTION
            99213             125.00  2026-01-01  Office visit, level 3
            99213  25         140.00  2026-01-01

            """)
        let csv = try cli.ok(["fee", "list", "--as-of", "2026-03-01", "--csv", "--as", "bl-1"])
        XCTAssertEqual(
            csv.stdout,
            "CODE,MODIFIERS,AMOUNT,FROM,DESCRIPTION\r\n99213,,125.00,2026-01-01,\"Office visit, level 3\"\r\n"
                + "99213,25,140.00,2026-01-01,\r\n")

        let withdrawn = try cli.ok([
            "fee", "withdraw", "99213", "--modifier", "25", "--from", "2026-02-01", "--as", "bl-1", "--json",
        ])
        XCTAssertEqual(try json(withdrawn)["eventTypes"] as? [String], ["FeeWithdrawn"])
        XCTAssertEqual(try listed(cli, asOf: "2026-03-01").count, 1)
        XCTAssertEqual(try listed(cli, asOf: "2026-01-31").count, 2)

        // Withdrawing a fee that is not in force is refused as not found, and changes nothing.
        let before = try cli.snapshot()
        let missing = try cli.run(["fee", "withdraw", "99214", "--from", "2026-03-01", "--as", "bl-1", "--json"])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertEqual((try json(missing)["error"] as? [String: Any])?["code"] as? String, "feeNotFound")
        XCTAssertEqual(missing.stderr.filter { $0 == "\n" }.count, 1, missing.stderr)
        for (arguments, status) in [
            (["fee", "set", "9921", "--amount", "10", "--as", "bl-1"], Int32(64)),
            (["fee", "set", "99213", "--amount", "0", "--as", "bl-1"], 64),
            (["fee", "set", "99213", "--amount", "-5", "--as", "bl-1"], 64),
            (["fee", "set", "99213", "--modifier", "2", "--amount", "5", "--as", "bl-1"], 64),
            (["fee", "set", "99213", "--amount", "5", "--from", "2026-02-30", "--as", "bl-1"], 64),
            (["fee", "list", "--as-of", "soon", "--as", "bl-1"], 64),
        ] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, status, "clinic \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        XCTAssertEqual(try cli.snapshot(), before)
    }

    func testTheSameFeeAgainAndARetriedCommandAppendNothing() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let arguments = ["fee", "set", "G0439", "--amount", "120", "--from", "2026-01-01", "--as", "bl-1", "--json"]
        try cli.ok(arguments)
        let events = try cli.eventCount()
        let again = try cli.ok(arguments)
        XCTAssertEqual(try json(again)["alreadyRecorded"] as? Bool, true)
        XCTAssertEqual(try json(again)["positions"] as? [Int], [])
        XCTAssertEqual(try cli.eventCount(), events, "the same fee from the same day appends nothing")
        let human = try cli.ok(Array(arguments.dropLast()))
        XCTAssertTrue(human.stdout.contains("nothing new was appended"), human.stdout)

        let retry = [
            "fee", "set", "G0439", "--amount", "125", "--from", "2026-01-01", "--as", "bl-1", "--json", "--id",
            "fee0fee0fee0fee0fee0fee0fee0fee0",
        ]
        XCTAssertEqual(try json(try cli.ok(retry))["alreadyRecorded"] as? Bool, false)
        XCTAssertEqual(try json(try cli.ok(retry))["alreadyRecorded"] as? Bool, true)
        XCTAssertEqual(try cli.eventCount(), events + 1, "a retry with the same --id appends once")
        XCTAssertEqual(try listed(cli, asOf: "2026-01-01").first?["amountCents"] as? Int, 12_500)
    }

    func testAChargeWithoutAnAmountTakesTheScheduledFeeOfTheDateOfServiceTimesTheUnits() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let (patient, visit) = try cli.checkedInPatient(family: "Fee", given: "Ann", birth: "1970-03-04")
        let serviceDay = try XCTUnwrap(
            (try json(try cli.ok(["schedule", "--date", "tomorrow", "--json"])))["date"] as? String)
        try cli.ok(["fee", "set", "99213", "--amount", "125.00", "--as", "bl-1"])
        try cli.ok(["fee", "set", "99213", "--modifier", "25", "--amount", "150.00", "--as", "bl-1"])
        // A fee that starts after the date of service does not apply to it.
        try cli.ok(["fee", "set", "99214", "--amount", "190.00", "--from", "2099-01-01", "--as", "bl-1"])
        let charge = ["charge", patient, "--visit", visit, "--dx", "I10", "--as", "bl-1"]

        let scheduled = try cli.ok(charge + ["--cpt", "99213", "--units", "2", "--json"])
        XCTAssertEqual(try cli.detail(scheduled, "feeSource"), "schedule")
        XCTAssertEqual(try cli.detail(scheduled, "amountCents"), "25000")
        let modified = try cli.ok(charge + ["--cpt", "99213", "--modifier", "25"])
        XCTAssertTrue(
            modified.stdout.hasSuffix(": 99213-25 x1, 150.00 (the scheduled fee 150.00 x 1).\n"), modified.stdout)
        let entered = try cli.ok(charge + ["--cpt", "99213", "--amount", "99.00", "--json"])
        XCTAssertEqual(try cli.detail(entered, "feeSource"), "entered")
        XCTAssertEqual(try cli.detail(entered, "amountCents"), "9900")

        let before = try cli.snapshot()
        let refused = try cli.run(charge + ["--cpt", "99214", "--json"])
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertEqual((try json(refused)["error"] as? [String: Any])?["code"] as? String, "feeNotScheduled")
        XCTAssertEqual(
            refused.stderr,
            "clinic: A charge without --amount takes the scheduled fee, and no fee for 99214 is in force on "
                + "\(serviceDay), the visit's date of service; set one with clinic fee set 99214 --amount AMOUNT "
                + "--from DATE, or give --amount.\n")
        XCTAssertEqual(try cli.snapshot(), before, "a refused charge changes nothing")

        let retry = charge + ["--cpt", "99213", "--units", "3", "--json", "--id", "c0ffeec0ffeec0ffeec0ffeec0ffee00"]
        let first = try cli.ok(retry)
        XCTAssertEqual(try cli.detail(first, "amountCents"), "37500")
        let events = try cli.eventCount()
        let second = try cli.ok(retry)
        XCTAssertEqual(try json(second)["alreadyRecorded"] as? Bool, true)
        XCTAssertEqual(try cli.detail(second, "chargeID"), try cli.detail(first, "chargeID"))
        XCTAssertEqual(try cli.detail(second, "amountCents"), "37500")
        XCTAssertEqual(try cli.eventCount(), events, "the retry appends nothing")

        let ledger = try json(try cli.ok(["ledger", patient, "--json", "--as", "bl-1"]))
        XCTAssertEqual(ledger["balanceCents"] as? Int, 25_000 + 15_000 + 9_900 + 37_500)
    }

    func testOnlyBillingAndTheOfficeManagerSetFeesAndOnlyRolesThatSeeBillingListThem() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        try cli.ok(["fee", "set", "99213", "--amount", "125", "--as", "bl-1"])
        for staff in ["fd-1", "dr-1", "rn-1"] {
            let events = try cli.eventCount()
            let refused = try cli.run(["fee", "set", "99213", "--amount", "130", "--as", staff])
            XCTAssertEqual(refused.status, 77, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("manageFeeSchedule"), refused.stderr)
            XCTAssertEqual(try cli.eventCount(), events + 1, "only the AccessDenied event is appended")
            let withdraw = try cli.run(["fee", "withdraw", "99213", "--as", staff])
            XCTAssertEqual(withdraw.status, 77, withdraw.stderr)
        }
        try cli.ok(["fee", "list", "--as", "fd-1"])
        for staff in ["dr-1", "rn-1"] {
            let refused = try cli.run(["fee", "list", "--as", staff])
            XCTAssertEqual(refused.status, 77, refused.stderr)
        }
        XCTAssertEqual(try listed(cli, asOf: "today").first?["amountCents"] as? Int, 12_500)
    }
}
