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
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                            diagnosisPointers: [1, 2], amount: try MoneyCents(cents: 12_500)))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                        try AppointmentCancelled(appointmentID: id(401), reason: "patient called", isLate: true))),
                isCurrentVersion: true),
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
                        try AppointmentEnteredInError(appointmentID: id(403), reason: "booked twice"))),
                isCurrentVersion: true),
            Golden(
                name: "AllergyRecorded v1",
                hex: GoldenHex.allergyRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("AllergyRecorded", version: 1, event: 101, role: .nurse),
                    event: .allergyRecorded(
                        try AllergyRecorded(
                            allergyID: id(500), patientID: id(100), substance: "penicilina", reaction: "urticaria",
                            severity: .moderate, verification: .confirmed))),
                isCurrentVersion: true),
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
                        try AllergyEnteredInError(allergyID: id(501), reason: "wrong chart"))),
                isCurrentVersion: true),
            Golden(
                name: "MedicationStarted v1",
                hex: GoldenHex.medicationStartedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("MedicationStarted", version: 1, event: 104, role: .physician),
                    event: .medicationStarted(
                        try MedicationStarted(
                            medicationID: id(510), patientID: id(100), name: "metformin", dose: "500 mg",
                            route: .oral, frequency: "twice daily", reason: "E11.9"))),
                isCurrentVersion: true),
            Golden(
                name: "MedicationStopped v1",
                hex: GoldenHex.medicationStoppedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("MedicationStopped", version: 1, event: 105, role: .physician),
                    event: .medicationStopped(try MedicationStopped(medicationID: id(510), reason: "GI upset"))),
                isCurrentVersion: true),
            Golden(
                name: "ProblemAdded v1",
                hex: GoldenHex.problemAddedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("ProblemAdded", version: 1, event: 106, role: .nursePractitioner),
                    event: .problemAdded(
                        try ProblemAdded(
                            problemID: id(520), patientID: id(100), diagnosis: try DiagnosisCode("E11.9"),
                            onsetDaysSince1970: 18_000))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
            Golden(
                name: "NoteAddendumSigned v1",
                hex: GoldenHex.noteAddendumSignedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("NoteAddendumSigned", version: 1, event: 109, role: .physician),
                    event: .noteAddendumSigned(
                        try NoteAddendumSigned(
                            addendumID: id(531), noteID: id(530), authorStaffID: StaffID("dr-lee"),
                            text: "Lab results reviewed."))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                            amendmentID: id(541), basis: .accurateAndComplete,
                            explanation: "The entry matches the lab report.",
                            disagreementInstructions: "Send a statement of disagreement to the privacy officer."))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                        try ChargeVoided(originalID: id(300), reason: "wrong CPT", postingDateDaysSince1970: 20_789))),
                isCurrentVersion: true),
            Golden(
                name: "PaymentVoided v1",
                hex: GoldenHex.paymentVoidedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PaymentVoided", version: 1, event: 66, role: .biller, causation: 60),
                    event: .paymentVoided(
                        try PaymentVoided(
                            originalID: id(501), reason: "check returned", postingDateDaysSince1970: 20_789))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                isCurrentVersion: true),
            Golden(
                name: "DemographicsCorrected v1",
                hex: GoldenHex.demographicsCorrectedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("DemographicsCorrected", version: 1, event: 90, role: .frontDesk),
                    event: .demographicsCorrected(
                        try DemographicsCorrected(
                            patientID: id(101), registrationEventID: id(2), familyName: "García-Núñez",
                            birthDateDaysSince1970: 12_354, reason: "typo at registration"))),
                isCurrentVersion: true),
            Golden(
                name: "PatientsMerged v1",
                hex: GoldenHex.patientsMergedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientsMerged", version: 1, event: 91, role: .officeManager),
                    event: .patientsMerged(
                        try PatientsMerged(
                            survivingPatientID: id(101), mergedPatientID: id(102), reason: "duplicate registration"))),
                isCurrentVersion: true),
            Golden(
                name: "PatientDeathRecorded v1",
                hex: GoldenHex.patientDeathRecordedVersion1,
                expected: DecodedEvent(
                    envelope: try envelope("PatientDeathRecorded", version: 1, event: 92, role: .physician),
                    event: .patientDeathRecorded(
                        try PatientDeathRecorded(patientID: id(101), dateOfDeathDaysSince1970: 20_421))),
                isCurrentVersion: true),
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
                isCurrentVersion: true),
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
                isCurrentVersion: true),
        ]
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
        for golden in try Self.goldens() {
            let bytes = try Self.bytes(fromHex: golden.hex)
            XCTAssertEqual(try codec.decode(bytes), golden.expected, golden.name)
            if golden.isCurrentVersion {
                XCTAssertEqual(
                    try codec.encode(golden.expected.event, envelope: golden.expected.envelope), bytes, golden.name)
            }
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
}
