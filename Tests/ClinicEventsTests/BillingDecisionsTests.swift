import ClinicEvents
import RecordLog
import XCTest

/// A patient with charges, a day book with one closed day, and helpers to decide and apply billing commands.
struct BillingFixture {
    static let patient = id(1)
    static let openDay: Int64 = 20_787
    static let closedDay: Int64 = 20_786

    static func id(_ low: UInt64) -> EventID { EventID(high: 0xB111_0000_0000_4000, low: 0x8000_0000_0000_0000 | low) }

    static func money(_ cents: Int64) throws -> MoneyCents { try MoneyCents(cents: cents) }

    static func dayBook() throws -> DayBook {
        let decision = try DayBook().decideClosing(daysSince1970: closedDay, totals: .zero, by: .biller)
        return DayBook().applying(decision.events)
    }

    static func charge(_ charge: UInt64, cents: Int64) throws -> ClinicEvent {
        .chargePosted(
            try ChargePosted(
                chargeID: id(charge), patientID: patient, encounterID: id(900), procedure: ProcedureCode(code: "99213"),
                units: 1, diagnoses: [DiagnosisCode("I10")], diagnosisPointers: [1], amount: money(cents),
                postingDateDaysSince1970: 20_000))
    }

    /// An account with charge 10 of $100.00 (stream version 1).
    static func account() throws -> PatientAccount {
        PatientAccount(patientID: patient).applying([try charge(10, cents: 10_000)])
    }

    static func pay(
        _ payment: UInt64, cents: Int64, payer: Payer = .patient, day: Int64 = openDay
    ) throws -> BillingCommand {
        .postPayment(
            paymentID: id(payment), payer: payer, method: .card, reference: "auth 1234", amount: try money(cents),
            postingDateDaysSince1970: day)
    }

    static func apply(
        _ payment: UInt64, to charge: UInt64 = 10, cents: Int64, asCredit: Bool = false, day: Int64 = openDay
    ) throws -> BillingCommand {
        .applyPayment(
            paymentID: id(payment), chargeID: id(charge), amount: try money(cents), asCredit: asCredit,
            postingDateDaysSince1970: day)
    }

    static func adjust(
        _ adjustment: UInt64, charge: UInt64 = 10, _ responsibility: Responsibility = .patient, cents: Int64,
        code: String = "CO-45"
    ) throws -> BillingCommand {
        .postAdjustment(
            adjustmentID: id(adjustment), chargeID: id(charge), responsibility: responsibility,
            amount: try money(cents), reasonCode: try AdjustmentReasonCode(code), postingDateDaysSince1970: openDay)
    }

    static func refund(_ payment: UInt64, cents: Int64) throws -> BillingCommand {
        .issueRefund(
            paymentID: id(payment), amount: try money(cents), method: .check, postingDateDaysSince1970: openDay)
    }

    /// The encounters of a schedule: 900 opened for the patient, 901 for another patient, 902 for the patient but its
    /// appointment entered in error.
    static func encounters() throws -> EncounterLedger {
        let other = id(2)
        func booked(_ appointment: UInt64, _ patient: EventID) throws -> ClinicEvent {
            .appointmentBooked(
                try AppointmentBooked(
                    appointmentID: id(appointment), patientID: patient, providerStaffID: StaffID("dr-lee"),
                    startLocalMinutesSince1970: 29_933_820, durationMinutes: 15, reason: "follow-up"))
        }
        return EncounterLedger().applying([
            try booked(800, patient), .patientCheckedIn(PatientCheckedIn(appointmentID: id(800), encounterID: id(900))),
            try booked(801, other), .patientCheckedIn(PatientCheckedIn(appointmentID: id(801), encounterID: id(901))),
            try booked(802, patient), .patientCheckedIn(PatientCheckedIn(appointmentID: id(802), encounterID: id(902))),
            .appointmentEnteredInError(
                try AppointmentEnteredInError(appointmentID: id(802), patientID: patient, reason: "wrong patient")),
        ])
    }

    static func postCharge(
        _ charge: UInt64, encounter: UInt64 = 900, diagnoses: [String] = ["E11.9", "I10"], pointers: [UInt8] = [1, 2],
        units: UInt32 = 1, cents: Int64 = 12_500, day: Int64 = openDay
    ) throws -> BillingCommand {
        .postCharge(
            chargeID: id(charge), encounterID: id(encounter), procedure: try ProcedureCode(code: "99213"),
            units: units, diagnoses: try diagnoses.map { try DiagnosisCode($0) }, diagnosisPointers: pointers,
            amount: try money(cents), postingDateDaysSince1970: day)
    }

    static func transfer(
        charge: UInt64 = 10, from: Responsibility, to: Responsibility, cents: Int64
    ) throws -> BillingCommand {
        .transferResponsibility(
            chargeID: id(charge), from: from, to: to, amount: try money(cents), postingDateDaysSince1970: openDay)
    }
}

extension PatientAccount {
    /// Decides and applies `command`, as an append at the decided version would.
    func after(_ command: BillingCommand, by role: StaffRole = .biller) throws -> PatientAccount {
        applying(try decide(command, by: role, dayBook: try BillingFixture.dayBook()).events)
    }

    /// The refusal of `command`, or nil when it is accepted.
    func refusal(of command: BillingCommand, by role: StaffRole = .biller) throws -> BillingRefusal? {
        let dayBook = try BillingFixture.dayBook()
        do {
            _ = try decide(command, by: role, dayBook: dayBook)
            return nil
        } catch {
            return error
        }
    }

    /// What each responsibility owes, patient first then insurance levels 1 to 3.
    var owedSplit: [Int64] {
        [.patient, .insurance(level: 1), .insurance(level: 2), .insurance(level: 3)].map { owedCents(by: $0) }
    }
}

final class BillingDecisionsTests: XCTestCase {
    private typealias F = BillingFixture

    func testAPaymentIsRecordedWithTheVersionsItWasDecidedOn() throws {
        let account = try F.account()
        let decision = try account.decide(try F.pay(20, cents: 4_000), by: .frontDesk, dayBook: try F.dayBook())
        XCTAssertEqual(decision.stream, PatientAccount.streamName(for: F.patient))
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(decision.decidedOnDayBookVersion, 1)
        XCTAssertEqual(
            decision.events,
            [
                .paymentPosted(
                    try PaymentPosted(
                        paymentID: F.id(20), patientID: F.patient, payer: .patient, method: .card,
                        reference: "auth 1234", amount: F.money(4_000), postingDateDaysSince1970: F.openDay))
            ])
        let after = account.applying(decision.events)
        XCTAssertEqual(after.streamVersion, 2)
        XCTAssertEqual(after.balanceCents, 6_000)
        XCTAssertEqual(after.unappliedCents, 4_000)
        XCTAssertEqual(
            try account.refusal(of: try F.pay(20, cents: 1), by: .nurse),
            .roleNotPermitted(
                command: "postPayment", role: .nurse))
        XCTAssertEqual(try after.refusal(of: try F.pay(20, cents: 1)), .paymentAlreadyExists)
    }

    func testAnApplicationNeverExceedsWhatIsOwedUnlessRecordedAsACredit() throws {
        let account = try F.account().after(try F.pay(20, cents: 15_000))
        XCTAssertEqual(try account.refusal(of: try F.apply(20, cents: 10_001)), .applicationExceedsOwed)
        XCTAssertNil(try account.refusal(of: try F.apply(20, cents: 10_000)))
        let credited = try account.after(try F.apply(20, cents: 12_000, asCredit: true))
        XCTAssertEqual(credited.owedSplit, [-2_000, 0, 0, 0])
        XCTAssertTrue(try XCTUnwrap(credited.activeCharge(F.id(10))).hasCredit)
        XCTAssertEqual(credited.balanceCents, -5_000)
        XCTAssertEqual(credited.unappliedCents, 3_000)
        XCTAssertEqual(try account.refusal(of: try F.apply(20, to: 99, cents: 1)), .chargeNotFound)
        XCTAssertEqual(try account.refusal(of: try F.apply(21, cents: 1)), .paymentNotFound)
    }

    func testApplicationsNeverExceedThePayment() throws {
        let account = try F.account().after(try F.pay(20, cents: 3_000)).after(try F.apply(20, cents: 2_000))
        XCTAssertEqual(try account.refusal(of: try F.apply(20, cents: 1_001)), .applicationExceedsPayment)
        XCTAssertNil(try account.refusal(of: try F.apply(20, cents: 1_000)))
    }

    func testAnInsurancePaymentSettlesTheInsuranceResponsibility() throws {
        let account = try F.account()
            .after(try F.transfer(from: .patient, to: .insurance(level: 1), cents: 10_000))
            .after(try F.pay(20, cents: 6_000, payer: .insurance(payerID: "60054", level: 1)))
        XCTAssertEqual(try account.refusal(of: try F.apply(20, cents: 6_000)), nil)
        let paid = try account.after(try F.apply(20, cents: 6_000))
            .after(try F.adjust(30, .insurance(level: 1), cents: 2_500))
            .after(try F.transfer(from: .insurance(level: 1), to: .patient, cents: 1_500))
        XCTAssertEqual(paid.owedSplit, [1_500, 0, 0, 0])
        XCTAssertEqual(paid.balanceCents, 1_500)
    }

    func testAnAdjustmentNeverExceedsTheBalance() throws {
        let account = try F.account().after(try F.adjust(30, cents: 4_000, code: "PR-1"))
        XCTAssertEqual(try account.refusal(of: try F.adjust(31, cents: 6_001)), .adjustmentExceedsBalance)
        XCTAssertEqual(
            try account.refusal(of: try F.adjust(31, .insurance(level: 1), cents: 1)), .adjustmentExceedsBalance)
        XCTAssertEqual(try account.refusal(of: try F.adjust(30, cents: 1)), .adjustmentAlreadyExists)
        XCTAssertNil(try account.refusal(of: try F.adjust(31, cents: 6_000)))
        XCTAssertEqual(account.balanceCents, 6_000)
    }

    func testARefundNeverExceedsWhatWasPaidAndNotRefundedOrApplied() throws {
        let account = try F.account().after(try F.pay(20, cents: 12_000)).after(try F.apply(20, cents: 10_000))
        XCTAssertEqual(try account.refusal(of: try F.refund(20, cents: 2_001)), .refundExceedsPayment)
        let refunded = try account.after(try F.refund(20, cents: 1_500))
        XCTAssertEqual(try refunded.refusal(of: try F.refund(20, cents: 501)), .refundExceedsPayment)
        XCTAssertNil(try refunded.refusal(of: try F.refund(20, cents: 500)))
        // 100.00 charged − 120.00 paid + 15.00 refunded = −5.00: a credit of 5.00 left on the payment.
        XCTAssertEqual(refunded.balanceCents, -500)
        XCTAssertEqual(refunded.unappliedCents, 500)
        XCTAssertEqual(try refunded.refusal(of: try F.refund(21, cents: 1)), .paymentNotFound)
    }

    func testATransferMovesOnlyWhatTheSourceHolds() throws {
        let account = try F.account().after(try F.transfer(from: .patient, to: .insurance(level: 1), cents: 7_000))
        XCTAssertEqual(account.owedSplit, [3_000, 7_000, 0, 0])
        XCTAssertEqual(
            try account.refusal(of: try F.transfer(from: .insurance(level: 1), to: .insurance(level: 2), cents: 7_001)),
            .transferExceedsSource)
        let secondary = try account.after(
            try F.transfer(from: .insurance(level: 1), to: .insurance(level: 2), cents: 7_000))
        XCTAssertEqual(secondary.owedSplit, [3_000, 0, 7_000, 0])
        XCTAssertEqual(secondary.balanceCents, 10_000)
        XCTAssertEqual(
            try secondary.refusal(of: try F.transfer(from: .patient, to: .patient, cents: 1)),
            .detailsInvalid(rule: "responsibilityInvalid"))
    }

    func testAVoidReferencesAnExistingNotYetVoidedOriginal() throws {
        let account = try F.account().after(try F.pay(20, cents: 4_000)).after(try F.apply(20, cents: 4_000))
        let voidCharge = BillingCommand.voidCharge(
            chargeID: F.id(10), reason: "wrong code", postingDateDaysSince1970: F.openDay)
        let voidPayment = BillingCommand.voidPayment(
            paymentID: F.id(20), reason: "bounced", postingDateDaysSince1970: F.openDay)
        XCTAssertEqual(try account.refusal(of: voidCharge), .chargeHasActivity)
        XCTAssertEqual(
            try account.refusal(
                of: .voidCharge(chargeID: F.id(99), reason: "wrong code", postingDateDaysSince1970: F.openDay)),
            .chargeNotFound)
        let paymentVoided = try account.after(voidPayment)
        XCTAssertEqual(paymentVoided.owedSplit, [10_000, 0, 0, 0])
        XCTAssertEqual(paymentVoided.balanceCents, 10_000)
        XCTAssertEqual(try paymentVoided.refusal(of: voidPayment), .originalVoided)
        XCTAssertEqual(try paymentVoided.refusal(of: try F.apply(20, cents: 1)), .originalVoided)
        let chargeVoided = try paymentVoided.after(voidCharge)
        XCTAssertEqual(chargeVoided.balanceCents, 0)
        XCTAssertEqual(chargeVoided.owedSplit, [0, 0, 0, 0])
        XCTAssertEqual(try chargeVoided.refusal(of: voidCharge), .originalVoided)
        let refunded = try F.account().after(try F.pay(21, cents: 100)).after(try F.refund(21, cents: 50))
        XCTAssertEqual(
            try refunded.refusal(
                of: .voidPayment(paymentID: F.id(21), reason: "x", postingDateDaysSince1970: F.openDay)),
            .paymentRefunded)
    }

    func testAChargeIsPostedAgainstAnEncounterOfThePatient() throws {
        let account = try F.account()
        let encounters = try F.encounters()
        let decision = try account.decide(
            try F.postCharge(11), by: .physician, dayBook: try F.dayBook(), encounters: encounters)
        XCTAssertEqual(decision.stream, PatientAccount.streamName(for: F.patient))
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(
            decision.events,
            [
                .chargePosted(
                    try ChargePosted(
                        chargeID: F.id(11), patientID: F.patient, encounterID: F.id(900),
                        procedure: ProcedureCode(code: "99213"), units: 1,
                        diagnoses: [DiagnosisCode("E11.9"), DiagnosisCode("I10")], diagnosisPointers: [1, 2],
                        amount: F.money(12_500), postingDateDaysSince1970: F.openDay))
            ])
        let after = account.applying(decision.events)
        XCTAssertEqual(after.balanceCents, 22_500)
        XCTAssertEqual(after.activeCharge(F.id(11))?.owedCents(by: .patient), 12_500)
    }

    func testAChargeIsRefusedWithoutAnEncounterOfThePatient() throws {
        let account = try F.account()
        let encounters = try F.encounters()
        func refusal(_ command: BillingCommand, by role: StaffRole = .biller) throws -> BillingRefusal? {
            let dayBook = try F.dayBook()
            do {
                _ = try account.decide(command, by: role, dayBook: dayBook, encounters: encounters)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(try refusal(try F.postCharge(11, encounter: 999)), .encounterNotFound)
        XCTAssertEqual(try refusal(try F.postCharge(11, encounter: 901)), .encounterOfAnotherPatient)
        XCTAssertEqual(try refusal(try F.postCharge(11, encounter: 902)), .encounterEnteredInError)
        XCTAssertEqual(try refusal(try F.postCharge(10)), .chargeAlreadyExists)
        XCTAssertEqual(try refusal(try F.postCharge(11, day: F.closedDay)), .dayClosed)
        XCTAssertEqual(
            try refusal(try F.postCharge(11), by: .frontDesk),
            .roleNotPermitted(command: "postCharge", role: .frontDesk))
        XCTAssertEqual(
            try account.refusal(of: try F.postCharge(11)), .encounterNotFound,
            "without the encounters, no charge can be posted")
        XCTAssertNil(try refusal(try F.postCharge(11), by: .officeManager))
    }

    func testAChargesCodesAndDiagnosisPointersAreChecked() throws {
        let account = try F.account()
        let encounters = try F.encounters()
        func refusal(_ command: BillingCommand) throws -> BillingRefusal? {
            let dayBook = try F.dayBook()
            do {
                _ = try account.decide(command, by: .biller, dayBook: dayBook, encounters: encounters)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(try refusal(try F.postCharge(11, pointers: [3])), .diagnosisPointerNotFound)
        XCTAssertEqual(try refusal(try F.postCharge(11, pointers: [0])), .diagnosisPointerNotFound)
        XCTAssertEqual(try refusal(try F.postCharge(11, diagnoses: [], pointers: [1])), .diagnosisPointerNotFound)
        XCTAssertEqual(
            try refusal(try F.postCharge(11, pointers: [1, 1])), .detailsInvalid(rule: "duplicateDiagnosisPointer"))
        XCTAssertEqual(try refusal(try F.postCharge(11, pointers: [])), .detailsInvalid(rule: "diagnosisPointerCount"))
        XCTAssertEqual(try refusal(try F.postCharge(11, units: 0)), .detailsInvalid(rule: "unitsOutOfRange"))
        XCTAssertEqual(try refusal(try F.postCharge(11, cents: -1)), .detailsInvalid(rule: "negativeAmount"))
        XCTAssertThrowsError(try ProcedureCode(code: "9921"), "a malformed CPT never reaches the command")
        XCTAssertThrowsError(try DiagnosisCode("e11.9"), "a malformed ICD-10-CM code never reaches the command")
        for refused in [BillingRefusal.encounterNotFound, .diagnosisPointerNotFound, .chargeAlreadyExists] {
            XCTAssertFalse(refused.message.isEmpty)
        }
    }

    /// The fee schedule of the scheduled-charge tests: 99213 at $100.00 from day 20,000 and $110.00 from the day after
    /// the fixture's date of service (20,787); 99213-25 at $90.00 from 20,500.
    private static func fees() throws -> FeeSchedule {
        func set(_ modifiers: [String], _ cents: Int64, from day: Int64) throws -> ClinicEvent {
            .feeScheduled(
                try FeeScheduled(
                    procedure: try ProcedureCode(code: "99213", modifiers: modifiers), amount: try F.money(cents),
                    effectiveDaysSince1970: day, procedureDescription: nil))
        }
        return FeeSchedule().applying([
            try set([], 10_000, from: 20_000), try set([], 11_000, from: 20_788), try set(["25"], 9_000, from: 20_500),
        ])
    }

    private static func postScheduledCharge(
        _ charge: UInt64, modifiers: [String] = [], units: UInt32 = 1, encounter: UInt64 = 900, day: Int64 = F.openDay
    ) throws -> BillingCommand {
        .postScheduledCharge(
            chargeID: F.id(charge), encounterID: F.id(encounter),
            procedure: try ProcedureCode(code: "99213", modifiers: modifiers), units: units,
            diagnoses: [try DiagnosisCode("I10")], diagnosisPointers: [1], postingDateDaysSince1970: day)
    }

    func testAChargeWithoutAnAmountTakesTheFeeOfTheDateOfServiceTimesTheUnits() throws {
        let account = try F.account()
        func amount(_ command: BillingCommand) throws -> Int64? {
            let decision = try account.decide(
                command, by: .biller, dayBook: try F.dayBook(), encounters: try F.encounters(), fees: try Self.fees())
            guard case .chargePosted(let charge) = decision.events.first else { return nil }
            XCTAssertEqual(charge.postingDateDaysSince1970, F.openDay)
            return charge.amount.cents
        }
        XCTAssertEqual(
            try F.encounters().encounter(F.id(900))?.serviceDaySince1970, 20_787,
            "appointment 800 starts at minute 29,933,820 of local time: day 20,787")
        // 3 × $100.00: the $110.00 fee starts the day after the date of service.
        XCTAssertEqual(try amount(try Self.postScheduledCharge(11, units: 3)), 30_000)
        // The fee of exactly modifier 25 wins over the default: 2 × $90.00.
        XCTAssertEqual(try amount(try Self.postScheduledCharge(12, modifiers: ["25"], units: 2)), 18_000)
        // No fee for 99213-59: the code's default, $100.00.
        XCTAssertEqual(try amount(try Self.postScheduledCharge(13, modifiers: ["59"])), 10_000)
    }

    func testAChargeWithoutAnAmountIsRefusedWithoutAFeeInForceAndTheOtherRulesComeFirst() throws {
        let account = try F.account()
        let later = FeeSchedule().applying([
            .feeScheduled(
                try FeeScheduled(
                    procedure: try ProcedureCode(code: "99213"), amount: try F.money(10_000),
                    effectiveDaysSince1970: 20_788, procedureDescription: nil))
        ])
        let (dayBook, encounters) = (try F.dayBook(), try F.encounters())
        func refusal(_ command: BillingCommand, fees: FeeSchedule) -> BillingRefusal? {
            do {
                _ = try account.decide(command, by: .biller, dayBook: dayBook, encounters: encounters, fees: fees)
                return nil
            } catch {
                return error
            }
        }
        let procedure = try ProcedureCode(code: "99213")
        XCTAssertEqual(
            refusal(try Self.postScheduledCharge(11), fees: later),
            .feeNotScheduled(procedure: procedure, serviceDaySince1970: 20_787))
        XCTAssertEqual(
            refusal(try Self.postScheduledCharge(11), fees: FeeSchedule()),
            .feeNotScheduled(procedure: procedure, serviceDaySince1970: 20_787))
        XCTAssertEqual(refusal(try Self.postScheduledCharge(11, day: F.closedDay), fees: later), .dayClosed)
        XCTAssertEqual(refusal(try Self.postScheduledCharge(11, encounter: 999), fees: later), .encounterNotFound)
        XCTAssertEqual(refusal(try Self.postScheduledCharge(10), fees: later), .chargeAlreadyExists)
        XCTAssertEqual(
            refusal(try Self.postScheduledCharge(11, units: 1_000), fees: try Self.fees()),
            .detailsInvalid(rule: "unitsOutOfRange"))
        XCTAssertEqual(
            try account.refusal(of: try Self.postScheduledCharge(11), by: .frontDesk),
            .roleNotPermitted(command: "postScheduledCharge", role: .frontDesk))
    }

    func testAClosedDayIsImmutable() throws {
        let account = try F.account().after(try F.pay(20, cents: 4_000))
        XCTAssertEqual(try account.refusal(of: try F.pay(21, cents: 100, day: F.closedDay)), .dayClosed)
        XCTAssertEqual(try account.refusal(of: try F.apply(20, cents: 100, day: F.closedDay)), .dayClosed)
        XCTAssertEqual(
            try account.refusal(
                of: .voidPayment(paymentID: F.id(20), reason: "bounced", postingDateDaysSince1970: F.closedDay)),
            .dayClosed)
        XCTAssertNil(
            try account.refusal(
                of: .voidPayment(paymentID: F.id(20), reason: "bounced", postingDateDaysSince1970: F.openDay)))
        let dayBook = try F.dayBook()
        XCTAssertThrowsError(try dayBook.decideClosing(daysSince1970: F.closedDay, totals: .zero, by: .biller)) {
            XCTAssertEqual($0 as? BillingRefusal, .dayAlreadyClosed)
        }
        XCTAssertThrowsError(try dayBook.decideClosing(daysSince1970: F.openDay, totals: .zero, by: .frontDesk))
        let closing = try dayBook.decideClosing(daysSince1970: F.openDay, totals: .zero, by: .officeManager)
        XCTAssertEqual(closing.decidedOnStreamVersion, 1)
        XCTAssertTrue(dayBook.applying(closing.events).isClosed(daysSince1970: F.openDay))
    }

    func testAHandComputedHistoryReconciles() throws {
        // Charges 100.00 and 50.00; insurance 1 billed 120.00; it pays 80.00 and writes off 20.00 (CO-45);
        // 20.00 moves to the patient, who pays 30.00 (10.00 left unapplied) and gets 10.00 refunded.
        let account = try F.account().applying([try F.charge(11, cents: 5_000)])
            .after(try F.transfer(from: .patient, to: .insurance(level: 1), cents: 10_000))
            .after(try F.transfer(charge: 11, from: .patient, to: .insurance(level: 1), cents: 2_000))
            .after(try F.pay(20, cents: 8_000, payer: .insurance(payerID: "60054", level: 1)))
            .after(try F.apply(20, cents: 8_000))
            .after(try F.adjust(30, .insurance(level: 1), cents: 2_000))
        XCTAssertEqual(account.owedSplit, [3_000, 2_000, 0, 0])
        let settled =
            try account
            .after(try F.transfer(charge: 11, from: .insurance(level: 1), to: .patient, cents: 2_000))
            .after(try F.pay(21, cents: 3_000))
            .after(try F.apply(21, to: 11, cents: 2_000))
            .after(try F.refund(21, cents: 1_000))
        XCTAssertEqual(settled.owedSplit, [3_000, 0, 0, 0])
        XCTAssertEqual(settled.chargesCents, 15_000)
        XCTAssertEqual(settled.paymentsCents, 11_000)
        XCTAssertEqual(settled.adjustmentsCents, 2_000)
        XCTAssertEqual(settled.refundsCents, 1_000)
        XCTAssertEqual(settled.balanceCents, 3_000)
        XCTAssertEqual(settled.unappliedCents, 0)
    }

    func testBalancesAlwaysReconcileUnderRandomCommands() throws {
        let dayBook = try F.dayBook()
        var acceptedCount = 0
        for seed in UInt64(1)...40 {
            var generator = EventGenerator(seed: seed)
            var account = PatientAccount(patientID: F.patient)
            var charged: Int64 = 0
            var paid: Int64 = 0
            var adjusted: Int64 = 0
            var refunded: Int64 = 0
            for step in UInt64(1)...120 {
                let chargeIDs = Array(account.charges.keys).sorted { $0.description < $1.description }
                let paymentIDs = Array(account.payments.keys).sorted { $0.description < $1.description }
                if chargeIDs.isEmpty || generator.int(0...9) == 0 {
                    let event = try F.charge(1_000 + step, cents: generator.int64(0...20_000))
                    account = account.applying(event)
                    if case .chargePosted(let posted) = event { charged += posted.amount.cents }
                    continue
                }
                let charge = generator.pick(chargeIDs)
                let payment = paymentIDs.isEmpty ? F.id(5_000 + step) : generator.pick(paymentIDs)
                let day = generator.int(0...19) == 0 ? F.closedDay : F.openDay
                let amount = try MoneyCents(cents: generator.int64(1...12_000))
                let command: BillingCommand
                switch generator.int(0...7) {
                case 0:
                    command = .postPayment(
                        paymentID: F.id(5_000 + step), payer: generator.payer(), method: .cash, reference: "",
                        amount: amount, postingDateDaysSince1970: day)
                case 1:
                    command = .applyPayment(
                        paymentID: payment, chargeID: charge, amount: amount, asCredit: generator.int(0...9) == 0,
                        postingDateDaysSince1970: day)
                case 2:
                    command = .postAdjustment(
                        adjustmentID: F.id(7_000 + step), chargeID: charge, responsibility: generator.responsibility(),
                        amount: amount, reasonCode: try AdjustmentReasonCode("CO-45"), postingDateDaysSince1970: day)
                case 3:
                    command = .issueRefund(
                        paymentID: payment, amount: amount, method: .check, postingDateDaysSince1970: day)
                case 4, 5:
                    command = .transferResponsibility(
                        chargeID: charge, from: generator.responsibility(), to: generator.responsibility(),
                        amount: amount, postingDateDaysSince1970: day)
                case 6:
                    command = .voidCharge(chargeID: charge, reason: "error", postingDateDaysSince1970: day)
                default:
                    command = .voidPayment(paymentID: payment, reason: "error", postingDateDaysSince1970: day)
                }
                guard let decision = try? account.decide(command, by: .biller, dayBook: dayBook) else { continue }
                XCTAssertNotEqual(day, F.closedDay)
                acceptedCount += 1
                XCTAssertEqual(decision.decidedOnStreamVersion, account.streamVersion)
                for event in decision.events {
                    switch event {
                    case .paymentPosted(let posted): paid += posted.amount.cents
                    case .adjustmentPosted(let adjustment): adjusted += adjustment.amount.cents
                    case .refundIssued(let refund): refunded += refund.amount.cents
                    case .chargeVoided(let void): charged -= account.charges[void.originalID]?.amountCents ?? 0
                    case .paymentVoided(let void): paid -= account.payments[void.originalID]?.amountCents ?? 0
                    default: break
                    }
                }
                account = account.applying(decision.events)
                let owed = account.owedSplit.reduce(0, +)
                XCTAssertEqual(account.balanceCents, charged - paid - adjusted + refunded, "seed \(seed)")
                XCTAssertEqual(account.balanceCents, owed - account.unappliedCents, "seed \(seed)")
                for payment in account.payments.values { XCTAssertGreaterThanOrEqual(payment.unappliedCents, 0) }
                for charge in account.charges.values where !charge.isVoided && !charge.hasCredit {
                    XCTAssertTrue(charge.owedCents.values.allSatisfy { $0 >= 0 }, "seed \(seed) step \(step)")
                }
            }
        }
        XCTAssertGreaterThan(acceptedCount, 1_000)
    }
}
