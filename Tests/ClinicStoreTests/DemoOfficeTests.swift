import ClinicEvents
import ClinicStore
import Foundation
import Logging
import RecordLog
import RecordLogTesting
import XCTest

final class DemoOfficeTests: XCTestCase {
    /// Two and a half months of a two-provider office ending 2026-02-16, across Christmas and New Year.
    static let configuration = DemoConfiguration(
        days: 75, providers: 2, patients: 40, seed: 7, appointmentsPerProviderDay: 12, lastDaySince1970: 20_500,
        timeZone: "America/New_York")

    struct Generated: Sendable {
        let location: StoreLocation
        let summary: DemoSummary
        let events: [StoredEvent]
    }

    /// One history shared by the tests that only read it.
    static let generated: Result<Generated, any Error> = Result {
        let location = StoreLocation(root: temporaryDirectory("demo-shared"))
        let summary = try DemoOffice.generate(
            at: location, configuration: configuration, environment: environment(seed: 3))
        var events: [StoredEvent] = []
        try StoreReader.open(at: location, environment: environment(seed: 3)).forEachEvent {
            events.append($0)
            return true
        }
        return Generated(location: location, summary: summary, events: events)
    }

    override class func tearDown() {
        if case .success(let generated) = generated {
            try? FileManager.default.removeItem(atPath: generated.location.root)
        }
        super.tearDown()
    }

    static func temporaryDirectory(_ name: String) -> String {
        NSTemporaryDirectory() + "clinic-\(name)-\(UInt64.random(in: 0...UInt64.max))"
    }

    static func environment(seed: UInt64) -> StoreEnvironment {
        StoreEnvironment(
            fileSystem: PosixFileSystem(), clock: ManualClock(microseconds: 0),
            random: RandomByteSource(SeededRandomNumberGenerator(seed: seed)), logger: Logger(label: "demo-test"),
            segmentBytesMax: 1 << 20)
    }

    /// Every file of the store except the writer lock, by path relative to the root.
    static func files(under root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = root + "/" + path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                !path.hasSuffix("lock")
            else { continue }
            files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return files
    }

    func testTheSameSeedGivesByteIdenticalLogSegmentsAndAnotherSeedAnotherHistory() throws {
        var configuration = Self.configuration
        configuration.days = 21
        var roots: [String] = []
        defer { for root in roots { try? FileManager.default.removeItem(atPath: root) } }
        func generate(seed: UInt64) throws -> [String: Data] {
            configuration.seed = seed
            let root = Self.temporaryDirectory("demo-seed")
            roots.append(root)
            _ = try DemoOffice.generate(
                at: StoreLocation(root: root), configuration: configuration, environment: Self.environment(seed: 3))
            return try Self.files(under: root)
        }
        let first = try generate(seed: 11)
        let second = try generate(seed: 11)
        let segments = first.keys.filter { $0.hasPrefix("log/") && $0.hasSuffix(".segment") }
        XCTAssertFalse(segments.isEmpty, "the log has segment files: \(first.keys.sorted())")
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for path in first.keys.sorted() {
            XCTAssertEqual(first[path], second[path], "\(path) differs between two runs with the same seed")
        }
        let other = try generate(seed: 12)
        XCTAssertNotEqual(
            segments.map { first[$0] }, segments.map { other[$0] }, "another seed gives another history")
    }

    func testEveryEventTypeTheGeneratorClaimsIsInTheLogAndTheSummaryCountsThem() throws {
        let generated = try Self.generated.get()
        var counts: [String: Int] = [:]
        for event in generated.events { counts[event.event.eventType, default: 0] += 1 }
        XCTAssertEqual(Set(counts.keys), Set(DemoOffice.generatedEventTypes))
        XCTAssertEqual(counts, generated.summary.eventCountsByType)
        XCTAssertEqual(generated.events.count, generated.summary.eventCount)
        XCTAssertEqual(generated.summary.patientCount, counts[PatientRegistered.eventType])
        XCTAssertEqual(
            generated.summary.appointmentCount, counts[AppointmentBooked.eventType],
            "every booking the summary counts is in the log")
    }

    func testOnlyTheDemonstratedRefusalsWereRefusedAndNothingWasAppendedForThem() throws {
        let generated = try Self.generated.get()
        XCTAssertEqual(Set(generated.summary.refusalsDemonstrated.keys), Set(DemoOffice.demonstratedRefusalCodes))
        let positions = generated.events.map(\.position)
        XCTAssertEqual(positions, Array(0..<UInt64(positions.count)), "positions are gapless")
        var commandIDs = Set<EventID>()
        for event in generated.events {
            XCTAssertTrue(commandIDs.insert(event.envelope.eventID).inserted, "no event is recorded twice")
        }
    }

    func testEveryOfficeDayIsClosedWithExactlyTheTotalsOfWhatWasPostedOnIt() throws {
        let generated = try Self.generated.get()
        let calendar = try OfficeCalendar(timeZoneIdentifier: Self.configuration.timeZone)
        var expected: [Int64: [Int64]] = [:]
        var chargeAmounts: [EventID: Int64] = [:]
        var paymentAmounts: [EventID: Int64] = [:]
        var closed: [Int64: DayTotals] = [:]
        func add(_ day: Int64, _ slot: Int, _ cents: Int64) {
            expected[day, default: [0, 0, 0, 0, 0, 0]][slot] += cents
        }
        for stored in generated.events {
            switch stored.event {
            case .chargePosted(let charge):
                chargeAmounts[charge.chargeID] = charge.amount.cents
                add(calendar.localDay(atMicroseconds: stored.envelope.recordedTimeMicroseconds), 0, charge.amount.cents)
            case .paymentPosted(let payment):
                paymentAmounts[payment.paymentID] = payment.amount.cents
                add(payment.postingDateDaysSince1970, 1, payment.amount.cents)
            case .adjustmentPosted(let adjustment):
                add(adjustment.postingDateDaysSince1970, 2, adjustment.amount.cents)
            case .refundIssued(let refund):
                add(refund.postingDateDaysSince1970, 3, refund.amount.cents)
            case .chargeVoided(let void):
                add(void.postingDateDaysSince1970, 4, try XCTUnwrap(chargeAmounts[void.originalID]))
            case .paymentVoided(let void):
                add(void.postingDateDaysSince1970, 5, try XCTUnwrap(paymentAmounts[void.originalID]))
            case .dayClosed(let day):
                XCTAssertNil(closed[day.dateDaysSince1970], "a day is closed once")
                closed[day.dateDaysSince1970] = day.totals
            default:
                break
            }
        }
        let summary = generated.summary
        let officeDays = (summary.firstDaySince1970..<summary.lastDaySince1970).filter { day in
            let weekday = AvailabilityDay.isoWeekday(ofDaysSince1970: day)
            return weekday <= 5 && ![20_447, 20_454].contains(day)  // Christmas 2025, New Year 2026
        }
        XCTAssertEqual(closed.keys.sorted(), officeDays)
        XCTAssertEqual(summary.closedDayCount, officeDays.count)
        XCTAssertTrue(expected.keys.allSatisfy { closed[$0] != nil }, "nothing is posted on a day that is not closed")
        for (day, totals) in closed {
            let sums = expected[day] ?? [0, 0, 0, 0, 0, 0]
            let recorded = [
                totals.charges, totals.payments, totals.adjustments, totals.refunds, totals.chargeVoids,
                totals.paymentVoids,
            ].map(\.cents)
            XCTAssertEqual(recorded, sums, "day \(day)")
        }
    }

    /// The office's fees are set on the first day and raised 3% from January 1 (99213: $130.00, then $134.00); every
    /// charge is the fee in force on its visit's day times its units, as the fee schedule stream says.
    func testEveryChargeIsTheScheduledFeeOfItsVisitDay() throws {
        let generated = try Self.generated.get()
        var fees = FeeSchedule()
        var encounters = EncounterLedger()
        var charged: [Int64: Set<Int64>] = [:]
        for stored in generated.events {
            if stored.envelope.stream == FeeSchedule.streamName { fees.apply(stored.event) }
            if stored.envelope.stream.hasPrefix("schedule-") { encounters.apply(stored.event) }
            guard case .chargePosted(let charge) = stored.event else { continue }
            let day = try XCTUnwrap(encounters.encounter(charge.encounterID)?.serviceDaySince1970)
            let fee = try XCTUnwrap(fees.fee(for: charge.procedure, onDaysSince1970: day), "\(charge.procedure)")
            XCTAssertEqual(charge.amount.cents, fee.amount.cents * Int64(charge.units), "\(charge.procedure)")
            if charge.procedure.code == "99213" {
                charged[day < 20_454 ? 2025 : 2026, default: []].insert(fee.amount.cents)
            }
        }
        let visit = try ProcedureCode(code: "99213")
        XCTAssertEqual(fees.fee(for: visit, onDaysSince1970: 20_453)?.amount.cents, 13_000)
        XCTAssertEqual(fees.fee(for: visit, onDaysSince1970: 20_454)?.amount.cents, 13_400)
        XCTAssertEqual(charged, [2025: [13_000], 2026: [13_400]])
        XCTAssertEqual(fees.fees(onDaysSince1970: generated.summary.firstDaySince1970).count, 21)
    }

    func testTheHistoryEndsBeforeTheLastDayOpensWithItsAppointmentsBooked() throws {
        let generated = try Self.generated.get()
        let calendar = try OfficeCalendar(timeZoneIdentifier: Self.configuration.timeZone)
        let lastDay = Self.configuration.lastDaySince1970
        let opening = calendar.microseconds(atLocalMinutes: lastDay * 1440 + 6 * 60)
        XCTAssertTrue(generated.events.allSatisfy { $0.envelope.recordedTimeMicroseconds < opening })
        let booked = generated.events.compactMap { stored -> AppointmentBooked? in
            if case .appointmentBooked(let booking) = stored.event { booking } else { nil }
        }
        XCTAssertTrue(booked.contains { $0.startLocalMinutesSince1970 / 1440 == lastDay })
        XCTAssertTrue(booked.contains { $0.startLocalMinutesSince1970 / 1440 > lastDay + 14 })
        let first = try XCTUnwrap(generated.events.first { $0.position == 1 })
        XCTAssertGreaterThanOrEqual(
            first.envelope.recordedTimeMicroseconds,
            calendar.microseconds(atStartOfLocalDay: generated.summary.firstDaySince1970))
    }

    func testTheKeyringSavedWithTheBatchesHoldsTheKeyOfEveryRegisteredPatient() throws {
        let generated = try Self.generated.get()
        let reader = try StoreReader.open(at: generated.location, environment: Self.environment(seed: 3))
        let registered = generated.events.compactMap { stored -> EventID? in
            if case .patientRegistered(let registration) = stored.event { registration.patientID } else { nil }
        }
        XCTAssertEqual(registered.count, generated.summary.patientCount)
        XCTAssertEqual(Set(reader.keyring.patientIDs), Set(registered))
    }

    func testTheSummaryListsAStaffMemberForEveryRoleAndEveryProvider() throws {
        let summary = try Self.generated.get().summary
        let roles = Set(summary.staff.flatMap(\.roles))
        for role in [
            StaffRole.officeManager, .frontDesk, .biller, .nurse, .medicalAssistant, .complianceOfficer, .physician,
            .nursePractitioner,
        ] {
            XCTAssertTrue(roles.contains(role), "\(role)")
        }
        XCTAssertEqual(summary.providerStaffIDs.count, Self.configuration.providers)
        XCTAssertEqual(Set(summary.staff.map(\.staffID)).count, summary.staff.count)
    }

    func testAStoreThatExistsIsRefusedAndLeftAsItWas() throws {
        let generated = try Self.generated.get()
        let before = try Self.files(under: generated.location.root)
        XCTAssertThrowsError(
            try DemoOffice.generate(
                at: generated.location, configuration: Self.configuration, environment: Self.environment(seed: 3))
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "storeExists") }
        XCTAssertEqual(try Self.files(under: generated.location.root), before)
    }

    func testAConfigurationOutOfRangeIsAUsageError() {
        var configuration = Self.configuration
        configuration.providers = 0
        XCTAssertThrowsError(
            try DemoOffice.generate(
                at: StoreLocation(root: Self.temporaryDirectory("demo-bad")), configuration: configuration,
                environment: Self.environment(seed: 3))
        ) { XCTAssertEqual(($0 as? StoreError)?.category, .usage) }
    }
}
