import ClinicEvents
import ClinicProjections
import Crypto
import RecordLog
import RecordLogTesting
import XCTest

/// Erasure across all views and their checkpoints: folding a `PatientErased` rewrites every checkpoint at once, a
/// stale checkpoint that still holds the patient is caught up and rewritten on open, and the books stay whole.
final class OfficeViewsTests: XCTestCase {
    let distinctiveName = Array(OfficeHistoryGenerator.distinctiveName.utf8)

    /// The decrypted state bytes of every checkpoint in `store`.
    private func checkpointStates(_ store: ViewCheckpointStore, calendar: ViewCalendar) throws -> [[UInt8]] {
        [
            try store.load(ScheduleView()).get().view.stateBytes,
            try store.load(LedgerView(calendar: calendar)).get().view.stateBytes,
            try store.load(ChartView()).get().view.stateBytes, try store.load(ConsentView()).get().view.stateBytes,
        ]
    }

    func testErasingPatientsRemovesThemFromEveryViewAndCheckpoint() throws {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: 11))
        office.bufferedAppendsMax = 25
        var generator = OfficeHistoryGenerator(office: office, seed: 11)
        try generator.run(eventCount: 900) { _ in }
        let erased = generator.distinctivePatients
        XCTAssertFalse(erased.isEmpty)
        let calendar = OfficeHistoryGenerator.calendar
        let simulated = try XCTUnwrap(office.simulated)
        let store = ViewCheckpointStore(
            directory: "/office/views", fileSystem: simulated, key: testKey(), random: CountingRandomSource())
        var views = try OfficeViews.open(replayer: office.replayer, store: store, calendar: calendar)
        try views.saveCheckpoints()
        XCTAssertTrue(
            try checkpointStates(store, calendar: calendar).contains { $0.contains(subsequence: distinctiveName) },
            "before the erasure the checkpoints hold the name: the search below can find it")
        let staleChart = try XCTUnwrap(simulated.contents(of: store.path(ofView: ChartView.viewName)))
        let ledgerBefore = views.ledger.view
        let closedDays = ledgerBefore.dayBook.closedDays.keys.sorted()
        XCTAssertFalse(closedDays.isEmpty)

        for patient in erased { try office.erase(patient) }
        try office.flush()
        let report = try views.catchUp()
        XCTAssertEqual(Set(report.erasedPatientIDs), Set(erased))
        XCTAssertTrue(report.checkpointsRewritten)
        for state in try checkpointStates(store, calendar: calendar) {
            XCTAssertFalse(
                state.contains(subsequence: distinctiveName), "a checkpoint still holds an erased patient's name")
        }
        for state in [views.schedule.view.stateBytes, views.chart.view.stateBytes, views.consent.view.stateBytes] {
            XCTAssertFalse(state.contains(subsequence: distinctiveName))
        }
        // Every file of the checkpoint directory, the temporary file of the atomic write included. (The log's segments
        // are the codec's business: patient data is sealed there by the patient-data encryption.)
        let checkpointPaths = simulated.allPaths().filter { $0.hasPrefix(store.directory) }
        XCTAssertEqual(checkpointPaths.filter { $0.hasSuffix(".checkpoint") }.count, 4)
        for path in checkpointPaths {
            XCTAssertFalse(
                simulated.contents(of: path)?.contains(subsequence: distinctiveName) ?? false, "\(path) holds the name")
        }
        for patient in erased {
            XCTAssertEqual(views.chart.view.lookUp(patient), .erased)
            XCTAssertTrue(views.consent.view.isErased(patient))
            XCTAssertTrue(views.ledger.view.erasedPatientIDs.contains(patient))
        }
        // The books are whole: every closed day still reproduces its closed totals, and nothing moved.
        for day in closedDays {
            let sheet = views.ledger.view.daySheet(daysSince1970: day)
            XCTAssertEqual(sheet.matchesClosedTotals, true)
            XCTAssertEqual(sheet, ledgerBefore.daySheet(daysSince1970: day))
        }
        XCTAssertEqual(views.ledger.view.officeBalanceCents, ledgerBefore.officeBalanceCents)

        // A stale checkpoint (an older copy holding the patient) put back: opening catches it up through the erasure
        // and rewrites it at once.
        simulated.setContents(staleChart, of: store.path(ofView: ChartView.viewName))
        let reopened = try OfficeViews.open(replayer: office.replayer, store: store, calendar: calendar)
        XCTAssertEqual(reopened.openReport, [:])
        XCTAssertFalse(try store.load(ChartView()).get().view.stateBytes.contains(subsequence: distinctiveName))
        XCTAssertEqual(reopened.stateHashes, views.stateHashes)
        let rebuilt = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        XCTAssertEqual(rebuilt.stateHashes, views.stateHashes)
    }

    /// Every part of the checkpoint file at `path`, decrypted with `key` by following `docs/projections.md` section 6.1
    /// (not the store's own reader).
    private func decryptedParts(of bytes: [UInt8], key: SymmetricKey) throws -> [[UInt8]] {
        func integer(_ offset: Int, _ count: Int) -> UInt64 {
            bytes[offset..<(offset + count)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        XCTAssertEqual(Array(bytes[0..<4]), Array("CLVC".utf8))
        XCTAssertEqual(bytes[4], 2)
        let n = Int(bytes[5])
        let partCount = Int(integer(66 + n, 4))
        let tableLength = Int(integer(70 + n, 8))
        let header = Array(bytes[0..<(78 + n)])
        let tableBox = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: bytes[(78 + n)..<(90 + n)]),
            ciphertext: bytes[(90 + n)..<(90 + n + tableLength)],
            tag: bytes[(90 + n + tableLength)..<(106 + n + tableLength)])
        let table = Array(try AES.GCM.open(tableBox, using: key, authenticating: header))
        var parts: [[UInt8]] = [table]
        var cursor = 0
        for _ in 0..<partCount {
            let keyLength = Int(table[cursor])
            let partKey = Array(table[(cursor + 1)..<(cursor + 1 + keyLength)])
            cursor += 1 + keyLength
            let offset = Int(table[cursor..<(cursor + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            let length = Int(table[(cursor + 8)..<(cursor + 16)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            cursor += 16 + 16
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: bytes[offset..<(offset + 12)]),
                ciphertext: bytes[(offset + 12)..<(offset + 12 + length)],
                tag: bytes[(offset + 12 + length)..<(offset + 28 + length)])
            parts.append(
                Array(try AES.GCM.open(box, using: key, authenticating: header + [UInt8(keyLength)] + partKey)))
        }
        XCTAssertEqual(cursor, table.count)
        return parts
    }

    func testAnErasedPatientIsInNoDecryptedPartOfAnyCheckpointFile() throws {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: 13))
        var generator = OfficeHistoryGenerator(office: office, seed: 13)
        try generator.run(eventCount: 400) { _ in }
        let patient = EventID(high: 0x1234_5678_9abc_4def, low: 0x8123_4567_89ab_cdef)
        let name = "Wyxqplomb"
        let registered = try PatientRegistered(
            patientID: patient, familyName: name, givenName: "Ottoline", birthDateDaysSince1970: -3_456)
        try office.append(.patientRegistered(registered), to: PatientRecordState.streamName(for: patient))
        var body = BinaryEncoder(capacityBytes: 64)
        registered.encode(into: &body)
        try office.flush()
        let calendar = OfficeHistoryGenerator.calendar
        let simulated = try XCTUnwrap(office.simulated)
        let key = testKey()
        let store = ViewCheckpointStore(
            directory: "/office/views", fileSystem: simulated, key: key, random: CountingRandomSource())
        var views = try OfficeViews.open(replayer: office.replayer, store: store, calendar: calendar)
        try views.saveCheckpoints()

        func plaintexts() throws -> [[UInt8]] {
            let paths = simulated.allPaths().filter { $0.hasPrefix(store.directory + "/") }
            XCTAssertEqual(paths.count, 4, "one file per view, no temporary file left")
            return try paths.flatMap { try decryptedParts(of: XCTUnwrap(simulated.contents(of: $0)), key: key) }
        }
        let before = try plaintexts()
        XCTAssertTrue(before.contains { $0.contains(subsequence: Array(name.utf8)) }, "the search can find the name")
        XCTAssertTrue(
            before.contains { $0.contains(subsequence: body.bytes) }, "and the registration with the birth date")

        try office.erase(patient)
        try office.flush()
        XCTAssertTrue(try views.catchUp().checkpointsRewritten)
        for plaintext in try plaintexts() {
            XCTAssertFalse(plaintext.contains(subsequence: Array(name.utf8)), "a checkpoint part holds the name")
            XCTAssertFalse(plaintext.contains(subsequence: body.bytes), "a checkpoint part holds the registration")
        }
        let schedule = try store.load(ScheduleView()).get().view
        XCTAssertEqual(schedule.patients[patient]?.status, .erased)
        XCTAssertNil(schedule.patients[patient]?.registration, "the birth date is gone with the registration")
        XCTAssertEqual(try store.load(ChartView()).get().view.lookUp(patient), .erased)
    }

    func testOpenReportsProgressAndCatchesUpTheTail() throws {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: 12))
        var generator = OfficeHistoryGenerator(office: office, seed: 12)
        try generator.run(eventCount: 300) { _ in }
        let store = ViewCheckpointStore(
            directory: "/office/views", fileSystem: office.fileSystem, key: testKey(), random: CountingRandomSource())
        var reports: [(UInt64, UInt64)] = []
        var views = try OfficeViews.open(
            replayer: office.replayer, store: store, calendar: OfficeHistoryGenerator.calendar
        ) { reports.append(($0, $1)) }
        XCTAssertEqual(views.openReport.count, 4, "no checkpoint yet: every view is rebuilt")
        XCTAssertEqual(reports.last?.0, reports.last?.1)
        try views.saveCheckpoints()
        let saved = try store.load(ConsentView()).get().nextPosition
        try generator.run(eventCount: 400) { _ in }
        let tail = try views.catchUp()
        XCTAssertEqual(tail.eventsRead, try office.replayer.endPosition() - saved)
        XCTAssertEqual(views.nextPosition, try office.replayer.endPosition())
    }
}
