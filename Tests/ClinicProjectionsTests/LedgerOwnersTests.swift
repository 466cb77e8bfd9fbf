import ClinicEvents
import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicProjections

/// Charges and payments found by id, or by the first digits of their id, from one group of the ledger checkpoint's
/// index parts caught up with the log's tail: exactly what the whole ledger's accounts hold.
final class LedgerOwnersTests: XCTestCase {
    private let calendar = OfficeHistoryGenerator.calendar

    private func makeOffice(events: Int, seed: UInt64 = 5) throws -> (
        TestOffice, OfficeHistoryGenerator, ViewCheckpointStore
    ) {
        try PartialViewReaderTests.makeOffice(events: events, seed: seed)
    }

    /// Every record of `kind` in `ledger`, with its patient, as the accounts hold them.
    private func records(_ kind: LedgerRecordKind, in ledger: LedgerView) -> [EventID: EventID] {
        var records: [EventID: EventID] = [:]
        for (patient, account) in ledger.accounts {
            let ids = kind == .charge ? Array(account.account.charges.keys) : Array(account.account.payments.keys)
            for id in ids { records[id] = patient }
        }
        return records
    }

    private func hexDigits(_ id: EventID) -> String {
        id.description.filter { $0 != "-" }
    }

    func testEveryChargeAndPaymentIsFoundFromItsGroupWithTheTailFolded() throws {
        let (office, generator, store) = try makeOffice(events: 700, seed: 11)
        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        let keys = try store.load(LedgerView(calendar: calendar), parts: { _ in false }).get().partKeys
        XCTAssertTrue(keys.contains { $0.hasPrefix("index.charges.") }, "\(keys)")
        XCTAssertTrue(keys.contains { $0.hasPrefix("index.payments.") }, "\(keys)")
        var more = generator
        try more.run(eventCount: 1_000) { _ in }
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        let reader = PartialViewReader(replayer: office.replayer, store: store, tailEventsMax: 1_000)
        for kind in LedgerRecordKind.allCases {
            let expected = records(kind, in: ledger)
            XCTAssertGreaterThan(expected.count, 20, "the history has \(kind)s")
            var found = 0
            for group in 0..<LedgerRecordKind.groupCount {
                guard case .answered(let owners) = try reader.owners(of: kind, group: group, calendar: calendar) else {
                    return XCTFail("group \(group) of the \(kind)s was not read from parts")
                }
                let digit = String(group, radix: 16)
                let inGroup = expected.keys.filter { hexDigits($0).hasPrefix(digit) }.sorted()
                XCTAssertEqual(owners.ids(startingWithHexDigits: digit), inGroup, "\(kind) group \(digit)")
                for id in inGroup { XCTAssertEqual(owners.patient(of: id), expected[id], "\(kind) \(id)") }
                found += inGroup.count
                let unknown = EventID(high: UInt64(group) << 60 | 0x0123_4567_89ab, low: 7)
                XCTAssertNil(owners.patient(of: unknown))
            }
            XCTAssertEqual(found, expected.count)
        }
        // The whole file still loads back to exactly the ledger saved (the index parts are derived, not state).
        let saved = try office.replayer.rebuild(LedgerView(calendar: calendar))
        try store.save(saved)
        XCTAssertEqual(try store.load(LedgerView(calendar: calendar)).get(), saved)
    }

    func testAPrefixFindsExactlyTheIDsStartingWithIt() throws {
        let (office, _, _) = try makeOffice(events: 600, seed: 8)
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        var random = SeededRandomNumberGenerator(seed: 3)
        for kind in LedgerRecordKind.allCases {
            let owners = LedgerOwners(ledger: ledger, kind: kind)
            let all = records(kind, in: ledger).keys.sorted()
            var prefixes = ["0", "f", "0000", "ffff", "8", "80000000"]
            for id in all.shuffled(using: &random).prefix(10) {
                let digits = hexDigits(id)
                for length in [1, 2, 3, 4, 5, 8, 16, 17, 31, 32] { prefixes.append(String(digits.prefix(length))) }
            }
            for prefix in prefixes {
                XCTAssertEqual(
                    owners.ids(startingWithHexDigits: prefix), all.filter { hexDigits($0).hasPrefix(prefix) },
                    "\(kind) prefix \(prefix)")
            }
            for notDigits in ["", "ABCD", "12g4", String(repeating: "0", count: 33), "12-3"] {
                XCTAssertEqual(owners.ids(startingWithHexDigits: notDigits), [], "'\(notDigits)'")
            }
        }
    }

    func testAnErasureInTheTailOrNoCheckpointNeedsTheWholeLedger() throws {
        let (office, generator, store) = try makeOffice(events: 400)
        let reader = PartialViewReader(replayer: office.replayer, store: store, tailEventsMax: 1_000)
        XCTAssertFalse(try reader.owners(of: .charge, group: 0, calendar: calendar).isAnswered, "no checkpoint")
        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        XCTAssertTrue(try reader.owners(of: .charge, group: 0, calendar: calendar).isAnswered)
        var more = generator
        try more.run(eventCount: 50) { _ in }
        let patient = try XCTUnwrap(
            try office.replayer.rebuild(LedgerView(calendar: calendar)).view.accounts.keys.sorted().first)
        try office.erase(patient)
        try office.flush()
        XCTAssertFalse(try reader.owners(of: .payment, group: 3, calendar: calendar).isAnswered, "erasure in tail")
    }

    func testAnIndexPartThatIsNotWholeSortedRecordsIsRefused() throws {
        let (office, _, _) = try makeOffice(events: 500, seed: 9)
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        let group = try XCTUnwrap(LedgerRecordKind.charge.groups(in: ledger.accounts).first)
        let part = LedgerOwners.encodeIndexPart(of: .charge, group: group, in: ledger.accounts)
        XCTAssertGreaterThanOrEqual(part.count, 2 * LedgerOwners.recordByteCount, "a group with two charges")
        XCTAssertNotNil(LedgerOwners(indexPart: part, kind: .charge, replacingAccounts: [:]))
        XCTAssertNil(LedgerOwners(indexPart: Array(part.dropLast()), kind: .charge, replacingAccounts: [:]))
        let swapped =
            Array(part[LedgerOwners.recordByteCount..<(2 * LedgerOwners.recordByteCount)])
            + Array(part[0..<LedgerOwners.recordByteCount]) + Array(part[(2 * LedgerOwners.recordByteCount)...])
        XCTAssertNil(LedgerOwners(indexPart: swapped, kind: .charge, replacingAccounts: [:]))
    }
}
