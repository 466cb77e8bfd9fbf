import ClinicEvents
import RecordLog
import XCTest

final class AccessControlEventsTests: XCTestCase {
    func testAnAccessDenialNamesItsActionInLettersOnly() throws {
        let staffID = try StaffID("fd-1")
        for action in ["", "view chart", "viewChart;drop", String(repeating: "a", count: 65), "viewChärt"] {
            XCTAssertThrowsError(
                try AccessDenied(
                    staffID: staffID, role: .frontDesk, action: action, patientID: nil, cause: .roleNotPermitted)
            ) { XCTAssertEqual($0 as? AccessDenied.ValidationError, .actionShape, action) }
        }
        XCTAssertNoThrow(
            try AccessDenied(
                staffID: staffID, role: .frontDesk, action: "viewChart", patientID: nil, cause: .unknownStaff))
    }

    func testARotationNamesItsKeysInLowercaseHexOfTheirLength() throws {
        let id = String(repeating: "0a", count: 8)
        let key = String(repeating: "1f", count: 32)
        XCTAssertNoThrow(
            try MasterKeyRotated(
                previousMasterKeyID: id, newMasterKeyID: id, previousCheckpointPublicKey: key,
                newCheckpointPublicKey: key, rewrappedKeyCount: 0))
        for (previous, public_) in [
            (id.uppercased(), key), (id + "0", key), (id, String(key.dropLast())), (id, "zz" + key.dropFirst(2)),
        ] {
            XCTAssertThrowsError(
                try MasterKeyRotated(
                    previousMasterKeyID: previous, newMasterKeyID: id, previousCheckpointPublicKey: public_,
                    newCheckpointPublicKey: key, rewrappedKeyCount: 0)
            ) { XCTAssertEqual($0 as? MasterKeyRotated.ValidationError, .keyShape) }
        }
    }

    func testAnUnknownSignInFailureCauseIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeString("fd-1")
        encoder.writeVarUInt(9)
        encoder.writeVarUInt(1)
        XCTAssertThrowsError(try BinaryDecoder.decode(encoder.bytes) { try SignInFailed.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }

    func testNoAccessControlEventCarriesPatientDataToSeal() throws {
        let codec = try EventCodec()
        for type in [
            AccessDenied.self, StaffSignedIn.self, SignInFailed.self, StaffSignedOut.self, PassphraseSet.self,
            MasterKeyRotated.self,
        ] as [any ClinicEventBody.Type] {
            let layout = try XCTUnwrap(codec.registry.layout(of: type.eventType, version: type.currentSchemaVersion))
            XCTAssertFalse(layout.contains { $0.kind.containsSealed }, type.eventType)
        }
    }
}
