import ClinicEvents

/// The stable code of every refusal: its case name, as the CLI prints it in `--json` errors.
protocol RuleCoded {
    /// The case name of the refusal.
    var code: String { get }
}

extension SchedulingRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .appointmentAlreadyExists: "appointmentAlreadyExists"
        case .appointmentNotFound: "appointmentNotFound"
        case .startInPast: "startInPast"
        case .outsideAvailability: "outsideAvailability"
        case .offSlotGrid: "offSlotGrid"
        case .overlapsAnotherAppointment: "overlapsAnotherAppointment"
        case .overbookApproverNotPermitted: "overbookApproverNotPermitted"
        case .checkInOfCancelledAppointment: "checkInOfCancelledAppointment"
        case .checkOutBeforeCheckIn: "checkOutBeforeCheckIn"
        case .noShowBeforeStart: "noShowBeforeStart"
        case .transitionNotAllowed: "transitionNotAllowed"
        }
    }
}

extension BillingRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .dayClosed: "dayClosed"
        case .dayAlreadyClosed: "dayAlreadyClosed"
        case .chargeAlreadyExists: "chargeAlreadyExists"
        case .encounterNotFound: "encounterNotFound"
        case .encounterOfAnotherPatient: "encounterOfAnotherPatient"
        case .encounterEnteredInError: "encounterEnteredInError"
        case .diagnosisPointerNotFound: "diagnosisPointerNotFound"
        case .feeNotScheduled: "feeNotScheduled"
        case .paymentAlreadyExists: "paymentAlreadyExists"
        case .adjustmentAlreadyExists: "adjustmentAlreadyExists"
        case .paymentNotFound: "paymentNotFound"
        case .chargeNotFound: "chargeNotFound"
        case .originalVoided: "originalVoided"
        case .applicationExceedsOwed: "applicationExceedsOwed"
        case .applicationExceedsPayment: "applicationExceedsPayment"
        case .adjustmentExceedsBalance: "adjustmentExceedsBalance"
        case .refundExceedsPayment: "refundExceedsPayment"
        case .transferExceedsSource: "transferExceedsSource"
        case .chargeHasActivity: "chargeHasActivity"
        case .paymentRefunded: "paymentRefunded"
        }
    }
}

extension ChartRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .entryIDAlreadyUsed: "entryIDAlreadyUsed"
        case .entryNotFound: "entryNotFound"
        case .entryNotActive: "entryNotActive"
        case .alreadyEnteredInError: "alreadyEnteredInError"
        case .noteAlreadySigned: "noteAlreadySigned"
        case .amendedEntryNotFound: "amendedEntryNotFound"
        case .correctingEntryNotFound: "correctingEntryNotFound"
        case .amendmentAlreadyDecided: "amendmentAlreadyDecided"
        }
    }
}

extension DisclosureRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .idAlreadyUsed: "idAlreadyUsed"
        case .consentNotFound: "consentNotFound"
        case .consentAlreadyRevoked: "consentAlreadyRevoked"
        case .revocationBeforeReliedOnDisclosure: "revocationBeforeReliedOnDisclosure"
        case .restrictionNotFound: "restrictionNotFound"
        case .restrictionAlreadyAgreed: "restrictionAlreadyAgreed"
        case .disclosureInFuture: "disclosureInFuture"
        case .basisDoesNotMatchPurpose: "basisDoesNotMatchPurpose"
        case .consentNotYetEffective: "consentNotYetEffective"
        case .consentExpired: "consentExpired"
        case .consentRevoked: "consentRevoked"
        case .consentDoesNotCover: "consentDoesNotCover"
        case .authorizationNotFound: "authorizationNotFound"
        case .authorizationNotYetSigned: "authorizationNotYetSigned"
        case .authorizationExpired: "authorizationExpired"
        case .authorizationRevoked: "authorizationRevoked"
        case .authorizationDoesNotCover: "authorizationDoesNotCover"
        case .restrictedByAgreement: "restrictedByAgreement"
        }
    }
}

extension PatientRecordRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .patientNotRegistered: "patientNotRegistered"
        case .registrationNotIdentified: "registrationNotIdentified"
        case .patientErased: "patientErased"
        case .patientMergedAway: "patientMergedAway"
        case .mergeIntoItself: "mergeIntoItself"
        case .survivorNotActive: "survivorNotActive"
        case .deathAlreadyRecorded: "deathAlreadyRecorded"
        case .deathNotRecorded: "deathNotRecorded"
        }
    }
}

extension CoverageRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .coverageIDAlreadyUsed: "coverageIDAlreadyUsed"
        case .coverageNotFound: "coverageNotFound"
        case .orderAlreadyCovered: "orderAlreadyCovered"
        case .coverageAlreadyEnded: "coverageAlreadyEnded"
        case .terminationBeforeEffective: "terminationBeforeEffective"
        }
    }
}

extension RetentionPolicyRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        }
    }
}

extension FeeScheduleRefusal: RuleCoded {
    /// The case name.
    var code: String {
        switch self {
        case .roleNotPermitted: "roleNotPermitted"
        case .detailsInvalid: "detailsInvalid"
        case .feeNotFound: "feeNotFound"
        }
    }
}
