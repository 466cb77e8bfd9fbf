import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// Folds on two threads (the ledger, or a single view, on a second one while the calling thread reads and decodes)
/// end with exactly the views of a fold on one thread, from position 0 or from checkpoints at any positions, and an
/// event that cannot be decoded stops both threads.
final class SecondLaneTests: XCTestCase {
    private let calendar = OfficeHistoryGenerator.calendar

    private func makeOffice(events: Int, seed: UInt64) throws -> TestOffice {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
        office.bufferedAppendsMax = 30
        var generator = OfficeHistoryGenerator(office: office, seed: seed)
        try generator.run(eventCount: events) { _ in }
        try office.flush()
        return office
    }

    private func store(_ office: TestOffice) -> ViewCheckpointStore {
        ViewCheckpointStore(
            directory: "/office/views", fileSystem: office.fileSystem, key: testKey(), random: CountingRandomSource())
    }

    func testTheOfficeViewsFoldedOnTwoThreadsEqualThoseFoldedOnOne() throws {
        for seed: UInt64 in 1...3 {
            let office = try makeOffice(events: 1500, seed: seed)
            // Payers defined in streams of every kind: the ledger and the chart take them from any stream.
            let patient = patientID(77)
            for (index, stream) in [
                ChartState.streamName(for: patient), ConsentState.streamName(for: patient), "frontdesk-notes",
                ProviderSchedule.streamName(for: staff("dr-odd")),
            ].enumerated() {
                try office.append(
                    .payerDefined(
                        try PayerDefined(payerID: itemID(500 + UInt64(index)), name: "Odd \(index)", type: .medicaid)),
                    to: stream)
            }
            try office.flush()
            let one = try OfficeViews.open(
                replayer: office.replayer(parallelFoldEventsMin: .max), store: nil, calendar: calendar)
            let two = try OfficeViews.open(
                replayer: office.replayer(parallelFoldEventsMin: 0), store: nil, calendar: calendar)
            XCTAssertEqual(two.nextPosition, one.nextPosition, "seed \(seed)")
            XCTAssertEqual(two.stateHashes, one.stateHashes, "seed \(seed)")
            XCTAssertEqual(two.ledger, one.ledger, "seed \(seed)")
            XCTAssertEqual(two.schedule, one.schedule, "seed \(seed)")
            XCTAssertEqual(two.chart, one.chart, "seed \(seed)")
            XCTAssertEqual(two.consent, one.consent, "seed \(seed)")
        }
    }

    /// The ledger's checkpoint behind, then ahead of, the other views': the second thread folds only the events the
    /// ledger has not seen, the calling thread only those each other view has not.
    func testCatchingUpFromCheckpointsAtDifferentPositionsOnTwoThreads() throws {
        let office = try makeOffice(events: 1200, seed: 4)
        let end = try office.replayer.endPosition()
        let rebuilt = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        for (ledgerAt, othersAt) in [(end / 5, end / 2), (end * 3 / 4, end / 3), (0, end - 1)] {
            let store = store(office)
            let snapshot = try OfficeViewsSnapshot(replayer: office.replayer, calendar: calendar, upTo: othersAt)
            try snapshot.save(to: store)
            try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar), upTo: ledgerAt))
            let views = try OfficeViews.open(
                replayer: office.replayer(parallelFoldEventsMin: 0), store: store, calendar: calendar)
            XCTAssertEqual(views.openReport, [:])
            XCTAssertEqual(views.stateHashes, rebuilt.stateHashes, "ledger at \(ledgerAt), others at \(othersAt)")
            XCTAssertEqual(views.ledger, rebuilt.ledger)
        }
    }

    func testOneViewFoldedOnASecondThreadEqualsOneFoldedOnTheCallingThread() throws {
        let office = try makeOffice(events: 1000, seed: 5)
        let one = office.replayer(parallelFoldEventsMin: .max)
        let two = office.replayer(parallelFoldEventsMin: 0)
        XCTAssertEqual(try two.rebuild(ScheduleView()), try one.rebuild(ScheduleView()))
        XCTAssertEqual(try two.rebuild(LedgerView(calendar: calendar)), try one.rebuild(LedgerView(calendar: calendar)))
        XCTAssertEqual(try two.rebuild(ChartView()), try one.rebuild(ChartView()))
        XCTAssertEqual(try two.rebuild(ConsentView()), try one.rebuild(ConsentView()))
        // A catch-up from a checkpoint, and a rebuild up to a position.
        var checkpoint = try one.rebuild(ChartView(), upTo: 400)
        try two.catchUp(&checkpoint)
        XCTAssertEqual(checkpoint, try one.rebuild(ChartView()))
        XCTAssertEqual(try two.rebuild(ConsentView(), upTo: 777), try one.rebuild(ConsentView(), upTo: 777))
        // Below the threshold the fold stays on the calling thread, with the same result.
        let high = office.replayer(parallelFoldEventsMin: 600)
        XCTAssertEqual(try high.rebuild(ScheduleView(), upTo: 500), try one.rebuild(ScheduleView(), upTo: 500))
    }

    func testAnUndecodableEventStopsBothThreadsAndNothingIsKept() throws {
        let office = try makeOffice(events: 800, seed: 6)
        let codec = office.codec
        let bad: UInt64 = 555
        struct Unreadable: Error {}
        let decoder = StoredEventDecoder(
            decodeView: { view in
                guard view.position != bad else { throw Unreadable() }
                return try codec.decodeStored(view)
            },
            decodeRecord: { try codec.decodeStored($0) })
        let replayer = office.replayer(parallelFoldEventsMin: 0, decoder: decoder)
        for _ in 0..<3 {
            XCTAssertThrowsError(try OfficeViews.open(replayer: replayer, store: nil, calendar: calendar)) { error in
                guard case .undecodableEvent(let position, _) = error as? ProjectionError else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(position, bad)
            }
            XCTAssertThrowsError(try replayer.rebuild(LedgerView(calendar: calendar))) { error in
                guard case .undecodableEvent(let position, _) = error as? ProjectionError else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(position, bad)
            }
        }
        // Up to the bad event both threads fold as one would.
        XCTAssertEqual(
            try replayer.rebuild(LedgerView(calendar: calendar), upTo: bad),
            try office.replayer.rebuild(LedgerView(calendar: calendar), upTo: bad))
    }
}
