import ClinicEvents
import ClinicStore
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

final class StoreKeysTests: XCTestCase {
    private func chmod(_ path: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
    }

    func testAStoreWhoseMasterKeyOthersCanReadIsRefusedUntilItIsPrivateAgain() throws {
        let fixture = try AccessFixture(posix: true)
        fixture.store.close()
        defer { fixture.store = try! ClinicStore.open(at: fixture.location, environment: fixture.environment) }
        let path = fixture.location.masterKeyPath
        for mode in [0o644, 0o640, 0o604, 0o660, 0o602] {
            try chmod(path, mode)
            for open in [
                { _ = try ClinicStore.open(at: fixture.location, environment: fixture.environment) },
                { _ = try StoreReader.open(at: fixture.location, environment: fixture.environment) },
            ] as [() throws -> Void] {
                XCTAssertThrowsError(try open()) { error in
                    let error = error as? StoreError
                    XCTAssertEqual(error?.code, "keyFileExposed")
                    XCTAssertEqual(error?.category, .permissionDenied)
                    XCTAssertTrue(error?.message.contains("chmod 600") ?? false)
                }
            }
        }
        try chmod(path, 0o600)
        XCTAssertNoThrow(try StoreReader.open(at: fixture.location, environment: fixture.environment))
        try chmod(path, 0o400)
        XCTAssertNoThrow(try StoreReader.open(at: fixture.location, environment: fixture.environment))
        try chmod(path, 0o600)
    }

    func testACredentialsFileOthersCanReadIsRefused() throws {
        let fixture = try AccessFixture(posix: true)
        try chmod(fixture.location.credentialsPath, 0o644)
        XCTAssertThrowsError(try fixture.store.signIn(fixture.admin.staffID, passphrase: AccessFixture.passphrase)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "keyFileExposed")
        }
        try chmod(fixture.location.credentialsPath, 0o600)
        XCTAssertNoThrow(try fixture.store.signIn(fixture.admin.staffID, passphrase: AccessFixture.passphrase))
    }
}
