import ClinicEvents
import RecordLog
import XCTest

final class PatientRecordDecisionsTests: XCTestCase {
    private static func id(_ low: UInt64) -> EventID { EventID(high: 0x0A11_CE00, low: low) }
    private static let patientID = id(1)
    private static let registrationEventID = id(900)

    private static func registered(_ patientID: EventID = patientID) throws -> PatientRecordState {
        let registration = try PatientRegistered(
            patientID: patientID, familyName: "Okafor", givenName: "Ada", birthDateDaysSince1970: 3_000)
        return PatientRecordState(patientID: patientID).applying(
            .patientRegistered(registration), eventID: registrationEventID)
    }

    private static func staff() throws -> StaffID { try StaffID("om-1") }

    private static func erased() throws -> PatientRecordState {
        try registered().applying(
            .patientErased(
                PatientErased(patientID: patientID, reason: .patientRequest, authorizingStaffID: try staff())))
    }

    private static let correction = PatientRecordCommand.correctDemographics(
        familyName: "Okafor-Bello", givenName: nil, birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: nil,
        reason: "spelling")

    private func refusal(
        _ command: PatientRecordCommand, on state: PatientRecordState, role: StaffRole = .officeManager
    ) throws -> PatientRecordRefusal? {
        let actor = try Self.staff()
        do {
            _ = try state.decide(command, by: actor, role: role)
            return nil
        } catch {
            return error
        }
    }

    private func mergeRefusal(
        _ merged: PatientRecordState, into survivor: PatientRecordState, role: StaffRole = .officeManager
    ) throws -> PatientRecordRefusal? {
        let actor = try Self.staff()
        do {
            _ = try merged.decideMerge(into: survivor, reason: "duplicate", by: actor, role: role)
            return nil
        } catch {
            return error
        }
    }

    func testACorrectionReferencesTheRegistrationAndChangesOnlyTheGivenFields() throws {
        let state = try Self.registered()
        let decision = try state.decide(Self.correction, by: try Self.staff(), role: .frontDesk)
        XCTAssertEqual(decision.stream, PatientRecordState.streamName(for: Self.patientID))
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(
            decision.events,
            [
                .demographicsCorrected(
                    try DemographicsCorrected(
                        patientID: Self.patientID, registrationEventID: Self.registrationEventID,
                        familyName: "Okafor-Bello", reason: "spelling"))
            ])
        let corrected = state.applying(decision.events)
        XCTAssertEqual(corrected.familyName, "Okafor-Bello")
        XCTAssertEqual(corrected.givenName, "Ada")
        XCTAssertEqual(corrected.registration, state.registration)
    }

    func testAnErasedPatientCannotBeCorrectedMergedOrErasedAgain() throws {
        let erased = try Self.erased()
        XCTAssertEqual(erased.status, .erased)
        XCTAssertNil(erased.familyName)
        XCTAssertEqual(try refusal(Self.correction, on: erased), .patientErased)
        XCTAssertEqual(try refusal(.erase(reason: .legalOrder), on: erased), .patientErased)
        XCTAssertEqual(try mergeRefusal(erased, into: try Self.registered(Self.id(2))), .patientErased)
        XCTAssertEqual(try mergeRefusal(try Self.registered(Self.id(2)), into: erased), .survivorNotActive)
    }

    func testAPatientCannotBeMergedIntoItself() throws {
        let state = try Self.registered()
        XCTAssertEqual(try mergeRefusal(state, into: state), .mergeIntoItself)
        XCTAssertThrowsError(
            try PatientsMerged(survivingPatientID: Self.patientID, mergedPatientID: Self.patientID, reason: "x"))
    }

    func testAPatientCannotBeMergedIntoAMergedAwayPatient() throws {
        let survivor = try Self.registered(Self.id(3))
        let decision = try Self.registered(Self.id(2)).decideMerge(
            into: survivor, reason: "duplicate", by: try Self.staff(), role: .complianceOfficer)
        let mergedAway = try Self.registered(Self.id(2)).applying(decision.events)
        XCTAssertEqual(mergedAway.status, .mergedInto(Self.id(3)))
        XCTAssertEqual(survivor.applying(decision.events).mergedPatientIDs, [Self.id(2)])
        XCTAssertEqual(try mergeRefusal(try Self.registered(), into: mergedAway), .survivorNotActive)
        XCTAssertEqual(try refusal(Self.correction, on: mergedAway), .patientMergedAway)
    }

    func testOnlyManagersAndComplianceMayMerge() throws {
        for role in StaffRole.allCases {
            let refusal = try mergeRefusal(try Self.registered(), into: try Self.registered(Self.id(2)), role: role)
            if PatientRecordCommand.mergingRoles.contains(role) {
                XCTAssertNil(refusal, "\(role)")
            } else {
                XCTAssertEqual(refusal, .roleNotPermitted(command: "merge", role: role))
            }
        }
    }

    func testADeathIsRecordedOnceAndItsDateIsCorrectedByACorrection() throws {
        let state = try Self.registered()
        let death = PatientRecordCommand.recordDeath(dateOfDeathDaysSince1970: 20_000)
        let decision = try state.decide(death, by: try Self.staff(), role: .physician)
        let deceased = state.applying(decision.events)
        XCTAssertEqual(deceased.dateOfDeathDaysSince1970, 20_000)
        XCTAssertEqual(try refusal(death, on: deceased), .deathAlreadyRecorded)
        let fixDate = PatientRecordCommand.correctDemographics(
            familyName: nil, givenName: nil, birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: 19_999,
            reason: "wrong date")
        XCTAssertEqual(try refusal(fixDate, on: state), .deathNotRecorded)
        let fixed = deceased.applying(try deceased.decide(fixDate, by: try Self.staff(), role: .frontDesk).events)
        XCTAssertEqual(fixed.dateOfDeathDaysSince1970, 19_999)
    }

    func testOnlyTheOfficeManagerAndTheComplianceOfficerMayErase() throws {
        let state = try Self.registered()
        for role in StaffRole.allCases {
            let refusal = try refusal(.erase(reason: .patientRequest), on: state, role: role)
            if [.officeManager, .complianceOfficer].contains(role) {
                XCTAssertNil(refusal, "\(role)")
            } else {
                XCTAssertEqual(refusal, .roleNotPermitted(command: "erase", role: role))
            }
        }
        let decision = try state.decide(
            .erase(reason: .retentionPeriodEnded), by: try Self.staff(), role: .officeManager)
        XCTAssertEqual(
            decision.events,
            [
                .patientErased(
                    PatientErased(
                        patientID: Self.patientID, reason: .retentionPeriodEnded, authorizingStaffID: try Self.staff()))
            ])
    }

    func testAnUnregisteredPatientIsRefusedAndAnEmptyCorrectionIsInvalid() throws {
        let empty = PatientRecordState(patientID: Self.patientID)
        XCTAssertEqual(try refusal(Self.correction, on: empty), .patientNotRegistered)
        XCTAssertEqual(try refusal(.erase(reason: .registeredInError), on: empty), .patientNotRegistered)
        let nothing = PatientRecordCommand.correctDemographics(
            familyName: nil, givenName: nil, birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: nil, reason: "x")
        XCTAssertEqual(try refusal(nothing, on: try Self.registered()), .detailsInvalid(rule: "nothingCorrected"))
    }

    func testRefusalMessagesCarryNoPatientData() throws {
        let refusals: [PatientRecordRefusal] = [
            .patientErased, .patientMergedAway, .mergeIntoItself, .survivorNotActive, .deathAlreadyRecorded,
            .deathNotRecorded, .patientNotRegistered, .registrationNotIdentified,
        ]
        for refusal in refusals {
            XCTAssertFalse(refusal.message.contains("Okafor"))
            XCTAssertTrue(refusal.message.hasSuffix("."))
        }
    }
}

final class PatientEventsCodecTests: XCTestCase {
    func testEveryPatientLifecycleEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xDA7A) { try $0.patientEvent() }
        XCTAssertEqual(seenTypes.count, 4)
    }

    func testAnUnknownErasureReasonIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeEventID(EventID(high: 1, low: 2))
        encoder.writeVarUInt(99)
        encoder.writeString("om-1")
        XCTAssertThrowsError(try BinaryDecoder.decode(encoder.bytes) { try PatientErased.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }
}
