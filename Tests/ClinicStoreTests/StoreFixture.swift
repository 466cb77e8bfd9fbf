import ClinicEvents
import ClinicStore
import Logging
import RecordLog
import RecordLogTesting
import XCTest

/// A store in a temporary directory with a manual clock, an administrator, a provider and a front-desk clerk.
final class StoreFixture {
    static let start: Int64 = 1_764_579_600_000_000  // 2025-12-01T09:00:00Z, a Monday
    let directory: String
    let clock = ManualClock(microseconds: StoreFixture.start)
    let location: StoreLocation
    let environment: StoreEnvironment
    var store: ClinicStore
    var random = SeededRandomNumberGenerator(seed: 7)

    let admin = StaffActor(staffID: try! StaffID("admin"), role: .officeManager)
    let frontDesk = StaffActor(staffID: try! StaffID("fd-1"), role: .frontDesk)
    let provider = try! StaffID("dr-1")
    let providerActor = StaffActor(staffID: try! StaffID("dr-1"), role: .physician)

    init(file: StaticString = #filePath) throws {
        directory = NSTemporaryDirectory() + "clinic-store-\(UInt64.random(in: 0...UInt64.max))"
        location = StoreLocation(root: directory)
        environment = StoreEnvironment(
            fileSystem: PosixFileSystem(), clock: clock,
            random: RandomByteSource(SeededRandomNumberGenerator(seed: 11)), logger: Logger(label: "test"),
            segmentBytesMax: 1 << 20)
        store = try ClinicStore.create(
            at: location, settings: StoreSettings(calendar: .utc),
            administrator: try StaffMemberAdded(staffID: admin.staffID, displayName: "Admin", roles: [.officeManager]),
            environment: environment)
        try store.execute(
            .addStaff(try StaffMemberAdded(staffID: frontDesk.staffID, displayName: "Front", roles: [.frontDesk])),
            by: admin, commandID: newID())
        try store.execute(
            .addStaff(try StaffMemberAdded(staffID: provider, displayName: "Dr One", roles: [.physician])),
            by: admin, commandID: newID())
        for weekday: UInt8 in 1...5 {
            try store.execute(
                .scheduling(
                    providerStaffID: provider,
                    .defineAvailability(
                        day: .weekday(weekday), startMinuteOfDay: 8 * 60, endMinuteOfDay: 17 * 60, slotMinutes: 15)),
                by: providerActor, commandID: newID())
        }
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func newID() -> EventID { EventID.random(using: &random) }

    /// Registers a patient and returns their id.
    func registerPatient(family: String = "Doe", given: String = "Jane") throws -> EventID {
        let id = newID()
        try store.execute(
            .registerPatient(
                try PatientRegistered(
                    patientID: id, familyName: family, givenName: given, birthDateDaysSince1970: 3_000)),
            by: frontDesk, commandID: newID())
        return id
    }

    /// The minute of the fixture's start, office-local (UTC).
    var nowMinutes: Int64 { StoreFixture.start / 60_000_000 }

    /// Every byte of every file under the store directory, by relative path.
    func snapshotFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = directory + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }
}
