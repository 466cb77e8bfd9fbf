import ClinicEvents
import ClinicStore
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

final class StaffSessionsTests: XCTestCase {
    private let nursePassphrase = Array("nurse's own passphrase".utf8)

    /// The fixture with a nurse whose passphrase is set.
    private func makeFixture(posix: Bool = false) throws -> (AccessFixture, StaffID) {
        let fixture = try AccessFixture(posix: posix)
        let nurse = fixture.actor(for: .nurse).staffID
        try fixture.store.setPassphrase(nursePassphrase, of: nurse, by: fixture.admin, commandID: fixture.newID())
        return (fixture, nurse)
    }

    private func lastEvent(_ fixture: AccessFixture) throws -> ClinicEvent? {
        try fixture.events().last?.event
    }

    func testSignInStartsASessionThatEachCommandKeepsAliveAndInactivityEnds() throws {
        let (fixture, nurse) = try makeFixture()
        let sessions = try fixture.store.sessions()
        XCTAssertEqual(sessions.state(of: nurse), .missing)
        XCTAssertThrowsError(try sessions.resume(nurse)) { XCTAssertEqual(($0 as? StoreError)?.code, "notSignedIn") }
        let session = try fixture.store.signIn(nurse, passphrase: nursePassphrase)
        guard case .staffSignedIn(let signedIn) = try lastEvent(fixture) else { return XCTFail("no StaffSignedIn") }
        XCTAssertEqual(signedIn, StaffSignedIn(staffID: nurse, sessionID: session.sessionID))
        XCTAssertEqual(sessions.state(of: nurse), .active(session))
        XCTAssertEqual(sessions.activeStaff(), [nurse])
        // Fourteen minutes of quiet, a command, fourteen more: still signed in (the idle time restarts).
        fixture.clock.advance(byMicroseconds: 14 * 60_000_000)
        XCTAssertEqual(try sessions.resume(nurse).lastActivityMicroseconds, fixture.clock.nowMicroseconds())
        fixture.clock.advance(byMicroseconds: 14 * 60_000_000)
        XCTAssertNoThrow(try sessions.resume(nurse))
        // Fifteen minutes and a second of quiet: the session has ended.
        fixture.clock.advance(byMicroseconds: 15 * 60_000_000 + 1_000_000)
        guard case .expired = sessions.state(of: nurse) else { return XCTFail("the session should have expired") }
        XCTAssertThrowsError(try sessions.resume(nurse)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "sessionExpired")
            XCTAssertEqual(($0 as? StoreError)?.category, .permissionDenied)
        }
        XCTAssertEqual(sessions.activeStaff(), [])
        try fixture.store.signOut(nurse, cause: .inactivity)
        guard case .staffSignedOut(let signedOut) = try lastEvent(fixture) else { return XCTFail("no sign-out") }
        XCTAssertEqual(signedOut, StaffSignedOut(staffID: nurse, sessionID: session.sessionID, cause: .inactivity))
        XCTAssertEqual(sessions.state(of: nurse), .missing)
    }

    func testFailedSignInsAreLoggedAndEachFailureInARowDoublesTheWait() throws {
        let (fixture, nurse) = try makeFixture()
        XCTAssertEqual(
            (0...12).map { SignInThrottle.waitSeconds(afterFailures: $0) },
            [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
        let wrong = Array("not the passphrase".utf8)
        func attempt(_ passphrase: [UInt8]) -> String? {
            do {
                try fixture.store.signIn(nurse, passphrase: passphrase)
                return nil
            } catch {
                return error.code
            }
        }
        XCTAssertEqual(attempt(wrong), "signInFailed")
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: nurse, cause: .wrongPassphrase, consecutiveFailures: 1)))
        // Within the second that follows, even the right passphrase is refused unchecked, and that is logged too.
        XCTAssertEqual(attempt(nursePassphrase), "signInThrottled")
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: nurse, cause: .throttled, consecutiveFailures: 1)))
        fixture.clock.advance(byMicroseconds: 1_000_000)
        XCTAssertEqual(attempt(wrong), "signInFailed")
        fixture.clock.advance(byMicroseconds: 1_000_000)
        XCTAssertEqual(attempt(nursePassphrase), "signInThrottled", "two failures: a two-second wait")
        // The count is on disk: a store opened again still throttles.
        try fixture.withStoreClosed {}
        XCTAssertEqual(attempt(nursePassphrase), "signInThrottled")
        fixture.clock.advance(byMicroseconds: 1_000_000)
        XCTAssertEqual(attempt(wrong), "signInFailed")
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: nurse, cause: .wrongPassphrase, consecutiveFailures: 3)))
        fixture.clock.advance(byMicroseconds: 4_000_000)
        XCTAssertNil(attempt(nursePassphrase))
        // A success clears the count: the next failure waits one second again.
        XCTAssertEqual(attempt(wrong), "signInFailed")
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: nurse, cause: .wrongPassphrase, consecutiveFailures: 1)))
    }

    func testUnknownStaffAndStaffWithoutAPassphraseCannotSignIn() throws {
        let (fixture, _) = try makeFixture()
        let stranger = try StaffID("nobody")
        XCTAssertThrowsError(try fixture.store.signIn(stranger, passphrase: nursePassphrase)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "signInFailed")
        }
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: stranger, cause: .unknownStaff, consecutiveFailures: 1)))
        let biller = fixture.actor(for: .biller).staffID
        XCTAssertThrowsError(try fixture.store.signIn(biller, passphrase: nursePassphrase)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "noPassphrase")
        }
        XCTAssertEqual(
            try lastEvent(fixture),
            .signInFailed(SignInFailed(staffID: biller, cause: .noPassphrase, consecutiveFailures: 0)))
    }

    func testAnAlteredSessionFileOrOneFromBeforeAKeyRotationIsRefused() throws {
        let (fixture, nurse) = try makeFixture()
        try fixture.store.signIn(nurse, passphrase: nursePassphrase)
        let path = fixture.location.sessionPath(of: nurse)
        let original = try fixture.fileSystem.readWholeFile(path)
        let text = String(decoding: original, as: UTF8.self)
        let later = text.replacingOccurrences(
            of: "lastActivity=\(AccessFixture.start)", with: "lastActivity=\(AccessFixture.start + 86_400_000_000)")
        XCTAssertNotEqual(later, text)
        try fixture.fileSystem.writeAtomically(Array(later.utf8), to: path)
        let sessions = try fixture.store.sessions()
        XCTAssertEqual(sessions.state(of: nurse), .invalid)
        XCTAssertThrowsError(try sessions.resume(nurse)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "sessionInvalid")
        }
        try fixture.fileSystem.writeAtomically(original, to: path)
        guard case .active = sessions.state(of: nurse) else { return XCTFail("the untouched file is valid") }
        try fixture.withStoreClosed {
            try ClinicStore.rotateMasterKey(
                at: fixture.location, environment: fixture.environment, by: fixture.admin, commandID: fixture.newID())
        }
        XCTAssertEqual(try fixture.store.sessions().state(of: nurse), .invalid)
    }

    func testStaffSetTheirOwnPassphraseOnlyAndAnOfficeManagerSettingOneEndsTheSession() throws {
        let (fixture, nurse) = try makeFixture()
        let nurseActor = fixture.actor(for: .nurse)
        let other = fixture.actor(for: .biller).staffID
        let mine = Array("a new nurse passphrase".utf8)
        try fixture.store.setPassphrase(mine, of: nurse, by: nurseActor, commandID: fixture.newID())
        XCTAssertEqual(try lastEvent(fixture), .passphraseSet(PassphraseSet(staffID: nurse)))
        XCTAssertThrowsError(try fixture.store.signIn(nurse, passphrase: nursePassphrase))
        fixture.clock.advance(byMicroseconds: 2_000_000)
        try fixture.store.signIn(nurse, passphrase: mine)
        XCTAssertThrowsError(
            try fixture.store.setPassphrase(mine, of: other, by: nurseActor, commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "roleNotPermitted") }
        guard case .accessDenied(let denied) = try lastEvent(fixture) else { return XCTFail("no AccessDenied") }
        XCTAssertEqual(denied.action, "setPassphrase")
        XCTAssertThrowsError(
            try fixture.store.setPassphrase(Array("short".utf8), of: nurse, by: nurseActor, commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "passphraseLength") }
        try fixture.store.setPassphrase(nursePassphrase, of: nurse, by: fixture.admin, commandID: fixture.newID())
        XCTAssertEqual(try fixture.store.sessions().state(of: nurse), .missing, "a reset ends the session")
        let log = try fixture.accessLogText()
        XCTAssertTrue(log.contains("passphraseSet \(nurse) by admin"), log)
        XCTAssertTrue(log.contains("passphraseSet \(nurse) by \(nurse)"), log)
    }

    func testAHashMadeAtALowerCostIsMadeAgainAtTheStoresCostOnSignIn() throws {
        let (fixture, nurse) = try makeFixture()
        let stronger = try XCTUnwrap(PassphraseHashCost(log2Rounds: 6, blockSize: 2, parallelism: 1))
        var environment = fixture.environment
        environment.passphraseHashCost = stronger
        fixture.store.close()
        fixture.store = try ClinicStore.open(at: fixture.location, environment: environment)
        try fixture.store.signIn(nurse, passphrase: nursePassphrase)
        let text = String(
            decoding: try fixture.fileSystem.readWholeFile(fixture.location.credentialsPath), as: UTF8.self)
        XCTAssertTrue(text.contains("\(nurse) scrypt 6 2 1 "), text)
        XCTAssertTrue(text.contains("admin scrypt 4 1 1 "), text)
    }

    func testNoPassphraseHashOrPassphraseEverReachesTheLogAndSecretFilesAreOwnerOnly() throws {
        let (fixture, nurse) = try makeFixture(posix: true)
        try fixture.store.signIn(nurse, passphrase: nursePassphrase)
        try fixture.store.signIn(fixture.admin.staffID, passphrase: AccessFixture.passphrase)
        XCTAssertThrowsError(try fixture.store.signIn(nurse, passphrase: Array("a wrong passphrase".utf8)))
        let root = try XCTUnwrap(fixture.directory)
        let credentials = String(
            decoding: try fixture.fileSystem.readWholeFile(fixture.location.credentialsPath), as: UTF8.self)
        let hashes = credentials.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[6]) }
        XCTAssertEqual(hashes.count, 2)
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            let path = root + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o777
            XCTAssertEqual(mode & 0o077, 0, "\(relative) has mode \(String(mode, radix: 8))")
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for secret in [nursePassphrase, AccessFixture.passphrase, Array("a wrong passphrase".utf8)] {
                XCTAssertNil(bytes.range(of: Data(secret)), "a passphrase in \(relative)")
            }
            if relative.hasPrefix("log/") {
                for hash in hashes {
                    let raw = stride(from: 0, to: hash.count, by: 2).map {
                        UInt8(hash.dropFirst($0).prefix(2), radix: 16) ?? 0
                    }
                    XCTAssertNil(bytes.range(of: Data(hash.utf8)), "a hash in \(relative)")
                    XCTAssertNil(bytes.range(of: Data(raw)), "a hash in \(relative)")
                }
            }
        }
    }
}

extension AccessFixture {
    /// The access log as lines `KIND STAFF by ACTOR`.
    func accessLogText() throws -> String {
        try store.reader().accessLog().map { entry in
            let kind: String
            switch entry.kind {
            case .passphraseSet: kind = "passphraseSet"
            case .signedIn: kind = "signedIn"
            case .signedOut: kind = "signedOut"
            case .signInFailed: kind = "signInFailed"
            case .accessDenied: kind = "accessDenied"
            case .recordAccessed: kind = "recordAccessed"
            case .breakGlass: kind = "breakGlass"
            }
            return "\(kind) \(entry.staffID) by \(entry.actorStaffID)"
        }.joined(separator: "\n")
    }
}
