import ClinicEvents
import RecordLog
import XCTest

/// Events encoded in every schema version ever written. These bytes are the contract with every log already on disk:
/// they must decode, to these values, forever. Never edit a golden entry; add one when a version is added.
final class GoldenEventsTests: XCTestCase {
    private struct Golden {
        var name: String
        var hex: String
        var expected: DecodedEvent
        /// Whether the bytes are in the current version, so that encoding the expected value must give them back.
        var isCurrentVersion: Bool
        /// Whether the bytes hold sealed values (sealed with the golden keyring).
        var isSealed = false
    }

    private static func id(_ low: UInt64) -> EventID {
        EventID(high: 0x0123_4567_89AB_4DEF, low: 0x8000_0000_0000_0000 | low)
    }

    private static func envelope(
        _ type: String, version: UInt32, event: UInt64, role: StaffRole, reason: String? = nil,
        correlation: UInt64? = nil, causation: UInt64? = nil
    ) throws -> EventEnvelope {
        try EventEnvelope(
            stream: "patient-0001", eventID: id(event), eventType: type, schemaVersion: version,
            recordedTimeMicroseconds: 1_764_410_400_000_000 + Int64(event),
            effectiveTimeMicroseconds: 1_764_406_800_000_000, actorStaffID: StaffID("staff-7"), actorRole: role,
            reason: reason, correlationID: correlation.map(id), causationID: causation.map(id))
    }

    private static func goldens() throws -> [Golden] {
        [
            Golden(
                name: "PatientRegistered v1",
                hex: GoldenHex.patientRegisteredVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientRegistered", version: 1, event: 1, role: .frontDesk),
                    event: .patientRegistered(
                        try PatientRegistered(
                            patientID: id(100), familyName: "Ó Briain", givenName: "Zoë",
                            birthDateDaysSince1970: -4_018))),
                isCurrentVersion: false),
            Golden(
                name: "PatientRegistered v2",
                hex: GoldenHex.patientRegisteredVersion2,
                expected: DecodedEvent(
                    envelope: try envelope(
                        "PatientRegistered", version: 2, event: 2, role: .frontDesk, reason: "late entry",
                        correlation: 50, causation: 1),
                    event: .patientRegistered(
                        try PatientRegistered(
                            patientID: id(101), familyName: "García", givenName: "Luis",
                            birthDateDaysSince1970: 12_345, preferredLanguage: "es-MX"))),
                isCurrentVersion: false),
            Golden(
                name: "VitalsRecorded v1",
                hex: GoldenHex.vitalsRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("VitalsRecorded", version: 1, event: 3, role: .medicalAssistant),
                    event: .vitalsRecorded(
                        try VitalsRecorded(
                            patientID: id(100), encounterID: id(200),
                            measurements: [
                                try VitalSign(kind: .bodyWeight, valueThousandths: 72_500),
                                try VitalSign(kind: .bodyHeight, valueThousandths: 168_000),
                                try VitalSign(kind: .heartRate, valueThousandths: 72_000),
                                try VitalSign(kind: .systolicBloodPressure, valueThousandths: 128_000),
                                try VitalSign(kind: .diastolicBloodPressure, valueThousandths: 82_000),
                                try VitalSign(kind: .bodyTemperature, valueThousandths: 36_800),
                                try VitalSign(kind: .oxygenSaturation, valueThousandths: 98_000),
                                try VitalSign(kind: .respiratoryRate, valueThousandths: 16_000),
                            ]))),
                isCurrentVersion: false),
            Golden(
                name: "ChargePosted v1",
                hex: GoldenHex.chargePostedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ChargePosted", version: 1, event: 4, role: .biller, correlation: 50),
                    event: .chargePosted(
                        try ChargePosted(
                            chargeID: id(300), patientID: id(100), encounterID: id(200),
                            procedure: try ProcedureCode(code: "99213", modifiers: ["25"]), units: 1,
                            diagnoses: [try DiagnosisCode("E11.9"), try DiagnosisCode("I10")],
                            diagnosisPointers: [1, 2], amount: try MoneyCents(cents: 12_500),
                            postingDateDaysSince1970: nil))),
                isCurrentVersion: false),
            Golden(
                name: "ProviderAvailabilityDefined v1",
                hex: GoldenHex.providerAvailabilityDefinedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ProviderAvailabilityDefined", version: 1, event: 5, role: .officeManager),
                    event: .providerAvailabilityDefined(
                        try ProviderAvailabilityDefined(
                            providerStaffID: StaffID("dr-lee"), day: .weekday(1), startMinuteOfDay: 540,
                            endMinuteOfDay: 720, slotMinutes: 15))),
                isCurrentVersion: true),
            Golden(
                name: "AppointmentBooked v1",
                hex: GoldenHex.appointmentBookedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AppointmentBooked", version: 1, event: 6, role: .frontDesk),
                    event: .appointmentBooked(
                        try AppointmentBooked(
                            appointmentID: id(400), patientID: id(100), providerStaffID: StaffID("dr-lee"),
                            startLocalMinutesSince1970: 29_933_820, durationMinutes: 30, reason: "dolor de espalda",
                            overbookApproval: OverbookApproval(
                                approverStaffID: StaffID("dr-lee"), approverRole: .physician)))),
                isCurrentVersion: false),
            Golden(
                name: "AppointmentRescheduled v1",
                hex: GoldenHex.appointmentRescheduledVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AppointmentRescheduled", version: 1, event: 7, role: .frontDesk),
                    event: .appointmentRescheduled(
                        try AppointmentRescheduled(
                            appointmentID: id(400), startLocalMinutesSince1970: 29_933_880, durationMinutes: 15))),
                isCurrentVersion: true),
            Golden(
                name: "AppointmentConfirmed v1",
                hex: GoldenHex.appointmentConfirmedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AppointmentConfirmed", version: 1, event: 8, role: .frontDesk),
                    event: .appointmentConfirmed(AppointmentConfirmed(appointmentID: id(400)))),
                isCurrentVersion: true),
            Golden(
                name: "PatientArrived v1",
                hex: GoldenHex.patientArrivedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientArrived", version: 1, event: 9, role: .frontDesk),
                    event: .patientArrived(PatientArrived(appointmentID: id(400)))),
                isCurrentVersion: true),
            Golden(
                name: "PatientCheckedIn v1",
                hex: GoldenHex.patientCheckedInVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientCheckedIn", version: 1, event: 10, role: .frontDesk),
                    event: .patientCheckedIn(PatientCheckedIn(appointmentID: id(400), encounterID: id(200)))),
                isCurrentVersion: true),
            Golden(
                name: "PatientRoomed v1",
                hex: GoldenHex.patientRoomedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientRoomed", version: 1, event: 11, role: .medicalAssistant),
                    event: .patientRoomed(try PatientRoomed(appointmentID: id(400), room: "Exam 3"))),
                isCurrentVersion: true),
            Golden(
                name: "PatientCheckedOut v1",
                hex: GoldenHex.patientCheckedOutVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientCheckedOut", version: 1, event: 12, role: .frontDesk),
                    event: .patientCheckedOut(PatientCheckedOut(appointmentID: id(400)))),
                isCurrentVersion: true),
            Golden(
                name: "AppointmentCancelled v1",
                hex: GoldenHex.appointmentCancelledVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AppointmentCancelled", version: 1, event: 13, role: .frontDesk),
                    event: .appointmentCancelled(
                        try AppointmentCancelled(
                            appointmentID: id(401), patientID: nil, reason: "patient called", isLate: true))),
                isCurrentVersion: false),
            Golden(
                name: "AppointmentNoShow v1",
                hex: GoldenHex.appointmentNoShowVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AppointmentNoShow", version: 1, event: 14, role: .system),
                    event: .appointmentNoShow(AppointmentNoShow(appointmentID: id(402)))),
                isCurrentVersion: true),
            Golden(
                name: "AppointmentEnteredInError v1",
                hex: GoldenHex.appointmentEnteredInErrorVersion1,
                expected: DecodedEvent(
                    envelope: try envelope(
                        "AppointmentEnteredInError", version: 1, event: 15, role: .officeManager,
                        reason: "wrong patient"),
                    event: .appointmentEnteredInError(
                        try AppointmentEnteredInError(appointmentID: id(403), patientID: nil, reason: "booked twice"))),
                isCurrentVersion: false),
            Golden(
                name: "AllergyRecorded v1",
                hex: GoldenHex.allergyRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AllergyRecorded", version: 1, event: 101, role: .nurse),
                    event: .allergyRecorded(
                        try AllergyRecorded(
                            allergyID: id(500), patientID: id(100), substance: "penicilina", reaction: "urticaria",
                            severity: .moderate, verification: .confirmed))),
                isCurrentVersion: false),
            Golden(
                name: "AllergyResolved v1",
                hex: GoldenHex.allergyResolvedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AllergyResolved", version: 1, event: 102, role: .physician),
                    event: .allergyResolved(AllergyResolved(allergyID: id(500)))),
                isCurrentVersion: true),
            Golden(
                name: "AllergyEnteredInError v1",
                hex: GoldenHex.allergyEnteredInErrorVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AllergyEnteredInError", version: 1, event: 103, role: .physician),
                    event: .allergyEnteredInError(
                        try AllergyEnteredInError(allergyID: id(501), patientID: nil, reason: "wrong chart"))),
                isCurrentVersion: false),
            Golden(
                name: "MedicationStarted v1",
                hex: GoldenHex.medicationStartedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("MedicationStarted", version: 1, event: 104, role: .physician),
                    event: .medicationStarted(
                        try MedicationStarted(
                            medicationID: id(510), patientID: id(100), name: "metformin", dose: "500 mg",
                            route: .oral, frequency: "twice daily", reason: "E11.9"))),
                isCurrentVersion: false),
            Golden(
                name: "MedicationStopped v1",
                hex: GoldenHex.medicationStoppedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("MedicationStopped", version: 1, event: 105, role: .physician),
                    event: .medicationStopped(
                        try MedicationStopped(medicationID: id(510), patientID: nil, reason: "GI upset"))),
                isCurrentVersion: false),
            Golden(
                name: "ProblemAdded v1",
                hex: GoldenHex.problemAddedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ProblemAdded", version: 1, event: 106, role: .nursePractitioner),
                    event: .problemAdded(
                        try ProblemAdded(
                            problemID: id(520), patientID: id(100), diagnosis: try DiagnosisCode("E11.9"),
                            onsetDaysSince1970: 18_000))),
                isCurrentVersion: false),
            Golden(
                name: "ProblemResolved v1",
                hex: GoldenHex.problemResolvedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ProblemResolved", version: 1, event: 107, role: .physician),
                    event: .problemResolved(ProblemResolved(problemID: id(520)))),
                isCurrentVersion: true),
            Golden(
                name: "NoteSigned v1",
                hex: GoldenHex.noteSignedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("NoteSigned", version: 1, event: 108, role: .physician),
                    event: .noteSigned(
                        try NoteSigned(
                            noteID: id(530), patientID: id(100), encounterID: id(200),
                            authorStaffID: StaffID("dr-lee"), text: "A1c 7.2 %. Continuar metformina. 复诊 3 个月."))),
                isCurrentVersion: false),
            Golden(
                name: "NoteAddendumSigned v1",
                hex: GoldenHex.noteAddendumSignedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("NoteAddendumSigned", version: 1, event: 109, role: .physician),
                    event: .noteAddendumSigned(
                        try NoteAddendumSigned(
                            addendumID: id(531), noteID: id(530), patientID: nil, authorStaffID: StaffID("dr-lee"),
                            text: "Lab results reviewed."))),
                isCurrentVersion: false),
            Golden(
                name: "AmendmentRequested v1",
                hex: GoldenHex.amendmentRequestedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AmendmentRequested", version: 1, event: 110, role: .complianceOfficer),
                    event: .amendmentRequested(
                        try AmendmentRequested(
                            amendmentID: id(540), patientID: id(100), amendedEntryIDs: [id(500), id(530)],
                            request: "I am not allergic to penicillin.",
                            requestedTimeMicroseconds: 1_764_320_400_000_000))),
                isCurrentVersion: false),
            Golden(
                name: "AmendmentAccepted v1",
                hex: GoldenHex.amendmentAcceptedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AmendmentAccepted", version: 1, event: 111, role: .physician),
                    event: .amendmentAccepted(
                        try AmendmentAccepted(amendmentID: id(540), correctingEntryIDs: [id(531)]))),
                isCurrentVersion: true),
            Golden(
                name: "AmendmentDenied v1",
                hex: GoldenHex.amendmentDeniedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AmendmentDenied", version: 1, event: 112, role: .complianceOfficer),
                    event: .amendmentDenied(
                        try AmendmentDenied(
                            amendmentID: id(541), patientID: nil, basis: .accurateAndComplete,
                            explanation: "The entry matches the lab report.",
                            disagreementInstructions: "Send a statement of disagreement to the privacy officer."))),
                isCurrentVersion: false),
            Golden(
                name: "PaymentPosted v1",
                hex: GoldenHex.paymentPostedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PaymentPosted", version: 1, event: 60, role: .biller),
                    event: .paymentPosted(
                        try PaymentPosted(
                            paymentID: id(500), patientID: id(100), payer: .insurance(payerID: "60054", level: 1),
                            method: .electronicFundsTransfer, reference: "EFT 883401", amount: MoneyCents(cents: 8_000),
                            postingDateDaysSince1970: 20_787))),
                isCurrentVersion: false),
            Golden(
                name: "PaymentApplied v1",
                hex: GoldenHex.paymentAppliedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PaymentApplied", version: 1, event: 61, role: .biller),
                    event: .paymentApplied(
                        try PaymentApplied(
                            paymentID: id(500), chargeID: id(300), amount: MoneyCents(cents: 8_000), isCredit: false,
                            postingDateDaysSince1970: 20_787))),
                isCurrentVersion: true),
            Golden(
                name: "AdjustmentPosted v1",
                hex: GoldenHex.adjustmentPostedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AdjustmentPosted", version: 1, event: 62, role: .biller),
                    event: .adjustmentPosted(
                        try AdjustmentPosted(
                            adjustmentID: id(600), chargeID: id(300), responsibility: .insurance(level: 1),
                            amount: MoneyCents(cents: 2_500), reasonCode: AdjustmentReasonCode("CO-45"),
                            postingDateDaysSince1970: 20_787))),
                isCurrentVersion: true),
            Golden(
                name: "RefundIssued v1",
                hex: GoldenHex.refundIssuedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("RefundIssued", version: 1, event: 63, role: .officeManager),
                    event: .refundIssued(
                        try RefundIssued(
                            paymentID: id(501), amount: MoneyCents(cents: 1_005), method: .check,
                            postingDateDaysSince1970: 20_788))),
                isCurrentVersion: true),
            Golden(
                name: "ResponsibilityTransferred v1",
                hex: GoldenHex.responsibilityTransferredVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ResponsibilityTransferred", version: 1, event: 64, role: .biller),
                    event: .responsibilityTransferred(
                        try ResponsibilityTransferred(
                            chargeID: id(300), from: .insurance(level: 1), to: .patient,
                            amount: MoneyCents(cents: 2_000), postingDateDaysSince1970: 20_788))),
                isCurrentVersion: true),
            Golden(
                name: "ChargeVoided v1",
                hex: GoldenHex.chargeVoidedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ChargeVoided", version: 1, event: 65, role: .biller, causation: 4),
                    event: .chargeVoided(
                        try ChargeVoided(
                            originalID: id(300), patientID: nil, reason: "wrong CPT", postingDateDaysSince1970: 20_789))
                ),
                isCurrentVersion: false),
            Golden(
                name: "PaymentVoided v1",
                hex: GoldenHex.paymentVoidedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PaymentVoided", version: 1, event: 66, role: .biller, causation: 60),
                    event: .paymentVoided(
                        try PaymentVoided(
                            originalID: id(501), patientID: nil, reason: "check returned",
                            postingDateDaysSince1970: 20_789))),
                isCurrentVersion: false),
            Golden(
                name: "DayClosed v1",
                hex: GoldenHex.dayClosedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("DayClosed", version: 1, event: 67, role: .officeManager),
                    event: .dayClosed(
                        DayClosed(
                            dateDaysSince1970: 20_787,
                            totals: try DayTotals(
                                charges: MoneyCents(cents: 12_500), payments: MoneyCents(cents: 8_000),
                                adjustments: MoneyCents(cents: 2_500), refunds: .zero, chargeVoids: .zero,
                                paymentVoids: MoneyCents(cents: 1_005))))),
                isCurrentVersion: true),
            Golden(
                name: "PrivacyNoticeAcknowledged v1",
                hex: GoldenHex.privacyNoticeAcknowledgedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PrivacyNoticeAcknowledged", version: 1, event: 80, role: .frontDesk),
                    event: .privacyNoticeAcknowledged(
                        try PrivacyNoticeAcknowledged(
                            patientID: id(100), noticeVersion: "2026-01",
                            acknowledgedAtMicroseconds: 1_764_406_800_000_000))),
                isCurrentVersion: true),
            Golden(
                name: "ConsentGranted v1",
                hex: GoldenHex.consentGrantedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ConsentGranted", version: 1, event: 81, role: .frontDesk),
                    event: .consentGranted(
                        try ConsentGranted(
                            consentID: id(500), patientID: id(100),
                            scope: try DisclosureScope(
                                recipientNames: ["Dra. Ana Núñez"], recipientCategories: [.researcher],
                                purposes: [.research]),
                            effectiveFromMicroseconds: 1_764_406_800_000_000,
                            expiresAtMicroseconds: 1_795_942_800_000_000))),
                isCurrentVersion: false),
            Golden(
                name: "ConsentRevoked v1",
                hex: GoldenHex.consentRevokedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ConsentRevoked", version: 1, event: 82, role: .frontDesk),
                    event: .consentRevoked(
                        try ConsentRevoked(
                            consentID: id(500), patientID: id(100), effectiveFromMicroseconds: 1_780_000_000_000_000))),
                isCurrentVersion: true),
            Golden(
                name: "AuthorizationRecorded v1",
                hex: GoldenHex.authorizationRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AuthorizationRecorded", version: 1, event: 83, role: .complianceOfficer),
                    event: .authorizationRecorded(
                        try AuthorizationRecorded(
                            authorizationID: id(501), patientID: id(100),
                            recipient: try DisclosureRecipient(
                                name: "Acme Life Insurance", category: .other, address: "1 Main St, Springfield"),
                            purpose: .thirdPartyRequest, informationDescription: "lab results 2025",
                            expiresAtMicroseconds: 1_795_942_800_000_000, expiryEvent: "policy issued",
                            signedBy: "Zoë Ó Briain", signedAtMicroseconds: 1_764_406_800_000_000))),
                isCurrentVersion: false),
            Golden(
                name: "RestrictionRequested v1",
                hex: GoldenHex.restrictionRequestedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("RestrictionRequested", version: 1, event: 84, role: .frontDesk),
                    event: .restrictionRequested(
                        try RestrictionRequested(
                            restrictionID: id(502), patientID: id(100),
                            scope: try DisclosureScope(recipientCategories: [.healthPlan], purposes: [.payment]),
                            informationDescription: "visit paid out of pocket",
                            requestedAtMicroseconds: 1_764_406_800_000_000))),
                isCurrentVersion: false),
            Golden(
                name: "RestrictionAgreed v1",
                hex: GoldenHex.restrictionAgreedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("RestrictionAgreed", version: 1, event: 85, role: .complianceOfficer),
                    event: .restrictionAgreed(
                        try RestrictionAgreed(
                            restrictionID: id(502), patientID: id(100),
                            effectiveFromMicroseconds: 1_764_406_800_000_000))),
                isCurrentVersion: true),
            Golden(
                name: "DisclosureRecorded v1",
                hex: GoldenHex.disclosureRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("DisclosureRecorded", version: 1, event: 86, role: .complianceOfficer),
                    event: .disclosureRecorded(
                        try DisclosureRecorded(
                            disclosureID: id(503), patientID: id(100),
                            recipient: try DisclosureRecipient(name: "Dra. Ana Núñez", category: .researcher),
                            purpose: .research, informationDescription: "HbA1c results 2025",
                            legalBasis: .consent(id(500)), disclosedAtMicroseconds: 1_770_000_000_000_000))),
                isCurrentVersion: false),
            Golden(
                name: "DemographicsCorrected v1",
                hex: GoldenHex.demographicsCorrectedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("DemographicsCorrected", version: 1, event: 90, role: .frontDesk),
                    event: .demographicsCorrected(
                        try DemographicsCorrected(
                            patientID: id(101), registrationEventID: id(2), familyName: "García-Núñez",
                            birthDateDaysSince1970: 12_354, reason: "typo at registration"))),
                isCurrentVersion: false),
            Golden(
                name: "PatientsMerged v1",
                hex: GoldenHex.patientsMergedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientsMerged", version: 1, event: 91, role: .officeManager),
                    event: .patientsMerged(
                        try PatientsMerged(
                            survivingPatientID: id(101), mergedPatientID: id(102), reason: "duplicate registration"))),
                isCurrentVersion: false),
            Golden(
                name: "PatientDeathRecorded v1",
                hex: GoldenHex.patientDeathRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientDeathRecorded", version: 1, event: 92, role: .physician),
                    event: .patientDeathRecorded(
                        try PatientDeathRecorded(patientID: id(101), dateOfDeathDaysSince1970: 20_421))),
                isCurrentVersion: false),
            Golden(
                name: "PatientErased v1",
                hex: GoldenHex.patientErasedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientErased", version: 1, event: 93, role: .complianceOfficer),
                    event: .patientErased(
                        PatientErased(
                            patientID: id(102), reason: .patientRequest,
                            authorizingStaffID: try StaffID("privacy-1")))),
                isCurrentVersion: true),
            Golden(
                name: "PayerDefined v1",
                hex: GoldenHex.payerDefinedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PayerDefined", version: 1, event: 94, role: .officeManager),
                    event: .payerDefined(
                        try PayerDefined(payerID: id(600), name: "Aseguradora Sol", type: .commercial))),
                isCurrentVersion: true),
            Golden(
                name: "CoverageAdded v1",
                hex: GoldenHex.coverageAddedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("CoverageAdded", version: 1, event: 95, role: .frontDesk),
                    event: .coverageAdded(
                        try CoverageAdded(
                            coverageID: id(601), patientID: id(101), payerID: id(600), memberID: "XJ-4471",
                            order: .primary, copayCents: 2_500, effectiveDaysSince1970: 20_089,
                            terminationDaysSince1970: 20_453))),
                isCurrentVersion: false),
            Golden(
                name: "CoverageEnded v1",
                hex: GoldenHex.coverageEndedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("CoverageEnded", version: 1, event: 96, role: .biller),
                    event: .coverageEnded(try CoverageEnded(coverageID: id(601), terminationDaysSince1970: 20_300))),
                isCurrentVersion: true),
            Golden(
                name: "EligibilityChecked v1",
                hex: GoldenHex.eligibilityCheckedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("EligibilityChecked", version: 1, event: 97, role: .frontDesk),
                    event: .eligibilityChecked(
                        EligibilityChecked(
                            coverageID: id(601), result: .active, checkedAtMicroseconds: 1_764_406_800_000_000))),
                isCurrentVersion: true),
            Golden(
                name: "StaffMemberAdded v1",
                hex: GoldenHex.staffMemberAddedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("StaffMemberAdded", version: 1, event: 98, role: .officeManager),
                    event: .staffMemberAdded(
                        try StaffMemberAdded(
                            staffID: StaffID("dr-lee"), displayName: "Dra. Lee Müller",
                            roles: [.physician, .officeManager]))),
                isCurrentVersion: true),
            Golden(
                name: "StaffRoleGranted v1",
                hex: GoldenHex.staffRoleGrantedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("StaffRoleGranted", version: 1, event: 99, role: .officeManager),
                    event: .staffRoleGranted(
                        StaffRoleGranted(staffID: try StaffID("dr-lee"), role: .complianceOfficer))),
                isCurrentVersion: true),
            Golden(
                name: "StaffRoleRevoked v1",
                hex: GoldenHex.staffRoleRevokedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("StaffRoleRevoked", version: 1, event: 100, role: .officeManager),
                    event: .staffRoleRevoked(
                        StaffRoleRevoked(staffID: try StaffID("dr-lee"), role: .officeManager))),
                isCurrentVersion: true),
            Golden(
                name: "RecordAccessed v1",
                hex: GoldenHex.recordAccessedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("RecordAccessed", version: 1, event: 101, role: .nurse),
                    event: .recordAccessed(
                        RecordAccessed(
                            staffID: try StaffID("rn-2"), patientID: id(101), area: .chart, purpose: .treatment))),
                isCurrentVersion: true),
            Golden(
                name: "BreakGlassUsed v1",
                hex: GoldenHex.breakGlassUsedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("BreakGlassUsed", version: 1, event: 102, role: .physician),
                    event: .breakGlassUsed(
                        try BreakGlassUsed(
                            staffID: StaffID("dr-lee"), patientID: id(102),
                            reason: "paciente inconsciente en urgencias"))),
                isCurrentVersion: false),
            Golden(
                name: "AccessDenied v1",
                hex: GoldenHex.accessDeniedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AccessDenied", version: 1, event: 103, role: .frontDesk),
                    event: .accessDenied(
                        try AccessDenied(
                            staffID: StaffID("fd-2"), role: .frontDesk, action: "viewChart", patientID: id(101),
                            cause: .roleNotPermitted))),
                isCurrentVersion: true),
            Golden(
                name: "StaffSignedIn v1",
                hex: GoldenHex.staffSignedInVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("StaffSignedIn", version: 1, event: 104, role: .system),
                    event: .staffSignedIn(StaffSignedIn(staffID: try StaffID("fd-2"), sessionID: id(700)))),
                isCurrentVersion: true),
            Golden(
                name: "SignInFailed v1",
                hex: GoldenHex.signInFailedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("SignInFailed", version: 1, event: 105, role: .system),
                    event: .signInFailed(
                        SignInFailed(staffID: try StaffID("fd-2"), cause: .wrongPassphrase, consecutiveFailures: 3))),
                isCurrentVersion: true),
            Golden(
                name: "StaffSignedOut v1",
                hex: GoldenHex.staffSignedOutVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("StaffSignedOut", version: 1, event: 106, role: .system),
                    event: .staffSignedOut(
                        StaffSignedOut(staffID: try StaffID("fd-2"), sessionID: id(700), cause: .inactivity))),
                isCurrentVersion: true),
            Golden(
                name: "PassphraseSet v1",
                hex: GoldenHex.passphraseSetVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PassphraseSet", version: 1, event: 107, role: .officeManager),
                    event: .passphraseSet(PassphraseSet(staffID: try StaffID("fd-2")))),
                isCurrentVersion: true),
            Golden(
                name: "MasterKeyRotated v1",
                hex: GoldenHex.masterKeyRotatedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("MasterKeyRotated", version: 1, event: 108, role: .officeManager),
                    event: .masterKeyRotated(
                        try MasterKeyRotated(
                            previousMasterKeyID: "888109021e753689", newMasterKeyID: "0f1e2d3c4b5a6978",
                            previousCheckpointPublicKey: String(repeating: "ab", count: 32),
                            newCheckpointPublicKey: String(repeating: "cd", count: 32), rewrappedKeyCount: 3))),
                isCurrentVersion: true),

            // Version 2 (PatientRegistered 3, ChargePosted 2 in clear) of every type that seals patient data, sealed
            // with the golden keyring (`GoldenHex.keyring`, master key `GoldenHex.masterKey`).
            try sealedGolden(
                "PatientRegistered", version: 3, event: 201, role: .frontDesk,
                .patientRegistered(
                    try PatientRegistered(
                        patientID: id(100), familyName: "Ó Briain", givenName: "Zoë", birthDateDaysSince1970: -4_018,
                        preferredLanguage: "ga")),
                hex: GoldenHex.patientRegisteredVersion3),
            try sealedGolden(
                "VitalsRecorded", version: 2, event: 202, role: .medicalAssistant,
                .vitalsRecorded(
                    try VitalsRecorded(
                        patientID: id(100), encounterID: id(200),
                        measurements: [
                            try VitalSign(kind: .bodyWeight, valueThousandths: 72_500),
                            try VitalSign(kind: .systolicBloodPressure, valueThousandths: 128_000),
                            try VitalSign(kind: .diastolicBloodPressure, valueThousandths: 82_000),
                        ])),
                hex: GoldenHex.vitalsRecordedVersion2),
            Golden(
                name: "ChargePosted v2",
                hex: GoldenHex.chargePostedVersion2,
                expected: DecodedEvent(
                    envelope: try envelope("ChargePosted", version: 2, event: 203, role: .biller, correlation: 50),
                    event: .chargePosted(
                        try ChargePosted(
                            chargeID: id(300), patientID: id(100), encounterID: id(200),
                            procedure: try ProcedureCode(code: "99213", modifiers: ["25"]), units: 1,
                            diagnoses: [try DiagnosisCode("E11.9"), try DiagnosisCode("I10")],
                            diagnosisPointers: [1, 2], amount: try MoneyCents(cents: 12_500),
                            postingDateDaysSince1970: 20_787))),
                isCurrentVersion: true),
            try sealedGolden(
                "AppointmentBooked", version: 2, event: 204, role: .frontDesk,
                .appointmentBooked(
                    try AppointmentBooked(
                        appointmentID: id(400), patientID: id(100), providerStaffID: StaffID("dr-lee"),
                        startLocalMinutesSince1970: 29_933_820, durationMinutes: 30, reason: "dolor de espalda")),
                hex: GoldenHex.appointmentBookedVersion2),
            try sealedGolden(
                "AppointmentCancelled", version: 2, event: 205, role: .frontDesk,
                .appointmentCancelled(
                    try AppointmentCancelled(
                        appointmentID: id(401), patientID: id(100), reason: "patient called", isLate: true)),
                hex: GoldenHex.appointmentCancelledVersion2),
            try sealedGolden(
                "AppointmentEnteredInError", version: 2, event: 206, role: .officeManager,
                .appointmentEnteredInError(
                    try AppointmentEnteredInError(appointmentID: id(403), patientID: id(100), reason: "booked twice")),
                hex: GoldenHex.appointmentEnteredInErrorVersion2),
            try sealedGolden(
                "AllergyRecorded", version: 2, event: 207, role: .nurse,
                .allergyRecorded(
                    try AllergyRecorded(
                        allergyID: id(500), patientID: id(100), substance: "penicilina", reaction: "urticaria",
                        severity: .moderate, verification: .confirmed)),
                hex: GoldenHex.allergyRecordedVersion2),
            try sealedGolden(
                "AllergyEnteredInError", version: 2, event: 208, role: .physician,
                .allergyEnteredInError(
                    try AllergyEnteredInError(allergyID: id(501), patientID: id(100), reason: "wrong chart")),
                hex: GoldenHex.allergyEnteredInErrorVersion2),
            try sealedGolden(
                "MedicationStarted", version: 2, event: 209, role: .physician,
                .medicationStarted(
                    try MedicationStarted(
                        medicationID: id(510), patientID: id(100), name: "metformin", dose: "500 mg", route: .oral,
                        frequency: "twice daily", reason: "E11.9")),
                hex: GoldenHex.medicationStartedVersion2),
            try sealedGolden(
                "MedicationStopped", version: 2, event: 210, role: .physician,
                .medicationStopped(
                    try MedicationStopped(medicationID: id(510), patientID: id(100), reason: "GI upset")),
                hex: GoldenHex.medicationStoppedVersion2),
            try sealedGolden(
                "ProblemAdded", version: 2, event: 211, role: .nursePractitioner,
                .problemAdded(
                    try ProblemAdded(
                        problemID: id(520), patientID: id(100), diagnosis: try DiagnosisCode("E11.9"),
                        onsetDaysSince1970: 18_000)),
                hex: GoldenHex.problemAddedVersion2),
            try sealedGolden(
                "NoteSigned", version: 2, event: 212, role: .physician,
                .noteSigned(
                    try NoteSigned(
                        noteID: id(530), patientID: id(100), encounterID: id(200), authorStaffID: StaffID("dr-lee"),
                        text: "A1c 7.2 %. Continuar metformina. 复诊 3 个月.")),
                hex: GoldenHex.noteSignedVersion2),
            try sealedGolden(
                "NoteAddendumSigned", version: 2, event: 213, role: .physician,
                .noteAddendumSigned(
                    try NoteAddendumSigned(
                        addendumID: id(531), noteID: id(530), patientID: id(100), authorStaffID: StaffID("dr-lee"),
                        text: "Lab results reviewed.")),
                hex: GoldenHex.noteAddendumSignedVersion2),
            try sealedGolden(
                "AmendmentRequested", version: 2, event: 214, role: .complianceOfficer,
                .amendmentRequested(
                    try AmendmentRequested(
                        amendmentID: id(540), patientID: id(100), amendedEntryIDs: [id(500), id(530)],
                        request: "I am not allergic to penicillin.", requestedTimeMicroseconds: 1_764_320_400_000_000)),
                hex: GoldenHex.amendmentRequestedVersion2),
            try sealedGolden(
                "AmendmentDenied", version: 2, event: 215, role: .complianceOfficer,
                .amendmentDenied(
                    try AmendmentDenied(
                        amendmentID: id(541), patientID: id(100), basis: .accurateAndComplete,
                        explanation: "The entry matches the lab report.",
                        disagreementInstructions: "Send a statement of disagreement to the privacy officer.")),
                hex: GoldenHex.amendmentDeniedVersion2),
            try sealedGolden(
                "PaymentPosted", version: 2, event: 216, role: .biller,
                .paymentPosted(
                    try PaymentPosted(
                        paymentID: id(500), patientID: id(100), payer: .patient, method: .check, reference: "1042",
                        amount: MoneyCents(cents: 8_000), postingDateDaysSince1970: 20_787)),
                hex: GoldenHex.paymentPostedVersion2),
            try sealedGolden(
                "ChargeVoided", version: 2, event: 217, role: .biller,
                .chargeVoided(
                    try ChargeVoided(
                        originalID: id(300), patientID: id(100), reason: "wrong CPT",
                        postingDateDaysSince1970: 20_789)),
                hex: GoldenHex.chargeVoidedVersion2),
            try sealedGolden(
                "PaymentVoided", version: 2, event: 218, role: .biller,
                .paymentVoided(
                    try PaymentVoided(
                        originalID: id(501), patientID: id(100), reason: "check returned",
                        postingDateDaysSince1970: 20_789)),
                hex: GoldenHex.paymentVoidedVersion2),
            try sealedGolden(
                "ConsentGranted", version: 2, event: 219, role: .frontDesk,
                .consentGranted(
                    try ConsentGranted(
                        consentID: id(500), patientID: id(100),
                        scope: try DisclosureScope(
                            recipientNames: ["Dra. Ana Núñez"], recipientCategories: [.researcher],
                            purposes: [.research]),
                        effectiveFromMicroseconds: 1_764_406_800_000_000,
                        expiresAtMicroseconds: 1_795_942_800_000_000)),
                hex: GoldenHex.consentGrantedVersion2),
            try sealedGolden(
                "AuthorizationRecorded", version: 2, event: 220, role: .complianceOfficer,
                .authorizationRecorded(
                    try AuthorizationRecorded(
                        authorizationID: id(501), patientID: id(100),
                        recipient: try DisclosureRecipient(
                            name: "Acme Life Insurance", category: .other, address: "1 Main St, Springfield"),
                        purpose: .thirdPartyRequest, informationDescription: "lab results 2025",
                        expiresAtMicroseconds: 1_795_942_800_000_000, expiryEvent: "policy issued",
                        signedBy: "Zoë Ó Briain", signedAtMicroseconds: 1_764_406_800_000_000)),
                hex: GoldenHex.authorizationRecordedVersion2),
            try sealedGolden(
                "RestrictionRequested", version: 2, event: 221, role: .frontDesk,
                .restrictionRequested(
                    try RestrictionRequested(
                        restrictionID: id(502), patientID: id(100),
                        scope: try DisclosureScope(
                            recipientNames: ["Aseguradora Sol"], recipientCategories: [.healthPlan],
                            purposes: [.payment]),
                        informationDescription: "visit paid out of pocket",
                        requestedAtMicroseconds: 1_764_406_800_000_000)),
                hex: GoldenHex.restrictionRequestedVersion2),
            try sealedGolden(
                "DisclosureRecorded", version: 2, event: 222, role: .complianceOfficer,
                .disclosureRecorded(
                    try DisclosureRecorded(
                        disclosureID: id(503), patientID: id(100),
                        recipient: try DisclosureRecipient(
                            name: "County Health Dept", category: .governmentAgency, address: "12 Civic Plaza"),
                        purpose: .publicHealth, informationDescription: "immunization record",
                        legalBasis: .requiredOrPermittedByLaw, disclosedAtMicroseconds: 1_770_000_000_000_000)),
                hex: GoldenHex.disclosureRecordedVersion2),
            try sealedGolden(
                "DemographicsCorrected", version: 2, event: 223, role: .frontDesk,
                .demographicsCorrected(
                    try DemographicsCorrected(
                        patientID: id(101), registrationEventID: id(2), familyName: "García-Núñez",
                        birthDateDaysSince1970: 12_354, reason: "typo at registration")),
                hex: GoldenHex.demographicsCorrectedVersion2),
            try sealedGolden(
                "PatientsMerged", version: 2, event: 224, role: .officeManager,
                .patientsMerged(
                    try PatientsMerged(
                        survivingPatientID: id(101), mergedPatientID: id(102), reason: "duplicate registration")),
                hex: GoldenHex.patientsMergedVersion2),
            try sealedGolden(
                "PatientDeathRecorded", version: 2, event: 225, role: .physician,
                .patientDeathRecorded(try PatientDeathRecorded(patientID: id(101), dateOfDeathDaysSince1970: 20_421)),
                hex: GoldenHex.patientDeathRecordedVersion2),
            try sealedGolden(
                "CoverageAdded", version: 2, event: 226, role: .frontDesk,
                .coverageAdded(
                    try CoverageAdded(
                        coverageID: id(601), patientID: id(101), payerID: id(600), memberID: "XJ-4471", order: .primary,
                        copayCents: 2_500, effectiveDaysSince1970: 20_089, terminationDaysSince1970: 20_453)),
                hex: GoldenHex.coverageAddedVersion2),
            try sealedGolden(
                "BreakGlassUsed", version: 2, event: 227, role: .physician,
                .breakGlassUsed(
                    try BreakGlassUsed(
                        staffID: StaffID("dr-lee"), patientID: id(102), reason: "paciente inconsciente en urgencias")),
                hex: GoldenHex.breakGlassUsedVersion2),

            // The fee schedule (issue 5): office events, in clear.
            Golden(
                name: "FeeScheduled v1",
                hex: GoldenHex.feeScheduledVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("FeeScheduled", version: 1, event: 300, role: .biller),
                    event: .feeScheduled(
                        try FeeScheduled(
                            procedure: try ProcedureCode(code: "99213", modifiers: ["25"]),
                            amount: try MoneyCents(cents: 12_500), effectiveDaysSince1970: 20_454,
                            procedureDescription: "Office visit, established, level 3"))),
                isCurrentVersion: true),
            Golden(
                name: "FeeWithdrawn v1",
                hex: GoldenHex.feeWithdrawnVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("FeeWithdrawn", version: 1, event: 301, role: .officeManager),
                    event: .feeWithdrawn(
                        try FeeWithdrawn(
                            procedure: try ProcedureCode(code: "99213", modifiers: ["25"]),
                            effectiveDaysSince1970: 20_545))),
                isCurrentVersion: true),

            // The retention policy: an office event, in clear.
            Golden(
                name: "RetentionPolicySet v1",
                hex: GoldenHex.retentionPolicySetVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("RetentionPolicySet", version: 1, event: 302, role: .officeManager),
                    event: .retentionPolicySet(try RetentionPolicySet(years: 10, minorYears: 3))),
                isCurrentVersion: true),
        ]
    }

    /// A golden event in the current version, sealed with the golden keyring.
    private static func sealedGolden(
        _ type: String, version: UInt32, event: UInt64, role: StaffRole, _ body: ClinicEvent, hex: String
    ) throws -> Golden {
        Golden(
            name: "\(type) v\(version)", hex: hex,
            expected: DecodedEvent(
                envelope: try envelope(type, version: version, event: event, role: role), event: body),
            isCurrentVersion: true, isSealed: true)
    }

    /// The golden keyring: the data keys of patients 100, 101 and 102, wrapped by the golden master key.
    private static func goldenKeyring() throws -> PatientKeyring {
        let random = RandomByteSource(GoldenNonceGenerator(seed: 0))
        return try PatientKeyring(
            serialized: try bytes(fromHex: GoldenHex.keyring),
            masterKey: try MasterKey(keyMaterial: try bytes(fromHex: GoldenHex.masterKey)), random: random)
    }

    /// The sealer that sealed a golden event: its nonces come from a generator seeded with the event id's low word.
    private static func goldenSealer(_ keyring: PatientKeyring, for envelope: EventEnvelope) -> PatientDataSealer {
        PatientDataSealer(keyring: keyring, random: RandomByteSource(GoldenNonceGenerator(seed: envelope.eventID.low)))
    }

    private static func bytes(fromHex hex: String) throws -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        guard digits.count % 2 == 0 else { throw GoldenError.oddHexLength }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { throw GoldenError.badHexDigit }
            return byte
        }
    }

    func testGoldenEventsDecodeForever() throws {
        let codec = try EventCodec()
        let keyring = try Self.goldenKeyring()
        for golden in try Self.goldens() {
            let bytes = try Self.bytes(fromHex: golden.hex)
            XCTAssertEqual(try codec.decode(bytes, opening: keyring), golden.expected, golden.name)
            let withheld = try codec.decode(bytes)
            if golden.isSealed {
                XCTAssertEqual(withheld.envelope, golden.expected.envelope, golden.name)
                XCTAssertTrue(withheld.patientDataWithheld, golden.name)
                XCTAssertFalse(withheld.patientDataErased, golden.name)
            } else {
                XCTAssertEqual(withheld, golden.expected, golden.name)
            }
            if golden.isCurrentVersion {
                let envelope = golden.expected.envelope
                let sealer = Self.goldenSealer(keyring, for: envelope)
                XCTAssertEqual(
                    try codec.encode(golden.expected.event, envelope: envelope, sealingWith: sealer), bytes, golden.name
                )
            }
        }
    }

    func testSealedGoldenEventsOfAnErasedPatientDecodeAsErased() throws {
        let codec = try EventCodec()
        let keyring = try Self.goldenKeyring()
        keyring.destroyKey(for: Self.id(100))
        let sealed = try Self.goldens().filter(\.isSealed)
        XCTAssertGreaterThan(sealed.count, 20)
        for golden in sealed {
            let decoded = try codec.decode(try Self.bytes(fromHex: golden.hex), opening: keyring)
            let isErased = golden.expected.event.subjectPatientID == Self.id(100)
            XCTAssertEqual(decoded.patientDataErased, isErased, golden.name)
            XCTAssertEqual(decoded.patientDataWithheld, isErased, golden.name)
            if !isErased { XCTAssertEqual(decoded, golden.expected, golden.name) }
        }
    }

    func testEveryTruncationOfAGoldenEventIsATypedError() throws {
        let codec = try EventCodec()
        for golden in try Self.goldens() {
            let bytes = try Self.bytes(fromHex: golden.hex)
            for length in 0..<bytes.count {
                XCTAssertThrowsError(try codec.decode(Array(bytes[..<length]))) {
                    XCTAssertTrue($0 is EventDecodingError, "\(golden.name) at \(length): \($0)")
                }
            }
        }
    }

    /// Every damaged copy of every golden event (each truncation, and each byte replaced by 0x00, 0xFF, itself with
    /// bit 0 flipped and itself with bit 7 flipped), decoded withheld and opened with the golden keyring, has the
    /// outcome it had with the decoder of commit 31100cb, before decoding was sped up: the same decoded value, or the
    /// same error, field and offset. Each golden event's outcomes are folded into one fingerprint
    /// (`damagedOutcomesFingerprint`); golden events added later have none and are not checked here.
    func testDamagedGoldenEventsDecodeAsBefore() throws {
        let codec = try EventCodec()
        let keyring = try Self.goldenKeyring()
        let goldens = try Self.goldens()
        XCTAssertEqual(Set(Self.damagedOutcomeFingerprints.keys).subtracting(goldens.map(\.name)), [])
        for golden in goldens {
            let fingerprint = try Self.damagedOutcomesFingerprint(
                of: Self.bytes(fromHex: golden.hex), codec: codec, keyring: keyring)
            guard let expected = Self.damagedOutcomeFingerprints[golden.name] else { continue }
            XCTAssertEqual(fingerprint, expected, golden.name)
        }
    }

    /// The outcomes of decoding every damaged copy of `bytes` (see `testDamagedGoldenEventsDecodeAsBefore`), withheld
    /// and opened with `keyring`, folded in order by FNV-1a into 64 bits, as 16 hex digits, then the number of copies
    /// that decoded and the number refused: a decoded event as its envelope and body encoded again and its two flags,
    /// a refusal as its kind (`words(of:)`), field and offset.
    private static func damagedOutcomesFingerprint(
        of bytes: [UInt8], codec: EventCodec, keyring: PatientKeyring
    ) -> String {
        var damaged = (0..<bytes.count).map { Array(bytes[..<$0]) }
        for index in bytes.indices {
            for replacement: UInt8 in [0x00, 0xFF, bytes[index] ^ 0x01, bytes[index] ^ 0x80] {
                var copy = bytes
                copy[index] = replacement
                damaged.append(copy)
            }
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var decodedCount = 0
        var refusedCount = 0
        for copy in damaged {
            for opening in [nil, keyring] {
                let outcome: [UInt8]
                do {
                    let decoded = try codec.decode(copy, opening: opening)
                    var encoder = BinaryEncoder()
                    decoded.envelope.encode(into: &encoder)
                    decoded.event.encode(into: &encoder)
                    encoder.writeBool(decoded.patientDataWithheld)
                    encoder.writeBool(decoded.patientDataErased)
                    outcome = encoder.bytes
                    decodedCount += 1
                } catch let error as EventDecodingError {
                    outcome = Array("\(words(of: error.kind)) \(error.field) \(error.offset)".utf8)
                    refusedCount += 1
                } catch {
                    outcome = Array("not a decoding error".utf8)
                    refusedCount += 1
                }
                for byte in outcome + [0xFF] {
                    hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                }
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + " \(decodedCount) \(refusedCount)"
    }

    /// A refusal's kind in this test's own words, so that the fingerprints do not depend on how a kind prints.
    private static func words(of kind: EventDecodingError.Kind) -> String {
        switch kind {
        case .truncated: "truncated"
        case .overlongVarint: "overlongVarint"
        case .integerOutOfRange: "integerOutOfRange"
        case .invalidUTF8: "invalidUTF8"
        case .countAboveLimit(let limit): "countAboveLimit \(limit)"
        case .invalidFlagByte: "invalidFlagByte"
        case .trailingBytes(let count): "trailingBytes \(count)"
        case .unknownFormat: "unknownFormat"
        case .unknownEventType: "unknownEventType"
        case .unsupportedSchemaVersion: "unsupportedSchemaVersion"
        case .unknownEnumerationCode: "unknownEnumerationCode"
        case .ruleViolated(let rule): "ruleViolated \(rule)"
        case .upcastFailed: "upcastFailed"
        case .sealedValueUnreadable(let cause):
            switch cause {
            case .noKey(let patientID): "noKey \(patientID.high) \(patientID.low)"
            case .patientErased(let patientID): "patientErased \(patientID.high) \(patientID.low)"
            case .keyAlreadyExists(let patientID): "keyAlreadyExists \(patientID.high) \(patientID.low)"
            case .patientMismatch: "patientMismatch"
            case .wrongKey: "wrongKey"
            case .tampered: "tampered"
            case .malformed(let offset): "malformed \(offset)"
            case .unsupportedFormat(let format): "unsupportedFormat \(format)"
            case .wrongMasterKey: "wrongMasterKey"
            case .invalidKey: "invalidKey"
            case .plaintextTooLong: "plaintextTooLong"
            }
        }
    }

    /// The fingerprint of each golden event's damaged copies, taken with the decoder of commit 31100cb.
    private static let damagedOutcomeFingerprints: [String: String] = [
        "PatientRegistered v1": "5a394a3c73f867ed 500 600",
        "PatientRegistered v2": "9cc0303f08562267 796 794",
        "VitalsRecorded v1": "4f96c7e6993c939d 624 1626",
        "ChargePosted v1": "6f00a588fdefeecd 868 772",
        "ProviderAvailabilityDefined v1": "9385a83c2fdc91db 338 682",
        "AppointmentBooked v1": "f6100dc7455f79ed 674 796",
        "AppointmentRescheduled v1": "f5d1e09346d37fa7 464 576",
        "AppointmentConfirmed v1": "e520350b21dc13d1 450 510",
        "PatientArrived v1": "74d4db9f99865831 450 450",
        "PatientCheckedIn v1": "57cacf2ddd732e5b 578 502",
        "PatientRoomed v1": "725a61deeed7d8c5 474 486",
        "PatientCheckedOut v1": "eb80c05dcb9597eb 450 480",
        "AppointmentCancelled v1": "4697a38368fa531f 510 610",
        "AppointmentNoShow v1": "6cf514948dea86b3 448 482",
        "AppointmentEnteredInError v1": "f469572d1f2390d7 548 732",
        "AllergyRecorded v1": "8e64994e88c9b82f 656 644",
        "AllergyResolved v1": "7cfc6281b7bab051 448 462",
        "AllergyEnteredInError v1": "85d6be332b683307 492 598",
        "MedicationStarted v1": "8a03efc61fa58f99 700 750",
        "MedicationStopped v1": "26a264dbc0f689e5 480 540",
        "ProblemAdded v1": "7cf07a4035b9bf6f 596 544",
        "ProblemResolved v1": "19763c66ae27a76f 448 462",
        "NoteSigned v1": "df5870f4e9608bd3 886 864",
        "NoteAddendumSigned v1": "ff0599041709498d 666 724",
        "AmendmentRequested v1": "81cbc6376e27659f 992 848",
        "AmendmentAccepted v1": "43f593f2ceb4442b 576 524",
        "AmendmentDenied v1": "16c1f6ac755e5a3d 806 1024",
        "PaymentPosted v1": "f10063767b50bb39 652 648",
        "PaymentApplied v1": "24bb1fcd1060abff 594 526",
        "AdjustmentPosted v1": "049c0e8c667381e1 598 602",
        "RefundIssued v1": "32e5d464133ba0e1 464 476",
        "ResponsibilityTransferred v1": "753864953305f6e9 464 616",
        "ChargeVoided v1": "1aadbdd719999e3d 622 548",
        "PaymentVoided v1": "e4bf70d499c2c285 642 588",
        "DayClosed v1": "15d5d46d4c36202d 346 484",
        "PrivacyNoticeAcknowledged v1": "652b23bf85e83e31 504 666",
        "ConsentGranted v1": "b7e1cdda83850ccd 686 764",
        "ConsentRevoked v1": "d1b694b06ddc1f77 604 536",
        "AuthorizationRecorded v1": "830e3a5b9c7a1041 958 1272",
        "RestrictionRequested v1": "b0861601545f5037 706 794",
        "RestrictionAgreed v1": "fd14e87a57e5bd49 604 566",
        "DisclosureRecorded v1": "5837465c0b98cc29 870 890",
        "DemographicsCorrected v1": "caa3d9c1cdc5964b 720 850",
        "PatientsMerged v1": "ef0d634ca1ff00ed 666 624",
        "PatientDeathRecorded v1": "da1e20a5aa040663 458 532",
        "PatientErased v1": "1e70e76f9b0275cd 464 536",
        "PayerDefined v1": "28e7908a305c83ef 510 540",
        "CoverageAdded v1": "cadb660f943b1525 748 642",
        "CoverageEnded v1": "6d512f3d5b6b1527 460 460",
        "EligibilityChecked v1": "2a10855e588ba1ad 480 550",
        "StaffMemberAdded v1": "65cf5b2b39e55def 396 634",
        "StaffRoleGranted v1": "3258c7e5f80cc7cb 334 506",
        "StaffRoleRevoked v1": "df1dac66829f01a3 334 506",
        "RecordAccessed v1": "d1f5ca804e2479b5 456 514",
        "BreakGlassUsed v1": "5dea61e688abac71 594 726",
        "AccessDenied v1": "69208a331282262f 474 586",
        "StaffSignedIn v1": "9859464de6a534ed 454 486",
        "SignInFailed v1": "f1364ca14abf5b81 330 460",
        "StaffSignedOut v1": "e904e0521549b58d 454 506",
        "PassphraseSet v1": "5f0ded9627539ac1 328 452",
        "MasterKeyRotated v1": "df3981459d391cb3 578 1832",
        "PatientRegistered v3": "a0d990ee401d831e 501 1149",
        "VitalsRecorded v2": "651a79aab559c9c4 584 1486",
        "ChargePosted v2": "b59c4b92bb404793 878 802",
        "AppointmentBooked v2": "8bb403e224addb42 636 1264",
        "AppointmentCancelled v2": "0285cbbfcd403a3f 608 1192",
        "AppointmentEnteredInError v2": "b2ee8c768b0ca14d 596 1224",
        "AllergyRecorded v2": "11277533445d83ae 631 1179",
        "AllergyEnteredInError v2": "107b5996b9b415b2 590 1180",
        "MedicationStarted v2": "23f5069ab1bc16b1 683 1277",
        "MedicationStopped v2": "b96d251669d9279b 578 1122",
        "ProblemAdded v2": "b5b9874ba808eeb3 584 1066",
        "NoteSigned v2": "4df962d81a4718a8 881 1379",
        "NoteAddendumSigned v2": "161d8b0328a624d4 764 1306",
        "AmendmentRequested v2": "d9255e6574f448c0 963 1387",
        "AmendmentDenied v2": "9d3d9add6f4205e2 908 1612",
        "PaymentPosted v2": "97c354769a4e4578 580 1100",
        "ChargeVoided v2": "f45e437175808e8f 594 1096",
        "PaymentVoided v2": "bf8ac3dec73139f3 615 1135",
        "ConsentGranted v2": "4f7af6b8eda272a1 668 1292",
        "AuthorizationRecorded v2": "860937c2c31ffac5 963 1787",
        "RestrictionRequested v2": "0df8115d9e6a3773 746 1424",
        "DisclosureRecorded v2": "fb03e2a10a19dc8c 799 1491",
        "DemographicsCorrected v2": "812a7f32e4e91bcb 720 1360",
        "PatientsMerged v2": "62656b793c029317 636 1164",
        "PatientDeathRecorded v2": "dce70984a5818a23 426 1074",
        "CoverageAdded v2": "fa57e728b24f56a3 718 1182",
        "BreakGlassUsed v2": "8998798afd68dd66 564 1266",
        "FeeScheduled v1": "d084d458d599b973 486 754",
        "FeeWithdrawn v1": "6dd39cb31437d9c5 346 504",
        "RetentionPolicySet v1": "46a725f10252bbef 328 472",
    ]

    func testEveryVersionOfEveryTypeHasAGoldenEvent() throws {
        let covered = Set(
            try Self.goldens().map { "\($0.expected.envelope.eventType) \($0.expected.envelope.schemaVersion)" })
        for bodyType in ClinicEvent.bodyTypes {
            for schema in bodyType.schemas {
                let name = "\(schema.eventType) \(schema.version)"
                XCTAssertTrue(covered.contains(name), name)
            }
        }
    }
}

/// The generator of the golden keyring's and golden sealers' random bytes: SplitMix64 from a seed. Only re-encoding a
/// sealed golden event depends on it (its nonce); decoding depends on the keyring bytes alone.
private struct GoldenNonceGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

private enum GoldenError: Error {
    case oddHexLength
    case badHexDigit
}

/// The golden bytes, as hex, wrapped at 64 digits. Written once by the version that introduced them.
private enum GoldenHex {
    static let patientRegisteredVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000011150
        617469656e745265676973746572656401014821cfb844060000a48df8b74406
        000773746166662d37060000000123456789ab4def800000000000006409c393
        2042726961696e045a6fc3abe33e
        """
    static let patientRegisteredVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000021150
        617469656e745265676973746572656402024821cfb844060000a48df8b74406
        000773746166662d3706010a6c61746520656e747279010123456789ab4def80
        00000000000032010123456789ab4def80000000000000010123456789ab4def
        80000000000000650747617263c3ad61044c756973f2c001010565732d4d58
        """
    static let vitalsRecordedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000030e56
        6974616c735265636f7264656401034821cfb844060000a48df8b74406000773
        746166662d37050000000123456789ab4def80000000000000640123456789ab
        4def80000000000000c8080732393436332d37026b67e8ec0806383330322d32
        02636d80c11406383836372d34042f6d696e80e50806383438302d36066d6d5b
        48675d80d00f06383436322d34066d6d5b48675da0810a06383331302d350343
        656c80bf040735393430382d350125a0fb0b06393237392d31042f6d696e80fa
        01
        """
    static let chargePostedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000040c43
        6861726765506f7374656401044821cfb844060000a48df8b744060007737461
        66662d370700010123456789ab4def8000000000000032000123456789ab4def
        800000000000012c0123456789ab4def80000000000000640123456789ab4def
        80000000000000c8053939323133010232350102054531312e39034931300201
        02a8c301
        """
    static let providerAvailabilityDefinedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000051b50
        726f7669646572417661696c6162696c697479446566696e656401054821cfb8
        44060000a48df8b74406000773746166662d37080000000664722d6c65650101
        009c04d0050f
        """
    static let appointmentBookedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000061141
        70706f696e746d656e74426f6f6b656401064821cfb844060000a48df8b74406
        000773746166662d37060000000123456789ab4def8000000000000190012345
        6789ab4def80000000000000640664722d6c6565f883c61c1e10646f6c6f7220
        646520657370616c6461010664722d6c656501
        """
    static let appointmentRescheduledVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000071641
        70706f696e746d656e7452657363686564756c656401074821cfb844060000a4
        8df8b74406000773746166662d37060000000123456789ab4def800000000000
        0190f084c61c0f00
        """
    static let appointmentConfirmedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000081441
        70706f696e746d656e74436f6e6669726d656401084821cfb844060000a48df8
        b74406000773746166662d37060000000123456789ab4def8000000000000190
        """
    static let patientArrivedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000090e50
        617469656e744172726976656401094821cfb844060000a48df8b74406000773
        746166662d37060000000123456789ab4def8000000000000190
        """
    static let patientCheckedInVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000a1050
        617469656e74436865636b6564496e010a4821cfb844060000a48df8b7440600
        0773746166662d37060000000123456789ab4def800000000000019001234567
        89ab4def80000000000000c8
        """
    static let patientRoomedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000b0d50
        617469656e74526f6f6d6564010b4821cfb844060000a48df8b7440600077374
        6166662d37050000000123456789ab4def8000000000000190064578616d2033
        """
    static let patientCheckedOutVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000c1150
        617469656e74436865636b65644f7574010c4821cfb844060000a48df8b74406
        000773746166662d37060000000123456789ab4def8000000000000190
        """
    static let appointmentCancelledVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000d1441
        70706f696e746d656e7443616e63656c6c6564010d4821cfb844060000a48df8
        b74406000773746166662d37060000000123456789ab4def8000000000000191
        0e70617469656e742063616c6c656401
        """
    static let appointmentNoShowVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000e1141
        70706f696e746d656e744e6f53686f77010e4821cfb844060000a48df8b74406
        000773746166662d370a0000000123456789ab4def8000000000000192
        """
    static let appointmentEnteredInErrorVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000000f1941
        70706f696e746d656e74456e7465726564496e4572726f72010f4821cfb84406
        0000a48df8b74406000773746166662d3708010d77726f6e672070617469656e
        7400000123456789ab4def80000000000001930c626f6f6b6564207477696365
        """
    static let allergyRecordedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000650f41
        6c6c657267795265636f7264656401654821cfb844060000a48df8b744060007
        73746166662d37040000000123456789ab4def80000000000001f40123456789
        ab4def80000000000000640a70656e6963696c696e6109757274696361726961
        0202
        """
    static let allergyResolvedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000660f41
        6c6c657267795265736f6c76656401664821cfb844060000a48df8b744060007
        73746166662d37010000000123456789ab4def80000000000001f4
        """
    static let allergyEnteredInErrorVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000671541
        6c6c65726779456e7465726564496e4572726f7201674821cfb844060000a48d
        f8b74406000773746166662d37010000000123456789ab4def80000000000001
        f50b77726f6e67206368617274
        """
    static let medicationStartedVersion1 = """
        010c70617469656e742d303030310123456789ab4def8000000000000068114d
        656469636174696f6e5374617274656401684821cfb844060000a48df8b74406
        000773746166662d37010000000123456789ab4def80000000000001fe012345
        6789ab4def8000000000000064096d6574666f726d696e06353030206d67010b
        7477696365206461696c79054531312e39
        """
    static let medicationStoppedVersion1 = """
        010c70617469656e742d303030310123456789ab4def8000000000000069114d
        656469636174696f6e53746f7070656401694821cfb844060000a48df8b74406
        000773746166662d37010000000123456789ab4def80000000000001fe084749
        207570736574
        """
    static let problemAddedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006a0c50
        726f626c656d4164646564016a4821cfb844060000a48df8b744060007737461
        66662d37020000000123456789ab4def80000000000002080123456789ab4def
        8000000000000064054531312e3901a09902
        """
    static let problemResolvedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006b0f50
        726f626c656d5265736f6c766564016b4821cfb844060000a48df8b744060007
        73746166662d37010000000123456789ab4def8000000000000208
        """
    static let noteSignedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006c0a4e
        6f74655369676e6564016c4821cfb844060000a48df8b7440600077374616666
        2d37010000000123456789ab4def80000000000002120123456789ab4def8000
        0000000000640123456789ab4def80000000000000c80664722d6c6565314131
        6320372e3220252e20436f6e74696e756172206d6574666f726d696e612e20e5
        a48de8af8a203320e4b8aae69c882e
        """
    static let noteAddendumSignedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006d124e
        6f7465416464656e64756d5369676e6564016d4821cfb844060000a48df8b744
        06000773746166662d37010000000123456789ab4def80000000000002130123
        456789ab4def80000000000002120664722d6c6565154c616220726573756c74
        732072657669657765642e
        """
    static let amendmentRequestedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006e1241
        6d656e646d656e74526571756573746564016e4821cfb844060000a48df8b744
        06000773746166662d37090000000123456789ab4def800000000000021c0123
        456789ab4def8000000000000064020123456789ab4def80000000000001f401
        23456789ab4def8000000000000212204920616d206e6f7420616c6c65726769
        6320746f2070656e6963696c6c696e2e8090b2abfba8a206
        """
    static let amendmentAcceptedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006f1141
        6d656e646d656e744163636570746564016f4821cfb844060000a48df8b74406
        000773746166662d37010000000123456789ab4def800000000000021c010123
        456789ab4def8000000000000213
        """
    static let amendmentDeniedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000700f41
        6d656e646d656e7444656e69656401704821cfb844060000a48df8b744060007
        73746166662d37090000000123456789ab4def800000000000021d0421546865
        20656e747279206d61746368657320746865206c6162207265706f72742e3853
        656e6420612073746174656d656e74206f662064697361677265656d656e7420
        746f207468652070726976616379206f6666696365722e
        """
    static let paymentPostedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000003c0d50
        61796d656e74506f73746564013c4821cfb844060000a48df8b7440600077374
        6166662d37070000000123456789ab4def80000000000001f40123456789ab4d
        ef80000000000000640105363030353401040a45465420383833343031807de6
        c402
        """
    static let paymentAppliedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000003d0e50
        61796d656e744170706c696564013d4821cfb844060000a48df8b74406000773
        746166662d37070000000123456789ab4def80000000000001f40123456789ab
        4def800000000000012c807d00e6c402
        """
    static let adjustmentPostedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000003e1041
        646a7573746d656e74506f73746564013e4821cfb844060000a48df8b7440600
        0773746166662d37070000000123456789ab4def800000000000025801234567
        89ab4def800000000000012c01882705434f2d3435e6c402
        """
    static let refundIssuedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000003f0c52
        6566756e64497373756564013f4821cfb844060000a48df8b744060007737461
        66662d37080000000123456789ab4def80000000000001f5da0f03e8c402
        """
    static let responsibilityTransferredVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000401952
        6573706f6e736962696c6974795472616e7366657272656401404821cfb84406
        0000a48df8b74406000773746166662d37070000000123456789ab4def800000
        000000012c0100a01fe8c402
        """
    static let chargeVoidedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000410c43
        6861726765566f6964656401414821cfb844060000a48df8b744060007737461
        66662d37070000010123456789ab4def80000000000000040123456789ab4def
        800000000000012c0977726f6e6720435054eac402
        """
    static let paymentVoidedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000420d50
        61796d656e74566f6964656401424821cfb844060000a48df8b7440600077374
        6166662d37070000010123456789ab4def800000000000003c0123456789ab4d
        ef80000000000001f50e636865636b2072657475726e6564eac402
        """
    static let dayClosedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000430944
        6179436c6f73656401434821cfb844060000a48df8b74406000773746166662d
        3708000000e6c402a8c301807d88270000da0f
        """
    static let privacyNoticeAcknowledgedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000501950
        7269766163794e6f7469636541636b6e6f776c656467656401504821cfb84406
        0000a48df8b74406000773746166662d37060000000123456789ab4def800000
        000000006407323032362d30318090ed88ffada206
        """
    static let consentGrantedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000510e43
        6f6e73656e744772616e74656401514821cfb844060000a48df8b74406000773
        746166662d37060000000123456789ab4def80000000000001f40123456789ab
        4def800000000000006401104472612e20416e61204ec3bac3b1657a01060104
        8090ed88ffada2060180908ccad0d9b006
        """
    static let consentRevokedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000520e43
        6f6e73656e745265766f6b656401524821cfb844060000a48df8b74406000773
        746166662d37060000000123456789ab4def80000000000001f40123456789ab
        4def800000000000006480809abbd1b9a906
        """
    static let authorizationRecordedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000531541
        7574686f72697a6174696f6e5265636f7264656401534821cfb844060000a48d
        f8b74406000773746166662d37090000000123456789ab4def80000000000001
        f50123456789ab4def80000000000000641341636d65204c69666520496e7375
        72616e636509011631204d61696e2053742c20537072696e676669656c640910
        6c616220726573756c747320323032350180908ccad0d9b006010d706f6c6963
        79206973737565640e5a6fc3ab20c3932042726961696e8090ed88ffada206
        """
    static let restrictionRequestedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000541452
        65737472696374696f6e52657175657374656401544821cfb844060000a48df8
        b74406000773746166662d37060000000123456789ab4def80000000000001f6
        0123456789ab4def800000000000006400010201021876697369742070616964
        206f7574206f6620706f636b65748090ed88ffada206
        """
    static let restrictionAgreedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000551152
        65737472696374696f6e41677265656401554821cfb844060000a48df8b74406
        000773746166662d37090000000123456789ab4def80000000000001f6012345
        6789ab4def80000000000000648090ed88ffada206
        """
    static let disclosureRecordedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000561244
        6973636c6f737572655265636f7264656401564821cfb844060000a48df8b744
        06000773746166662d37090000000123456789ab4def80000000000001f70123
        456789ab4def8000000000000064104472612e20416e61204ec3bac3b1657a06
        000412486241316320726573756c7473203230323504010123456789ab4def80
        000000000001f400808085d4c7f3a406
        """
    static let demographicsCorrectedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005a1544
        656d6f6772617068696373436f72726563746564015a4821cfb844060000a48d
        f8b74406000773746166662d37060000000123456789ab4def80000000000000
        650123456789ab4def8000000000000002010f47617263c3ad612d4ec3bac3b1
        657a000184c10100147479706f20617420726567697374726174696f6e
        """
    static let patientsMergedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005b0e50
        617469656e74734d6572676564015b4821cfb844060000a48df8b74406000773
        746166662d37080000000123456789ab4def80000000000000650123456789ab
        4def8000000000000066166475706c696361746520726567697374726174696f
        6e
        """
    static let patientDeathRecordedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005c1450
        617469656e7444656174685265636f72646564015c4821cfb844060000a48df8
        b74406000773746166662d37010000000123456789ab4def8000000000000065
        8abf02
        """
    static let patientErasedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005d0d50
        617469656e74457261736564015d4821cfb844060000a48df8b7440600077374
        6166662d37090000000123456789ab4def800000000000006601097072697661
        63792d31
        """
    static let payerDefinedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005e0c50
        61796572446566696e6564015e4821cfb844060000a48df8b744060007737461
        66662d37080000000123456789ab4def80000000000002580f41736567757261
        646f726120536f6c01
        """
    static let coverageAddedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000005f0d43
        6f7665726167654164646564015f4821cfb844060000a48df8b7440600077374
        6166662d37060000000123456789ab4def80000000000002590123456789ab4d
        ef80000000000000650123456789ab4def800000000000025807584a2d343437
        31018827f2b90201cabf02
        """
    static let coverageEndedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000600d43
        6f766572616765456e64656401604821cfb844060000a48df8b7440600077374
        6166662d37070000000123456789ab4def800000000000025998bd02
        """
    static let eligibilityCheckedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000611245
        6c69676962696c697479436865636b656401614821cfb844060000a48df8b744
        06000773746166662d37060000000123456789ab4def80000000000002590180
        90ed88ffada206
        """
    static let staffMemberAddedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000621053
        746166664d656d626572416464656401624821cfb844060000a48df8b7440600
        0773746166662d37080000000664722d6c6565104472612e204c6565204dc3bc
        6c6c6572020108
        """
    static let staffRoleGrantedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000631053
        74616666526f6c654772616e74656401634821cfb844060000a48df8b7440600
        0773746166662d37080000000664722d6c656509
        """
    static let staffRoleRevokedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000641053
        74616666526f6c655265766f6b656401644821cfb844060000a48df8b7440600
        0773746166662d37080000000664722d6c656508
        """
    static let recordAccessedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000650e52
        65636f7264416363657373656401654821cfb844060000a48df8b74406000773
        746166662d370400000004726e2d320123456789ab4def800000000000006501
        01
        """
    static let breakGlassUsedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000660e42
        7265616b476c6173735573656401664821cfb844060000a48df8b74406000773
        746166662d37010000000664722d6c65650123456789ab4def80000000000000
        662270616369656e746520696e636f6e736369656e746520656e20757267656e
        63696173
        """
    static let patientRegisteredVersion3 = """
        010c70617469656e742d303030310123456789ab4def80000000000000c91150
        617469656e745265676973746572656403c94821cfb844060000a48df8b74406
        000773746166662d37060000000123456789ab4def8000000000000064014601
        0123456789ab4def8000000000000064e3f9c2e73f68cdd07bd54ab361580b00
        3c85bbcd9219c750dadcc506e5d4a5dd0994088b25553c035c1968d5351ab606
        53af3673fe
        """
    static let vitalsRecordedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000ca0e56
        6974616c735265636f7264656402ca4821cfb844060000a48df8b74406000773
        746166662d37050000000123456789ab4def80000000000000640123456789ab
        4def80000000000000c8030732393436332d37026b6706383438302d36066d6d
        5b48675d06383436322d34066d6d5b48675d013b010123456789ab4def800000
        0000000064e3f9c2e78c2e553d2f905fef8bd6bc54565edd19f60cd9b9259572
        804c07a16374026a31aecd34e5a49c
        """
    static let chargePostedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000cb0c43
        6861726765506f7374656402cb4821cfb844060000a48df8b744060007737461
        66662d370700010123456789ab4def8000000000000032000123456789ab4def
        800000000000012c0123456789ab4def80000000000000640123456789ab4def
        80000000000000c8053939323133010232350102054531312e39034931300201
        02a8c30101e6c402
        """
    static let appointmentBookedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000cc1141
        70706f696e746d656e74426f6f6b656402cc4821cfb844060000a48df8b74406
        000773746166662d37060000000123456789ab4def8000000000000190012345
        6789ab4def80000000000000640664722d6c6565f883c61c1e01420101234567
        89ab4def8000000000000064e3f9c2e7c31a69dcd398b78f62fee5ec01e8d5fb
        4f329df259b62897f2cf6252238df4c8b5e5e8ea9e150cc951e756636900
        """
    static let appointmentCancelledVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000cd1441
        70706f696e746d656e7443616e63656c6c656402cd4821cfb844060000a48df8
        b74406000773746166662d37060000000123456789ab4def8000000000000191
        010123456789ab4def80000000000000640140010123456789ab4def80000000
        00000064e3f9c2e7520fa2f9e4f3ac699ce58dec6bfb6371ef452556de6d7d58
        bcf3d80b8eee68a5c4d6bbeeaa6adf9c1f54a401
        """
    static let appointmentEnteredInErrorVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000ce1941
        70706f696e746d656e74456e7465726564496e4572726f7202ce4821cfb84406
        0000a48df8b74406000773746166662d37080000000123456789ab4def800000
        0000000193010123456789ab4def8000000000000064013e010123456789ab4d
        ef8000000000000064e3f9c2e7b5a73276f78b91babec35d5d01324dc3b81308
        e32102afcaac2409b2eb75fb55c52e70b71ae72df473
        """
    static let allergyRecordedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000cf0f41
        6c6c657267795265636f7264656402cf4821cfb844060000a48df8b744060007
        73746166662d37040000000123456789ab4def80000000000001f40123456789
        ab4def80000000000000640146010123456789ab4def8000000000000064e3f9
        c2e77d2c00545cc482f47271c2bff91703e85cd017d25af378fe21eb8de2f569
        5b94152d87d476c901f8721c2712cfbada50a30202
        """
    static let allergyEnteredInErrorVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d01541
        6c6c65726779456e7465726564496e4572726f7202d04821cfb844060000a48d
        f8b74406000773746166662d37010000000123456789ab4def80000000000001
        f5010123456789ab4def8000000000000064013d010123456789ab4def800000
        0000000064e3f9c2e782b2974b0ccc3da385d565ec56b7588577d4d563e080c7
        c63c27379c99bc47d7d76799f5cbcd7e71
        """
    static let medicationStartedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d1114d
        656469636174696f6e5374617274656402d14821cfb844060000a48df8b74406
        000773746166662d37010000000123456789ab4def80000000000001fe012345
        6789ab4def8000000000000064010154010123456789ab4def80000000000000
        64e3f9c2e7df37f562d7b629bb3cabccd31ecbfe689f43cd25e52df35b70c5f7
        1e362aca04ffe2ee14bab9f684345643eb76e42680014e1926c82bb354253146
        7a2d1577
        """
    static let medicationStoppedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d2114d
        656469636174696f6e53746f7070656402d24821cfb844060000a48df8b74406
        000773746166662d37010000000123456789ab4def80000000000001fe010123
        456789ab4def8000000000000064013a010123456789ab4def80000000000000
        64e3f9c2e759bb2c24736f48017b0cf8d828c7657f7b1833de61161e8110c045
        61d7eb21a589b90e9f5f
        """
    static let problemAddedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d30c50
        726f626c656d416464656402d34821cfb844060000a48df8b744060007737461
        66662d37020000000123456789ab4def80000000000002080123456789ab4def
        8000000000000064013b010123456789ab4def8000000000000064e3f9c2e767
        463665e00de75ddb4a4ccbd6448aa8ae7adf64c2b5fa535430e5a15cf75f0ded
        a5a9b55e7b
        """
    static let noteSignedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d40a4e
        6f74655369676e656402d44821cfb844060000a48df8b7440600077374616666
        2d37010000000123456789ab4def80000000000002120123456789ab4def8000
        0000000000640123456789ab4def80000000000000c80664722d6c6565016301
        0123456789ab4def8000000000000064e3f9c2e7481417147f3970f7146b9546
        3809e3341a9bd4c4ceef0ff7edf6f3e81520cbafb720aaed86fffc3e6ee0c689
        30d62977660c072384ee0ffc7fb0224f5558f6527e5d81f6b963fae77c5c5f33
        15f9
        """
    static let noteAddendumSignedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d5124e
        6f7465416464656e64756d5369676e656402d54821cfb844060000a48df8b744
        06000773746166662d37010000000123456789ab4def80000000000002130123
        456789ab4def8000000000000212010123456789ab4def800000000000006406
        64722d6c65650147010123456789ab4def8000000000000064e3f9c2e75baef3
        c6cd767ddb2245c12997470a3e1d0a36672d0ed1755efe90cc3aee7a094f43be
        d5a0e1f65b56893608a5b365aee7f3
        """
    static let amendmentRequestedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d61241
        6d656e646d656e7452657175657374656402d64821cfb844060000a48df8b744
        06000773746166662d37090000000123456789ab4def800000000000021c0123
        456789ab4def8000000000000064020123456789ab4def80000000000001f401
        23456789ab4def80000000000002120152010123456789ab4def800000000000
        0064e3f9c2e77979c7ecfb4960b5b095065c8d322eca5c5c60492cf759fb7084
        ea9ff0f089da26091395cc9131cc05649428bf9669d0b2e83065216bc6735a3c
        9602f48090b2abfba8a206
        """
    static let amendmentDeniedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d70f41
        6d656e646d656e7444656e69656402d74821cfb844060000a48df8b744060007
        73746166662d37090000000123456789ab4def800000000000021d0101234567
        89ab4def800000000000006404018c01010123456789ab4def80000000000000
        64e3f9c2e745c7798a83c684586b117d3831100766bf124ef2411b34c12fe597
        7e606f4f0445521f3205314efe9bc6a53bbc85abbf68c3ae02656fe58ff7c01f
        de256183715f98230ed4b96d9e61611453d476d7c3d636602566ec8d76769966
        e4a74a9894c5950b555dcd08d4350940fc27d86ce39d1ba6a122bf1c
        """
    static let paymentPostedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d80d50
        61796d656e74506f7374656402d84821cfb844060000a48df8b7440600077374
        6166662d37070000000123456789ab4def80000000000001f40123456789ab4d
        ef800000000000006400030136010123456789ab4def8000000000000064e3f9
        c2e770114a6b1e3d62d1a547af11916dddc70a7eac9b40f12acbf3f657f9f6c2
        a05f9d807de6c402
        """
    static let chargeVoidedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000d90c43
        6861726765566f6964656402d94821cfb844060000a48df8b744060007737461
        66662d37070000000123456789ab4def800000000000012c010123456789ab4d
        ef8000000000000064013b010123456789ab4def8000000000000064e3f9c2e7
        10027a91028ade77d26fcfd0f5307ba5ac0f1f10a1eb0fa6cabe0ea246e7d335
        af18ca7e6b25eac402
        """
    static let paymentVoidedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000da0d50
        61796d656e74566f6964656402da4821cfb844060000a48df8b7440600077374
        6166662d37070000000123456789ab4def80000000000001f5010123456789ab
        4def80000000000000640140010123456789ab4def8000000000000064e3f9c2
        e72953e8f80cba8ebae957af2eb80378f9617e3248a1c496b911163d0ee05c29
        4e61b54958300a53cf0603e6eac402
        """
    static let consentGrantedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000db0e43
        6f6e73656e744772616e74656402db4821cfb844060000a48df8b74406000773
        746166662d37060000000123456789ab4def80000000000001f40123456789ab
        4def80000000000000640143010123456789ab4def8000000000000064e3f9c2
        e7223c4484e82514189e4392d26dac75e5c618fe28bbae9ecf7e77c3025efc63
        6386ae07a5bcd19dde82056252492a010601048090ed88ffada2060180908cca
        d0d9b006
        """
    static let authorizationRecordedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000dc1541
        7574686f72697a6174696f6e5265636f7264656402dc4821cfb844060000a48d
        f8b74406000773746166662d37090000000123456789ab4def80000000000001
        f50123456789ab4def800000000000006409090180908ccad0d9b0068090ed88
        ffada206018c01010123456789ab4def8000000000000064e3f9c2e79d85ffc6
        69e8dfa745371a5e8e58885a0848c869665f3637beb0ccdf6bf229fc6f966f16
        1227a02970b07d7412d4d3c00bf3695f0ee6cc92da7871c23c365865507b4e92
        2f3f4568be0986ebffad7f3762d3f4e77fd3a8436f6f99865c89a8b55f011fc6
        078d97f65d792b9195882c212cb02681000f4e
        """
    static let restrictionRequestedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000dd1452
        65737472696374696f6e52657175657374656402dd4821cfb844060000a48df8
        b74406000773746166662d37060000000123456789ab4def80000000000001f6
        0123456789ab4def8000000000000064010201028090ed88ffada206015b0101
        23456789ab4def8000000000000064e3f9c2e7197f17772b99b0e32c940b97d0
        789b0dac6728d259844e27bb3db936b2f42dd93a8011432e3241879536a901dd
        14712106734916aa231d5ffea6a32a9ca4cd6cea9c71ea54c0
        """
    static let disclosureRecordedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000de1244
        6973636c6f737572655265636f7264656402de4821cfb844060000a48df8b744
        06000773746166662d37090000000123456789ab4def80000000000001f70123
        456789ab4def80000000000000640706060000808085d4c7f3a4060168010123
        456789ab4def8000000000000064e3f9c2e76a68ebbfc8eacf32c11a845da7cf
        2d4bff7c0c5dcb2475dad474d38cfc83498f6083ce580bd3ba0c0ef947793b8f
        fbcab928a6860780c44bdb494263562baeba8a2e6209f763a7a1fe73f52f3fe3
        7553e06544
        """
    static let demographicsCorrectedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000df1544
        656d6f6772617068696373436f7272656374656402df4821cfb844060000a48d
        f8b74406000773746166662d37060000000123456789ab4def80000000000000
        650123456789ab4def8000000000000002015d010123456789ab4def80000000
        000000654b82d2d751f51d75fa1cad7002973e9832e476c6ae5fcd0fa76fb78e
        20249c69563d80df44975b16a1c702949221c69df39bd5ccafa25e3ec993c891
        cc20ba3618ac8c987938bb8d6c08e2c2
        """
    static let patientsMergedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000e00e50
        617469656e74734d657267656402e04821cfb844060000a48df8b74406000773
        746166662d37080000000123456789ab4def80000000000000650123456789ab
        4def80000000000000660148010123456789ab4def8000000000000066550a6b
        130e18411a8b9fb4f33434ba9cfb14e384f3b7ee67214f9de47862d7e47221bd
        63f1af6e8aa8ea4c446c8ff77141a64138543de0
        """
    static let patientDeathRecordedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000e11450
        617469656e7444656174685265636f7264656402e14821cfb844060000a48df8
        b74406000773746166662d37010000000123456789ab4def8000000000000065
        0134010123456789ab4def80000000000000654b82d2d7cc2d147d88094450cc
        2452dd897cac424274762d78162fb876627dc1612632
        """
    static let coverageAddedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000e20d43
        6f766572616765416464656402e24821cfb844060000a48df8b7440600077374
        6166662d37060000000123456789ab4def80000000000002590123456789ab4d
        ef80000000000000650123456789ab4def800000000000025801390101234567
        89ab4def80000000000000654b82d2d75a617c894197072adccd57ac82d004d7
        9c3e0fa01a653c4f534bf1c0ada987c6d98873a7018827f2b90201cabf02
        """
    static let breakGlassUsedVersion2 = """
        010c70617469656e742d303030310123456789ab4def80000000000000e30e42
        7265616b476c6173735573656402e34821cfb844060000a48df8b74406000773
        746166662d37010000000664722d6c65650123456789ab4def80000000000000
        660154010123456789ab4def8000000000000066550a6b139488a31770be22c7
        6a700c3682177885f918b84f3546f9747bed87df8c67156eebb6b00b10481fdd
        a9ba79af9472d2b0faca2ebf9745322cbf3c1794e11867
        """
    static let accessDeniedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000670c41
        636365737344656e69656401674821cfb844060000a48df8b744060007737461
        66662d37060000000466642d320609766965774368617274010123456789ab4d
        ef800000000000006501
        """
    static let staffSignedInVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000680d53
        746166665369676e6564496e01684821cfb844060000a48df8b7440600077374
        6166662d370a0000000466642d320123456789ab4def80000000000002bc
        """
    static let signInFailedVersion1 = """
        010c70617469656e742d303030310123456789ab4def80000000000000690c53
        69676e496e4661696c656401694821cfb844060000a48df8b744060007737461
        66662d370a0000000466642d320103
        """
    static let staffSignedOutVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006a0e53
        746166665369676e65644f7574016a4821cfb844060000a48df8b74406000773
        746166662d370a0000000466642d320123456789ab4def80000000000002bc02
        """
    static let passphraseSetVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006b0d50
        617373706872617365536574016b4821cfb844060000a48df8b7440600077374
        6166662d37080000000466642d32
        """
    static let masterKeyRotatedVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000006c104d
        61737465724b6579526f7461746564016c4821cfb844060000a48df8b7440600
        0773746166662d37080000001038383831303930323165373533363839103066
        3165326433633462356136393738406162616261626162616261626162616261
        6261626162616261626162616261626162616261626162616261626162616261
        6261626162616261626162616261624063646364636463646364636463646364
        6364636463646364636463646364636463646364636463646364636463646364
        6364636463646364636463646364636403
        """
    static let feeScheduledVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000012c0c46
        65655363686564756c6564012c4921cfb844060000a48df8b744060007737461
        66662d370700000005393932313301023235a8c301ccbf0201224f6666696365
        2076697369742c2065737461626c69736865642c206c6576656c2033
        """
    static let feeWithdrawnVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000012d0c46
        656557697468647261776e012d4921cfb844060000a48df8b744060007737461
        66662d37080000000539393231330102323582c102
        """
    static let retentionPolicySetVersion1 = """
        010c70617469656e742d303030310123456789ab4def800000000000012e1252
        6574656e74696f6e506f6c696379536574012e4921cfb844060000a48df8b744
        06000773746166662d37080000000a03
        """
    /// Test-only master key material: the bytes 0x00 to 0x1f.
    static let masterKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    /// The golden keyring, serialized (docs/encryption.md, section 4): patients 100, 101 and 102.
    static let keyring = """
        434c4b5201888109021e753689030000000123456789ab4def80000000000000
        64018fb4b9bf0ebfde10d51c2bd1d900676691c22d0c20dfb15895a77cb56b8b
        18c8c3df916e886f32960123456789ab4def800000000000006501250882bd2f
        b4dc60c1866f701bcffda849faa092f75c7030e0b1a9d9d31e3956ce1e97957f
        56d4020123456789ab4def80000000000000660187a3f5ca87868c4ba978362a
        9ccbb367ccae004daaf6b71b4b8d83d9a0ae7086e19b3a29aaf251d30b3c6ec4
        823bf0460975e2a6bf85da233d1b780fef1eca56298664d8d92f01dc
        """
}
