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
        guard let index = bodyTypeIndexes[eventType] else { return nil }
        return try decodeCurrent(bodyTypeIndex: index, from: &decoder)
    }

    /// The index in `bodyTypes` of each event type name.
    private static let bodyTypeIndexes: [String: Int] = Dictionary(
        uniqueKeysWithValues: bodyTypes.enumerated().map { ($1.eventType, $0) })

    /// Reads a body of the type at `index` in `bodyTypes`, written at its current schema version, and wraps it in its
    /// case: one switch, so that the body's reader is called directly (no closure, no reference counting).
    ///
    /// `index` must be below `bodyTypes.count`; `EventTypeTableTests` checks that every index reads its own type.
    @inline(never)
    static func decodeCurrent(bodyTypeIndex index: Int, from decoder: inout BinaryDecoder) throws -> ClinicEvent {
        switch index {
        case 0: .patientRegistered(try PatientRegistered.decode(from: &decoder))
        case 1: .vitalsRecorded(try VitalsRecorded.decode(from: &decoder))
        case 2: .chargePosted(try ChargePosted.decode(from: &decoder))
        case 3: .providerAvailabilityDefined(try ProviderAvailabilityDefined.decode(from: &decoder))
        case 4: .appointmentBooked(try AppointmentBooked.decode(from: &decoder))
        case 5: .appointmentRescheduled(try AppointmentRescheduled.decode(from: &decoder))
        case 6: .appointmentConfirmed(try AppointmentConfirmed.decode(from: &decoder))
        case 7: .patientArrived(try PatientArrived.decode(from: &decoder))
        case 8: .patientCheckedIn(try PatientCheckedIn.decode(from: &decoder))
        case 9: .patientRoomed(try PatientRoomed.decode(from: &decoder))
        case 10: .patientCheckedOut(try PatientCheckedOut.decode(from: &decoder))
        case 11: .appointmentCancelled(try AppointmentCancelled.decode(from: &decoder))
        case 12: .appointmentNoShow(try AppointmentNoShow.decode(from: &decoder))
        case 13: .appointmentEnteredInError(try AppointmentEnteredInError.decode(from: &decoder))
        case 14: .allergyRecorded(try AllergyRecorded.decode(from: &decoder))
        case 15: .allergyResolved(try AllergyResolved.decode(from: &decoder))
        case 16: .allergyEnteredInError(try AllergyEnteredInError.decode(from: &decoder))
        case 17: .medicationStarted(try MedicationStarted.decode(from: &decoder))
        case 18: .medicationStopped(try MedicationStopped.decode(from: &decoder))
        case 19: .problemAdded(try ProblemAdded.decode(from: &decoder))
        case 20: .problemResolved(try ProblemResolved.decode(from: &decoder))
        case 21: .noteSigned(try NoteSigned.decode(from: &decoder))
        case 22: .noteAddendumSigned(try NoteAddendumSigned.decode(from: &decoder))
        case 23: .amendmentRequested(try AmendmentRequested.decode(from: &decoder))
        case 24: .amendmentAccepted(try AmendmentAccepted.decode(from: &decoder))
        case 25: .amendmentDenied(try AmendmentDenied.decode(from: &decoder))
        case 26: .paymentPosted(try PaymentPosted.decode(from: &decoder))
        case 27: .paymentApplied(try PaymentApplied.decode(from: &decoder))
        case 28: .adjustmentPosted(try AdjustmentPosted.decode(from: &decoder))
        case 29: .refundIssued(try RefundIssued.decode(from: &decoder))
        case 30: .responsibilityTransferred(try ResponsibilityTransferred.decode(from: &decoder))
        case 31: .chargeVoided(try ChargeVoided.decode(from: &decoder))
        case 32: .paymentVoided(try PaymentVoided.decode(from: &decoder))
        case 33: .dayClosed(try DayClosed.decode(from: &decoder))
        case 34: .feeScheduled(try FeeScheduled.decode(from: &decoder))
        case 35: .feeWithdrawn(try FeeWithdrawn.decode(from: &decoder))
        case 36: .privacyNoticeAcknowledged(try PrivacyNoticeAcknowledged.decode(from: &decoder))
        case 37: .consentGranted(try ConsentGranted.decode(from: &decoder))
        case 38: .consentRevoked(try ConsentRevoked.decode(from: &decoder))
        case 39: .authorizationRecorded(try AuthorizationRecorded.decode(from: &decoder))
        case 40: .restrictionRequested(try RestrictionRequested.decode(from: &decoder))
        case 41: .restrictionAgreed(try RestrictionAgreed.decode(from: &decoder))
        case 42: .disclosureRecorded(try DisclosureRecorded.decode(from: &decoder))
        case 43: .demographicsCorrected(try DemographicsCorrected.decode(from: &decoder))
        case 44: .patientsMerged(try PatientsMerged.decode(from: &decoder))
        case 45: .patientDeathRecorded(try PatientDeathRecorded.decode(from: &decoder))
        case 46: .patientErased(try PatientErased.decode(from: &decoder))
        case 47: .payerDefined(try PayerDefined.decode(from: &decoder))
        case 48: .coverageAdded(try CoverageAdded.decode(from: &decoder))
        case 49: .coverageEnded(try CoverageEnded.decode(from: &decoder))
        case 50: .eligibilityChecked(try EligibilityChecked.decode(from: &decoder))
        case 51: .staffMemberAdded(try StaffMemberAdded.decode(from: &decoder))
        case 52: .staffRoleGranted(try StaffRoleGranted.decode(from: &decoder))
        case 53: .staffRoleRevoked(try StaffRoleRevoked.decode(from: &decoder))
        case 54: .recordAccessed(try RecordAccessed.decode(from: &decoder))
        case 55: .breakGlassUsed(try BreakGlassUsed.decode(from: &decoder))
        case 56: .accessDenied(try AccessDenied.decode(from: &decoder))
        case 57: .staffSignedIn(try StaffSignedIn.decode(from: &decoder))
        case 58: .signInFailed(try SignInFailed.decode(from: &decoder))
        case 59: .staffSignedOut(try StaffSignedOut.decode(from: &decoder))
        case 60: .passphraseSet(try PassphraseSet.decode(from: &decoder))
        case 61: .masterKeyRotated(try MasterKeyRotated.decode(from: &decoder))
        case 62: .retentionPolicySet(try RetentionPolicySet.decode(from: &decoder))
        default: preconditionFailure("a body type index outside the catalogue")
        }
    }
}

/// An event as read back from its bytes: the envelope as written, the body upcast to its current version, and whether
/// any of its patient data was replaced by a placeholder.
///
/// The body is stored before the envelope. The envelope's size (153 bytes) is not a multiple of 8, so a body after it
/// follows 7 bytes of padding; the optimizer then copied padding and body together through a misaligned temporary
/// before the result, whose reads could not be forwarded from the writes just before them (about 1.5% of the time
/// of reading and decoding a log).
public struct DecodedEvent: Equatable, Sendable {
    /// The body, at its type's current schema version.
    public let event: ClinicEvent
    /// The envelope, with the schema version the body was written at.
    public let envelope: EventEnvelope
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
    let eventTypes: EventTypeTable

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

    /// Decodes a record payload as `decode(_:opening:)` does, finding the event type in `eventTypes`; with nil, or for
    /// a type not in the table, by its name through the registry (the general path, which tests compare with).
    ///
    /// A payload of the common shape (`commonShape(of:eventTypes:)`) is read in one pass and its result built in place
    /// (`readCurrentBody`, then the envelope's strings); any other is read, or refused, by `decodeGeneral`, with the
    /// same result or error. `decodeStored` does the same.
    @inline(__always)
    func decode(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) throws -> DecodedEvent {
        if let eventTypes, let common = Self.commonShape(of: buffer, eventTypes: eventTypes) {
            let body = try Self.readCurrentBody(of: buffer, common, opening: keyring)
            return DecodedEvent(
                envelope: common.envelope(in: buffer, eventTypes: eventTypes), event: body.event,
                patientDataWithheld: body.withholding != nil, patientDataErased: body.withholding == .erased)
        }
        return try decodeGeneralEvent(buffer, opening: keyring, eventTypes: eventTypes)
    }

    /// Decodes a record payload with `decodeGeneral(_:opening:eventTypes:)` into a decoded event. Out of line, so that
    /// the common path builds its own result in place rather than through a result shared with this one.
    @inline(never)
    private func decodeGeneralEvent(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) throws -> DecodedEvent {
        let decoded = try decodeGeneral(buffer, opening: keyring, eventTypes: eventTypes)
        return DecodedEvent(
            envelope: decoded.envelope, event: decoded.event, patientDataWithheld: decoded.withholding != nil,
            patientDataErased: decoded.withholding == .erased)
    }

    /// The fields of the envelope at the start of `buffer` when it has the common shape (`EventEnvelope.readCommon`)
    /// and its body is at its type's current version; nil otherwise (an envelope of another shape, a type the registry
    /// does not declare, an old version), which `decodeGeneral` then reads, upcasts or refuses.
    @inline(__always)
    static func commonShape(
        of buffer: UnsafeRawBufferPointer, eventTypes: EventTypeTable
    ) -> EventEnvelope.CommonShape? {
        guard let common = EventEnvelope.readCommon(buffer, eventTypes: eventTypes),
            let current = eventTypes.entries[common.eventTypeIndex].currentVersion, common.schemaVersion == current
        else { return nil }
        return common
    }

    /// Reads the body after the common-shape envelope `common` of `buffer`, at its type's current version, to the end
    /// of the payload; patient data is opened with `keyring` or withheld.
    ///
    /// The body's decoder reads the whole payload from the body's start, so its errors' offsets count from the
    /// payload's start, as the general path's do.
    @inline(__always)
    static func readCurrentBody(
        of buffer: UnsafeRawBufferPointer, _ common: EventEnvelope.CommonShape, opening keyring: PatientKeyring?
    ) throws -> (event: ClinicEvent, withholding: PatientDataWithholding?) {
        var decoder = BinaryDecoder(
            buffer: buffer, offset: common.bodyStart,
            opening: keyring.map { OpeningContext(keyring: $0, eventID: common.eventID) })
        let event = try ClinicEvent.decodeCurrent(bodyTypeIndex: common.eventTypeIndex, from: &decoder)
        try decoder.finish()
        return (event, decoder.patientDataWithholding)
    }

    /// Decodes a record payload the general way: the envelope with `EventEnvelope.decode(from:eventTypes:)`, the body
    /// by its type's entry in `eventTypes` or, without one, by its name through the registry, upcast when it is old.
    func decodeGeneral(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) throws -> (envelope: EventEnvelope, event: ClinicEvent, withholding: PatientDataWithholding?) {
        var envelopeDecoder = BinaryDecoder(buffer: buffer)
        let (envelope, eventTypeIndex) = try EventEnvelope.decode(from: &envelopeDecoder, eventTypes: eventTypes)
        let bodyStart = envelopeDecoder.offset
        let body = UnsafeRawBufferPointer(rebasing: buffer[bodyStart...])
        if let index = eventTypeIndex, let eventTypes {
            guard let current = eventTypes.entries[index].currentVersion else {
                throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
            }
            if envelope.schemaVersion == current {
                var decoder = BinaryDecoder(
                    buffer: buffer, offset: bodyStart,
                    opening: keyring.map { OpeningContext(keyring: $0, eventID: envelope.eventID) })
                let event = try ClinicEvent.decodeCurrent(bodyTypeIndex: index, from: &decoder)
                try decoder.finish()
                return (envelope, event, decoder.patientDataWithholding)
            }
            let decoded = try decodeBody(
                body, at: bodyStart, of: envelope, currentVersion: current, opening: keyring
            ) { try ClinicEvent.decodeCurrent(bodyTypeIndex: index, from: &$0) }
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
