import RecordLog

/// The field rule a billing event broke; the case names the rule, never the value.
public enum BillingValidationError: Error, Equatable, Sendable {
    /// An amount that must be above zero is zero or negative.
    case amountNotPositive
    /// A payer id is empty or too long, or an insurance level is not 1 to 3.
    case payerInvalid
    /// A reference is longer than `referenceByteCountMax` bytes.
    case referenceLength
    /// A reason is empty or longer than `reasonByteCountMax` bytes.
    case reasonLength
    /// A responsibility transfer names the same responsibility on both sides, or an invalid level.
    case responsibilityInvalid
    /// A day's total is negative.
    case negativeTotal

    /// The longest payment reference (check number, card authorization, EFT trace) accepted, in bytes.
    public static let referenceByteCountMax = 64
    /// The longest void reason accepted, in bytes.
    public static let reasonByteCountMax = 256
}

/// A payment was received from the patient or an insurance payer; it is applied to charges separately.
public struct PaymentPosted: ClinicEventBody {
    /// The payment's own id, referenced by applications, refunds and voids.
    public let paymentID: EventID
    /// The patient whose account received the payment.
    public let patientID: EventID
    /// Who paid.
    public let payer: Payer
    /// How they paid.
    public let method: PaymentMethod
    /// The check number, card authorization or EFT trace; may be empty.
    public let reference: String
    /// The amount received, above zero.
    public let amount: MoneyCents
    /// The office day the payment is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates a payment, validating the payer, the reference and the amount.
    public init(
        paymentID: EventID, patientID: EventID, payer: Payer, method: PaymentMethod, reference: String,
        amount: MoneyCents, postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard payer.isValid else { throw .payerInvalid }
        guard reference.utf8.count <= BillingValidationError.referenceByteCountMax else { throw .referenceLength }
        guard amount.cents > 0 else { throw .amountNotPositive }
        self.paymentID = paymentID
        self.patientID = patientID
        self.payer = payer
        self.method = method
        self.reference = reference
        self.amount = amount
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `PaymentPosted`.
    public static let eventType = "PaymentPosted"
    /// Version 2 seals the reference.
    public static let currentSchemaVersion: UInt32 = 2

    /// The account's patient.
    public var subjectPatientID: EventID? { patientID }

    private static func layout(reference: FieldKind) -> [FieldSpec] {
        [
            FieldSpec("paymentID", .eventID),
            FieldSpec("patientID", .eventID),
            FieldSpec(
                "insurancePayer",
                .optional(
                    .record([
                        FieldSpec("payerID", .string(byteCountMax: Payer.payerIDByteCountMax)),
                        FieldSpec("level", .varUInt),
                    ]))),
            FieldSpec("method", .varUInt),
            FieldSpec("reference", reference),
            FieldSpec("amountCents", .varInt),
            FieldSpec("postingDateDaysSince1970", .varInt),
        ]
    }

    /// Version 1 and version 2 (the same fields, the reference sealed).
    public static var schemas: [EventSchema] {
        let reference = FieldKind.string(byteCountMax: BillingValidationError.referenceByteCountMax)
        return [
            EventSchema(eventType: eventType, version: 1, layout: layout(reference: reference)),
            EventSchema(eventType: eventType, version: 2, layout: layout(reference: .sealed(reference))),
        ]
    }

    /// 1 → 2: the reference is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("reference")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(paymentID)
        encoder.writeEventID(patientID)
        switch payer {
        case .patient: encoder.writeUInt8(0)
        case .insurance(let payerID, let level):
            encoder.writeUInt8(1)
            encoder.writeString(payerID)
            encoder.writeVarUInt(UInt64(level))
        }
        encoder.writeVarUInt(UInt64(method.rawValue))
        encoder.writeSealedString(reference, field: "reference", patient: patientID)
        encoder.writeVarInt(amount.cents)
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 2 body; withheld, the reference reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PaymentPosted {
        let paymentID = try decoder.readEventID(field: "paymentID")
        let patientID = try decoder.readEventID(field: "patientID")
        let payerOffset = decoder.offset
        let insurance = try decoder.readOptional(field: "insurancePayer") { decoder in
            let payerID = try decoder.readString(field: "payerID", byteCountMax: Payer.payerIDByteCountMax)
            let levelOffset = decoder.offset
            guard let level = UInt8(exactly: try decoder.readVarUInt(field: "level")) else {
                throw EventDecodingError(.integerOutOfRange, field: "level", offset: levelOffset)
            }
            return Payer.insurance(payerID: payerID, level: level)
        }
        let method = try decoder.readPaymentMethod(field: "method")
        let reference = try decoder.readSealedString(
            field: "reference", byteCountMax: BillingValidationError.referenceByteCountMax, patient: patientID)
        let amount = try decoder.readMoney(field: "amountCents")
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "PaymentPosted", offset: payerOffset) {
            try PaymentPosted(
                paymentID: paymentID, patientID: patientID, payer: insurance ?? .patient, method: method,
                reference: reference, amount: amount, postingDateDaysSince1970: date)
        }
    }
}

/// Part of a payment was applied to a charge, settling what the payer's responsibility owes on it.
public struct PaymentApplied: ClinicEventBody {
    /// The payment applied from.
    public let paymentID: EventID
    /// The charge applied to.
    public let chargeID: EventID
    /// The amount applied, above zero.
    public let amount: MoneyCents
    /// Whether the staff recorded the part above what is owed as a credit on the charge.
    public let isCredit: Bool
    /// The office day the application is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates an application, validating the amount.
    public init(
        paymentID: EventID, chargeID: EventID, amount: MoneyCents, isCredit: Bool = false,
        postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard amount.cents > 0 else { throw .amountNotPositive }
        self.paymentID = paymentID
        self.chargeID = chargeID
        self.amount = amount
        self.isCredit = isCredit
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `PaymentApplied`.
    public static let eventType = "PaymentApplied"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only a payment and a charge and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("paymentID", .eventID),
                    FieldSpec("chargeID", .eventID),
                    FieldSpec("amountCents", .varInt),
                    FieldSpec("isCredit", .bool),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(paymentID)
        encoder.writeEventID(chargeID)
        encoder.writeVarInt(amount.cents)
        encoder.writeBool(isCredit)
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PaymentApplied {
        let paymentID = try decoder.readEventID(field: "paymentID")
        let chargeID = try decoder.readEventID(field: "chargeID")
        let amountOffset = decoder.offset
        let amount = try decoder.readMoney(field: "amountCents")
        let isCredit = try decoder.readBool(field: "isCredit")
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "amountCents", offset: amountOffset) {
            try PaymentApplied(
                paymentID: paymentID, chargeID: chargeID, amount: amount, isCredit: isCredit,
                postingDateDaysSince1970: date)
        }
    }
}

/// Money of a payment was given back to its payer.
public struct RefundIssued: ClinicEventBody {
    /// The payment refunded from.
    public let paymentID: EventID
    /// The amount refunded, above zero.
    public let amount: MoneyCents
    /// How the money was given back.
    public let method: PaymentMethod
    /// The office day the refund is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates a refund, validating the amount.
    public init(
        paymentID: EventID, amount: MoneyCents, method: PaymentMethod, postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard amount.cents > 0 else { throw .amountNotPositive }
        self.paymentID = paymentID
        self.amount = amount
        self.method = method
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `RefundIssued`.
    public static let eventType = "RefundIssued"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only a payment and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("paymentID", .eventID),
                    FieldSpec("amountCents", .varInt),
                    FieldSpec("method", .varUInt),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(paymentID)
        encoder.writeVarInt(amount.cents)
        encoder.writeVarUInt(UInt64(method.rawValue))
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> RefundIssued {
        let paymentID = try decoder.readEventID(field: "paymentID")
        let amountOffset = decoder.offset
        let amount = try decoder.readMoney(field: "amountCents")
        let method = try decoder.readPaymentMethod(field: "method")
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "amountCents", offset: amountOffset) {
            try RefundIssued(paymentID: paymentID, amount: amount, method: method, postingDateDaysSince1970: date)
        }
    }
}

/// A charge or a payment was voided: it counts as never having happened, and the void references it.
public protocol BillingVoid: ClinicEventBody {
    /// The voided original: a charge id or a payment id.
    var originalID: EventID { get }
    /// The account's patient, whose key seals the reason; nil only for events written at version 1.
    var patientID: EventID? { get }
    /// Why it was voided (patient data: free text about the patient's account).
    var reason: String { get }
    /// The open office day the void is posted on, in days since 1970-01-01.
    var postingDateDaysSince1970: Int64 { get }
    /// Creates the void after its fields were validated.
    init(validatedOriginalID: EventID, patientID: EventID?, reason: String, postingDateDaysSince1970: Int64)
}

extension BillingVoid {
    /// Creates a void, validating the reason.
    public init(
        originalID: EventID, patientID: EventID?, reason: String, postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard !reason.utf8.isEmpty, reason.utf8.count <= BillingValidationError.reasonByteCountMax else {
            throw .reasonLength
        }
        self.init(
            validatedOriginalID: originalID, patientID: patientID, reason: reason,
            postingDateDaysSince1970: postingDateDaysSince1970)
    }

    /// Version 2 adds the patient and seals the reason.
    public static var currentSchemaVersion: UInt32 { 2 }

    /// The account's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 (the original, the reason, the posting date) and version 2 (the original, the patient, the reason
    /// sealed, the posting date).
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: BillingValidationError.reasonByteCountMax)
        return [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("originalID", .eventID),
                    FieldSpec("reason", reason),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("originalID", .eventID),
                    FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("reason", .sealed(reason)),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ]),
        ]
    }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the reason is held in clear.
    public static var upcasters: [Upcaster] {
        [Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2, transform: EventFields.upcastAddingPatient)]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(originalID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> Self {
        let originalID = try decoder.readEventID(field: "originalID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let reasonOffset = decoder.offset
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: BillingValidationError.reasonByteCountMax, patient: patientID)
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "reason", offset: reasonOffset) {
            try Self(originalID: originalID, patientID: patientID, reason: reason, postingDateDaysSince1970: date)
        }
    }
}

/// A charge was voided; it must have no payments applied and no adjustments left when it is.
public struct ChargeVoided: BillingVoid {
    /// `ChargeVoided`.
    public static let eventType = "ChargeVoided"
    /// The voided charge.
    public let originalID: EventID
    /// The account's patient; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why it was voided.
    public let reason: String
    /// The open office day the void is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates the void from fields already validated; use the validating `init(originalID:patientID:reason:...)`.
    public init(validatedOriginalID: EventID, patientID: EventID?, reason: String, postingDateDaysSince1970: Int64) {
        originalID = validatedOriginalID
        self.patientID = patientID
        self.reason = reason
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }
}

/// A payment was voided, with its applications; it must not have been refunded.
public struct PaymentVoided: BillingVoid {
    /// `PaymentVoided`.
    public static let eventType = "PaymentVoided"
    /// The voided payment.
    public let originalID: EventID
    /// The account's patient; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why it was voided.
    public let reason: String
    /// The open office day the void is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates the void from fields already validated; use the validating `init(originalID:patientID:reason:...)`.
    public init(validatedOriginalID: EventID, patientID: EventID?, reason: String, postingDateDaysSince1970: Int64) {
        originalID = validatedOriginalID
        self.patientID = patientID
        self.reason = reason
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }
}
