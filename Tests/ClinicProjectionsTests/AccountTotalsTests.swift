import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// The ledger keeps each account's balances by what each event changed; every entry must still hold exactly the
/// balances a sum over the whole account gives after the entry's event.
final class AccountTotalsTests: XCTestCase {
    /// Checks every entry of every account against the account folded from its stream up to the entry's event.
    private func checkEveryEntry(
        _ ledger: LedgerView, office: TestOffice, file: StaticString = #filePath, line: UInt = #line
    )
        throws
    {
        var checked = 0
        for (patientID, accountLedger) in ledger.accounts {
            var account = PatientAccount(patientID: patientID)
            var entries = accountLedger.entries.makeIterator()
            var next = entries.next()
            for record in try office.reader.records(inStream: PatientAccount.streamName(for: patientID)) {
                account.apply(try office.codec.decodeStored(record).event)
                guard let entry = next, entry.position == record.position else { continue }
                let balances = entry.balances
                XCTAssertEqual(balances.patientCents, account.owedCents(by: .patient), file: file, line: line)
                XCTAssertEqual(
                    balances.insuranceCents,
                    Responsibility.insuranceLevels.map { account.owedCents(by: .insurance(level: $0)) }, file: file,
                    line: line)
                XCTAssertEqual(balances.unappliedCents, account.unappliedCents, file: file, line: line)
                XCTAssertEqual(balances.balanceCents, account.balanceCents, file: file, line: line)
                checked += 1
                next = entries.next()
            }
            XCTAssertNil(next, "an entry of \(patientID) was not met in its stream", file: file, line: line)
        }
        XCTAssertGreaterThan(checked, 0, file: file, line: line)
    }

    func testEveryEntryHoldsTheBalancesOfItsWholeAccount() throws {
        for seed: UInt64 in 1...3 {
            let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
            office.bufferedAppendsMax = 25
            var generator = OfficeHistoryGenerator(office: office, seed: seed)
            try generator.run(eventCount: 1500) { _ in }
            try office.flush()
            let ledger = try office.replayer.rebuild(LedgerView(calendar: OfficeHistoryGenerator.calendar)).view
            try checkEveryEntry(ledger, office: office)
        }
    }

    /// A payment applied twice to one charge and to another, then voided, moves each charge back once per
    /// application; transfers, an adjustment, a refund and a charge void change the right levels.
    func testAPaymentVoidOverRepeatedApplicationsAndEveryOtherPosting() throws {
        let office = try TestOffice()
        let patient = patientID(1)
        let encounter = itemID(900)
        let (first, second, payment, insurance) = (itemID(1), itemID(2), itemID(3), itemID(4))
        let day = baseDay
        try office.register(patient, family: "Doe", given: "Jane")
        try office.charge(first, patient: patient, encounter: encounter, amount: 10_000)
        try office.charge(second, patient: patient, encounter: encounter, amount: 5_000)
        try office.transfer(first, patient: patient, from: .patient, to: .insurance(level: 1), amount: 8_000, day: day)
        try office.transfer(second, patient: patient, from: .patient, to: .insurance(level: 2), amount: 1_000, day: day)
        try office.pay(payment, patient: patient, amount: 3_000, day: day)
        try office.apply(payment, to: first, patient: patient, amount: 1_000, day: day)
        try office.apply(payment, to: first, patient: patient, amount: 500, day: day)
        try office.apply(payment, to: second, patient: patient, amount: 700, day: day)
        try office.refund(payment, patient: patient, amount: 200, day: day)
        try office.voidPayment(payment, patient: patient, day: day + 1)
        try office.pay(
            insurance, patient: patient, amount: 6_000, day: day + 1,
            payer: .insurance(payerID: itemID(77).description, level: 1), method: .electronicFundsTransfer)
        try office.apply(insurance, to: first, patient: patient, amount: 6_000, day: day + 1)
        try office.adjust(
            itemID(5), charge: first, patient: patient, responsibility: .insurance(level: 1), amount: 2_000,
            day: day + 1)
        try office.voidCharge(second, patient: patient, day: day + 2)
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        XCTAssertEqual(ledger.accounts[patient]?.entries.count, 14)
        try checkEveryEntry(ledger, office: office)
        let last = try XCTUnwrap(ledger.accounts[patient]?.entries.last?.balances)
        XCTAssertEqual(last.patientCents, 2_000)
        XCTAssertEqual(last.insuranceCents, [0, 0, 0])
        XCTAssertEqual(last.unappliedCents, 0)
        // The refund of the voided payment still counts: 10,000 − 6,000 − 2,000 + 200.
        XCTAssertEqual(last.balanceCents, 2_200)
    }
}
