import ClinicEvents
import RecordLog

/// One posting of a patient account as the ledger shows it: what happened, when it counts, who posted it, and the
/// account's balances after it.
///
/// An entry holds amounts, codes and opaque ids only, never patient data: the ledger works the same when patient
/// data is withheld, and erasing a patient leaves every figure of the books intact.
public struct LedgerEntry: Equatable, Sendable {
    /// What the posting was.
    public enum Kind: Equatable, Sendable {
        /// A charge for a procedure in an encounter.
        case charge(
            chargeID: EventID, encounterID: EventID, procedure: ProcedureCode, units: UInt32, amountCents: Int64)
        /// Money received from the patient or an insurance payer.
        case payment(paymentID: EventID, payer: Payer, method: PaymentMethod, amountCents: Int64)
        /// Part of a payment applied to a charge, settling `responsibility`.
        case application(
            paymentID: EventID, chargeID: EventID, responsibility: Responsibility, amountCents: Int64, isCredit: Bool)
        /// An adjustment reducing what `responsibility` owes on a charge.
        case adjustment(
            adjustmentID: EventID, chargeID: EventID, responsibility: Responsibility, amountCents: Int64,
            reasonCode: AdjustmentReasonCode)
        /// Money of a payment given back.
        case refund(paymentID: EventID, method: PaymentMethod, amountCents: Int64)
        /// Part of a charge moved from one responsibility to another.
        case transfer(chargeID: EventID, from: Responsibility, to: Responsibility, amountCents: Int64)
        /// A charge voided (its whole amount).
        case chargeVoid(chargeID: EventID, amountCents: Int64)
        /// A payment voided (its whole amount), undoing its applications.
        case paymentVoid(paymentID: EventID, payer: Payer, method: PaymentMethod, amountCents: Int64)

        /// A short name: `charge`, `payment`, `application`, `adjustment`, `refund`, `transfer`, `chargeVoid`,
        /// `paymentVoid`.
        public var name: String {
            switch self {
            case .charge: "charge"
            case .payment: "payment"
            case .application: "application"
            case .adjustment: "adjustment"
            case .refund: "refund"
            case .transfer: "transfer"
            case .chargeVoid: "chargeVoid"
            case .paymentVoid: "paymentVoid"
            }
        }

        /// The charge the posting is about, if any.
        public var chargeID: EventID? {
            switch self {
            case .charge(let id, _, _, _, _), .application(_, let id, _, _, _), .adjustment(_, let id, _, _, _),
                .transfer(let id, _, _, _), .chargeVoid(let id, _):
                id
            case .payment, .refund, .paymentVoid: nil
            }
        }

        /// The payment the posting is about, if any.
        public var paymentID: EventID? {
            switch self {
            case .payment(let id, _, _, _), .application(let id, _, _, _, _), .refund(let id, _, _),
                .paymentVoid(let id, _, _, _):
                id
            case .charge, .adjustment, .transfer, .chargeVoid: nil
            }
        }

        /// The amount of the posting, in cents (always positive).
        public var amountCents: Int64 {
            switch self {
            case .charge(_, _, _, _, let cents), .payment(_, _, _, let cents), .application(_, _, _, let cents, _),
                .adjustment(_, _, _, let cents, _), .refund(_, _, let cents), .transfer(_, _, _, let cents),
                .chargeVoid(_, let cents), .paymentVoid(_, _, _, let cents):
                cents
            }
        }
    }

    /// An account's balances after a posting, in cents.
    public struct Balances: Hashable, Sendable {
        /// What the patient owes over all charges not voided (negative for a recorded credit).
        public let patientCents: Int64
        /// What the primary insurance owes (the three levels are kept inline: no array per entry).
        let primaryCents: Int64
        /// What the secondary insurance owes.
        let secondaryCents: Int64
        /// What the tertiary insurance owes.
        let tertiaryCents: Int64
        /// Money received and neither applied nor refunded.
        public let unappliedCents: Int64
        /// charges − payments − adjustments + refunds: what is owed overall (negative for a credit).
        public let balanceCents: Int64

        /// What the primary, secondary and tertiary insurance owe over all charges not voided.
        public var insuranceCents: [Int64] { [primaryCents, secondaryCents, tertiaryCents] }

        /// The balances of `account`, summed over all its charges and payments.
        init(_ account: PatientAccount) {
            self.init(AccountTotals(account), balanceCents: account.balanceCents)
        }

        /// The balances from an account's running totals and its overall balance.
        init(_ totals: AccountTotals, balanceCents: Int64) {
            patientCents = totals.patientCents
            primaryCents = totals.primaryCents
            secondaryCents = totals.secondaryCents
            tertiaryCents = totals.tertiaryCents
            unappliedCents = totals.unappliedCents
            self.balanceCents = balanceCents
        }

        init(
            patientCents: Int64, insuranceCents: (Int64, Int64, Int64), unappliedCents: Int64, balanceCents: Int64
        ) {
            self.patientCents = patientCents
            (primaryCents, secondaryCents, tertiaryCents) = insuranceCents
            self.unappliedCents = unappliedCents
            self.balanceCents = balanceCents
        }

        /// What all insurance levels owe together.
        public var insuranceTotalCents: Int64 { insuranceCents.reduce(0, +) }
    }

    /// The event's log position.
    public let position: UInt64
    /// When the log recorded it (UTC microseconds).
    public let recordedTimeMicroseconds: Int64
    /// The day it is about: the posting date staff gave, or the office day of a charge's effective time.
    public let effectiveDaysSince1970: Int64
    /// The day sheet it counts on: the effective day, or, when that day was already closed, the first open day from
    /// the day it was recorded.
    public let postedDaysSince1970: Int64
    /// The staff member who posted it.
    public let staffID: StaffID
    /// What it was.
    public let kind: Kind
    /// The account's balances after it.
    public let balances: Balances

    /// Whether it counts on a later day than it is about (a late entry for a closed day).
    public var isLateEntry: Bool { postedDaysSince1970 != effectiveDaysSince1970 }
}

extension LedgerEntry {
    /// The event that recreates this posting in a `PatientAccount` of `patientID`: the account keeps nothing of the
    /// fields filled with placeholders here (diagnoses, references, void reasons).
    func restoringEvent(patientID: EventID) throws -> ClinicEvent {
        let field = "ledgerEntry"
        let date = effectiveDaysSince1970
        func money(_ cents: Int64) throws -> MoneyCents {
            try FoldRestoration.make(field) { try MoneyCents(cents: cents) }
        }
        switch kind {
        case .charge(let chargeID, let encounterID, let procedure, let units, let cents):
            let diagnosis = try FoldRestoration.make(field) { try DiagnosisCode("R69") }
            return .chargePosted(
                try FoldRestoration.make(field) {
                    try ChargePosted(
                        chargeID: chargeID, patientID: patientID, encounterID: encounterID, procedure: procedure,
                        units: units, diagnoses: [diagnosis], diagnosisPointers: [1], amount: try money(cents),
                        postingDateDaysSince1970: nil)
                })
        case .payment(let paymentID, let payer, let method, let cents):
            return .paymentPosted(
                try FoldRestoration.make(field) {
                    try PaymentPosted(
                        paymentID: paymentID, patientID: patientID, payer: payer, method: method, reference: "",
                        amount: try money(cents), postingDateDaysSince1970: date)
                })
        case .application(let paymentID, let chargeID, _, let cents, let isCredit):
            return .paymentApplied(
                try FoldRestoration.make(field) {
                    try PaymentApplied(
                        paymentID: paymentID, chargeID: chargeID, amount: try money(cents), isCredit: isCredit,
                        postingDateDaysSince1970: date)
                })
        case .adjustment(let adjustmentID, let chargeID, let responsibility, let cents, let reasonCode):
            return .adjustmentPosted(
                try FoldRestoration.make(field) {
                    try AdjustmentPosted(
                        adjustmentID: adjustmentID, chargeID: chargeID, responsibility: responsibility,
                        amount: try money(cents), reasonCode: reasonCode, postingDateDaysSince1970: date)
                })
        case .refund(let paymentID, let method, let cents):
            return .refundIssued(
                try FoldRestoration.make(field) {
                    try RefundIssued(
                        paymentID: paymentID, amount: try money(cents), method: method, postingDateDaysSince1970: date)
                })
        case .transfer(let chargeID, let from, let to, let cents):
            return .responsibilityTransferred(
                try FoldRestoration.make(field) {
                    try ResponsibilityTransferred(
                        chargeID: chargeID, from: from, to: to, amount: try money(cents), postingDateDaysSince1970: date
                    )
                })
        case .chargeVoid(let chargeID, _):
            return .chargeVoided(
                ChargeVoided(
                    validatedOriginalID: chargeID, patientID: nil, reason: FoldRestoration.placeholderText,
                    postingDateDaysSince1970: date))
        case .paymentVoid(let paymentID, _, _, _):
            return .paymentVoided(
                PaymentVoided(
                    validatedOriginalID: paymentID, patientID: nil, reason: FoldRestoration.placeholderText,
                    postingDateDaysSince1970: date))
        }
    }

    /// Writes the entry.
    func encode(into encoder: inout BinaryEncoder) {
        encoder.writeVarUInt(position)
        encoder.writeVarInt(recordedTimeMicroseconds)
        encoder.writeVarInt(effectiveDaysSince1970)
        encoder.writeVarInt(postedDaysSince1970)
        encoder.writeStaffID(staffID)
        switch kind {
        case .charge(let chargeID, let encounterID, let procedure, let units, let cents):
            encoder.writeUInt8(1)
            encoder.writeEventID(chargeID)
            encoder.writeEventID(encounterID)
            encoder.writeString(procedure.code)
            encoder.writeArray(procedure.modifiers) { $0.writeString($1) }
            encoder.writeVarUInt(UInt64(units))
            encoder.writeVarInt(cents)
        case .payment(let paymentID, let payer, let method, let cents):
            encoder.writeUInt8(2)
            encoder.writeEventID(paymentID)
            encoder.writePayer(payer)
            encoder.writeUInt8(method.rawValue)
            encoder.writeVarInt(cents)
        case .application(let paymentID, let chargeID, let responsibility, let cents, let isCredit):
            encoder.writeUInt8(3)
            encoder.writeEventID(paymentID)
            encoder.writeEventID(chargeID)
            encoder.writeResponsibilityCode(responsibility)
            encoder.writeVarInt(cents)
            encoder.writeBool(isCredit)
        case .adjustment(let adjustmentID, let chargeID, let responsibility, let cents, let reasonCode):
            encoder.writeUInt8(4)
            encoder.writeEventID(adjustmentID)
            encoder.writeEventID(chargeID)
            encoder.writeResponsibilityCode(responsibility)
            encoder.writeVarInt(cents)
            encoder.writeString(reasonCode.code)
        case .refund(let paymentID, let method, let cents):
            encoder.writeUInt8(5)
            encoder.writeEventID(paymentID)
            encoder.writeUInt8(method.rawValue)
            encoder.writeVarInt(cents)
        case .transfer(let chargeID, let from, let to, let cents):
            encoder.writeUInt8(6)
            encoder.writeEventID(chargeID)
            encoder.writeResponsibilityCode(from)
            encoder.writeResponsibilityCode(to)
            encoder.writeVarInt(cents)
        case .chargeVoid(let chargeID, let cents):
            encoder.writeUInt8(7)
            encoder.writeEventID(chargeID)
            encoder.writeVarInt(cents)
        case .paymentVoid(let paymentID, let payer, let method, let cents):
            encoder.writeUInt8(8)
            encoder.writeEventID(paymentID)
            encoder.writePayer(payer)
            encoder.writeUInt8(method.rawValue)
            encoder.writeVarInt(cents)
        }
        encoder.writeVarInt(balances.patientCents)
        encoder.writeVarUInt(3)
        encoder.writeVarInt(balances.primaryCents)
        encoder.writeVarInt(balances.secondaryCents)
        encoder.writeVarInt(balances.tertiaryCents)
        encoder.writeVarInt(balances.unappliedCents)
        encoder.writeVarInt(balances.balanceCents)
    }

    /// Reads an entry written by `encode(into:)`.
    static func decode(from decoder: inout BinaryDecoder) throws -> LedgerEntry {
        let field = "ledgerEntry"
        let position = try decoder.readVarUInt(field: field)
        let recorded = try decoder.readVarInt(field: field)
        let effective = try decoder.readVarInt(field: field)
        let posted = try decoder.readVarInt(field: field)
        let staffID = try decoder.readStaffID(field: field)
        func method() throws -> PaymentMethod {
            guard let method = PaymentMethod(rawValue: try decoder.readUInt8(field: field)) else {
                throw ViewStateDecodingError.malformed(field: field)
            }
            return method
        }
        let kind: Kind
        switch try decoder.readUInt8(field: field) {
        case 1:
            let chargeID = try decoder.readEventID(field: field)
            let encounterID = try decoder.readEventID(field: field)
            let code = try decoder.readString(field: field, byteCountMax: 5)
            let modifiers = try decoder.readArray(field: field, countMax: ProcedureCode.modifierCountMax) {
                try $0.readString(field: field, byteCountMax: 2)
            }
            let procedure = try FoldRestoration.make(field) { try ProcedureCode(code: code, modifiers: modifiers) }
            kind = .charge(
                chargeID: chargeID, encounterID: encounterID, procedure: procedure,
                units: try decoder.readVarUInt32(field: field), amountCents: try decoder.readVarInt(field: field))
        case 2:
            kind = .payment(
                paymentID: try decoder.readEventID(field: field), payer: try decoder.readPayer(field: field),
                method: try method(), amountCents: try decoder.readVarInt(field: field))
        case 3:
            kind = .application(
                paymentID: try decoder.readEventID(field: field), chargeID: try decoder.readEventID(field: field),
                responsibility: try decoder.readResponsibilityCode(field: field),
                amountCents: try decoder.readVarInt(field: field), isCredit: try decoder.readBool(field: field))
        case 4:
            let adjustmentID = try decoder.readEventID(field: field)
            let chargeID = try decoder.readEventID(field: field)
            let responsibility = try decoder.readResponsibilityCode(field: field)
            let cents = try decoder.readVarInt(field: field)
            let code = try decoder.readString(field: field, byteCountMax: AdjustmentReasonCode.byteCountMax)
            kind = .adjustment(
                adjustmentID: adjustmentID, chargeID: chargeID, responsibility: responsibility, amountCents: cents,
                reasonCode: try FoldRestoration.make(field) { try AdjustmentReasonCode(code) })
        case 5:
            kind = .refund(
                paymentID: try decoder.readEventID(field: field), method: try method(),
                amountCents: try decoder.readVarInt(field: field))
        case 6:
            kind = .transfer(
                chargeID: try decoder.readEventID(field: field), from: try decoder.readResponsibilityCode(field: field),
                to: try decoder.readResponsibilityCode(field: field), amountCents: try decoder.readVarInt(field: field))
        case 7:
            kind = .chargeVoid(
                chargeID: try decoder.readEventID(field: field), amountCents: try decoder.readVarInt(field: field))
        case 8:
            kind = .paymentVoid(
                paymentID: try decoder.readEventID(field: field), payer: try decoder.readPayer(field: field),
                method: try method(), amountCents: try decoder.readVarInt(field: field))
        default:
            throw ViewStateDecodingError.malformed(field: field)
        }
        let patientCents = try decoder.readVarInt(field: field)
        let insurance = try decoder.readArray(field: field, countMax: 3) { try $0.readVarInt(field: field) }
        // Every entry is written with the three insurance levels.
        guard insurance.count == 3 else { throw ViewStateDecodingError.malformed(field: field) }
        let balances = Balances(
            patientCents: patientCents, insuranceCents: (insurance[0], insurance[1], insurance[2]),
            unappliedCents: try decoder.readVarInt(field: field), balanceCents: try decoder.readVarInt(field: field))
        return LedgerEntry(
            position: position, recordedTimeMicroseconds: recorded, effectiveDaysSince1970: effective,
            postedDaysSince1970: posted, staffID: staffID, kind: kind, balances: balances)
    }
}
