import ClinicAudit
import ClinicEvents
import ClinicStore
import Logging
import RecordLog
import RecordLogTesting
import XCTest

final class AuditReaderTests: XCTestCase {
    private func makeReader(_ fixture: ClinicLogFixture) throws -> AuditReader {
        AuditReader(reader: fixture.reader, codec: try EventCodec())
    }

    func testAPatientsHistoryHoldsEveryEventOfTheirStreamsInLogOrderWithWhoWhenAndWhy() throws {
        let fixture = try ClinicLogFixture.make(self)
        let history = try makeReader(fixture).history(patient: fixture.patient)
        XCTAssertEqual(history.count, 21)
        XCTAssertEqual(history.map(\.position), history.map(\.position).sorted())
        XCTAssertEqual(
            Set(history.map(\.stream)),
            Set(AuditReader.patientStreams(for: fixture.patient)).subtracting(["coverage-\(fixture.patient)"]))
        let correction = try XCTUnwrap(history.first { $0.eventID == fixture.events["corrected"] })
        XCTAssertEqual(correction.actor.value, "desk.kim")
        XCTAssertEqual(correction.role, .frontDesk)
        XCTAssertEqual(correction.reason, "patient showed her ID")
        XCTAssertEqual(correction.summary, "Demographics corrected: birth date (reason: 22 characters)")
        let note = try XCTUnwrap(history.first { $0.eventID == fixture.events["note"] })
        XCTAssertEqual(note.recordedTimeMicroseconds - note.effectiveTimeMicroseconds, 2 * ClinicLogFixture.day)
        XCTAssertEqual(note.summary, "Note signed by dr.lee (24 characters)")
        let charge = try XCTUnwrap(history.first { $0.eventID == fixture.events["charge"] })
        XCTAssertEqual(charge.summary, "Charge posted: 99213 × 1, $125.00, diagnoses E11.9")
    }

    func testCorrectionsVoidsAndAmendmentsAreLinkedBothWays() throws {
        let fixture = try ClinicLogFixture.make(self)
        let history = try makeReader(fixture).history(patient: fixture.patient)
        func entry(_ key: String) throws -> HistoryEntry {
            try XCTUnwrap(history.first { $0.eventID == fixture.events[key] }, key)
        }
        func reference(_ key: String) throws -> HistoryReference { try entry(key).reference }

        let correction = try entry("corrected")
        XCTAssertEqual(correction.links.map(\.relation), [.corrects])
        XCTAssertEqual(correction.links.first?.target, try reference("registered"))
        XCTAssertEqual(try entry("registered").linkedFrom, [try reference("corrected")])

        let void = try entry("void")
        XCTAssertEqual(void.links.map(\.relation), [.voids])
        XCTAssertEqual(void.links.first?.targetID, fixture.entries["wrongCharge"])
        XCTAssertEqual(void.links.first?.target, try reference("wrongCharge"))
        XCTAssertEqual(try entry("wrongCharge").linkedFrom, [try reference("void")])

        XCTAssertEqual(try entry("allergyInError").links.first?.target, try reference("allergy"))
        XCTAssertEqual(try entry("addendum").links.map(\.relation), [.addendumTo])
        XCTAssertEqual(try entry("addendum").links.first?.target, try reference("note"))
        XCTAssertEqual(try entry("amendmentRequested").links.first?.target, try reference("problem"))
        let accepted = try entry("amendmentAccepted")
        XCTAssertEqual(accepted.links.map(\.relation), [.decidesAmendment, .amendsWith])
        XCTAssertEqual(
            accepted.links.map(\.target), [try reference("amendmentRequested"), try reference("correctingProblem")])
        XCTAssertEqual(
            try entry("problem").linkedFrom, [try reference("amendmentRequested")])
        XCTAssertEqual(
            try entry("applied").links.map(\.target), [try reference("payment"), try reference("charge")])
        XCTAssertEqual(try entry("disclosedUnderConsent").links.first?.target, try reference("consent"))
    }

    func testAStreamsHistoryCanBeCutToARecordedTimeRangeKeepingItsLinks() throws {
        let fixture = try ClinicLogFixture.make(self)
        let reader = try makeReader(fixture)
        let stream = PatientAccount.streamName(for: fixture.patient)
        let whole = try reader.history(stream: stream)
        XCTAssertEqual(
            whole.map(\.eventType), ["ChargePosted", "PaymentPosted", "PaymentApplied", "ChargePosted", "ChargeVoided"])
        let voidTime = whole[4].recordedTimeMicroseconds
        let cut = try reader.history(stream: stream, recordedRange: voidTime..<voidTime + 1)
        XCTAssertEqual(cut.map(\.eventType), ["ChargeVoided"])
        XCTAssertEqual(cut[0].links.first?.target?.eventType, "ChargePosted")
        XCTAssertEqual(try reader.history(stream: "chart-nobody").count, 0)
    }

    func testTheAccountingListsConsentAndLegalDisclosuresOfTheLastSixYearsAndShowsTheRestOnRequest() throws {
        let fixture = try ClinicLogFixture.make(self)
        let reader = try makeReader(fixture)
        let accounting = try reader.disclosureAccounting(
            patient: fixture.patient, asOfMicroseconds: fixture.endMicroseconds)
        XCTAssertEqual(
            accounting.entries.map(\.recordedBy.eventID),
            [fixture.events["disclosedUnderConsent"], fixture.events["disclosedByLaw"]])
        XCTAssertEqual(accounting.entries.map(\.disclosure.recipient.address), ["1 Main St", "1 Main St"])
        XCTAssertEqual(accounting.entries[0].actor.value, "desk.kim")
        XCTAssertEqual(
            accounting.entries.map(\.statement),
            [
                "For patient request, under the patient's consent \(fixture.entries["consent"]!)",
                "For public health, as required or permitted by law (164.512)",
            ])
        XCTAssertEqual(accounting.leftOut, [])
        XCTAssertEqual(
            UTCTime.iso8601(microseconds: accounting.fromMicroseconds).prefix(10),
            UTCTime.iso8601(microseconds: UTCTime.microseconds(fixture.endMicroseconds, minusYears: 6)).prefix(10))

        let withExempt = try reader.disclosureAccounting(
            patient: fixture.patient, asOfMicroseconds: fixture.endMicroseconds, includingLeftOut: true)
        XCTAssertEqual(
            withExempt.leftOut.map(\.recordedBy.eventID),
            [fixture.events["disclosedForTreatment"], fixture.events["disclosedToPatient"]])
        XCTAssertEqual(
            withExempt.leftOut.map(\.statement),
            ["Left out: for treatment (164.528(a)(1)(i))", "Left out: to patient (164.528(a)(1))"])

        let tenYears = try reader.disclosureAccounting(
            patient: fixture.patient, years: 10, asOfMicroseconds: fixture.endMicroseconds)
        XCTAssertEqual(tenYears.entries.count, 3)
        XCTAssertEqual(tenYears.entries.first?.recordedBy.eventID, fixture.events["disclosedLongAgo"])
    }

    func testAPatientExportListsEveryEventWithItsBodyAndAProofOfEach() throws {
        let fixture = try ClinicLogFixture.make(self)
        let reader = try makeReader(fixture)
        let export = try reader.patientExport(patient: fixture.patient)
        XCTAssertEqual(export.history.count, 21)
        XCTAssertEqual(export.proofs.proofs.map(\.position), export.history.map(\.position))
        XCTAssertEqual(export.proofs.checkpoint, CheckpointDocument(fixture.checkpoints[2]))
        XCTAssertTrue(export.proofs.verify(trustedPublicKeys: [ClinicLogFixture.signer.publicKey]).isValid)
        let json = export.json
        guard case .array(let events)? = json["events"] else { return XCTFail("no events") }
        let registration = try XCTUnwrap(events.first { $0["eventType"] == .string("PatientRegistered") })
        XCTAssertEqual(registration["body"]?["familyName"], .string("Rivera"))
        XCTAssertEqual(registration["body"]?["patientID"], .string(fixture.patient.description))
        XCTAssertEqual(registration["actorRole"], .string("front desk"))
        let document = try ProofDocument(jsonBytes: json.serializedBytes())
        let verification = document.verify(trustedPublicKeys: [ClinicLogFixture.signer.publicKey])
        XCTAssertTrue(verification.isValid, verification.failure ?? "")

        let early = try XCTUnwrap(fixture.checkpoints.first)
        XCTAssertThrowsError(try reader.patientExport(patient: fixture.patient, checkpoint: early)) { error in
            guard case AuditError.noCoveringCheckpoint = error else { return XCTFail("\(error)") }
        }
    }

    func testAnEventThatDoesNotDecodeStopsTheHistoryNamingItsPlaceNotItsContent() throws {
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let writer = try ClinicLogWriter(
            directory: fixture.directory, startMicroseconds: fixture.endMicroseconds, firstID: 10_000)
        _ = try writer.log.appendAndWait([
            StreamAppend(
                stream: ChartState.streamName(for: fixture.patient), expectedVersion: .any,
                events: [AppendEvent(eventID: writer.makeID(), payload: [0x01, 0x02, 0x03])])
        ])
        writer.log.close()
        XCTAssertThrowsError(try makeReader(fixture).history(patient: fixture.patient)) { error in
            guard case AuditError.undecodableEvent(_, let stream, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stream, ChartState.streamName(for: fixture.patient))
        }
    }

    func testARegistrationWhoseDataCannotBeOpenedReadsAsErasedOrWithheldNeverAsBornIn1970() throws {
        let environment = StoreEnvironment(
            fileSystem: SimulatedFileSystem(seed: 1), clock: ManualClock(microseconds: 1_764_579_600_000_000),
            random: RandomByteSource(SeededRandomNumberGenerator(seed: 11)),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let admin = StaffActor(staffID: try StaffID("admin"), role: .officeManager)
        let store = try ClinicStore.create(
            at: StoreLocation(root: "/clinic"), settings: StoreSettings(calendar: .utc),
            administrator: try StaffMemberAdded(staffID: admin.staffID, displayName: "Admin", roles: [.officeManager]),
            environment: environment)
        defer { store.close() }
        let patient = store.makeID()
        try store.execute(
            .registerPatient(
                try PatientRegistered(patientID: patient, familyName: "Doe", givenName: "Jo", birthDateDaysSince1970: 9)
            ),
            by: admin, commandID: store.makeID())
        let codec = try EventCodec()
        func summaries(_ keyring: PatientKeyring?) throws -> [String] {
            try AuditReader(reader: store.reader().logReader, codec: codec, keyring: keyring)
                .history(patient: patient).map(\.summary)
        }
        XCTAssertEqual(try summaries(store.keyring), ["Patient registered (born 1970-01-10)"])
        XCTAssertEqual(try summaries(nil), ["Patient registered (identity withheld)"])
        try store.execute(
            .patientRecord(patientID: patient, .erase(reason: .patientRequest)), by: admin, commandID: store.makeID())
        XCTAssertEqual(
            try summaries(store.keyring),
            ["Patient registered (identity erased)", "Patient erased (patient request, authorized by admin)"])
    }

    /// The retention policy's stream tells who set which policy, when, and why.
    func testTheRetentionStreamsHistoryShowsEachPolicyWithWhoAndWhen() throws {
        let clock = ManualClock(microseconds: 1_764_579_600_000_000)
        let environment = StoreEnvironment(
            fileSystem: SimulatedFileSystem(seed: 2), clock: clock,
            random: RandomByteSource(SeededRandomNumberGenerator(seed: 12)),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let admin = StaffActor(staffID: try StaffID("admin"), role: .officeManager)
        let store = try ClinicStore.create(
            at: StoreLocation(root: "/clinic"), settings: StoreSettings(calendar: .utc),
            administrator: try StaffMemberAdded(staffID: admin.staffID, displayName: "Admin", roles: [.officeManager]),
            environment: environment)
        defer { store.close() }
        try store.setRetentionPolicy(
            try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3)), by: admin, commandID: store.makeID(),
            reason: "Board decision")
        clock.advance(byMicroseconds: 86_400_000_000)
        try store.setRetentionPolicy(
            try XCTUnwrap(RetentionPolicy(years: 7, minorYears: 0)), by: admin, commandID: store.makeID())
        let history = try AuditReader(reader: store.reader().logReader, codec: try EventCodec())
            .history(stream: "retention")
        XCTAssertEqual(
            history.map(\.summary),
            [
                "Retention policy set: records kept 10 years after the last activity, a minor's until 3 years after "
                    + "the 18th birthday",
                "Retention policy set: records kept 7 years after the last activity",
            ])
        XCTAssertEqual(history.map(\.actor), [admin.staffID, admin.staffID])
        XCTAssertEqual(history.map(\.role), [.officeManager, .officeManager])
        XCTAssertEqual(
            history.map(\.stored.recordedTimeMicroseconds), [1_764_579_600_000_000, 1_764_666_000_000_000])
        XCTAssertEqual(history.first?.reason, "Board decision")
    }
}
