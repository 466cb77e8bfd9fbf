import ClinicEvents
import RecordLog

/// A patient as the demo generator knows them.
struct DemoPatient {
    /// Where the patient's record stands.
    enum Status: Equatable {
        case active
        case deceased
        case mergedAway
    }

    /// One coverage in force.
    struct Coverage {
        let coverageID: EventID
        let payerIndex: Int
        let order: CoverageOrder
        let copayCents: Int64
        let effectiveDay: Int64
    }

    let patientID: EventID
    let familyName: String
    let givenName: String
    /// The misspelled given name registered (`givenName` is the right one), until the front desk corrects it.
    var misspelledGivenName: String?
    let birthDay: Int64
    let registeredDay: Int64
    /// Whether the patient is new to the office (their first visit is a new-patient visit), rather than one of its
    /// patients from before the history.
    let isNewToOffice: Bool
    var status: Status = .active
    var coverages: [Coverage] = []
    /// Chronic conditions, by index in `DemoCatalogue.chronicReasons`.
    var chronicConditions: [Int]
    /// Medications active now: their id and the chronic condition they treat (nil for a short course).
    var activeMedications: [(id: EventID, condition: Int?)] = []
    /// Problems on the list: their id and whether they are chronic.
    var activeProblems: [(id: EventID, isChronic: Bool)] = []
    var activeAllergies: [EventID] = []
    var hasAllergyHistoryTaken = false
    var notes: [EventID] = []
    var acknowledgedNoticeVersion: String?
    var visitCount = 0
    /// Appointments booked and not yet over, by index.
    var openAppointments: [Int] = []
    /// Whether the patient asked for a restriction of disclosures to their health plan.
    var hasRestrictionRequest = false
    var researchConsentID: EventID?
    /// Usual measurements, in thousandths of their unit.
    let weightThousandths: Int64
    let heightThousandths: Int64
    let systolicThousandths: Int64
    let diastolicThousandths: Int64

    /// The primary coverage in force, if any.
    var primaryCoverage: Coverage? { coverages.first { $0.order == .primary } }
    /// The secondary coverage in force, if any.
    var secondaryCoverage: Coverage? { coverages.first { $0.order == .secondary } }
}

/// An appointment slot planned ahead and, once booked, the appointment and its visit.
struct DemoAppointment {
    /// What becomes of the appointment, decided when it is planned.
    enum Fate: Equatable {
        /// The visit takes place.
        case seen
        /// The patient cancels at a local minute of a day.
        case cancelled(day: Int64, minuteOfDay: Int)
        /// The patient does not come.
        case noShow
        /// The front desk moves it to another day.
        case rescheduled(day: Int64, minuteOfDay: Int)
        /// The booking was a mistake and is entered in error.
        case enteredInError(day: Int64, minuteOfDay: Int)
    }

    /// Where the appointment stands, as the schedule's state machine has it.
    enum Status: Equatable {
        case planned
        case booked
        case confirmed
        case arrived
        case checkedIn
        case roomed
        case checkedOut
        case cancelled
        case noShow
        case enteredInError
    }

    /// The kind of visit.
    enum Kind: Equatable {
        case newPatient
        case physical
        case chronicFollowUp(condition: Int)
        case acute(reason: Int)
    }

    let appointmentID: EventID
    let providerIndex: Int
    var day: Int64
    var startMinuteOfDay: Int
    let durationMinutes: Int
    let bookingDay: Int64
    let bookingMinuteOfDay: Int
    var fate: Fate
    var status: Status = .planned
    var patientIndex = -1
    var kind: Kind = .acute(reason: 0)
    var encounterID: EventID?
    var copayPaymentID: EventID?
    var chargeIDs: [EventID] = []

    /// Whether the appointment is booked and may still be confirmed, moved, cancelled or marked.
    var isPending: Bool { status == .booked || status == .confirmed }
}

/// A charge as the demo generator knows it: what each responsibility owes.
struct DemoCharge {
    let chargeID: EventID
    let patientIndex: Int
    let amountCents: Int64
    /// The CPT or HCPCS code charged.
    let procedureCode: String
    /// What the patient (0) and insurance levels 1 to 3 owe, in cents.
    var owedCents: [Int64] = [0, 0, 0, 0]
    var isVoided = false
}

/// A payment as the demo generator knows it.
struct DemoPayment {
    let paymentID: EventID
    let patientIndex: Int
    let payer: Payer
    let method: PaymentMethod
    let amountCents: Int64
    var unappliedCents: Int64
    var refundedCents: Int64 = 0
    var isVoided = false
    /// The applications made, to undo them on a void: charge, responsibility index, cents.
    var applications: [(chargeID: EventID, responsibility: Int, cents: Int64)] = []
}

/// A claim: the charges of one visit sent to the patient's insurance.
struct DemoClaim {
    let patientIndex: Int
    let chargeIDs: [EventID]
    let primary: DemoPatient.Coverage
    let secondary: DemoPatient.Coverage?
}

/// The totals of the office day being simulated, as `DayTotals` defines them, summed from every posting dated on it.
struct DemoDayTotals {
    var chargesCents: Int64 = 0
    var paymentsCents: Int64 = 0
    var adjustmentsCents: Int64 = 0
    var refundsCents: Int64 = 0
    var chargeVoidsCents: Int64 = 0
    var paymentVoidsCents: Int64 = 0
}
