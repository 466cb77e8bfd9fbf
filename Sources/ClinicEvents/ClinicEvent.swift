import RecordLog

/// Every event the catalogue knows, as one closed enumeration.
public enum ClinicEvent: Equatable, Sendable {
    /// A patient was registered.
    case patientRegistered(PatientRegistered)
    /// Vital signs were recorded.
    case vitalsRecorded(VitalsRecorded)
    /// A charge was posted.
    case chargePosted(ChargePosted)
    /// A provider's availability window was defined.
    case providerAvailabilityDefined(ProviderAvailabilityDefined)
    /// An appointment was booked.
    case appointmentBooked(AppointmentBooked)
    /// An appointment was rescheduled.
    case appointmentRescheduled(AppointmentRescheduled)
    /// An appointment was confirmed.
    case appointmentConfirmed(AppointmentConfirmed)
    /// A patient arrived for an appointment.
    case patientArrived(PatientArrived)
    /// A patient was checked in.
    case patientCheckedIn(PatientCheckedIn)
    /// A patient was roomed.
    case patientRoomed(PatientRoomed)
    /// A patient was checked out.
    case patientCheckedOut(PatientCheckedOut)
    /// An appointment was cancelled.
    case appointmentCancelled(AppointmentCancelled)
    /// A patient did not come to an appointment.
    case appointmentNoShow(AppointmentNoShow)
    /// An appointment was entered in error.
    case appointmentEnteredInError(AppointmentEnteredInError)

    /// An allergy or intolerance was recorded in a chart.
    case allergyRecorded(AllergyRecorded)
    /// An allergy was resolved.
    case allergyResolved(AllergyResolved)
    /// An allergy entry was entered in error.
    case allergyEnteredInError(AllergyEnteredInError)
    /// A medication was started.
    case medicationStarted(MedicationStarted)
    /// A medication was stopped.
    case medicationStopped(MedicationStopped)
    /// A diagnosis was added to the problem list.
    case problemAdded(ProblemAdded)
    /// A problem was resolved.
    case problemResolved(ProblemResolved)
    /// A clinical note was signed.
    case noteSigned(NoteSigned)
    /// An addendum to a signed note was signed.
    case noteAddendumSigned(NoteAddendumSigned)
    /// A patient requested an amendment of chart entries.
    case amendmentRequested(AmendmentRequested)
    /// An amendment was accepted.
    case amendmentAccepted(AmendmentAccepted)
    /// An amendment was denied.
    case amendmentDenied(AmendmentDenied)
    /// A payment was posted.
    case paymentPosted(PaymentPosted)
    /// A payment was applied to a charge.
    case paymentApplied(PaymentApplied)
    /// An adjustment was posted against a charge.
    case adjustmentPosted(AdjustmentPosted)
    /// A refund was issued from a payment.
    case refundIssued(RefundIssued)
    /// Part of a charge moved between responsibilities.
    case responsibilityTransferred(ResponsibilityTransferred)
    /// A charge was voided.
    case chargeVoided(ChargeVoided)
    /// A payment was voided.
    case paymentVoided(PaymentVoided)
    /// An office day was closed.
    case dayClosed(DayClosed)
    /// A fee was set in the office's fee schedule.
    case feeScheduled(FeeScheduled)
    /// A fee was withdrawn from the office's fee schedule.
    case feeWithdrawn(FeeWithdrawn)
    /// The patient acknowledged the notice of privacy practices.
    case privacyNoticeAcknowledged(PrivacyNoticeAcknowledged)
    /// The patient granted a consent to disclosures.
    case consentGranted(ConsentGranted)
    /// A consent or authorization was revoked.
    case consentRevoked(ConsentRevoked)
    /// A signed 164.508 authorization was recorded.
    indirect case authorizationRecorded(AuthorizationRecorded)
    /// The patient requested a 164.522 restriction.
    case restrictionRequested(RestrictionRequested)
    /// The office agreed to a restriction.
    case restrictionAgreed(RestrictionAgreed)
    /// A disclosure of the patient's information was recorded.
    indirect case disclosureRecorded(DisclosureRecorded)
    /// A registration's demographics were corrected.
    case demographicsCorrected(DemographicsCorrected)
    /// A duplicate patient record was merged into the surviving one.
    case patientsMerged(PatientsMerged)
    /// A patient's death was recorded.
    case patientDeathRecorded(PatientDeathRecorded)
    /// A patient was erased (crypto-shredding marker).
    case patientErased(PatientErased)
    /// A payer was defined.
    case payerDefined(PayerDefined)
    /// A coverage was added.
    case coverageAdded(CoverageAdded)
    /// A coverage ended.
    case coverageEnded(CoverageEnded)
    /// A coverage's eligibility was checked.
    case eligibilityChecked(EligibilityChecked)
    /// A staff member was added.
    case staffMemberAdded(StaffMemberAdded)
    /// A role was granted to a staff member.
    case staffRoleGranted(StaffRoleGranted)
    /// A role was revoked from a staff member.
    case staffRoleRevoked(StaffRoleRevoked)
    /// A staff member accessed a patient's record.
    case recordAccessed(RecordAccessed)
    /// A staff member used break-glass access.
    case breakGlassUsed(BreakGlassUsed)
    /// A request was refused by access control.
    case accessDenied(AccessDenied)
    /// A staff member signed in.
    case staffSignedIn(StaffSignedIn)
    /// A sign-in failed.
    case signInFailed(SignInFailed)
    /// A staff member's session ended.
    case staffSignedOut(StaffSignedOut)
    /// A staff member's passphrase was set.
    case passphraseSet(PassphraseSet)
    /// The master key was rotated.
    case masterKeyRotated(MasterKeyRotated)
    /// The office set its retention policy.
    case retentionPolicySet(RetentionPolicySet)
    /// The body types of the catalogue, each registered in `EventCodec.makeStandardRegistry()`.
    public static let bodyTypes: [any ClinicEventBody.Type] = [
        PatientRegistered.self, VitalsRecorded.self, ChargePosted.self, ProviderAvailabilityDefined.self,
        AppointmentBooked.self, AppointmentRescheduled.self, AppointmentConfirmed.self, PatientArrived.self,
        PatientCheckedIn.self, PatientRoomed.self, PatientCheckedOut.self, AppointmentCancelled.self,
        AppointmentNoShow.self, AppointmentEnteredInError.self,
        AllergyRecorded.self, AllergyResolved.self, AllergyEnteredInError.self, MedicationStarted.self,
        MedicationStopped.self, ProblemAdded.self, ProblemResolved.self, NoteSigned.self, NoteAddendumSigned.self,
        AmendmentRequested.self, AmendmentAccepted.self, AmendmentDenied.self,
        PaymentPosted.self, PaymentApplied.self, AdjustmentPosted.self, RefundIssued.self,
        ResponsibilityTransferred.self, ChargeVoided.self, PaymentVoided.self, DayClosed.self, FeeScheduled.self,
        FeeWithdrawn.self,
        PrivacyNoticeAcknowledged.self, ConsentGranted.self, ConsentRevoked.self, AuthorizationRecorded.self,
        RestrictionRequested.self, RestrictionAgreed.self, DisclosureRecorded.self,
        DemographicsCorrected.self, PatientsMerged.self, PatientDeathRecorded.self, PatientErased.self,
        PayerDefined.self, CoverageAdded.self, CoverageEnded.self, EligibilityChecked.self,
        StaffMemberAdded.self, StaffRoleGranted.self, StaffRoleRevoked.self, RecordAccessed.self, BreakGlassUsed.self,
        AccessDenied.self, StaffSignedIn.self, SignInFailed.self, StaffSignedOut.self, PassphraseSet.self,
        MasterKeyRotated.self, RetentionPolicySet.self,
    ]

    /// The event type name written in the envelope.
    public var eventType: String {
        switch self {
        case .patientRegistered: PatientRegistered.eventType
        case .vitalsRecorded: VitalsRecorded.eventType
        case .chargePosted: ChargePosted.eventType
        case .providerAvailabilityDefined: ProviderAvailabilityDefined.eventType
        case .appointmentBooked: AppointmentBooked.eventType
        case .appointmentRescheduled: AppointmentRescheduled.eventType
        case .appointmentConfirmed: AppointmentConfirmed.eventType
        case .patientArrived: PatientArrived.eventType
        case .patientCheckedIn: PatientCheckedIn.eventType
        case .patientRoomed: PatientRoomed.eventType
        case .patientCheckedOut: PatientCheckedOut.eventType
        case .appointmentCancelled: AppointmentCancelled.eventType
        case .appointmentNoShow: AppointmentNoShow.eventType
        case .appointmentEnteredInError: AppointmentEnteredInError.eventType
        case .allergyRecorded: AllergyRecorded.eventType
        case .allergyResolved: AllergyResolved.eventType
        case .allergyEnteredInError: AllergyEnteredInError.eventType
        case .medicationStarted: MedicationStarted.eventType
        case .medicationStopped: MedicationStopped.eventType
        case .problemAdded: ProblemAdded.eventType
        case .problemResolved: ProblemResolved.eventType
        case .noteSigned: NoteSigned.eventType
        case .noteAddendumSigned: NoteAddendumSigned.eventType
        case .amendmentRequested: AmendmentRequested.eventType
        case .amendmentAccepted: AmendmentAccepted.eventType
        case .amendmentDenied: AmendmentDenied.eventType
        case .paymentPosted: PaymentPosted.eventType
        case .paymentApplied: PaymentApplied.eventType
        case .adjustmentPosted: AdjustmentPosted.eventType
        case .refundIssued: RefundIssued.eventType
        case .responsibilityTransferred: ResponsibilityTransferred.eventType
        case .chargeVoided: ChargeVoided.eventType
        case .paymentVoided: PaymentVoided.eventType
        case .dayClosed: DayClosed.eventType
        case .feeScheduled: FeeScheduled.eventType
        case .feeWithdrawn: FeeWithdrawn.eventType
        case .privacyNoticeAcknowledged: PrivacyNoticeAcknowledged.eventType
        case .consentGranted: ConsentGranted.eventType
        case .consentRevoked: ConsentRevoked.eventType
        case .authorizationRecorded: AuthorizationRecorded.eventType
        case .restrictionRequested: RestrictionRequested.eventType
        case .restrictionAgreed: RestrictionAgreed.eventType
        case .disclosureRecorded: DisclosureRecorded.eventType
        case .demographicsCorrected: DemographicsCorrected.eventType
        case .patientsMerged: PatientsMerged.eventType
        case .patientDeathRecorded: PatientDeathRecorded.eventType
        case .patientErased: PatientErased.eventType
        case .payerDefined: PayerDefined.eventType
        case .coverageAdded: CoverageAdded.eventType
        case .coverageEnded: CoverageEnded.eventType
        case .eligibilityChecked: EligibilityChecked.eventType
        case .staffMemberAdded: StaffMemberAdded.eventType
        case .staffRoleGranted: StaffRoleGranted.eventType
        case .staffRoleRevoked: StaffRoleRevoked.eventType
        case .recordAccessed: RecordAccessed.eventType
        case .breakGlassUsed: BreakGlassUsed.eventType
        case .accessDenied: AccessDenied.eventType
        case .staffSignedIn: StaffSignedIn.eventType
        case .signInFailed: SignInFailed.eventType
        case .staffSignedOut: StaffSignedOut.eventType
        case .passphraseSet: PassphraseSet.eventType
        case .masterKeyRotated: MasterKeyRotated.eventType
        case .retentionPolicySet: RetentionPolicySet.eventType
        }
    }

    /// The patient the event is about, whose data key seals its patient data: the patient its body names (the merged
    /// patient of a merge); nil for events of no patient (staff, payers, fees, retention policy, availability, day
    /// close) and for events that name only an entry, a coverage or an appointment (they carry no patient data).
    public var subjectPatientID: EventID? {
        switch self {
        case .patientRegistered(let body): body.subjectPatientID
        case .vitalsRecorded(let body): body.subjectPatientID
        case .chargePosted(let body): body.subjectPatientID
        case .providerAvailabilityDefined(let body): body.subjectPatientID
        case .appointmentBooked(let body): body.subjectPatientID
        case .appointmentRescheduled(let body): body.subjectPatientID
        case .appointmentConfirmed(let body): body.subjectPatientID
        case .patientArrived(let body): body.subjectPatientID
        case .patientCheckedIn(let body): body.subjectPatientID
        case .patientRoomed(let body): body.subjectPatientID
        case .patientCheckedOut(let body): body.subjectPatientID
        case .appointmentCancelled(let body): body.subjectPatientID
        case .appointmentNoShow(let body): body.subjectPatientID
        case .appointmentEnteredInError(let body): body.subjectPatientID
        case .allergyRecorded(let body): body.subjectPatientID
        case .allergyResolved(let body): body.subjectPatientID
        case .allergyEnteredInError(let body): body.subjectPatientID
        case .medicationStarted(let body): body.subjectPatientID
        case .medicationStopped(let body): body.subjectPatientID
        case .problemAdded(let body): body.subjectPatientID
        case .problemResolved(let body): body.subjectPatientID
        case .noteSigned(let body): body.subjectPatientID
        case .noteAddendumSigned(let body): body.subjectPatientID
        case .amendmentRequested(let body): body.subjectPatientID
        case .amendmentAccepted(let body): body.subjectPatientID
        case .amendmentDenied(let body): body.subjectPatientID
        case .paymentPosted(let body): body.subjectPatientID
        case .paymentApplied(let body): body.subjectPatientID
        case .adjustmentPosted(let body): body.subjectPatientID
        case .refundIssued(let body): body.subjectPatientID
        case .responsibilityTransferred(let body): body.subjectPatientID
        case .chargeVoided(let body): body.subjectPatientID
        case .paymentVoided(let body): body.subjectPatientID
        case .dayClosed(let body): body.subjectPatientID
        case .feeScheduled(let body): body.subjectPatientID
        case .feeWithdrawn(let body): body.subjectPatientID
        case .privacyNoticeAcknowledged(let body): body.subjectPatientID
        case .consentGranted(let body): body.subjectPatientID
        case .consentRevoked(let body): body.subjectPatientID
        case .authorizationRecorded(let body): body.subjectPatientID
        case .restrictionRequested(let body): body.subjectPatientID
        case .restrictionAgreed(let body): body.subjectPatientID
        case .disclosureRecorded(let body): body.subjectPatientID
        case .demographicsCorrected(let body): body.subjectPatientID
        case .patientsMerged(let body): body.subjectPatientID
        case .patientDeathRecorded(let body): body.subjectPatientID
        case .patientErased(let body): body.subjectPatientID
        case .payerDefined(let body): body.subjectPatientID
        case .coverageAdded(let body): body.subjectPatientID
        case .coverageEnded(let body): body.subjectPatientID
        case .eligibilityChecked(let body): body.subjectPatientID
        case .staffMemberAdded(let body): body.subjectPatientID
        case .staffRoleGranted(let body): body.subjectPatientID
        case .staffRoleRevoked(let body): body.subjectPatientID
        case .recordAccessed(let body): body.subjectPatientID
        case .breakGlassUsed(let body): body.subjectPatientID
        case .accessDenied(let body): body.subjectPatientID
        case .staffSignedIn(let body): body.subjectPatientID
        case .signInFailed(let body): body.subjectPatientID
        case .staffSignedOut(let body): body.subjectPatientID
        case .passphraseSet(let body): body.subjectPatientID
        case .masterKeyRotated(let body): body.subjectPatientID
        case .retentionPolicySet(let body): body.subjectPatientID
        }
    }

    /// The schema version the body is written at: always the current one.
    public var schemaVersion: UInt32 {
        switch self {
        case .patientRegistered: PatientRegistered.currentSchemaVersion
        case .vitalsRecorded: VitalsRecorded.currentSchemaVersion
        case .chargePosted: ChargePosted.currentSchemaVersion
        case .providerAvailabilityDefined: ProviderAvailabilityDefined.currentSchemaVersion
        case .appointmentBooked: AppointmentBooked.currentSchemaVersion
        case .appointmentRescheduled: AppointmentRescheduled.currentSchemaVersion
        case .appointmentConfirmed: AppointmentConfirmed.currentSchemaVersion
        case .patientArrived: PatientArrived.currentSchemaVersion
        case .patientCheckedIn: PatientCheckedIn.currentSchemaVersion
        case .patientRoomed: PatientRoomed.currentSchemaVersion
        case .patientCheckedOut: PatientCheckedOut.currentSchemaVersion
        case .appointmentCancelled: AppointmentCancelled.currentSchemaVersion
        case .appointmentNoShow: AppointmentNoShow.currentSchemaVersion
        case .appointmentEnteredInError: AppointmentEnteredInError.currentSchemaVersion
        case .allergyRecorded: AllergyRecorded.currentSchemaVersion
        case .allergyResolved: AllergyResolved.currentSchemaVersion
        case .allergyEnteredInError: AllergyEnteredInError.currentSchemaVersion
        case .medicationStarted: MedicationStarted.currentSchemaVersion
        case .medicationStopped: MedicationStopped.currentSchemaVersion
        case .problemAdded: ProblemAdded.currentSchemaVersion
        case .problemResolved: ProblemResolved.currentSchemaVersion
        case .noteSigned: NoteSigned.currentSchemaVersion
        case .noteAddendumSigned: NoteAddendumSigned.currentSchemaVersion
        case .amendmentRequested: AmendmentRequested.currentSchemaVersion
        case .amendmentAccepted: AmendmentAccepted.currentSchemaVersion
        case .amendmentDenied: AmendmentDenied.currentSchemaVersion
        case .paymentPosted: PaymentPosted.currentSchemaVersion
        case .paymentApplied: PaymentApplied.currentSchemaVersion
        case .adjustmentPosted: AdjustmentPosted.currentSchemaVersion
        case .refundIssued: RefundIssued.currentSchemaVersion
        case .responsibilityTransferred: ResponsibilityTransferred.currentSchemaVersion
        case .chargeVoided: ChargeVoided.currentSchemaVersion
        case .paymentVoided: PaymentVoided.currentSchemaVersion
        case .dayClosed: DayClosed.currentSchemaVersion
        case .feeScheduled: FeeScheduled.currentSchemaVersion
        case .feeWithdrawn: FeeWithdrawn.currentSchemaVersion
        case .privacyNoticeAcknowledged: PrivacyNoticeAcknowledged.currentSchemaVersion
        case .consentGranted: ConsentGranted.currentSchemaVersion
        case .consentRevoked: ConsentRevoked.currentSchemaVersion
        case .authorizationRecorded: AuthorizationRecorded.currentSchemaVersion
        case .restrictionRequested: RestrictionRequested.currentSchemaVersion
        case .restrictionAgreed: RestrictionAgreed.currentSchemaVersion
        case .disclosureRecorded: DisclosureRecorded.currentSchemaVersion
        case .demographicsCorrected: DemographicsCorrected.currentSchemaVersion
        case .patientsMerged: PatientsMerged.currentSchemaVersion
        case .patientDeathRecorded: PatientDeathRecorded.currentSchemaVersion
        case .patientErased: PatientErased.currentSchemaVersion
        case .payerDefined: PayerDefined.currentSchemaVersion
        case .coverageAdded: CoverageAdded.currentSchemaVersion
        case .coverageEnded: CoverageEnded.currentSchemaVersion
        case .eligibilityChecked: EligibilityChecked.currentSchemaVersion
        case .staffMemberAdded: StaffMemberAdded.currentSchemaVersion
        case .staffRoleGranted: StaffRoleGranted.currentSchemaVersion
        case .staffRoleRevoked: StaffRoleRevoked.currentSchemaVersion
        case .recordAccessed: RecordAccessed.currentSchemaVersion
        case .breakGlassUsed: BreakGlassUsed.currentSchemaVersion
        case .accessDenied: AccessDenied.currentSchemaVersion
        case .staffSignedIn: StaffSignedIn.currentSchemaVersion
        case .signInFailed: SignInFailed.currentSchemaVersion
        case .staffSignedOut: StaffSignedOut.currentSchemaVersion
        case .passphraseSet: PassphraseSet.currentSchemaVersion
        case .masterKeyRotated: MasterKeyRotated.currentSchemaVersion
        case .retentionPolicySet: RetentionPolicySet.currentSchemaVersion
        }
    }

    /// Writes the body at its current schema version.
    public func encode(into encoder: inout BinaryEncoder) {
        switch self {
        case .patientRegistered(let body): body.encode(into: &encoder)
        case .vitalsRecorded(let body): body.encode(into: &encoder)
        case .chargePosted(let body): body.encode(into: &encoder)
        case .providerAvailabilityDefined(let body): body.encode(into: &encoder)
        case .appointmentBooked(let body): body.encode(into: &encoder)
        case .appointmentRescheduled(let body): body.encode(into: &encoder)
        case .appointmentConfirmed(let body): body.encode(into: &encoder)
        case .patientArrived(let body): body.encode(into: &encoder)
        case .patientCheckedIn(let body): body.encode(into: &encoder)
        case .patientRoomed(let body): body.encode(into: &encoder)
        case .patientCheckedOut(let body): body.encode(into: &encoder)
        case .appointmentCancelled(let body): body.encode(into: &encoder)
        case .appointmentNoShow(let body): body.encode(into: &encoder)
        case .appointmentEnteredInError(let body): body.encode(into: &encoder)
        case .allergyRecorded(let body): body.encode(into: &encoder)
        case .allergyResolved(let body): body.encode(into: &encoder)
        case .allergyEnteredInError(let body): body.encode(into: &encoder)
        case .medicationStarted(let body): body.encode(into: &encoder)
        case .medicationStopped(let body): body.encode(into: &encoder)
        case .problemAdded(let body): body.encode(into: &encoder)
        case .problemResolved(let body): body.encode(into: &encoder)
        case .noteSigned(let body): body.encode(into: &encoder)
        case .noteAddendumSigned(let body): body.encode(into: &encoder)
        case .amendmentRequested(let body): body.encode(into: &encoder)
        case .amendmentAccepted(let body): body.encode(into: &encoder)
        case .amendmentDenied(let body): body.encode(into: &encoder)
        case .paymentPosted(let body): body.encode(into: &encoder)
        case .paymentApplied(let body): body.encode(into: &encoder)
        case .adjustmentPosted(let body): body.encode(into: &encoder)
        case .refundIssued(let body): body.encode(into: &encoder)
        case .responsibilityTransferred(let body): body.encode(into: &encoder)
        case .chargeVoided(let body): body.encode(into: &encoder)
        case .paymentVoided(let body): body.encode(into: &encoder)
        case .dayClosed(let body): body.encode(into: &encoder)
        case .feeScheduled(let body): body.encode(into: &encoder)
        case .feeWithdrawn(let body): body.encode(into: &encoder)
        case .privacyNoticeAcknowledged(let body): body.encode(into: &encoder)
        case .consentGranted(let body): body.encode(into: &encoder)
        case .consentRevoked(let body): body.encode(into: &encoder)
        case .authorizationRecorded(let body): body.encode(into: &encoder)
        case .restrictionRequested(let body): body.encode(into: &encoder)
        case .restrictionAgreed(let body): body.encode(into: &encoder)
        case .disclosureRecorded(let body): body.encode(into: &encoder)
        case .demographicsCorrected(let body): body.encode(into: &encoder)
        case .patientsMerged(let body): body.encode(into: &encoder)
        case .patientDeathRecorded(let body): body.encode(into: &encoder)
        case .patientErased(let body): body.encode(into: &encoder)
        case .payerDefined(let body): body.encode(into: &encoder)
        case .coverageAdded(let body): body.encode(into: &encoder)
        case .coverageEnded(let body): body.encode(into: &encoder)
        case .eligibilityChecked(let body): body.encode(into: &encoder)
        case .staffMemberAdded(let body): body.encode(into: &encoder)
        case .staffRoleGranted(let body): body.encode(into: &encoder)
        case .staffRoleRevoked(let body): body.encode(into: &encoder)
        case .recordAccessed(let body): body.encode(into: &encoder)
        case .breakGlassUsed(let body): body.encode(into: &encoder)
        case .accessDenied(let body): body.encode(into: &encoder)
        case .staffSignedIn(let body): body.encode(into: &encoder)
        case .signInFailed(let body): body.encode(into: &encoder)
        case .staffSignedOut(let body): body.encode(into: &encoder)
        case .passphraseSet(let body): body.encode(into: &encoder)
        case .masterKeyRotated(let body): body.encode(into: &encoder)
        case .retentionPolicySet(let body): body.encode(into: &encoder)
        }
    }

    /// Reads a body of `eventType` written at that type's current schema version; nil for an unknown type.
    static func decodeCurrent(eventType: String, from decoder: inout BinaryDecoder) throws -> ClinicEvent? {
        guard let index = bodyReaderIndexes[eventType] else { return nil }
        return try bodyReaders[index].read(&decoder)
    }

    /// A reader of one event type's body at its current schema version.
    struct BodyReader: Sendable {
        /// The event type name, the body type's own string.
        let eventType: String
        /// Reads the body and wraps it in its case.
        let read: @Sendable (inout BinaryDecoder) throws -> ClinicEvent
    }

    /// The reader of every type of the catalogue, in the order of `bodyTypes`.
    static let bodyReaders: [BodyReader] = [
        reader(for: PatientRegistered.self, { .patientRegistered($0) }),
        reader(for: VitalsRecorded.self, { .vitalsRecorded($0) }),
        reader(for: ChargePosted.self, { .chargePosted($0) }),
        reader(for: ProviderAvailabilityDefined.self, { .providerAvailabilityDefined($0) }),
        reader(for: AppointmentBooked.self, { .appointmentBooked($0) }),
        reader(for: AppointmentRescheduled.self, { .appointmentRescheduled($0) }),
        reader(for: AppointmentConfirmed.self, { .appointmentConfirmed($0) }),
        reader(for: PatientArrived.self, { .patientArrived($0) }),
        reader(for: PatientCheckedIn.self, { .patientCheckedIn($0) }),
        reader(for: PatientRoomed.self, { .patientRoomed($0) }),
        reader(for: PatientCheckedOut.self, { .patientCheckedOut($0) }),
        reader(for: AppointmentCancelled.self, { .appointmentCancelled($0) }),
        reader(for: AppointmentNoShow.self, { .appointmentNoShow($0) }),
        reader(for: AppointmentEnteredInError.self, { .appointmentEnteredInError($0) }),
        reader(for: AllergyRecorded.self, { .allergyRecorded($0) }),
        reader(for: AllergyResolved.self, { .allergyResolved($0) }),
        reader(for: AllergyEnteredInError.self, { .allergyEnteredInError($0) }),
        reader(for: MedicationStarted.self, { .medicationStarted($0) }),
        reader(for: MedicationStopped.self, { .medicationStopped($0) }),
        reader(for: ProblemAdded.self, { .problemAdded($0) }),
        reader(for: ProblemResolved.self, { .problemResolved($0) }),
        reader(for: NoteSigned.self, { .noteSigned($0) }),
        reader(for: NoteAddendumSigned.self, { .noteAddendumSigned($0) }),
        reader(for: AmendmentRequested.self, { .amendmentRequested($0) }),
        reader(for: AmendmentAccepted.self, { .amendmentAccepted($0) }),
        reader(for: AmendmentDenied.self, { .amendmentDenied($0) }),
        reader(for: PaymentPosted.self, { .paymentPosted($0) }),
        reader(for: PaymentApplied.self, { .paymentApplied($0) }),
        reader(for: AdjustmentPosted.self, { .adjustmentPosted($0) }),
        reader(for: RefundIssued.self, { .refundIssued($0) }),
        reader(for: ResponsibilityTransferred.self, { .responsibilityTransferred($0) }),
        reader(for: ChargeVoided.self, { .chargeVoided($0) }),
        reader(for: PaymentVoided.self, { .paymentVoided($0) }),
        reader(for: DayClosed.self, { .dayClosed($0) }),
        reader(for: FeeScheduled.self, { .feeScheduled($0) }),
        reader(for: FeeWithdrawn.self, { .feeWithdrawn($0) }),
        reader(for: PrivacyNoticeAcknowledged.self, { .privacyNoticeAcknowledged($0) }),
        reader(for: ConsentGranted.self, { .consentGranted($0) }),
        reader(for: ConsentRevoked.self, { .consentRevoked($0) }),
        reader(for: AuthorizationRecorded.self, { .authorizationRecorded($0) }),
        reader(for: RestrictionRequested.self, { .restrictionRequested($0) }),
        reader(for: RestrictionAgreed.self, { .restrictionAgreed($0) }),
        reader(for: DisclosureRecorded.self, { .disclosureRecorded($0) }),
        reader(for: DemographicsCorrected.self, { .demographicsCorrected($0) }),
        reader(for: PatientsMerged.self, { .patientsMerged($0) }),
        reader(for: PatientDeathRecorded.self, { .patientDeathRecorded($0) }),
        reader(for: PatientErased.self, { .patientErased($0) }),
        reader(for: PayerDefined.self, { .payerDefined($0) }),
        reader(for: CoverageAdded.self, { .coverageAdded($0) }),
        reader(for: CoverageEnded.self, { .coverageEnded($0) }),
        reader(for: EligibilityChecked.self, { .eligibilityChecked($0) }),
        reader(for: StaffMemberAdded.self, { .staffMemberAdded($0) }),
        reader(for: StaffRoleGranted.self, { .staffRoleGranted($0) }),
        reader(for: StaffRoleRevoked.self, { .staffRoleRevoked($0) }),
        reader(for: RecordAccessed.self, { .recordAccessed($0) }),
        reader(for: BreakGlassUsed.self, { .breakGlassUsed($0) }),
        reader(for: AccessDenied.self, { .accessDenied($0) }),
        reader(for: StaffSignedIn.self, { .staffSignedIn($0) }),
        reader(for: SignInFailed.self, { .signInFailed($0) }),
        reader(for: StaffSignedOut.self, { .staffSignedOut($0) }),
        reader(for: PassphraseSet.self, { .passphraseSet($0) }),
        reader(for: MasterKeyRotated.self, { .masterKeyRotated($0) }),
        reader(for: RetentionPolicySet.self, { .retentionPolicySet($0) }),
    ]

    /// The index in `bodyReaders` of each event type name.
    private static let bodyReaderIndexes: [String: Int] = Dictionary(
        uniqueKeysWithValues: bodyReaders.enumerated().map { ($1.eventType, $0) })

    private static func reader<Body: ClinicEventBody>(
        for type: Body.Type, _ wrap: @escaping @Sendable (Body) -> ClinicEvent
    ) -> BodyReader {
        BodyReader(eventType: Body.eventType) { wrap(try Body.decode(from: &$0)) }
    }
}

/// An event as read back from its bytes: the envelope as written, the body upcast to its current version, and whether
/// any of its patient data was replaced by a placeholder.
public struct DecodedEvent: Equatable, Sendable {
    /// The envelope, with the schema version the body was written at.
    public let envelope: EventEnvelope
    /// The body, at its type's current schema version.
    public let event: ClinicEvent
    /// Whether a sealed value of the body was replaced by its placeholder (decoded without a keyring, or the patient
    /// was erased): the body's patient data is then not the recorded one.
    public let patientDataWithheld: Bool
    /// Whether the placeholders stand for an erased patient's data, which can never be read again.
    public let patientDataErased: Bool

    /// Creates a decoded event; `patientDataErased` implies `patientDataWithheld`.
    public init(
        envelope: EventEnvelope, event: ClinicEvent, patientDataWithheld: Bool = false, patientDataErased: Bool = false
    ) {
        self.envelope = envelope
        self.event = event
        self.patientDataWithheld = patientDataWithheld || patientDataErased
        self.patientDataErased = patientDataErased
    }
}

/// A refusal to encode an event.
public enum EventEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The envelope's event type is not the body's.
    case eventTypeMismatch
    /// The envelope's schema version is not the body's current version: new events are written at the current one.
    case schemaVersionNotCurrent
    /// A sealed field must be sealed but the event names no patient whose key could seal it.
    case patientUnknown(field: String)
    /// A sealed field could not be sealed: the patient has no data key in the keyring, or was erased.
    case sealingFailed(field: String, PatientDataError)

    /// A sentence naming the fault and what to do, without any patient data.
    public var description: String {
        switch self {
        case .eventTypeMismatch: "the envelope's event type is not the body's; build the envelope from the event"
        case .schemaVersionNotCurrent:
            "the envelope's schema version is not the body's current one; new events are written at the current version"
        case .patientUnknown(let field):
            "the field '\(field)' holds patient data but the event names no patient; set the event's patient id"
        case .sealingFailed(let field, let cause):
            "the field '\(field)' could not be sealed: \(cause); create the patient's data key at registration"
        }
    }
}

/// Encodes events into record payloads and decodes them back, upcasting old schema versions on the way.
///
/// A record payload is the envelope immediately followed by the body; the body runs to the end of the payload. Patient
/// data is written sealed with `encode(_:envelope:sealingWith:)` (the only form for the log) or in clear with
/// `encode(_:envelope:)` (tests and benchmarks), and read back opened with a keyring or withheld without one.
public struct EventCodec: Sendable {
    /// The validated registry of the catalogue.
    public let registry: SchemaRegistry
    /// The catalogue's types by the bytes of their names, with the registry's current versions.
    private let eventTypes: EventTypeTable

    /// Creates a codec over `registry`, validating it first.
    public init(registry: SchemaRegistry) throws(SchemaRegistryError) {
        try registry.validate()
        self.registry = registry
        self.eventTypes = EventTypeTable(registry: registry)
    }

    /// Creates a codec over the standard catalogue.
    public init() throws(SchemaRegistryError) {
        try self.init(registry: Self.makeStandardRegistry())
    }

    /// Makes the registry of every event type in `ClinicEvent.bodyTypes`, with all their schemas and upcasters.
    public static func makeStandardRegistry() -> SchemaRegistry {
        var registry = SchemaRegistry()
        for bodyType in ClinicEvent.bodyTypes {
            registry.declare(eventType: bodyType.eventType, currentVersion: bodyType.currentSchemaVersion)
            for schema in bodyType.schemas { registry.register(schema) }
            for upcaster in bodyType.upcasters { registry.register(upcaster) }
        }
        return registry
    }

    /// Encodes `envelope` and `event` into one record payload with its patient data in clear (tag `0x00`).
    ///
    /// For tests, benchmarks and tools only: a payload for the log is made with `encode(_:envelope:sealingWith:)`.
    public func encode(_ event: ClinicEvent, envelope: EventEnvelope) throws(EventEncodingError) -> [UInt8] {
        try encode(event, envelope: envelope, into: BinaryEncoder(capacityBytes: 256))
    }

    /// Encodes `envelope` and `event` into one record payload, sealing every patient-data field with the data key of
    /// the event's patient (`ClinicEvent.subjectPatientID`), bound to the envelope's event id and the field's name.
    ///
    /// Throws `patientUnknown` when a field must be sealed and the event names no patient, and `sealingFailed` when the
    /// patient has no data key in the keyring (create it at registration) or was erased.
    public func encode(
        _ event: ClinicEvent, envelope: EventEnvelope, sealingWith sealer: PatientDataSealer
    ) throws(EventEncodingError) -> [UInt8] {
        try encode(
            event, envelope: envelope,
            into: BinaryEncoder(capacityBytes: 256, sealingWith: sealer, eventID: envelope.eventID))
    }

    private func encode(
        _ event: ClinicEvent, envelope: EventEnvelope, into encoder: BinaryEncoder
    ) throws(EventEncodingError) -> [UInt8] {
        guard envelope.eventType == event.eventType else { throw .eventTypeMismatch }
        guard envelope.schemaVersion == event.schemaVersion else { throw .schemaVersionNotCurrent }
        var encoder = encoder
        envelope.encode(into: &encoder)
        event.encode(into: &encoder)
        if let failure = encoder.sealingFailure { throw failure }
        return encoder.bytes
    }

    /// Decodes a record payload with its patient data withheld, upcasting an old body to the current version; the same
    /// as `decode(_:opening: nil)`.
    public func decode(_ bytes: [UInt8]) throws -> DecodedEvent {
        try decode(bytes, opening: nil)
    }

    /// Decodes a record payload, upcasting an old body to the current version; patient data is opened with `keyring`,
    /// or withheld (placeholders, no decryption) when it is nil.
    public func decode(_ bytes: [UInt8], opening keyring: PatientKeyring?) throws -> DecodedEvent {
        try bytes.withUnsafeBytes { try decode($0, opening: keyring) }
    }

    /// Decodes a record payload in place with its patient data withheld; the same as `decode(_:opening: nil)`.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws -> DecodedEvent {
        try decode(buffer, opening: nil)
    }

    /// Decodes a record payload in place, upcasting an old body to the current version; patient data is opened with
    /// `keyring`, or withheld (placeholders, no decryption) when it is nil.
    ///
    /// Error offsets count from the start of the payload; for a body that had to be upcast, a fault found after
    /// upcasting is reported at the start of the body. An erased patient's data decodes as placeholders, flagged in
    /// `patientDataErased`, never as an error.
    public func decode(_ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?) throws -> DecodedEvent {
        try decode(buffer, opening: keyring, eventTypes: eventTypes)
    }

    /// Decodes a record payload as `decode(_:opening:)` does, making the result of the envelope, the body and why
    /// patient data was withheld (nil when none was) with `make`, in place.
    @inline(__always)
    func decode<Result>(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?,
        make: (consuming EventEnvelope, consuming ClinicEvent, PatientDataWithholding?) -> Result
    ) throws -> Result {
        try decode(buffer, opening: keyring, eventTypes: eventTypes, make: make)
    }

    /// Decodes a record payload as `decode(_:opening:)` does, finding the event type in `eventTypes`; with nil, or for
    /// a type not in the table, by its name through the registry (the general path, which tests compare with).
    @inline(__always)
    func decode(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) throws -> DecodedEvent {
        try decode(buffer, opening: keyring, eventTypes: eventTypes) { envelope, event, withholding in
            DecodedEvent(
                envelope: envelope, event: event, patientDataWithheld: withholding != nil,
                patientDataErased: withholding == .erased)
        }
    }

    /// Decodes a record payload as `decode(_:opening:eventTypes:)` does, making the result of the envelope, the body
    /// and why patient data was withheld (nil when none was) with `make`.
    ///
    /// With a table, a payload whose envelope has the common shape is read by `EventEnvelope.decodeCommon` and its body
    /// read in place, the result built directly; any other is read, or refused, by
    /// `EventEnvelope.decode(from:eventTypes:)`, with the same result or error.
    @inline(__always)
    func decode<Result>(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?,
        make: (consuming EventEnvelope, consuming ClinicEvent, PatientDataWithholding?) -> Result
    ) throws -> Result {
        if let eventTypes {
            do {
                return try EventEnvelope.decodeCommon(buffer, eventTypes: eventTypes) {
                    stream, eventID, entry, schemaVersion, recorded, effective, staffID, role, reason, correlationID,
                    causationID, bodyStart in
                    guard let current = entry.currentVersion, schemaVersion == current else {
                        // An unknown type or an old version: the general path reports or upcasts it.
                        throw EventEnvelope.NotCommonShape()
                    }
                    // The body's decoder reads the whole payload from the body's start, so its errors' offsets count
                    // from the payload's start.
                    var decoder = BinaryDecoder(
                        buffer: buffer, offset: bodyStart,
                        opening: keyring.map { OpeningContext(keyring: $0, eventID: eventID) })
                    let event = try entry.read(&decoder)
                    try decoder.finish()
                    return make(
                        EventEnvelope(
                            checkedStream: stream, eventID: eventID, eventType: entry.name,
                            schemaVersion: schemaVersion, recordedTimeMicroseconds: recorded,
                            effectiveTimeMicroseconds: effective, actorStaffID: staffID, actorRole: role,
                            reason: reason, correlationID: correlationID, causationID: causationID),
                        event, decoder.patientDataWithholding)
                }
            } catch is EventEnvelope.NotCommonShape {
                // Read again below, the general way.
            }
        }
        let decoded = try decodeGeneral(buffer, opening: keyring, eventTypes: eventTypes)
        return make(decoded.envelope, decoded.event, decoded.withholding)
    }

    /// Decodes a record payload the general way: the envelope with `EventEnvelope.decode(from:eventTypes:)`, the body
    /// by its type's entry in `eventTypes` or, without one, by its name through the registry, upcast when it is old.
    private func decodeGeneral(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) throws -> (envelope: EventEnvelope, event: ClinicEvent, withholding: PatientDataWithholding?) {
        var envelopeDecoder = BinaryDecoder(buffer: buffer)
        let (envelope, eventTypeIndex) = try EventEnvelope.decode(from: &envelopeDecoder, eventTypes: eventTypes)
        let bodyStart = envelopeDecoder.offset
        let body = UnsafeRawBufferPointer(rebasing: buffer[bodyStart...])
        if let index = eventTypeIndex, let eventTypes {
            let entry = eventTypes.entries[index]
            guard let current = entry.currentVersion else {
                throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
            }
            if envelope.schemaVersion == current {
                var decoder = BinaryDecoder(
                    buffer: buffer, offset: bodyStart,
                    opening: keyring.map { OpeningContext(keyring: $0, eventID: envelope.eventID) })
                let event = try entry.read(&decoder)
                try decoder.finish()
                return (envelope, event, decoder.patientDataWithholding)
            }
            let decoded = try decodeBody(
                body, at: bodyStart, of: envelope, currentVersion: current, opening: keyring, read: entry.read)
            return (envelope, decoded.event, decoded.withholding)
        }
        let eventType = envelope.eventType
        guard let current = registry.currentVersion(of: eventType) else {
            throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
        }
        let decoded = try decodeBody(body, at: bodyStart, of: envelope, currentVersion: current, opening: keyring) {
            try ClinicEvent.decodeCurrent(eventType: eventType, from: &$0)
        }
        return (envelope, decoded.event, decoded.withholding)
    }

    /// Decodes `body`, which starts at `bodyStart` in the payload of `envelope`, with `read`, upcasting it first when
    /// it was written at a version older than `currentVersion`; a nil from `read` is an unknown event type.
    private func decodeBody(
        _ body: UnsafeRawBufferPointer, at bodyStart: Int, of envelope: EventEnvelope, currentVersion current: UInt32,
        opening keyring: PatientKeyring?, read: (inout BinaryDecoder) throws -> ClinicEvent?
    ) throws -> (event: ClinicEvent, withholding: PatientDataWithholding?) {
        let eventType = envelope.eventType
        let decoded: (value: ClinicEvent?, withholding: PatientDataWithholding?)
        do {
            if envelope.schemaVersion == current {
                decoded = try BinaryDecoder.decode(body, opening: keyring, eventID: envelope.eventID, read)
            } else {
                let upcast = try registry.upcastBody(eventType: eventType, version: envelope.schemaVersion, body: body)
                do {
                    decoded = try upcast.withUnsafeBytes { upcastBody in
                        try BinaryDecoder.decode(upcastBody, opening: keyring, eventID: envelope.eventID, read)
                    }
                } catch var error as EventDecodingError {
                    error.offset = 0
                    throw error
                }
            }
        } catch var error as EventDecodingError {
            if error.field != "envelope.schemaVersion" && error.field != "envelope.eventType" {
                error.offset += bodyStart
            }
            throw error
        }
        guard let event = decoded.value else {
            throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
        }
        return (event, decoded.withholding)
    }
}
