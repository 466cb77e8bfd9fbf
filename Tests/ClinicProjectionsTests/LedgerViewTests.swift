import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// The ledger against hand-computed figures on a small history: charges, transfers to and from insurance, patient
/// and insurance payments and their applications, an adjustment, a refund, voids, and a late charge for a closed day.
/// The small ledger history the ledger and day sheet tests share.
struct LedgerFixture {
    let patient = patientID(1)
    let encounter = itemID(900)
    let payerA = itemID(700)
    let provider = staff("dr-a")
    let c1 = itemID(1)
    let c2 = itemID(2)
    let c3 = itemID(3)
    let pay1 = itemID(11)
    let pay2 = itemID(12)
    let pay3 = itemID(13)
    let pay4 = itemID(14)
    let adjustment = itemID(21)
    let day = baseDay

    /// Builds the history of the test and returns the office.
    func makeHistory() throws -> TestOffice {
        let office = try TestOffice()
        let dayStart = day * dayMicroseconds
        office.setTime(dayStart + 8 * 60 * minuteMicroseconds)
        try office.register(patient, family: "Doe", given: "Jane")
        try office.append(
            .payerDefined(try PayerDefined(payerID: payerA, name: "Acme Health", type: .commercial)), to: "payers")
        try office.append(
            .coverageAdded(
                try CoverageAdded(
                    coverageID: itemID(800), patientID: patient, payerID: payerA, memberID: "M-1", order: .primary,
                    copayCents: 2000, effectiveDaysSince1970: day - 30, terminationDaysSince1970: nil)),
            to: CoverageState.streamName(for: patient))
        let appointment = itemID(500)
        let schedule = ProviderSchedule.streamName(for: provider)
        try office.append(
            .appointmentBooked(
                try AppointmentBooked(
                    appointmentID: appointment, patientID: patient, providerStaffID: provider,
                    startLocalMinutesSince1970: day * 1440 + 540, durationMinutes: 30, reason: "follow-up")),
            to: schedule)
        try office.append(.patientArrived(PatientArrived(appointmentID: appointment)), to: schedule)
        try office.append(
            .patientCheckedIn(PatientCheckedIn(appointmentID: appointment, encounterID: encounter)), to: schedule)

        office.setTime(dayStart + 9 * 60 * minuteMicroseconds)
        try office.charge(c1, patient: patient, encounter: encounter, amount: 15_000)
        try office.transfer(c1, patient: patient, from: .patient, to: .insurance(level: 1), amount: 12_000, day: day)
        try office.pay(pay1, patient: patient, amount: 3_000, day: day)
        try office.apply(pay1, to: c1, patient: patient, amount: 3_000, day: day)
        try office.charge(c2, patient: patient, encounter: encounter, amount: 8_000, code: "99214")
        try office.voidCharge(c2, patient: patient, day: day)
        office.setTime(dayStart + 18 * 60 * minuteMicroseconds)
        try office.closeDay(
            day,
            totals: try DayTotals(
                charges: cents(23_000), payments: cents(3_000), adjustments: cents(0), refunds: cents(0),
                chargeVoids: cents(8_000), paymentVoids: cents(0)))

        office.setTime(dayStart + dayMicroseconds + 10 * 60 * minuteMicroseconds)
        let next = day + 1
        try office.pay(
            pay2, patient: patient, amount: 10_000, day: next, payer: .insurance(payerID: payerA.description, level: 1),
            method: .electronicFundsTransfer, by: staff("biller-1"))
        try office.apply(pay2, to: c1, patient: patient, amount: 10_000, day: next)
        try office.adjust(
            adjustment, charge: c1, patient: patient, responsibility: .insurance(level: 1), amount: 2_000, day: next)
        try office.pay(pay3, patient: patient, amount: 2_500, day: next, method: .card)
        try office.refund(pay3, patient: patient, amount: 2_500, day: next, method: .card)
        // A late entry: the charge happened on the closed day, and is recorded today.
        try office.charge(
            c3, patient: patient, encounter: encounter, amount: 4_000,
            effective: dayStart + 16 * 60 * minuteMicroseconds)
        try office.transfer(c3, patient: patient, from: .patient, to: .insurance(level: 1), amount: 4_000, day: next)
        try office.transfer(c3, patient: patient, from: .insurance(level: 1), to: .patient, amount: 1_000, day: next)
        try office.pay(pay4, patient: patient, amount: 500, day: next)
        try office.voidPayment(pay4, patient: patient, day: next)
        return office
    }
}

final class LedgerViewTests: XCTestCase {
    let fixture = LedgerFixture()
    var patient: EventID { fixture.patient }
    var encounter: EventID { fixture.encounter }
    var payerA: EventID { fixture.payerA }
    var provider: StaffID { fixture.provider }
    var c1: EventID { fixture.c1 }
    var c2: EventID { fixture.c2 }
    var c3: EventID { fixture.c3 }
    var pay1: EventID { fixture.pay1 }
    var pay2: EventID { fixture.pay2 }
    var pay3: EventID { fixture.pay3 }
    var pay4: EventID { fixture.pay4 }
    var adjustment: EventID { fixture.adjustment }
    var day: Int64 { fixture.day }

    func makeHistory() throws -> TestOffice { try fixture.makeHistory() }

    func testAccountEntriesCarryRunningBalancesSplitByResponsibility() throws {
        let office = try makeHistory()
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        let account = try XCTUnwrap(ledger.accounts[patient])
        let kinds = account.entries.map(\.kind.name)
        XCTAssertEqual(
            kinds,
            [
                "charge", "transfer", "payment", "application", "charge", "chargeVoid", "payment", "application",
                "adjustment", "payment", "refund", "charge", "transfer", "transfer", "payment", "paymentVoid",
            ])
        let balances = account.entries.map {
            (
                $0.balances.patientCents, $0.balances.insuranceCents[0], $0.balances.unappliedCents,
                $0.balances.balanceCents
            )
        }
        let expected: [(Int64, Int64, Int64, Int64)] = [
            (15_000, 0, 0, 15_000), (3_000, 12_000, 0, 15_000), (3_000, 12_000, 3_000, 12_000),
            (0, 12_000, 0, 12_000), (8_000, 12_000, 0, 20_000), (0, 12_000, 0, 12_000),
            (0, 12_000, 10_000, 2_000), (0, 2_000, 0, 2_000), (0, 0, 0, 0), (0, 0, 2_500, -2_500), (0, 0, 0, 0),
            (4_000, 0, 0, 4_000), (0, 4_000, 0, 4_000), (1_000, 3_000, 0, 4_000), (1_000, 3_000, 500, 3_500),
            (1_000, 3_000, 0, 4_000),
        ]
        XCTAssertEqual(balances.count, expected.count)
        for (index, (got, want)) in zip(balances, expected).enumerated() {
            XCTAssertTrue(got == want, "entry \(index): \(got) is not \(want)")
        }
        XCTAssertEqual(account.account.balanceCents, 4_000)
        let late = account.entries[11]
        XCTAssertEqual(late.effectiveDaysSince1970, day)
        XCTAssertEqual(late.postedDaysSince1970, day + 1)
        XCTAssertTrue(late.isLateEntry)
        XCTAssertEqual(account.charges[c1]?.providerStaffID, provider)
    }

    func testDaySheetsReconcileAndAClosedDayKeepsItsTotals() throws {
        let office = try makeHistory()
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        let first = ledger.daySheet(daysSince1970: day)
        XCTAssertEqual(first.openingBalanceCents, 0)
        XCTAssertEqual(first.office.chargesCents, 23_000)
        XCTAssertEqual(first.office.chargeVoidsCents, 8_000)
        XCTAssertEqual(first.office.patientPaymentsCents, 3_000)
        XCTAssertEqual(first.office.paymentsByMethodCents, [3_000, 0, 0, 0, 0])
        XCTAssertEqual(first.closingBalanceCents, 12_000)
        XCTAssertEqual(first.matchesClosedTotals, true, "the late charge must not change the closed day")
        XCTAssertTrue(first.reconciles)
        XCTAssertEqual(first.byProvider.map(\.key), ["", "dr-a"])
        XCTAssertEqual(first.byProvider[1].figures.chargesCents, 23_000)
        XCTAssertEqual(first.byProvider[0].figures.patientPaymentsCents, 3_000)
        XCTAssertEqual(first.byStaff.map(\.key), ["biller-1", "frontdesk-1"])

        let second = ledger.daySheet(daysSince1970: day + 1)
        XCTAssertEqual(second.openingBalanceCents, 12_000)
        XCTAssertEqual(second.office.chargesCents, 4_000)
        XCTAssertEqual(second.office.insurancePaymentsCents, 10_000)
        XCTAssertEqual(second.office.patientPaymentsCents, 3_000)
        XCTAssertEqual(second.office.paymentVoidsCents, 500)
        XCTAssertEqual(second.office.adjustmentsCents, 2_000)
        XCTAssertEqual(second.office.refundsCents, 2_500)
        XCTAssertEqual(second.office.refundsByMethodCents, [0, 2_500, 0, 0, 0])
        XCTAssertEqual(second.office.paymentsByMethodCents, [500, 2_500, 0, 10_000, 0])
        XCTAssertEqual(second.office.transfersToInsuranceCents, 4_000)
        XCTAssertEqual(second.office.transfersToPatientCents, 1_000)
        XCTAssertEqual(second.office.netChangeCents, -8_000)
        XCTAssertEqual(second.closingBalanceCents, 4_000)
        XCTAssertEqual(second.closingBalanceCents, ledger.officeBalanceCents)
        XCTAssertNil(second.matchesClosedTotals)
        XCTAssertTrue(second.reconciles)
        XCTAssertEqual(second.lines.filter { $0.entry.isLateEntry }.count, 1)

        let totals = try ledger.closingTotals(forDay: day + 1)
        XCTAssertEqual(totals.charges.cents, 4_000)
        XCTAssertEqual(totals.payments.cents, 13_000)
        XCTAssertEqual(totals.paymentVoids.cents, 500)
        XCTAssertThrowsError(try ledger.decideClosing(daysSince1970: day, by: .biller))
        let decision = try ledger.decideClosing(daysSince1970: day + 1, by: .biller)
        XCTAssertEqual(decision.events, [.dayClosed(DayClosed(dateDaysSince1970: day + 1, totals: totals))])
    }

    func testPayerLedgerAndAging() throws {
        let office = try makeHistory()
        let ledger = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        let key = payerA.description
        XCTAssertEqual(ledger.payerNames[key], "Acme Health")
        let payer = try XCTUnwrap(ledger.payers[key])
        XCTAssertEqual(payer.entries.map(\.owedChangeCents), [12_000, 0, -10_000, -2_000, 4_000, -1_000])
        XCTAssertEqual(payer.entries.map(\.unappliedChangeCents), [0, 10_000, -10_000, 0, 0, 0])
        XCTAssertEqual(payer.owedCents, 3_000)
        XCTAssertEqual(payer.unappliedCents, 0)

        let aging = ledger.aging(asOfDay: day + 40)
        XCTAssertEqual(aging.patientTotal.cents, [0, 1_000, 0, 0, 0])
        XCTAssertEqual(aging.insuranceTotal.cents, [0, 3_000, 0, 0, 0])
        XCTAssertEqual(aging.byPayer[key]?.cents, [0, 3_000, 0, 0, 0])
        XCTAssertEqual(aging.balanceCents, ledger.officeBalanceCents)
        XCTAssertEqual(ledger.aging(asOfDay: day + 200).patientTotal.cents, [0, 0, 0, 0, 1_000])
        XCTAssertEqual(ledger.aging(asOfDay: day + 100).insuranceTotal.cents, [0, 0, 0, 3_000, 0])
    }

    func testLedgerAsOfPositionTimeAndEffectiveDate() throws {
        let office = try makeHistory()
        let replayer = office.replayer
        let events = try office.allEvents()
        let closing = try XCTUnwrap(
            events.first { if case .dayClosed = $0.event { return true } else { return false } })
        let atClose = try replayer.view(LedgerView(calendar: .utc), asOfPosition: closing.position + 1)
        XCTAssertEqual(atClose.accounts[patient]?.account.balanceCents, 12_000)
        let byTime = try replayer.view(LedgerView(calendar: .utc), asOfRecordedTime: closing.recordedTimeMicroseconds)
        XCTAssertEqual(byTime, atClose)

        // As of the first day's effective date, the late charge (effective that day, recorded the next) is included.
        let effective = try replayer.view(LedgerView(calendar: .utc), asOfEffectiveDay: day, calendar: .utc)
        XCTAssertEqual(effective.accounts[patient]?.account.balanceCents, 16_000)

        // One patient's ledger read from the patient's streams only (and the day book, which only the ledger folds)
        // equals that account in the full ledger.
        XCTAssertTrue(LedgerView.foldsDayBook)
        XCTAssertFalse(ChartView.foldsDayBook || ConsentView.foldsDayBook || ScheduleView.foldsDayBook)
        let full = try replayer.rebuild(LedgerView(calendar: .utc)).view
        let single = try replayer.patientView(LedgerView(calendar: .utc), patientID: patient)
        XCTAssertEqual(single.accounts[patient]?.account, full.accounts[patient]?.account)
        XCTAssertEqual(single.accounts[patient]?.entries, full.accounts[patient]?.entries)
        XCTAssertEqual(single.daySheet(daysSince1970: day).matchesClosedTotals, true)
    }

    func testErasureKeepsTheBooksWhole() throws {
        let office = try makeHistory()
        let before = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        try office.erase(patient)
        let after = try office.replayer.rebuild(LedgerView(calendar: .utc)).view
        XCTAssertTrue(after.erasedPatientIDs.contains(patient))
        XCTAssertEqual(after.daySheet(daysSince1970: day), before.daySheet(daysSince1970: day))
        XCTAssertEqual(after.daySheet(daysSince1970: day).matchesClosedTotals, true)
        XCTAssertEqual(after.aging(asOfDay: day + 40).balanceCents, 4_000)
        XCTAssertEqual(after.aging(asOfDay: day + 40).accounts.first?.isErased, true)
    }
}
