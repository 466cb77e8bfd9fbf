import ClinicEvents
import ClinicStore
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

final class PermissionsTests: XCTestCase {
    /// What one action of the table needs to be tried: a store command, a read, a passphrase change or a rotation.
    private enum Attempt {
        case command(OfficeCommand)
        case read(StoreAction, patient: EventID?)
        case setPassphrase(of: StaffID)
        case rotateKeys
        case setRetentionPolicy
    }

    /// Every action, tried by every role on records made fresh for each try: a permitted role succeeds; any other is
    /// refused with `permissionDenied`, and the refusal appends its `AccessDenied` event and nothing else.
    func testEveryActionByEveryRoleIsAllowedOrRefusedAsTheTableSays() throws {
        let fixture = try AccessFixture()
        for action in StoreAction.allCases {
            XCTAssertFalse(action.permittedRoles.isEmpty, "\(action) has roles")
            for role in StaffRole.allCases {
                let attempt = try prepare(action, fixture)
                let actor = fixture.actor(for: role)
                let before = fixture.store.log.nextPosition
                let keyring = try fixture.fileSystem.readWholeFile(fixture.location.keyringPath)
                let credentials = try fixture.fileSystem.readWholeFile(fixture.location.credentialsPath)
                let settings = try fixture.fileSystem.readWholeFile(fixture.location.settingsPath)
                let refusal: StoreError?
                do {
                    try perform(attempt, as: actor, fixture)
                    refusal = nil
                } catch let error as StoreError where error.category == .permissionDenied {
                    refusal = error
                } catch {
                    XCTFail("\(action) as \(role): refused by a rule, not by access control: \(error)")
                    continue
                }
                let permitted = action.permittedRoles.contains(role)
                XCTAssertEqual(refusal == nil, permitted, "\(action) as \(role): \(refusal?.message ?? "allowed")")
                guard let refusal, !permitted else { continue }
                XCTAssertEqual(refusal.code, "roleNotPermitted", "\(action) as \(role)")
                XCTAssertEqual(fixture.store.log.nextPosition, before + 1, "\(action) as \(role): one event")
                XCTAssertEqual(try fixture.fileSystem.readWholeFile(fixture.location.keyringPath), keyring)
                XCTAssertEqual(try fixture.fileSystem.readWholeFile(fixture.location.credentialsPath), credentials)
                XCTAssertEqual(try fixture.fileSystem.readWholeFile(fixture.location.settingsPath), settings)
                let stored = try fixture.event(at: before)
                XCTAssertEqual(stored.envelope.stream, ClinicStore.accessStreamName)
                guard case .accessDenied(let denied) = stored.event else {
                    XCTFail("\(action) as \(role): \(stored.event.eventType) appended")
                    continue
                }
                XCTAssertEqual(denied.staffID, actor.staffID)
                XCTAssertEqual(denied.role, role)
                XCTAssertEqual(denied.action, action.rawValue)
                XCTAssertEqual(denied.cause, .roleNotPermitted)
                XCTAssertEqual(denied.patientID, expectedPatient(attempt), "\(action) as \(role)")
            }
        }
    }

    func testTheTableTakesEachDecisionsOwnRoles() throws {
        XCTAssertEqual(StoreAction.book.permittedRoles, ProviderScheduleRoles.booking)
        XCTAssertEqual(StoreAction.addProblem.permittedRoles, ChartCommand.diagnosingRoles)
        XCTAssertEqual(StoreAction.signNote.permittedRoles, ChartCommand.noteSigningRoles)
        XCTAssertEqual(StoreAction.erasePatient.permittedRoles, PatientRecordCommand.erasingRoles)
        XCTAssertEqual(StoreAction.closeDay.permittedRoles, DayBook.closingRoles)
        XCTAssertEqual(StoreAction.addCoverage.permittedRoles, CoverageCommand.permittedRoles)
        XCTAssertEqual(StoreAction.markNoShow.permittedRoles, [.frontDesk, .officeManager, .system])
        XCTAssertEqual(StoreAction.postAdjustment.permittedRoles, [.biller, .officeManager])
        XCTAssertEqual(StoreAction.manageFeeSchedule.permittedRoles, FeeScheduleCommand.permittedRoles)
        XCTAssertEqual(StoreAction.viewFeeSchedule.permittedRoles, Permissions.ledgerReadingRoles)
        XCTAssertEqual(StoreAction.setRetentionPolicy.permittedRoles, RetentionPolicyCommand.permittedRoles)
        XCTAssertEqual(StoreAction.viewChart.permittedRoles, ChartCommand.clinicalRoles)
        XCTAssertFalse(StoreAction.viewChart.permittedRoles.contains(.frontDesk))
    }

    func testUnknownStaffAndUnheldRolesAreRefusedAndLogged() throws {
        let fixture = try AccessFixture()
        let stranger = StaffActor(staffID: try StaffID("nobody"), role: .officeManager)
        let pretender = StaffActor(staffID: fixture.actor(for: .frontDesk).staffID, role: .officeManager)
        for (actor, code) in [(stranger, "unknownStaff"), (pretender, "roleNotHeld")] {
            let before = fixture.store.log.nextPosition
            XCTAssertThrowsError(
                try fixture.execute(
                    .definePayer(try PayerDefined(payerID: fixture.newID(), name: "X", type: .medicare)), by: actor)
            ) {
                XCTAssertEqual(($0 as? StoreError)?.code, code)
                XCTAssertEqual(($0 as? StoreError)?.category, .permissionDenied)
            }
            XCTAssertEqual(fixture.store.log.nextPosition, before + 1)
            guard case .accessDenied(let denied) = try fixture.events().last?.event else { return XCTFail() }
            XCTAssertEqual(denied.cause, code == "unknownStaff" ? .unknownStaff : .roleNotHeld)
        }
    }

    func testARetriedRefusalIsLoggedOnce() throws {
        let fixture = try AccessFixture()
        let commandID = fixture.newID()
        let command = OfficeCommand.definePayer(try PayerDefined(payerID: fixture.newID(), name: "X", type: .medicare))
        let before = fixture.store.log.nextPosition
        for _ in 0..<2 {
            XCTAssertThrowsError(
                try fixture.store.execute(command, by: fixture.actor(for: .nurse), commandID: commandID))
        }
        XCTAssertEqual(fixture.store.log.nextPosition, before + 1)
    }

    /// `docs/security.md` shows the table exactly as the code has it; regenerate with
    /// `CLINICLOG_WRITE_SECURITY_TABLE=1 swift test --filter PermissionsTests`.
    func testTheSecurityDocShowsTheTableAsTheCodeHasIt() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/security.md").path
        let document = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- permission table: generated by PermissionsTests; do not edit by hand -->\n"
        let end = "<!-- end of permission table -->\n"
        let start = try XCTUnwrap(document.range(of: begin), "docs/security.md has the table's begin marker")
        let stop = try XCTUnwrap(document.range(of: end), "docs/security.md has the table's end marker")
        let table = Self.renderedTable()
        if ProcessInfo.processInfo.environment["CLINICLOG_WRITE_SECURITY_TABLE"] == "1" {
            let updated = String(document[..<start.upperBound]) + table + String(document[stop.lowerBound...])
            try updated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(
            String(document[start.upperBound..<stop.lowerBound]), table,
            "docs/security.md is stale: run CLINICLOG_WRITE_SECURITY_TABLE=1 swift test --filter PermissionsTests")
    }

    /// The permission table as Markdown: one row per action, one column per role.
    static func renderedTable() -> String {
        let roles: [(StaffRole, String)] = [
            (.frontDesk, "FD"), (.biller, "BI"), (.officeManager, "OM"), (.complianceOfficer, "CO"), (.physician, "MD"),
            (.nursePractitioner, "NP"), (.physicianAssistant, "PA"), (.nurse, "RN"), (.medicalAssistant, "MA"),
            (.system, "SY"),
        ]
        var text = "| area | action | command | " + roles.map(\.1).joined(separator: " | ") + " |\n"
        text += "|---|---|---|" + String(repeating: ":-:|", count: roles.count) + "\n"
        for action in StoreAction.allCases {
            let marks = roles.map { action.permittedRoles.contains($0.0) ? "✓" : "" }
            text += "| \(action.area) | `\(action.rawValue)` | `\(action.commandLine)` | "
            text += marks.joined(separator: " | ") + " |\n"
        }
        return text
    }

    // MARK: Trying one action

    private func expectedPatient(_ attempt: Attempt) -> EventID? {
        switch attempt {
        case .command(let command): command.patientID
        case .read(_, let patient): patient
        case .setPassphrase, .rotateKeys, .setRetentionPolicy: nil
        }
    }

    private func perform(_ attempt: Attempt, as actor: StaffActor, _ fixture: AccessFixture) throws {
        switch attempt {
        case .command(let command):
            try fixture.store.execute(command, by: actor, commandID: fixture.newID())
        case .read(let action, let patient):
            try fixture.store.authorize(action, of: patient, by: actor, commandID: fixture.newID())
        case .setPassphrase(let staffID):
            try fixture.store.setPassphrase(
                Array("another test passphrase".utf8), of: staffID, by: actor, commandID: fixture.newID())
        case .setRetentionPolicy:
            try fixture.store.setRetentionPolicy(
                try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3)), by: actor, commandID: fixture.newID())
        case .rotateKeys:
            try fixture.withStoreClosed {
                try ClinicStore.rotateMasterKey(
                    at: fixture.location, environment: fixture.environment, by: actor, commandID: fixture.newID())
            }
        }
    }

    /// Makes what `action` needs, fresh, as privileged staff, and returns the attempt.
    private func prepare(_ action: StoreAction, _ f: AccessFixture) throws -> Attempt {
        let p = f.provider
        switch action {
        case .registerPatient:
            return .command(
                .registerPatient(
                    try PatientRegistered(
                        patientID: f.newID(), familyName: "Poe", givenName: "Ed", birthDateDaysSince1970: 5_000)))
        case .correctDemographics:
            return .command(
                .patientRecord(
                    patientID: try f.registerPatient(),
                    .correctDemographics(
                        familyName: "Doe-Smith", givenName: nil, birthDateDaysSince1970: nil,
                        dateOfDeathDaysSince1970: nil, reason: "typo")))
        case .recordDeath:
            return .command(
                .patientRecord(patientID: try f.registerPatient(), .recordDeath(dateOfDeathDaysSince1970: f.today)))
        case .erasePatient:
            return .command(.patientRecord(patientID: try f.registerPatient(), .erase(reason: .patientRequest)))
        case .mergePatients:
            return .command(
                .mergePatients(
                    duplicateID: try f.registerPatient(), survivorID: try f.registerPatient(), reason: "duplicate"))
        case .defineAvailability:
            return .command(
                .scheduling(
                    providerStaffID: p,
                    .defineAvailability(
                        day: .date(daysSince1970: f.unclosedPastDay() + 20_000), startMinuteOfDay: 480,
                        endMinuteOfDay: 540, slotMinutes: 15)))
        case .book:
            return .command(
                .scheduling(
                    providerStaffID: p,
                    .book(
                        appointmentID: f.newID(), patientID: try f.registerPatient(),
                        startLocalMinutesSince1970: f.nextSlot(), durationMinutes: 15, reason: "cough",
                        overbookApproval: nil)))
        case .reschedule:
            let appointment = try f.book(try f.registerPatient())
            return .command(
                .scheduling(
                    providerStaffID: p,
                    .reschedule(
                        appointmentID: appointment, startLocalMinutesSince1970: f.nextSlot(), durationMinutes: 15,
                        overbookApproval: nil)))
        case .confirm:
            return .command(
                .scheduling(providerStaffID: p, .confirm(appointmentID: try f.book(try f.registerPatient()))))
        case .markArrived:
            return .command(
                .scheduling(providerStaffID: p, .markArrived(appointmentID: try f.book(try f.registerPatient()))))
        case .checkIn:
            let appointment = try f.book(try f.registerPatient())
            try f.arrive(appointment)
            return .command(
                .scheduling(providerStaffID: p, .checkIn(appointmentID: appointment, encounterID: f.newID())))
        case .room:
            let visit = try f.checkedInVisit()
            return .command(.scheduling(providerStaffID: p, .room(appointmentID: visit.appointment, room: "Exam 2")))
        case .checkOut:
            let visit = try f.checkedInVisit()
            return .command(.scheduling(providerStaffID: p, .checkOut(appointmentID: visit.appointment)))
        case .cancel:
            let appointment = try f.book(try f.registerPatient())
            return .command(
                .scheduling(providerStaffID: p, .cancel(appointmentID: appointment, reason: "patient called")))
        case .markNoShow:
            let start = f.nextSlot()
            let appointment = try f.book(try f.registerPatient(), at: start)
            f.clock.set(microseconds: max(f.clock.nowMicroseconds(), (start + 20) * 60_000_000))
            return .command(.scheduling(providerStaffID: p, .markNoShow(appointmentID: appointment)))
        case .enterAppointmentInError:
            let appointment = try f.book(try f.registerPatient())
            return .command(
                .scheduling(providerStaffID: p, .enterInError(appointmentID: appointment, reason: "wrong patient")))
        case .recordVitals:
            let visit = try f.checkedInVisit()
            return .command(
                .recordVitals(
                    try VitalsRecorded(
                        patientID: visit.patient, encounterID: visit.encounter,
                        measurements: [try VitalSign(kind: .heartRate, valueThousandths: 72_000)])))
        case .recordAllergy:
            return .command(
                .chart(
                    patientID: try f.registerPatient(),
                    .recordAllergy(
                        allergyID: f.newID(), substance: "latex", reaction: "hives", severity: .moderate,
                        verification: .unconfirmed)))
        case .resolveAllergy:
            let patient = try f.registerPatient()
            return .command(.chart(patientID: patient, .resolveAllergy(allergyID: try f.allergy(patient))))
        case .enterAllergyInError:
            let patient = try f.registerPatient()
            return .command(
                .chart(patientID: patient, .enterAllergyInError(allergyID: try f.allergy(patient), reason: "wrong")))
        case .startMedication:
            return .command(
                .chart(
                    patientID: try f.registerPatient(),
                    .startMedication(
                        medicationID: f.newID(), name: "metformin", dose: "500 mg", route: .oral,
                        frequency: "twice daily", reason: "diabetes")))
        case .stopMedication:
            let patient = try f.registerPatient()
            let medication = f.newID()
            try f.chartEntry(
                patient,
                .startMedication(
                    medicationID: medication, name: "metformin", dose: "500 mg", route: .oral, frequency: "daily",
                    reason: "diabetes"))
            return .command(.chart(patientID: patient, .stopMedication(medicationID: medication, reason: "nausea")))
        case .addProblem:
            return .command(
                .chart(
                    patientID: try f.registerPatient(),
                    .addProblem(problemID: f.newID(), diagnosis: try DiagnosisCode("I10"), onsetDaysSince1970: nil)))
        case .resolveProblem:
            let patient = try f.registerPatient()
            let problem = f.newID()
            try f.chartEntry(
                patient, .addProblem(problemID: problem, diagnosis: try DiagnosisCode("I10"), onsetDaysSince1970: nil))
            return .command(.chart(patientID: patient, .resolveProblem(problemID: problem)))
        case .signNote:
            let visit = try f.checkedInVisit()
            return .command(
                .chart(
                    patientID: visit.patient,
                    .signNote(noteID: f.newID(), encounterID: visit.encounter, text: "Doing well.")))
        case .signAddendum:
            let visit = try f.checkedInVisit()
            let note = f.newID()
            try f.chartEntry(visit.patient, .signNote(noteID: note, encounterID: visit.encounter, text: "Seen."))
            return .command(
                .chart(patientID: visit.patient, .signAddendum(addendumID: f.newID(), noteID: note, text: "Also.")))
        case .requestAmendment:
            let patient = try f.registerPatient()
            return .command(
                .chart(
                    patientID: patient,
                    .requestAmendment(
                        amendmentID: f.newID(), amendedEntryIDs: [try f.allergy(patient)], request: "not allergic",
                        requestedTimeMicroseconds: f.clock.nowMicroseconds())))
        case .acceptAmendment:
            let patient = try f.registerPatient()
            let amendment = try f.amendmentRequest(patient)
            let correcting = try f.allergy(patient)
            return .command(
                .chart(patientID: patient, .acceptAmendment(amendmentID: amendment, correctingEntryIDs: [correcting])))
        case .denyAmendment:
            let patient = try f.registerPatient()
            return .command(
                .chart(
                    patientID: patient,
                    .denyAmendment(
                        amendmentID: try f.amendmentRequest(patient), basis: .accurateAndComplete,
                        explanation: "The record is accurate.", disagreementInstructions: "Write to the office.")))
        case .postCharge:
            let visit = try f.checkedInVisit()
            return .command(
                .billing(
                    patientID: visit.patient,
                    .postCharge(
                        chargeID: f.newID(), encounterID: visit.encounter, procedure: try ProcedureCode(code: "99214"),
                        units: 1, diagnoses: [try DiagnosisCode("I10")], diagnosisPointers: [1],
                        amount: try MoneyCents(cents: 12_000), postingDateDaysSince1970: f.today),
                    encounterProviderStaffID: p))
        case .postPayment:
            return .command(
                .billing(
                    patientID: try f.registerPatient(),
                    .postPayment(
                        paymentID: f.newID(), payer: .patient, method: .card, reference: "card 1",
                        amount: try MoneyCents(cents: 2_000), postingDateDaysSince1970: f.today)))
        case .applyPayment:
            let charged = try f.chargedPatient()
            return .command(
                .billing(
                    patientID: charged.patient,
                    .applyPayment(
                        paymentID: try f.payment(charged.patient), chargeID: charged.charge,
                        amount: try MoneyCents(cents: 1_000), asCredit: false, postingDateDaysSince1970: f.today)))
        case .postAdjustment:
            let charged = try f.chargedPatient()
            return .command(
                .billing(
                    patientID: charged.patient,
                    .postAdjustment(
                        adjustmentID: f.newID(), chargeID: charged.charge, responsibility: .patient,
                        amount: try MoneyCents(cents: 1_000), reasonCode: try AdjustmentReasonCode("CO-45"),
                        postingDateDaysSince1970: f.today)))
        case .issueRefund:
            let patient = try f.registerPatient()
            return .command(
                .billing(
                    patientID: patient,
                    .issueRefund(
                        paymentID: try f.payment(patient), amount: try MoneyCents(cents: 1_000), method: .cash,
                        postingDateDaysSince1970: f.today)))
        case .transferResponsibility:
            let charged = try f.chargedPatient()
            return .command(
                .billing(
                    patientID: charged.patient,
                    .transferResponsibility(
                        chargeID: charged.charge, from: .patient, to: .insurance(level: 1),
                        amount: try MoneyCents(cents: 1_000), postingDateDaysSince1970: f.today)))
        case .voidCharge:
            let charged = try f.chargedPatient()
            return .command(
                .billing(
                    patientID: charged.patient,
                    .voidCharge(chargeID: charged.charge, reason: "wrong code", postingDateDaysSince1970: f.today)))
        case .voidPayment:
            let patient = try f.registerPatient()
            return .command(
                .billing(
                    patientID: patient,
                    .voidPayment(
                        paymentID: try f.payment(patient), reason: "bounced", postingDateDaysSince1970: f.today)))
        case .closeDay:
            return .command(.closeDay(daysSince1970: f.unclosedPastDay(), totals: .zero))
        case .manageFeeSchedule:
            return .command(
                .feeSchedule(
                    .setFee(
                        procedure: try ProcedureCode(code: "99213", modifiers: ["25"]),
                        amount: try MoneyCents(cents: Int64(f.newID().low % 100_000) + 1),
                        effectiveDaysSince1970: f.today, procedureDescription: nil)))
        case .acknowledgePrivacyNotice:
            return .command(
                .consent(
                    patientID: try f.registerPatient(),
                    .acknowledgePrivacyNotice(
                        noticeVersion: "2025-01", acknowledgedAtMicroseconds: f.clock.nowMicroseconds())))
        case .grantConsent:
            return .command(
                .consent(
                    patientID: try f.registerPatient(),
                    .grantConsent(
                        consentID: f.newID(), scope: f.scope, effectiveFromMicroseconds: f.clock.nowMicroseconds(),
                        expiresAtMicroseconds: nil)))
        case .revokeConsent:
            let patient = try f.registerPatient()
            return .command(
                .consent(
                    patientID: patient,
                    .revokeConsent(
                        consentID: try f.grantedConsent(patient),
                        effectiveFromMicroseconds: f.clock.nowMicroseconds())))
        case .recordAuthorization:
            let now = f.clock.nowMicroseconds()
            return .command(
                .consent(
                    patientID: try f.registerPatient(),
                    .recordAuthorization(
                        authorizationID: f.newID(), recipient: f.recipient, purpose: .treatment,
                        informationDescription: "lab results", expiresAtMicroseconds: now + 86_400_000_000 * 30,
                        expiryEvent: nil, signedBy: "Jane Doe", signedAtMicroseconds: now)))
        case .requestRestriction:
            return .command(
                .consent(
                    patientID: try f.registerPatient(),
                    .requestRestriction(
                        restrictionID: f.newID(), scope: f.scope, informationDescription: "mental health notes",
                        requestedAtMicroseconds: f.clock.nowMicroseconds())))
        case .agreeRestriction:
            let patient = try f.registerPatient()
            let restriction = f.newID()
            try f.consent(
                patient,
                .requestRestriction(
                    restrictionID: restriction, scope: f.scope, informationDescription: "notes",
                    requestedAtMicroseconds: f.clock.nowMicroseconds()))
            return .command(
                .consent(
                    patientID: patient,
                    .agreeRestriction(restrictionID: restriction, effectiveFromMicroseconds: f.clock.nowMicroseconds())
                ))
        case .recordDisclosure:
            return .command(
                .consent(
                    patientID: try f.registerPatient(),
                    .recordDisclosure(
                        disclosureID: f.newID(), recipient: f.recipient, purpose: .treatment,
                        informationDescription: "visit summary", legalBasis: .treatment,
                        disclosedAtMicroseconds: f.clock.nowMicroseconds())))
        case .addCoverage:
            let payer = try f.payer()
            return .command(
                .coverage(
                    patientID: try f.registerPatient(),
                    .addCoverage(
                        coverageID: f.newID(), payerID: payer, memberID: "M-2", order: .primary, copayCents: 1_500,
                        effectiveDaysSince1970: f.today, terminationDaysSince1970: nil)))
        case .endCoverage:
            let patient = try f.registerPatient()
            return .command(
                .coverage(
                    patientID: patient,
                    .endCoverage(coverageID: try f.coverage(patient), terminationDaysSince1970: f.today + 30)))
        case .recordEligibility:
            let patient = try f.registerPatient()
            return .command(
                .coverage(
                    patientID: patient,
                    .recordEligibility(
                        coverageID: try f.coverage(patient), result: .active,
                        checkedAtMicroseconds: f.clock.nowMicroseconds())))
        case .definePayer:
            return .command(.definePayer(try PayerDefined(payerID: f.newID(), name: "Beta Health", type: .medicare)))
        case .addStaff:
            return .command(
                .addStaff(
                    try StaffMemberAdded(
                        staffID: try StaffID("new-\(f.newID().low % 1_000_000)"), displayName: "New",
                        roles: [.nurse])))
        case .grantRole:
            return .command(
                .grantRole(StaffRoleGranted(staffID: try f.staffMember(roles: [.frontDesk]), role: .biller)))
        case .revokeRole:
            return .command(
                .revokeRole(StaffRoleRevoked(staffID: try f.staffMember(roles: [.frontDesk, .biller]), role: .biller)))
        case .setPassphrase:
            return .setPassphrase(of: try f.staffMember(roles: [.nurse]))
        case .rotateKeys:
            return .rotateKeys
        case .setRetentionPolicy:
            return .setRetentionPolicy
        case .signCheckpoint, .rebuildViews, .findPatients, .viewSchedule, .viewDaySheet, .viewAging, .listStaff,
            .listPayers, .viewFeeSchedule, .viewAccessLog:
            return .read(action, patient: nil)
        case .viewChart, .viewPatient, .viewPatientLedger, .viewHistory, .viewDisclosureAccounting, .exportRecord:
            return .read(action, patient: try f.registerPatient())
        }
    }
}

/// The booking roles, as the scheduling decision states them on its commands.
private enum ProviderScheduleRoles {
    static let booking = SchedulingCommand.confirm(appointmentID: EventID(high: 0, low: 0)).permittedRoles
}
