import ClinicEvents
import RecordLog

extension EventGenerator {
    mutating func money(_ range: ClosedRange<Int64> = 1...10_000_000) throws -> MoneyCents {
        try MoneyCents(cents: int64(range))
    }

    mutating func responsibility() -> Responsibility {
        pick([.patient, .insurance(level: 1), .insurance(level: 2), .insurance(level: 3)])
    }

    mutating func payer() -> Payer {
        bool() ? .patient : .insurance(payerID: pick(["60054", "BCBS-TX", "87726"]), level: UInt8(int(1...3)))
    }

    mutating func postingDate() -> Int64 { int64(-10_000...40_000) }

    /// Any billing event, valid in its fields.
    mutating func billingEvent() throws -> ClinicEvent {
        switch int(0...7) {
        case 0:
            return .paymentPosted(
                try PaymentPosted(
                    paymentID: id(), patientID: id(), payer: payer(), method: pick(PaymentMethod.allCases),
                    reference: bool() ? "" : name(), amount: try money(), postingDateDaysSince1970: postingDate()))
        case 1:
            return .paymentApplied(
                try PaymentApplied(
                    paymentID: id(), chargeID: id(), amount: try money(), isCredit: bool(),
                    postingDateDaysSince1970: postingDate()))
        case 2:
            return .adjustmentPosted(
                try AdjustmentPosted(
                    adjustmentID: id(), chargeID: id(), responsibility: responsibility(), amount: try money(),
                    reasonCode: try AdjustmentReasonCode(pick(["CO-45", "PR-1", "PR-2", "OA-23", "CO-253"])),
                    postingDateDaysSince1970: postingDate()))
        case 3:
            return .refundIssued(
                try RefundIssued(
                    paymentID: id(), amount: try money(), method: pick(PaymentMethod.allCases),
                    postingDateDaysSince1970: postingDate()))
        case 4:
            let from = responsibility()
            let to = pick([Responsibility.patient, .insurance(level: 1), .insurance(level: 2)].filter { $0 != from })
            return .responsibilityTransferred(
                try ResponsibilityTransferred(
                    chargeID: id(), from: from, to: to, amount: try money(), postingDateDaysSince1970: postingDate()))
        case 5:
            return .chargeVoided(
                try ChargeVoided(
                    originalID: id(), patientID: id(), reason: name(), postingDateDaysSince1970: postingDate()))
        case 6:
            return .paymentVoided(
                try PaymentVoided(
                    originalID: id(), patientID: id(), reason: name(), postingDateDaysSince1970: postingDate()))
        default:
            return .dayClosed(
                DayClosed(
                    dateDaysSince1970: postingDate(),
                    totals: try DayTotals(
                        charges: money(0...100_000_000), payments: money(0...100_000_000),
                        adjustments: money(0...1_000), refunds: money(0...1_000), chargeVoids: money(0...1_000),
                        paymentVoids: money(0...1_000))))
        }
    }
}

extension EventGenerator {
    /// A procedure code with 0 to 4 distinct modifiers.
    mutating func procedure() throws -> ProcedureCode {
        try ProcedureCode(
            code: pick(["99213", "99214", "J1100", "G0008", "36415", "80053"]),
            modifiers: Array(["25", "59", "LT", "RT", "GT"].shuffled(using: &random).prefix(int(0...4))))
    }

    /// Any fee schedule event, valid in its fields.
    mutating func feeScheduleEvent() throws -> ClinicEvent {
        let day = int64(FeeScheduleLimits.dayRange)
        if bool() {
            return .feeWithdrawn(try FeeWithdrawn(procedure: try procedure(), effectiveDaysSince1970: day))
        }
        let description = pick([
            "Office visit, established, level 3", "Venipuncture", "Vacuna contra la gripe", "Électrocardiogramme",
            "静脉穿刺", String(repeating: "x", count: FeeScheduleLimits.descriptionByteCountMax),
        ])
        return .feeScheduled(
            try FeeScheduled(
                procedure: try procedure(), amount: try money(1...FeeScheduleLimits.amountCentsMax),
                effectiveDaysSince1970: day, procedureDescription: bool() ? nil : description))
    }
}
