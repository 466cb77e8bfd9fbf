import ClinicAudit
import ClinicEvents
import ClinicProjections
import RecordLog
import XCTest

/// `AuditReader.diff` on a hand-made history: a correction, an allergy entered in error, a late note, a charge void
/// and an erasure, each on a known side of the two moments.
final class ViewDiffTests: XCTestCase {
    /// The log and the moments between its parts.
    private struct History {
        let reader: AuditReader
        let patient: EventID
        let events: [String: EventID]
        /// Recorded after registration, the allergy and the charge; before the correction.
        let first: Int64
        /// Recorded after the correction, the allergy entered in error, the medication, the late note and the void.
        let second: Int64
        /// Recorded after the problem added and the erasure.
        let third: Int64
        let today: Int64
    }

    private func makeHistory() throws -> History {
        let directory = makeTemporaryDirectory(self)
        let writer = try ClinicLogWriter(directory: directory)
        defer { writer.log.close() }
        let patient = writer.makeID()
        let record = PatientRecordState.streamName(for: patient)
        let chart = ChartState.streamName(for: patient)
        let account = PatientAccount.streamName(for: patient)
        let today = writer.clock.nowMicroseconds() / ClinicLogFixture.day
        var events: [String: EventID] = [:]
        events["registered"] = try writer.append(
            .patientRegistered(
                PatientRegistered(
                    patientID: patient, familyName: "Rivera", givenName: "Ana", birthDateDaysSince1970: 3_000)),
            to: record, actor: "desk.kim", role: .frontDesk)
        let allergy = writer.makeID()
        events["allergy"] = try writer.append(
            .allergyRecorded(
                AllergyRecorded(
                    allergyID: allergy, patientID: patient, substance: "penicillin", reaction: "hives",
                    severity: .moderate, verification: .confirmed)), to: chart)
        let charge = writer.makeID()
        events["charge"] = try writer.append(
            .chargePosted(
                ChargePosted(
                    chargeID: charge, patientID: patient, encounterID: writer.makeID(),
                    procedure: ProcedureCode(code: "99213"), units: 1, diagnoses: [DiagnosisCode("E11.9")],
                    diagnosisPointers: [1], amount: MoneyCents(cents: 12_500), postingDateDaysSince1970: nil)),
            to: account, actor: "bill.ng", role: .biller)
        let first = writer.clock.nowMicroseconds()

        events["corrected"] = try writer.append(
            .demographicsCorrected(
                DemographicsCorrected(
                    patientID: patient, registrationEventID: events["registered"]!, birthDateDaysSince1970: 3_001,
                    reason: "typo")),
            to: record, actor: "desk.kim", role: .frontDesk, reason: "patient showed her ID")
        events["allergyInError"] = try writer.append(
            .allergyEnteredInError(AllergyEnteredInError(allergyID: allergy, patientID: patient, reason: "wrong")),
            to: chart)
        events["medication"] = try writer.append(
            .medicationStarted(
                MedicationStarted(
                    medicationID: writer.makeID(), patientID: patient, name: "Metformin", dose: "500 mg", route: .oral,
                    frequency: "twice daily", reason: "diabetes")), to: chart)
        events["lateNote"] = try writer.append(
            .noteSigned(
                NoteSigned(
                    noteID: writer.makeID(), patientID: patient, encounterID: writer.makeID(),
                    authorStaffID: StaffID("dr.lee"), text: "Seen three days ago.")),
            to: chart, reason: "late entry", effectiveEarlierByMicroseconds: 3 * ClinicLogFixture.day)
        events["void"] = try writer.append(
            .chargeVoided(
                ChargeVoided(
                    originalID: charge, patientID: patient, reason: "posted twice", postingDateDaysSince1970: today)),
            to: account, actor: "bill.ng", role: .biller, reason: "duplicate charge")
        let other = writer.makeID()
        events["otherPatient"] = try writer.append(
            .patientRegistered(
                PatientRegistered(patientID: other, familyName: "Other", givenName: "O", birthDateDaysSince1970: 4_000)),
            to: PatientRecordState.streamName(for: other), actor: "desk.kim", role: .frontDesk)
        let second = writer.clock.nowMicroseconds()

        events["problem"] = try writer.append(
            .problemAdded(
                ProblemAdded(
                    problemID: writer.makeID(), patientID: patient, diagnosis: DiagnosisCode("E11.9"),
                    onsetDaysSince1970: nil)), to: chart)
        events["erased"] = try writer.append(
            .patientErased(
                PatientErased(patientID: patient, reason: .patientRequest, authorizingStaffID: StaffID("admin"))),
            to: record, actor: "admin", role: .officeManager)
        return History(
            reader: AuditReader(reader: LogReader(directory: directory), codec: try EventCodec()), patient: patient,
            events: events, first: first, second: second, third: writer.clock.nowMicroseconds(), today: today)
    }

    private func change(_ diff: ViewDiff, _ section: String) throws -> ViewRowChange {
        try XCTUnwrap(diff.changes.first { $0.section == section }, "no \(section) change in \(diff.changes)")
    }

    func testAChartDiffListsTheEventsRecordedBetweenAndTheRowsTheyChanged() throws {
        let history = try makeHistory()
        let diff = try history.reader.diff(
            .chart(patientID: history.patient),
            between: .recorded(fromMicroseconds: history.first, toMicroseconds: history.second))
        XCTAssertEqual(
            diff.events.map(\.eventID),
            ["corrected", "allergyInError", "medication", "lateNote"].map { history.events[$0] })
        let correction = try XCTUnwrap(diff.events.first)
        XCTAssertEqual(correction.actor.value, "desk.kim")
        XCTAssertEqual(correction.role, .frontDesk)
        XCTAssertEqual(correction.reason, "patient showed her ID")
        XCTAssertEqual(correction.summary, "Demographics corrected: birth date (reason: 4 characters)")
        XCTAssertFalse(diff.patientErased)

        XCTAssertEqual(diff.changes.map(\.kind), [.changed, .changed, .added, .added])
        let patient = try change(diff, "patient")
        XCTAssertEqual(patient.changedFields, ["birthDate", "corrections"])
        XCTAssertEqual(patient.before?.value("birthDate"), UTCTime.date(daysSince1970: 3_000))
        XCTAssertEqual(patient.after?.value("birthDate"), UTCTime.date(daysSince1970: 3_001))
        let allergy = try change(diff, "allergy")
        XCTAssertEqual(allergy.changedFields, ["status"])
        XCTAssertEqual(allergy.before?.value("status"), "active")
        XCTAssertEqual(allergy.after?.value("status"), "entered in error")
        XCTAssertEqual(try change(diff, "medication").after?.value("name"), "Metformin")
        XCTAssertEqual(try change(diff, "note").after?.value("author"), "dr.lee")
        XCTAssertFalse(
            diff.after.contains { $0.section == "problem" }, "the problem was recorded after the second moment")
    }

    func testWithEffectiveDatesALateEntryCountsOnTheDayItHappenedNotTheDayItWasRecorded() throws {
        let history = try makeHistory()
        let diff = try history.reader.diff(
            .chart(patientID: history.patient),
            between: .effective(fromDay: history.today - 4, toDay: history.today - 2))
        XCTAssertEqual(diff.events.map(\.eventID), [history.events["lateNote"]])
        XCTAssertEqual(diff.changes.filter { $0.section == "note" }.map(\.kind), [.added])
        XCTAssertNil(diff.positions)

        let same = try history.reader.diff(
            .chart(patientID: history.patient),
            between: .effective(fromDay: history.today - 2, toDay: history.today - 1))
        XCTAssertEqual(same.events, [])
        XCTAssertEqual(same.changes, [])
        XCTAssertTrue(same.before.contains { $0.section == "note" }, "known now, true since three days ago")
    }

    func testAVoidBetweenTheMomentsShowsInThePatientsLedgerAndTheDaySheetTotals() throws {
        let history = try makeHistory()
        let moments = DiffMoments.recorded(fromMicroseconds: history.first, toMicroseconds: history.second)
        let ledger = try history.reader.diff(.patientLedger(patientID: history.patient), between: moments)
        XCTAssertEqual(ledger.events.map(\.eventID), [history.events["void"]])
        let balances = try change(ledger, "balances")
        XCTAssertEqual(balances.before?.value("balance"), "125.00")
        XCTAssertEqual(balances.after?.value("balance"), "0.00")
        let posting = try change(ledger, "posting")
        XCTAssertEqual(posting.kind, .added)
        XCTAssertEqual(posting.after?.value("kind"), "chargeVoid")

        let sheet = try history.reader.diff(.daySheet(daysSince1970: history.today), between: moments)
        XCTAssertEqual(sheet.events.map(\.eventID), [history.events["void"]])
        let office = try XCTUnwrap(sheet.changes.first { $0.section == "summary" && $0.key == "office" })
        XCTAssertEqual(office.before?.value("charge_voids"), "0.00")
        XCTAssertEqual(office.after?.value("charge_voids"), "125.00")
        XCTAssertEqual(office.after?.value("closing"), "0.00")
        XCTAssertEqual(sheet.positions.map { $0.upperBound - $0.lowerBound }, 6)
    }

    func testAnErasedPatientsChartDiffSaysErasedAndShowsNothingOfThem() throws {
        let history = try makeHistory()
        for view in [AuditedView.chart(patientID: history.patient), .consent(patientID: history.patient)] {
            let diff = try history.reader.diff(
                view, between: .recorded(fromMicroseconds: history.second, toMicroseconds: history.third))
            XCTAssertTrue(diff.patientErased)
            XCTAssertEqual(diff.before, [])
            XCTAssertEqual(diff.after, [])
            XCTAssertEqual(diff.changes, [])
            XCTAssertEqual(diff.events.last?.eventType, "PatientErased")
            let text = diff.json.serialized()
            XCTAssertTrue(text.contains("\"patientErased\": true") || text.contains("\"patientErased\":true"), text)
            for secret in ["Rivera", "penicillin", "Metformin", "1978-03"] {
                XCTAssertFalse(text.contains(secret), "\(secret) in \(text)")
            }
        }
    }

    func testASecondMomentBeforeTheFirstIsRefusedBeforeAnythingIsRead() throws {
        let reader = AuditReader(reader: LogReader(directory: "/nonexistent/log"), codec: try EventCodec())
        XCTAssertThrowsError(
            try reader.diff(.schedule(daysSince1970: 1), between: .recorded(fromMicroseconds: 2, toMicroseconds: 1))
        ) { error in
            XCTAssertEqual(error as? AuditError, .momentsOutOfOrder)
        }
        XCTAssertThrowsError(
            try reader.diff(.chart(patientID: EventID(high: 1, low: 1)), between: .effective(fromDay: 5, toDay: 4))
        ) { error in
            XCTAssertEqual(error as? AuditError, .momentsOutOfOrder)
        }
    }

    func testTheJSONHasTheDocumentedMembersInOrder() throws {
        let history = try makeHistory()
        let diff = try history.reader.diff(
            .chart(patientID: history.patient),
            between: .recorded(fromMicroseconds: history.first, toMicroseconds: history.second))
        guard case .object(let members) = diff.json else { return XCTFail("not an object") }
        XCTAssertEqual(
            members.map(\.key),
            [
                "format", "view", "patientId", "date", "mode", "from", "to", "fromMicroseconds", "toMicroseconds",
                "fromPosition", "toPosition", "timeZone", "patientErased", "events", "changes",
            ])
        XCTAssertEqual(diff.json["format"], .string("cliniclog.view-diff.v1"))
        guard case .array(let changes)? = diff.json["changes"], case .object(let change)? = changes.first else {
            return XCTFail("no changes")
        }
        XCTAssertEqual(change.map(\.key), ["change", "section", "key", "changedFields", "before", "after"])
        guard case .array(let events)? = diff.json["events"], case .object(let event)? = events.first else {
            return XCTFail("no events")
        }
        XCTAssertEqual(
            event.map(\.key),
            [
                "position", "stream", "eventId", "eventType", "recordedTime", "effectiveTime", "actorStaffId",
                "actorRole", "reason", "summary",
            ])
    }

    func testRowChangesComeSectionBySectionAddedAndChangedInNewOrderThenRemoved() {
        func row(_ section: String, _ key: String, _ value: String) -> ViewRow {
            ViewRow(section: section, key: key, fields: [ViewField("status", value), ViewField("kept", "same")])
        }
        let before = [row("b", "1", "x"), row("a", "1", "x"), row("a", "2", "x")]
        let after = [row("a", "3", "y"), row("a", "1", "y"), row("b", "1", "x"), row("c", "1", "z")]
        let changes = ViewRowChange.changes(from: before, to: after, sections: ["a", "b"])
        XCTAssertEqual(
            changes.map { "\($0.kind) \($0.section) \($0.key)" },
            [
                "added a 3", "changed a 1", "removed a 2", "added c 1",
            ])
        XCTAssertEqual(changes[1].changedFields, ["status"])
        XCTAssertEqual(changes[0].changedFields, ["status", "kept"])
    }
}

extension ViewDiffTests {
    func testTheExampleOfTheAuditGuideIsWhatTheLibraryGives() throws {
        let history = try makeHistory()
        let diff = try history.reader.diff(
            .patientLedger(patientID: history.patient),
            between: .recorded(fromMicroseconds: history.first, toMicroseconds: history.second))
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/audit.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let section = try XCTUnwrap(text.range(of: "## 10. ")).upperBound
        let start = try XCTUnwrap(text.range(of: "```json\n", range: section..<text.endIndex)).upperBound
        let end = try XCTUnwrap(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        XCTAssertEqual(String(text[start..<end]), diff.json.serialized())
    }
}
