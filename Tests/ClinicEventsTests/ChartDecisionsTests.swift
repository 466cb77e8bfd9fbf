import ClinicEvents
import RecordLog
import XCTest

final class ChartDecisionsTests: XCTestCase {
    private typealias F = ChartFixture

    func testADecisionStatesTheChartStreamAndTheVersionItWasDecidedOn() throws {
        let chart = try F.chart().after(F.recordAllergy(10))
        let decision = try chart.decide(F.startMedication(20), by: try F.clinician(), role: .nurse)
        XCTAssertEqual(decision.stream, ChartState.streamName(for: F.patientID))
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(
            decision.events,
            [
                .medicationStarted(
                    try MedicationStarted(
                        medicationID: F.id(20), patientID: F.patientID, name: "metformin", dose: "500 mg",
                        route: .oral, frequency: "twice daily", reason: "diabetes"))
            ])
        XCTAssertEqual(chart.applying(decision.events).streamVersion, 2)
    }

    func testOnlyClinicalRolesMayRecordClinicalContent() throws {
        let chart = try F.chart().after(F.signNote(30))
        let clinical: [ChartCommand] = [
            F.recordAllergy(10), F.startMedication(20), try F.addProblem(40), F.signNote(31),
            F.signAddendum(32, to: 30),
        ]
        for role in StaffRole.allCases {
            for command in clinical {
                let refusal = chart.refusal(of: command, by: role)
                if command.permittedRoles.contains(role) {
                    XCTAssertNil(refusal, "\(command.name) by \(role)")
                    XCTAssertTrue(ChartCommand.clinicalRoles.contains(role), "\(command.name) by \(role)")
                } else {
                    XCTAssertEqual(refusal, .roleNotPermitted(command: command.name, role: role))
                }
            }
        }
        for role: StaffRole in [.frontDesk, .biller, .officeManager, .complianceOfficer, .system] {
            XCTAssertEqual(
                chart.refusal(of: F.recordAllergy(10), by: role),
                .roleNotPermitted(command: "recordAllergy", role: role))
        }
        XCTAssertEqual(
            chart.refusal(of: try F.addProblem(40), by: .medicalAssistant),
            .roleNotPermitted(command: "addProblem", role: .medicalAssistant))
        XCTAssertNil(chart.refusal(of: F.requestAmendment(50, of: [30]), by: .frontDesk))
        XCTAssertEqual(
            try chart.after(F.requestAmendment(50, of: [30]), by: .frontDesk).refusal(of: F.deny(50), by: .nurse),
            .roleNotPermitted(command: "denyAmendment", role: .nurse))
    }

    func testANewEntryMayNotReuseTheIDOfAnExistingEntry() throws {
        let chart = try F.chart().after(F.recordAllergy(10))
        XCTAssertEqual(chart.refusal(of: F.recordAllergy(10)), .entryIDAlreadyUsed(existingKind: .allergy))
        XCTAssertEqual(chart.refusal(of: F.startMedication(10)), .entryIDAlreadyUsed(existingKind: .allergy))
        XCTAssertEqual(chart.refusal(of: try F.addProblem(10)), .entryIDAlreadyUsed(existingKind: .allergy))
        XCTAssertNil(chart.refusal(of: F.recordAllergy(11)))
    }

    func testResolvingAnAllergyNeedsAnActiveOne() throws {
        let chart = try F.chart().after(F.recordAllergy(10))
        XCTAssertEqual(chart.refusal(of: .resolveAllergy(allergyID: F.id(99))), .entryNotFound(kind: .allergy))
        let resolved = try chart.after(.resolveAllergy(allergyID: F.id(10)))
        XCTAssertEqual(resolved.allergies[F.id(10)]?.status, .resolved)
        XCTAssertEqual(resolved.refusal(of: .resolveAllergy(allergyID: F.id(10))), .entryNotActive(kind: .allergy))
    }

    func testAnAllergyEnteredInErrorStaysInTheChartMarkedSo() throws {
        let chart = try F.chart().after(F.recordAllergy(10))
        XCTAssertEqual(
            chart.refusal(of: .enterAllergyInError(allergyID: F.id(99), reason: "wrong patient")),
            .entryNotFound(kind: .allergy))
        let voided = try chart.after(.enterAllergyInError(allergyID: F.id(10), reason: "wrong patient"))
        XCTAssertEqual(voided.allergies[F.id(10)]?.status, .enteredInError)
        XCTAssertEqual(voided.allergies[F.id(10)]?.recorded, chart.allergies[F.id(10)]?.recorded)
        XCTAssertTrue(voided.activeAllergies.isEmpty)
        XCTAssertEqual(
            voided.refusal(of: .enterAllergyInError(allergyID: F.id(10), reason: "again")), .alreadyEnteredInError)
        XCTAssertEqual(voided.refusal(of: .resolveAllergy(allergyID: F.id(10))), .entryNotActive(kind: .allergy))
    }

    func testStoppingAMedicationNeedsAnActiveOne() throws {
        let chart = try F.chart().after(F.startMedication(20))
        XCTAssertEqual(
            chart.refusal(of: .stopMedication(medicationID: F.id(99), reason: "done")),
            .entryNotFound(kind: .medication))
        let stopped = try chart.after(.stopMedication(medicationID: F.id(20), reason: "done"))
        XCTAssertEqual(
            stopped.refusal(of: .stopMedication(medicationID: F.id(20), reason: "done")),
            .entryNotActive(kind: .medication))
    }

    func testResolvingAProblemNeedsAnActiveOne() throws {
        let chart = try F.chart().after(try F.addProblem(40))
        XCTAssertEqual(chart.refusal(of: .resolveProblem(problemID: F.id(99))), .entryNotFound(kind: .problem))
        let resolved = try chart.after(.resolveProblem(problemID: F.id(40)))
        XCTAssertEqual(resolved.refusal(of: .resolveProblem(problemID: F.id(40))), .entryNotActive(kind: .problem))
    }

    func testASignedNoteIsImmutable() throws {
        let chart = try F.chart().after(F.signNote(30))
        XCTAssertEqual(chart.refusal(of: F.signNote(30)), .noteAlreadySigned)
        XCTAssertNil(chart.refusal(of: F.signNote(31)))
    }

    func testAnAddendumNeedsAnExistingSignedNote() throws {
        let chart = try F.chart().after(F.signNote(30)).after(F.recordAllergy(10))
        XCTAssertEqual(chart.refusal(of: F.signAddendum(32, to: 99)), .entryNotFound(kind: .note))
        XCTAssertEqual(chart.refusal(of: F.signAddendum(32, to: 10)), .entryNotFound(kind: .note))
        let decision = try chart.decide(
            F.signAddendum(32, to: 30), by: try StaffID("np-ortiz"), role: .nursePractitioner)
        XCTAssertEqual(
            decision.events,
            [
                .noteAddendumSigned(
                    try NoteAddendumSigned(
                        addendumID: F.id(32), noteID: F.id(30), patientID: F.patientID,
                        authorStaffID: try StaffID("np-ortiz"),
                        text: "X-ray reviewed: no fracture."))
            ])
        let after = chart.applying(decision.events)
        XCTAssertEqual(after.refusal(of: F.signAddendum(32, to: 30)), .entryIDAlreadyUsed(existingKind: .addendum))
        XCTAssertEqual(after.notes[F.id(30)]?.signed, chart.notes[F.id(30)]?.signed)
    }

    func testAnAmendmentMustReferenceExistingEntries() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.signNote(30))
        XCTAssertEqual(chart.refusal(of: F.requestAmendment(50, of: [10, 99])), .amendedEntryNotFound)
        XCTAssertEqual(chart.refusal(of: F.requestAmendment(50, of: [])), .detailsInvalid(rule: "entryList"))
        XCTAssertEqual(chart.refusal(of: F.requestAmendment(50, of: [10, 10])), .detailsInvalid(rule: "entryList"))
        let requested = try chart.after(F.requestAmendment(50, of: [10, 30]))
        XCTAssertEqual(requested.amendments[F.id(50)]?.status, .requested)
        XCTAssertEqual(requested.refusal(of: F.requestAmendment(51, of: [50])), .amendedEntryNotFound)
    }

    func testAnAcceptanceLinksCorrectingEntriesAlreadyInTheChart() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.requestAmendment(50, of: [10]))
        let accept = ChartCommand.acceptAmendment(amendmentID: F.id(50), correctingEntryIDs: [F.id(11)])
        XCTAssertEqual(chart.refusal(of: accept), .correctingEntryNotFound)
        XCTAssertEqual(
            chart.refusal(of: .acceptAmendment(amendmentID: F.id(50), correctingEntryIDs: [F.id(10)])),
            .correctingEntryNotFound)
        XCTAssertEqual(
            chart.refusal(of: .acceptAmendment(amendmentID: F.id(59), correctingEntryIDs: [F.id(10)])),
            .entryNotFound(kind: .amendment))
        let corrected = try chart.after(.enterAllergyInError(allergyID: F.id(10), reason: "amended"))
            .after(
                .recordAllergy(
                    allergyID: F.id(11), substance: "amoxicillin", reaction: "rash", severity: .mild,
                    verification: .unconfirmed))
        let accepted = try corrected.after(accept, by: .complianceOfficer)
        XCTAssertEqual(accepted.amendments[F.id(50)]?.status, .accepted)
        XCTAssertEqual(accepted.corrections(of: F.id(10)), [F.id(11)])
    }

    func testAnAmendmentIsDecidedOnlyOnce() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.recordAllergy(11))
            .after(F.requestAmendment(50, of: [10]))
        let accept = ChartCommand.acceptAmendment(amendmentID: F.id(50), correctingEntryIDs: [F.id(11)])
        let accepted = try chart.after(accept)
        XCTAssertEqual(accepted.refusal(of: accept), .amendmentAlreadyDecided(status: .accepted))
        XCTAssertEqual(accepted.refusal(of: F.deny(50)), .amendmentAlreadyDecided(status: .accepted))
        let denied = try chart.after(F.deny(50), by: .complianceOfficer)
        XCTAssertEqual(denied.amendments[F.id(50)]?.status, .denied)
        XCTAssertEqual(denied.amendments[F.id(50)]?.denied?.basis, .accurateAndComplete)
        XCTAssertEqual(denied.refusal(of: accept), .amendmentAlreadyDecided(status: .denied))
        XCTAssertEqual(denied.refusal(of: F.deny(50)), .amendmentAlreadyDecided(status: .denied))
    }

    func testADenialNeedsAnExplanationAndTheDisagreementInstructions() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.requestAmendment(50, of: [10]))
        XCTAssertEqual(
            chart.refusal(
                of: .denyAmendment(
                    amendmentID: F.id(50), basis: .notCreatedByThisOffice, explanation: "From another clinic.",
                    disagreementInstructions: "")),
            .detailsInvalid(rule: "disagreementInstructionsLength"))
        XCTAssertEqual(
            chart.refusal(
                of: .denyAmendment(
                    amendmentID: F.id(50), basis: .notCreatedByThisOffice, explanation: "",
                    disagreementInstructions: "Write to us.")),
            .detailsInvalid(rule: "explanationLength"))
    }

    func testInvalidDetailsAreRefusedNamingTheRule() throws {
        let chart = F.chart()
        XCTAssertEqual(
            chart.refusal(
                of: .recordAllergy(
                    allergyID: F.id(10), substance: "", reaction: "hives", severity: .mild, verification: .confirmed)),
            .detailsInvalid(rule: "substanceLength"))
        XCTAssertEqual(
            chart.refusal(
                of: .addProblem(problemID: F.id(40), diagnosis: try DiagnosisCode("I10"), onsetDaysSince1970: 90_000)),
            .detailsInvalid(rule: "onsetOutOfRange"))
        XCTAssertEqual(
            chart.refusal(
                of: .signNote(
                    noteID: F.id(30), encounterID: F.id(900),
                    text: String(repeating: "x", count: ChartLimits.noteTextByteCountMax + 1))),
            .detailsInvalid(rule: "textLength"))
    }

    func testRefusalMessagesAreOneSentenceAndCarryNoPatientData() throws {
        let refusals: [ChartRefusal] = [
            .roleNotPermitted(command: "signNote", role: .frontDesk), .detailsInvalid(rule: "textLength"),
            .entryIDAlreadyUsed(existingKind: .note), .entryNotFound(kind: .allergy),
            .entryNotActive(kind: .medication), .alreadyEnteredInError, .noteAlreadySigned, .amendedEntryNotFound,
            .correctingEntryNotFound, .amendmentAlreadyDecided(status: .denied),
        ]
        for refusal in refusals {
            let message = refusal.message
            XCTAssertTrue(message.hasSuffix("."), message)
            XCTAssertEqual(message.filter { $0 == "." }.count, 1, message)
            XCTAssertTrue(message.contains(";"), message)
            XCTAssertEqual(refusal.description, message)
        }
        let chart = try F.chart().after(F.signNote(30))
        let refusal = try XCTUnwrap(chart.refusal(of: F.signNote(30)))
        for secret in ["Zoë", "Briain", "knee"] {
            XCTAssertFalse(refusal.message.contains(secret))
            XCTAssertFalse(String(describing: refusal).contains(secret))
        }
    }

    /// Random command sequences by random roles: accepted commands keep the chart consistent, refused ones change
    /// nothing, and every decision states the version it was made on.
    func testRandomCommandSequencesKeepTheChartConsistent() throws {
        var generator = EventGenerator(seed: 0xC4A7)
        var acceptedCommands: Set<String> = []
        for _ in 0..<40 {
            var chart = F.chart()
            var accepted = 0
            for _ in 0..<150 {
                let command = try randomCommand(&generator)
                let role = generator.pick(StaffRole.allCases)
                do {
                    let decision = try chart.decide(command, by: try F.clinician(), role: role)
                    XCTAssertEqual(decision.decidedOnStreamVersion, chart.streamVersion)
                    XCTAssertEqual(decision.events.count, 1)
                    XCTAssertTrue(command.permittedRoles.contains(role))
                    let before = chart
                    chart = chart.applying(decision.events)
                    try checkAccepted(command, before: before, after: chart)
                    accepted += 1
                    acceptedCommands.insert(command.name)
                } catch let refusal as ChartRefusal {
                    XCTAssertFalse(refusal.message.isEmpty)
                }
            }
            XCTAssertEqual(chart.streamVersion, UInt64(accepted))
            try checkInvariants(chart)
        }
        XCTAssertEqual(acceptedCommands.count, 12, "every command is accepted at least once")
    }

    private func randomCommand(_ generator: inout EventGenerator) throws -> ChartCommand {
        let target = F.id(UInt64(generator.int(1...12)))
        let others = (0..<generator.int(1...3)).map { _ in F.id(UInt64(generator.int(1...12))) }
        switch generator.int(0...11) {
        case 0: return F.recordAllergy(UInt64(generator.int(1...12)))
        case 1: return .resolveAllergy(allergyID: target)
        case 2: return .enterAllergyInError(allergyID: target, reason: "wrong chart")
        case 3: return F.startMedication(UInt64(generator.int(1...12)))
        case 4: return .stopMedication(medicationID: target, reason: "done")
        case 5: return try F.addProblem(UInt64(generator.int(1...12)))
        case 6: return .resolveProblem(problemID: target)
        case 7: return F.signNote(UInt64(generator.int(1...12)))
        case 8: return .signAddendum(addendumID: target, noteID: others[0], text: "addendum")
        case 9:
            return .requestAmendment(
                amendmentID: target, amendedEntryIDs: Array(Set(others)), request: "fix it",
                requestedTimeMicroseconds: 0)
        case 10: return .acceptAmendment(amendmentID: target, correctingEntryIDs: Array(Set(others)))
        default: return F.deny(UInt64(generator.int(1...12)))
        }
    }

    private func checkAccepted(_ command: ChartCommand, before: ChartState, after: ChartState) throws {
        switch command {
        case .resolveAllergy(let id):
            XCTAssertEqual(before.allergies[id]?.status, .active)
            XCTAssertEqual(after.allergies[id]?.status, .resolved)
        case .stopMedication(let id, _):
            XCTAssertEqual(before.medications[id]?.status, .active)
            XCTAssertEqual(after.medications[id]?.status, .past)
        case .resolveProblem(let id):
            XCTAssertEqual(before.problems[id]?.status, .active)
            XCTAssertEqual(after.problems[id]?.status, .past)
        case .signNote(let id, _, _):
            XCTAssertNil(before.kind(of: id))
            XCTAssertEqual(after.kind(of: id), .note)
        case .signAddendum(let id, let noteID, _):
            XCTAssertNotNil(before.notes[noteID])
            XCTAssertEqual(after.notes[noteID]?.addenda.last?.addendumID, id)
        case .acceptAmendment(let id, _), .denyAmendment(let id, _, _, _):
            XCTAssertEqual(before.amendments[id]?.status, .requested)
            XCTAssertNotEqual(after.amendments[id]?.status, .requested)
        default:
            break
        }
        for (id, note) in before.notes { XCTAssertEqual(after.notes[id]?.signed, note.signed) }
    }

    private func checkInvariants(_ chart: ChartState) throws {
        var seen: Set<EventID> = []
        let ids =
            Array(chart.allergies.keys) + Array(chart.medications.keys) + Array(chart.problems.keys)
            + Array(chart.notes.keys) + Array(chart.noteOfAddendum.keys) + Array(chart.amendments.keys)
        for id in ids { XCTAssertTrue(seen.insert(id).inserted, "an id names two entries") }
        for amendment in chart.amendments.values {
            for id in amendment.requested.amendedEntryIDs {
                XCTAssertNotNil(chart.kind(of: id))
                XCTAssertNotEqual(chart.kind(of: id), .amendment)
            }
            XCTAssertEqual(amendment.status == .accepted, amendment.accepted != nil)
            XCTAssertEqual(amendment.status == .denied, amendment.denied != nil)
        }
        for (addendumID, noteID) in chart.noteOfAddendum {
            XCTAssertEqual(chart.notes[noteID]?.addenda.contains { $0.addendumID == addendumID }, true)
        }
        XCTAssertEqual(chart.activeMedications.count + chart.pastMedications.count, chart.medications.count)
        XCTAssertEqual(chart.activeProblems.count + chart.pastProblems.count, chart.problems.count)
    }
}
