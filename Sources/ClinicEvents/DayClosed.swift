import RecordLog

/// The totals of one office day, per category, in cents; none is negative.
public struct DayTotals: Hashable, Sendable {
    /// Charges posted.
    public let charges: MoneyCents
    /// Payments received.
    public let payments: MoneyCents
    /// Adjustments posted.
    public let adjustments: MoneyCents
    /// Refunds issued.
    public let refunds: MoneyCents
    /// Charges voided.
    public let chargeVoids: MoneyCents
    /// Payments voided.
    public let paymentVoids: MoneyCents

    /// Creates totals, refusing a negative one.
    public init(
        charges: MoneyCents, payments: MoneyCents, adjustments: MoneyCents, refunds: MoneyCents,
        chargeVoids: MoneyCents, paymentVoids: MoneyCents
    ) throws(BillingValidationError) {
        guard [charges, payments, adjustments, refunds, chargeVoids, paymentVoids].allSatisfy({ $0.cents >= 0 }) else {
            throw .negativeTotal
        }
        self.charges = charges
        self.payments = payments
        self.adjustments = adjustments
        self.refunds = refunds
        self.chargeVoids = chargeVoids
        self.paymentVoids = paymentVoids
    }

    /// All zero.
    public static var zero: DayTotals {
        DayTotals(unchecked: .zero)
    }

    private init(unchecked zero: MoneyCents) {
        charges = zero
        payments = zero
        adjustments = zero
        refunds = zero
        chargeVoids = zero
        paymentVoids = zero
    }
}

/// An office day was closed: its postings are final, and its totals are recorded for the day sheet.
public struct DayClosed: ClinicEventBody {
    /// The closed day, in days since 1970-01-01.
    public let dateDaysSince1970: Int64
    /// The day's totals per category.
    public let totals: DayTotals

    /// Creates the event.
    public init(dateDaysSince1970: Int64, totals: DayTotals) {
        self.dateDaysSince1970 = dateDaysSince1970
        self.totals = totals
    }

    /// `DayClosed`.
    public static let eventType = "DayClosed"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: a day close belongs to the office, not to a patient.
    public var subjectPatientID: EventID? { nil }

    private static let totalNames = [
        "chargesCents", "paymentsCents", "adjustmentsCents", "refundsCents", "chargeVoidsCents", "paymentVoidsCents",
    ]

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("dateDaysSince1970", .varInt)] + totalNames.map { FieldSpec($0, .varInt) })
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeVarInt(dateDaysSince1970)
        for total in [
            totals.charges, totals.payments, totals.adjustments, totals.refunds, totals.chargeVoids,
            totals.paymentVoids,
        ] {
            encoder.writeVarInt(total.cents)
        }
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> DayClosed {
        let date = try decoder.readVarInt(field: "dateDaysSince1970")
        let totalsOffset = decoder.offset
        var amounts: [MoneyCents] = []
        for name in totalNames { amounts.append(try decoder.readMoney(field: name)) }
        let totals = try decoder.validated(field: "chargesCents", offset: totalsOffset) {
            try DayTotals(
                charges: amounts[0], payments: amounts[1], adjustments: amounts[2], refunds: amounts[3],
                chargeVoids: amounts[4], paymentVoids: amounts[5])
        }
        return DayClosed(dateDaysSince1970: date, totals: totals)
    }
}
