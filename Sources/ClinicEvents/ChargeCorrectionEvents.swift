import RecordLog

/// An adjustment reduced what one responsibility owes on a charge (a contractual write-off, a courtesy discount).
public struct AdjustmentPosted: ClinicEventBody {
    /// The adjustment's own id.
    public let adjustmentID: EventID
    /// The charge adjusted.
    public let chargeID: EventID
    /// The responsibility whose balance the adjustment reduces.
    public let responsibility: Responsibility
    /// The amount adjusted, above zero.
    public let amount: MoneyCents
    /// Why, as a CARC-style group and reason code.
    public let reasonCode: AdjustmentReasonCode
    /// The office day the adjustment is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates an adjustment, validating the responsibility and the amount.
    public init(
        adjustmentID: EventID, chargeID: EventID, responsibility: Responsibility, amount: MoneyCents,
        reasonCode: AdjustmentReasonCode, postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard responsibility.isValid else { throw .responsibilityInvalid }
        guard amount.cents > 0 else { throw .amountNotPositive }
        self.adjustmentID = adjustmentID
        self.chargeID = chargeID
        self.responsibility = responsibility
        self.amount = amount
        self.reasonCode = reasonCode
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `AdjustmentPosted`.
    public static let eventType = "AdjustmentPosted"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only an adjustment and a charge and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("adjustmentID", .eventID),
                    FieldSpec("chargeID", .eventID),
                    FieldSpec("responsibility", .varUInt),
                    FieldSpec("amountCents", .varInt),
                    FieldSpec("reasonCode", .string(byteCountMax: AdjustmentReasonCode.byteCountMax)),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(adjustmentID)
        encoder.writeEventID(chargeID)
        encoder.writeResponsibility(responsibility)
        encoder.writeVarInt(amount.cents)
        encoder.writeString(reasonCode.code)
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AdjustmentPosted {
        let adjustmentID = try decoder.readEventID(field: "adjustmentID")
        let chargeID = try decoder.readEventID(field: "chargeID")
        let responsibility = try decoder.readResponsibility(field: "responsibility")
        let amountOffset = decoder.offset
        let amount = try decoder.readMoney(field: "amountCents")
        let codeOffset = decoder.offset
        let text = try decoder.readString(field: "reasonCode", byteCountMax: AdjustmentReasonCode.byteCountMax)
        let reasonCode = try decoder.validated(field: "reasonCode", offset: codeOffset) {
            try AdjustmentReasonCode(text)
        }
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "amountCents", offset: amountOffset) {
            try AdjustmentPosted(
                adjustmentID: adjustmentID, chargeID: chargeID, responsibility: responsibility, amount: amount,
                reasonCode: reasonCode, postingDateDaysSince1970: date)
        }
    }
}

/// Part of a charge moved from one responsibility to another (to the patient after insurance, to the secondary).
public struct ResponsibilityTransferred: ClinicEventBody {
    /// The charge whose balance moves.
    public let chargeID: EventID
    /// The responsibility the amount leaves.
    public let from: Responsibility
    /// The responsibility the amount goes to.
    public let to: Responsibility
    /// The amount moved, above zero.
    public let amount: MoneyCents
    /// The office day the transfer is posted on, in days since 1970-01-01.
    public let postingDateDaysSince1970: Int64

    /// Creates a transfer, validating both responsibilities (different and well formed) and the amount.
    public init(
        chargeID: EventID, from: Responsibility, to: Responsibility, amount: MoneyCents,
        postingDateDaysSince1970: Int64
    ) throws(BillingValidationError) {
        guard from.isValid, to.isValid, from != to else { throw .responsibilityInvalid }
        guard amount.cents > 0 else { throw .amountNotPositive }
        self.chargeID = chargeID
        self.from = from
        self.to = to
        self.amount = amount
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `ResponsibilityTransferred`.
    public static let eventType = "ResponsibilityTransferred"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only a charge and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("chargeID", .eventID),
                    FieldSpec("from", .varUInt),
                    FieldSpec("to", .varUInt),
                    FieldSpec("amountCents", .varInt),
                    FieldSpec("postingDateDaysSince1970", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(chargeID)
        encoder.writeResponsibility(from)
        encoder.writeResponsibility(to)
        encoder.writeVarInt(amount.cents)
        encoder.writeVarInt(postingDateDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ResponsibilityTransferred {
        let chargeID = try decoder.readEventID(field: "chargeID")
        let fromOffset = decoder.offset
        let from = try decoder.readResponsibility(field: "from")
        let to = try decoder.readResponsibility(field: "to")
        let amount = try decoder.readMoney(field: "amountCents")
        let date = try decoder.readVarInt(field: "postingDateDaysSince1970")
        return try decoder.validated(field: "ResponsibilityTransferred", offset: fromOffset) {
            try ResponsibilityTransferred(
                chargeID: chargeID, from: from, to: to, amount: amount, postingDateDaysSince1970: date)
        }
    }
}
