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
