import ClinicEvents
import Foundation
import GRDB
import Logging
import OfficeHistory
import RecordLog
import XCTest

final class OfficeHistoryTests: XCTestCase {
    private func events(_ count: Int, seed: UInt64) throws -> (OfficeHistory, [HistoryEvent]) {
        var history = try OfficeHistory(options: .standard(eventCount: count, seed: seed))
        let events = try history.next(count)
        return (history, events)
    }

    func testTheSameSeedGivesTheSameEventsAndAnotherSeedOthers() throws {
        let (_, first) = try events(3_000, seed: 5)
        let (_, second) = try events(3_000, seed: 5)
        let (_, other) = try events(3_000, seed: 6)
        XCTAssertEqual(first.map(\.payload), second.map(\.payload))
        XCTAssertEqual(first.map(\.eventID), second.map(\.eventID))
        XCTAssertNotEqual(first.map(\.payload), other.map(\.payload))
    }

    func testStreamVersionsAreGaplessAndRecordedTimesIncrease() throws {
        let (_, events) = try events(20_000, seed: 1)
        var versions: [String: UInt64] = [:]
        var lastTime = Int64.min
        for event in events {
            XCTAssertEqual(event.streamVersion, (versions[event.stream] ?? 0) + 1, "stream \(event.stream)")
            versions[event.stream] = event.streamVersion
            XCTAssertGreaterThan(event.recordedTimeMicroseconds, lastTime)
            lastTime = event.recordedTimeMicroseconds
        }
        let types = Set(events.map(\.eventType))
        for expected in [
            "PatientRegistered", "AppointmentBooked", "PatientCheckedIn", "VitalsRecorded", "NoteSigned",
            "ChargePosted",
            "PaymentPosted", "PaymentApplied", "AdjustmentPosted", "CoverageAdded", "EligibilityChecked", "DayClosed",
        ] {
            XCTAssertTrue(types.contains(expected), "no \(expected) in 20,000 events")
        }
    }

    func testEveryEventDecodesWithItsPatientDataOpenedAndSealedWithoutTheKeyring() throws {
        let (history, events) = try events(5_000, seed: 2)
        var withheld = 0
        for event in events {
            let opened = try history.codec.decode(event.payload, opening: history.keyring)
            XCTAssertFalse(opened.patientDataWithheld)
            XCTAssertEqual(opened.envelope.stream, event.stream)
            XCTAssertEqual(opened.envelope.eventID, event.eventID)
            XCTAssertEqual(opened.envelope.eventType, event.eventType)
            if let patient = event.patientID { XCTAssertTrue(patientStreams(of: patient).contains(event.stream)) }
            if try history.codec.decode(event.payload, opening: nil).patientDataWithheld { withheld += 1 }
        }
        XCTAssertGreaterThan(withheld, events.count / 4, "most patient events carry sealed data")
        let registration = try XCTUnwrap(events.first { $0.eventType == "PatientRegistered" })
        guard case .patientRegistered(let body) = try history.codec.decode(registration.payload).event else {
            return XCTFail("a registration decoded as another event")
        }
        XCTAssertEqual(body.familyName, "[withheld]")
    }

    func testEachJSONLineIsOneJSONObjectWithTheEnvelopeAndTheBody() throws {
        let (history, events) = try events(2_000, seed: 3)
        for (position, event) in events.enumerated() {
            let decoded = try history.codec.decode(event.payload, opening: history.keyring)
            let line = EventJSONLine.line(
                position: UInt64(position), streamVersion: event.streamVersion, decoded: decoded)
            let object = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            XCTAssertEqual(object["type"] as? String, event.eventType)
            XCTAssertEqual(object["stream"] as? String, event.stream)
            XCTAssertEqual(object["position"] as? Int, position)
            XCTAssertNotNil(object["body"] as? [String: Any], line)
            XCTAssertFalse(line.contains("[withheld]"), line)
        }
    }

    func testTheLogAndTheSQLiteTableHoldTheSameEvents() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (_, events) = try events(3_000, seed: 4)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let writer = try HistoryLogWriter(directory: directory + "/log", logger: logger, logIDSeed: 4)
        let table = try SQLiteEventTable.create(path: directory + "/events.sqlite")
        for start in stride(from: 0, to: events.count, by: 700) {
            let batch = events[start..<min(start + 700, events.count)]
            try writer.append(batch)
            try table.insert(batch)
        }
        writer.close()
        let records = try LogReader(directory: directory + "/log").records()
        XCTAssertEqual(records.map(\.payload), events.map(\.payload))
        XCTAssertEqual(records.map(\.streamVersion), events.map(\.streamVersion))
        let rows = try table.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT stream, stream_version, payload FROM events ORDER BY position")
        }
        XCTAssertEqual(rows.map { $0["stream"] as String }, events.map(\.stream))
        XCTAssertEqual(rows.map { [UInt8]($0["payload"] as Data) }, events.map(\.payload))
        let synchronous = try table.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        XCTAssertEqual(synchronous, 2, "SQLite must sync every commit (FULL), as the log does")
        XCTAssertThrowsError(try table.insert(events.prefix(1)), "the unique index refuses a stream version twice")
    }
}
