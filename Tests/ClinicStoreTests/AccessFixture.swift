import ClinicEvents
import ClinicStore
import Logging
import RecordLog
import RecordLogTesting
import XCTest

/// A store for access-control tests: a manual clock, cheap passphrase hashing, an administrator, a provider with every
/// day's hours, one staff member per role (`role-N`, N the role's code), and helpers that set up any record as a
/// privileged staff member. On the simulated file system by default (fast); on a temporary directory with `posix`.
final class AccessFixture {
    static let start: Int64 = 1_764_579_600_000_000  // 2025-12-01T09:00:00Z, a Monday
    static let passphrase = Array("a long test passphrase".utf8)
    static let cheapCost = PassphraseHashCost(log2Rounds: 4, blockSize: 1, parallelism: 1)!

    let clock = ManualClock(microseconds: AccessFixture.start)
    let fileSystem: any FileSystem
    let location: StoreLocation
    let environment: StoreEnvironment
    let directory: String?
    var store: ClinicStore
    var random = SeededRandomNumberGenerator(seed: 21)
    private var slotCursor: Int64 = 0
    private var closedDayCursor: Int64 = 10_000

    let admin = StaffActor(staffID: try! StaffID("admin"), role: .officeManager)
    let doctor = StaffActor(staffID: try! StaffID("dr-1"), role: .physician)
    var provider: StaffID { doctor.staffID }

    init(posix: Bool = false) throws {
        if posix {
            let root = NSTemporaryDirectory() + "clinic-access-\(UInt64.random(in: 0...UInt64.max))"
            directory = root
            fileSystem = PosixFileSystem()
            location = StoreLocation(root: root)
        } else {
            directory = nil
            fileSystem = SimulatedFileSystem(seed: 5)
            location = StoreLocation(root: "/office")
        }
        environment = StoreEnvironment(
            fileSystem: fileSystem, clock: clock, random: RandomByteSource(SeededRandomNumberGenerator(seed: 13)),
            logger: Logger(label: "test"), segmentBytesMax: 64 << 10, lockTimeoutMilliseconds: 0,
            passphraseHashCost: Self.cheapCost)
        store = try ClinicStore.create(
            at: location, settings: StoreSettings(calendar: .utc, sessionIdleMinutes: 15),
            administrator: try StaffMemberAdded(staffID: admin.staffID, displayName: "Admin", roles: [.officeManager]),
            administratorPassphrase: Self.passphrase, environment: environment)
        try execute(.addStaff(try StaffMemberAdded(staffID: provider, displayName: "Dr One", roles: [.physician])))
        for role in StaffRole.allCases {
            try execute(
                .addStaff(
                    try StaffMemberAdded(staffID: actor(for: role).staffID, displayName: "\(role)", roles: [role])))
        }
        for weekday: UInt8 in 1...7 {
            try execute(
                .scheduling(
                    providerStaffID: provider,
                    .defineAvailability(
                        day: .weekday(weekday), startMinuteOfDay: 0, endMinuteOfDay: 1425, slotMinutes: 15)),
                by: doctor)
        }
    }

    deinit {
        store.close()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The staff member who holds only `role`, acting in it.
    func actor(for role: StaffRole) -> StaffActor {
        StaffActor(staffID: try! StaffID("role-\(role.rawValue)"), role: role)
    }

    func newID() -> EventID { EventID.random(using: &random) }

    /// Closes the store, runs `body` (another writer, such as a key rotation), and opens the store again.
    @discardableResult
    func withStoreClosed<Result>(_ body: () throws -> Result) throws -> Result {
        store.close()
        let result = Swift.Result { try body() }
        store = try ClinicStore.open(at: location, environment: environment)
        return try result.get()
    }

    @discardableResult
    func execute(_ command: OfficeCommand, by actor: StaffActor? = nil) throws -> CommandReceipt {
        try store.execute(command, by: actor ?? admin, commandID: newID())
    }

    /// Today, office-local (UTC), in days since 1970.
    var today: Int64 { clock.nowMicroseconds() / 86_400_000_000 }

    /// The event at `position`.
    func event(at position: UInt64) throws -> StoredEvent {
        try store.reader().decodeStored(try store.log.reader().record(at: position))
    }

    /// Every event of the log, in order.
    func events() throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        try store.reader().forEachEvent {
            events.append($0)
            return true
        }
        return events
    }

    // MARK: Records, made by privileged staff

    func registerPatient(family: String = "Doe", given: String = "Jane") throws -> EventID {
        let id = newID()
        try execute(
            .registerPatient(
                try PatientRegistered(
                    patientID: id, familyName: family, givenName: given, birthDateDaysSince1970: 3_000)
            ))
        return id
    }

    /// A free 15-minute slot in the future, never the same twice.
    func nextSlot() -> Int64 {
        let nowMinutes = clock.nowMicroseconds() / 60_000_000
        var slot = max(slotCursor + 15, (nowMinutes / 15 + 2) * 15)
        if slot % 1440 > 1395 { slot = (slot / 1440 + 1) * 1440 }
        slotCursor = slot
        return slot
    }

    func book(_ patient: EventID, at start: Int64? = nil) throws -> EventID {
        let id = newID()
        try execute(
            .scheduling(
                providerStaffID: provider,
                .book(
                    appointmentID: id, patientID: patient, startLocalMinutesSince1970: start ?? nextSlot(),
                    durationMinutes: 15, reason: "check-up", overbookApproval: nil)))
        return id
    }

    func arrive(_ appointment: EventID) throws {
        try execute(.scheduling(providerStaffID: provider, .markArrived(appointmentID: appointment)))
    }

    /// A booked, arrived and checked-in visit of a new patient: (patient, appointment, encounter).
    func checkedInVisit() throws -> (patient: EventID, appointment: EventID, encounter: EventID) {
        let patient = try registerPatient()
        let appointment = try book(patient)
        try arrive(appointment)
        let encounter = newID()
        try execute(
            .scheduling(providerStaffID: provider, .checkIn(appointmentID: appointment, encounterID: encounter)))
        return (patient, appointment, encounter)
    }

    func charge(_ patient: EventID, encounter: EventID) throws -> EventID {
        let id = newID()
        try execute(
            .billing(
                patientID: patient,
                .postCharge(
                    chargeID: id, encounterID: encounter, procedure: try ProcedureCode(code: "99213"), units: 1,
                    diagnoses: [try DiagnosisCode("E11.9")], diagnosisPointers: [1],
                    amount: try MoneyCents(cents: 10_000), postingDateDaysSince1970: today),
                encounterProviderStaffID: provider))
        return id
    }

    /// A new patient with a charge: (patient, charge).
    func chargedPatient() throws -> (patient: EventID, charge: EventID) {
        let visit = try checkedInVisit()
        return (visit.patient, try charge(visit.patient, encounter: visit.encounter))
    }

    func payment(_ patient: EventID) throws -> EventID {
        let id = newID()
        try execute(
            .billing(
                patientID: patient,
                .postPayment(
                    paymentID: id, payer: .patient, method: .cash, reference: "receipt 1",
                    amount: try MoneyCents(cents: 5_000), postingDateDaysSince1970: today)))
        return id
    }

    func chartEntry(_ patient: EventID, _ command: ChartCommand) throws {
        try execute(.chart(patientID: patient, command), by: doctor)
    }

    func allergy(_ patient: EventID) throws -> EventID {
        let id = newID()
        try chartEntry(
            patient,
            .recordAllergy(
                allergyID: id, substance: "penicillin", reaction: "rash", severity: .mild, verification: .confirmed))
        return id
    }

    func amendmentRequest(_ patient: EventID) throws -> EventID {
        let amended = try allergy(patient)
        let id = newID()
        try chartEntry(
            patient,
            .requestAmendment(
                amendmentID: id, amendedEntryIDs: [amended], request: "the reaction was hives",
                requestedTimeMicroseconds: clock.nowMicroseconds()))
        return id
    }

    var scope: DisclosureScope {
        try! DisclosureScope(recipientCategories: [.healthCareProvider], purposes: [.treatment])
    }

    var recipient: DisclosureRecipient {
        try! DisclosureRecipient(name: "Dr. Ames", category: .healthCareProvider)
    }

    func consent(_ patient: EventID, _ command: ConsentCommand) throws {
        try execute(.consent(patientID: patient, command))
    }

    func grantedConsent(_ patient: EventID) throws -> EventID {
        let id = newID()
        try consent(
            patient,
            .grantConsent(
                consentID: id, scope: scope, effectiveFromMicroseconds: clock.nowMicroseconds(),
                expiresAtMicroseconds: nil))
        return id
    }

    func payer() throws -> EventID {
        let id = newID()
        try execute(.definePayer(try PayerDefined(payerID: id, name: "Acme Health", type: .commercial)))
        return id
    }

    func coverage(_ patient: EventID) throws -> EventID {
        let payerID = try payer()
        let id = newID()
        try execute(
            .coverage(
                patientID: patient,
                .addCoverage(
                    coverageID: id, payerID: payerID, memberID: "M-1", order: .primary, copayCents: 2_000,
                    effectiveDaysSince1970: today, terminationDaysSince1970: nil)))
        return id
    }

    func staffMember(roles: [StaffRole]) throws -> StaffID {
        let id = try StaffID("staff-\(newID().low % 1_000_000)")
        try execute(.addStaff(try StaffMemberAdded(staffID: id, displayName: "New", roles: roles)))
        return id
    }

    /// A day long past that no one closed yet.
    func unclosedPastDay() -> Int64 {
        closedDayCursor += 1
        return closedDayCursor
    }
}
