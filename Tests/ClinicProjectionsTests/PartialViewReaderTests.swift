import ClinicEvents
import ClinicProjections
import Crypto
import RecordLog
import RecordLogTesting
import Synchronization
import XCTest

/// Day sheets and accounts read from the ledger checkpoint's parts: each part holds what its question needs, the log's
/// tail is folded exactly (reading the parts its postings need), and the whole ledger is asked for when the checkpoint
/// is unusable, the tail too long, or the tail holds an erasure.
final class PartialViewReaderTests: XCTestCase {
    private let calendar = OfficeHistoryGenerator.calendar

    /// An office with a generated history of `events` events, and a checkpoint store on its simulated disk.
    static func makeOffice(
        events: Int, seed: UInt64 = 11
    ) throws -> (TestOffice, OfficeHistoryGenerator, ViewCheckpointStore) {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
        office.bufferedAppendsMax = 10
        var generator = OfficeHistoryGenerator(office: office, seed: seed)
        try generator.run(eventCount: events) { _ in }
        let store = ViewCheckpointStore(
            directory: "/office/views", fileSystem: office.fileSystem, key: testKey(), random: CountingRandomSource())
        return (office, generator, store)
    }

    private func reader(
        _ office: TestOffice, _ store: ViewCheckpointStore, tailEventsMax: UInt64 = 1_000
    ) -> PartialViewReader {
        PartialViewReader(replayer: office.replayer, store: store, tailEventsMax: tailEventsMax)
    }

    func testEachDayAndAccountIsReadFromItsOwnParts() throws {
        let (office, _, store) = try Self.makeOffice(events: 900)
        let whole = try office.replayer.rebuild(LedgerView(calendar: calendar))
        try store.save(whole)
        let ledger = whole.view

        let keys = try store.load(LedgerView(calendar: calendar), parts: { _ in false }).get().partKeys
        XCTAssertTrue(keys.contains(ViewParts.coreKey))
        XCTAssertTrue(keys.contains { $0.hasPrefix("payers.") })
        XCTAssertEqual(
            Set(keys.compactMap(LedgerView.day(ofDayPartKey:))), Set(ledger.days.keys), "one part per day with postings"
        )
        XCTAssertTrue(keys.contains { $0.hasPrefix("accounts.") } && keys.contains { $0.hasPrefix("encounters.") })
        XCTAssertTrue(keys.contains { $0.hasPrefix("nets.") })

        // A day sheet needs only core, its day and its period's nets; an account only core and its group.
        for day in ledger.days.keys.sorted() {
            let wanted: Set<String> = [LedgerView.dayPartKey(day), LedgerView.netsPartKey(ofDay: day)]
            let partial = try store.load(LedgerView(calendar: calendar), parts: { wanted.contains($0) }).get()
            XCTAssertEqual(partial.loadedPartKeys, wanted.union([ViewParts.coreKey]))
            XCTAssertEqual(
                partial.view.daySheet(daysSince1970: day), ledger.daySheet(daysSince1970: day), "day \(day)")
        }
        for patient in ledger.accounts.keys {
            let key = LedgerView.accountPartKey(of: patient)
            let partial = try store.load(LedgerView(calendar: calendar), parts: { $0 == key }).get()
            XCTAssertEqual(partial.view.accounts[patient], ledger.accounts[patient])
        }
        // The whole file still loads back to exactly the ledger saved.
        XCTAssertEqual(try store.load(LedgerView(calendar: calendar)).get(), whole)
    }

    func testATailOfPostingsIsFoldedIntoThePartsExactly() throws {
        let (office, generator, store) = try Self.makeOffice(events: 700)
        var more = generator
        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        try more.run(eventCount: 1_000) { _ in }
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        let reader = reader(office, store)
        let days = ledger.days.keys.sorted()
        guard let first = days.first, let last = days.last else { return XCTFail("no postings") }
        for day in (first - 1)...(last + 1) {
            guard case .answered(let sheets) = try reader.daySheets(fromDay: day, throughDay: day, calendar: calendar)
            else { return XCTFail("day \(day) was not read from parts") }
            XCTAssertEqual(sheets, [ledger.daySheet(daysSince1970: day)], "day \(day)")
        }
        guard case .answered(let range) = try reader.daySheets(fromDay: first, throughDay: last, calendar: calendar)
        else { return XCTFail("the range was not read from parts") }
        XCTAssertEqual(range, ledger.daySheets(fromDay: first, throughDay: last))
        XCTAssertTrue(range.allSatisfy(\.reconciles))
        for patient in ledger.accounts.keys {
            guard case .answered(let account) = try reader.account(forPatient: patient, calendar: calendar) else {
                return XCTFail("an account was not read from parts")
            }
            XCTAssertEqual(account, ledger.accounts[patient])
        }
        guard case .answered(let none) = try reader.account(forPatient: EventID(high: 9, low: 9), calendar: calendar)
        else { return XCTFail("an unknown patient was not read from parts") }
        XCTAssertNil(none)
    }

    func testTheDayBookIsReadFromTheCoreWithTheTailsDayBookEvents() throws {
        let (office, generator, store) = try Self.makeOffice(events: 700)
        var more = generator
        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        let saved = try store.load(LedgerView(calendar: calendar)).get().view.dayBook
        try more.run(eventCount: 1_000) { _ in }
        let whole = try office.replayer.rebuild(LedgerView(calendar: calendar)).view.dayBook
        XCTAssertGreaterThan(whole.streamVersion, saved.streamVersion, "the tail closes days")
        guard case .answered(let dayBook) = try reader(office, store).dayBook(calendar: calendar) else {
            return XCTFail("the day book was not read from the core")
        }
        XCTAssertEqual(dayBook, whole)
        XCTAssertFalse(try reader(office, store, tailEventsMax: 10).dayBook(calendar: calendar).isAnswered)
    }

    /// A command asks one reader several questions (a chart resolves the patient among the patient ids, then reads
    /// the chart part): the log's tail is decoded once for all of them, and the answers are a fresh reader's.
    func testTheQuestionsOfOneReaderDecodeTheTailOnce() throws {
        let (office, generator, store) = try Self.makeOffice(events: 700)
        var more = generator
        try store.save(try office.replayer.rebuild(ScheduleView()))
        try more.run(eventCount: 800) { _ in }
        try store.save(try office.replayer.rebuild(ChartView()))
        try more.run(eventCount: 1_000) { _ in }
        let decoded = Mutex(0)
        let codec = office.codec
        let counting = ProjectionReplayer(
            reader: office.reader,
            decoder: StoredEventDecoder(
                decodeView: { view in
                    decoded.withLock { $0 += 1 }
                    return try codec.decodeStored(view)
                },
                decodeRecord: { record in
                    decoded.withLock { $0 += 1 }
                    return try codec.decodeStored(record)
                }))
        let shared = PartialViewReader(replayer: counting, store: store, tailEventsMax: 1_000)
        let fresh = PartialViewReader(replayer: office.replayer, store: store, tailEventsMax: 1_000)
        let end = try office.replayer.endPosition()
        let scheduleStart = try store.load(ScheduleView()).get().nextPosition
        let chartStart = try store.load(ChartView()).get().nextPosition
        XCTAssertLessThan(scheduleStart, chartStart, "the chart's checkpoint is the later one")

        guard case .answered(let ids) = try shared.patientIDs(), case .answered(let freshIDs) = try fresh.patientIDs()
        else { return XCTFail("the patient ids were not read from parts") }
        XCTAssertEqual(ids, freshIDs)
        XCTAssertEqual(decoded.withLock { $0 }, Int(end - scheduleStart), "the schedule's tail, decoded once")
        for patient in ids.sorted().prefix(5) {
            guard case .answered(let chart) = try shared.chart(forPatient: patient),
                case .answered(let freshChart) = try fresh.chart(forPatient: patient)
            else { return XCTFail("a chart was not read from parts") }
            XCTAssertEqual(chart.lookUp(patient), freshChart.lookUp(patient))
            XCTAssertEqual(chart.encounters(of: patient), freshChart.encounters(of: patient))
        }
        XCTAssertEqual(
            decoded.withLock { $0 }, Int(end - scheduleStart), "the chart's shorter tail is not decoded again")

        // Asked the other way round, only the events before the first tail are decoded for the longer one.
        decoded.withLock { $0 = 0 }
        let other = PartialViewReader(replayer: counting, store: store, tailEventsMax: 1_000)
        guard case .answered = try other.chart(forPatient: ids.sorted()[0]),
            case .answered(let again) = try other.patientIDs()
        else { return XCTFail("not read from parts") }
        XCTAssertEqual(again, freshIDs)
        XCTAssertEqual(decoded.withLock { $0 }, Int(end - scheduleStart))
    }

    func testThePatientIDsAndAChartReadWithOtherPatientsDataWithheldAreExact() throws {
        // Histories whose tails hold no erasure (a tail with one needs the whole view, tested elsewhere).
        for seed: UInt64 in [8, 12] {
            let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
            let random = RandomByteSource(SeededRandomNumberGenerator(seed: seed))
            office.sealer = PatientDataSealer(
                keyring: PatientKeyring(masterKey: try MasterKey(keyMaterial: random.bytes(count: 32)), random: random),
                random: random)
            office.bufferedAppendsMax = 10
            var generator = OfficeHistoryGenerator(office: office, seed: seed)
            try generator.run(eventCount: 900) { _ in }
            try office.flush()
            let opening = office.replayer(parallelFoldEventsMin: .max, decoder: office.openingDecoder)
            let store = ViewCheckpointStore(
                directory: "/office/views", fileSystem: office.fileSystem, key: testKey(),
                random: CountingRandomSource())
            try store.save(try opening.rebuild(ScheduleView()))
            try store.save(try opening.rebuild(ChartView()))
            try generator.run(eventCount: 1_300) { _ in }  // a tail of about 400 events
            try office.flush()
            // A merge in the tail: its sealed reason is the duplicate's data, shown in the survivor's record.
            let before = try opening.rebuild(ChartView()).view
            let records = before.patients.values.map(\.record).sorted { $0.patientID < $1.patientID }
            var mergeDecision: StreamDecision?
            for (duplicate, survivor) in zip(records, records.dropFirst()) where mergeDecision == nil {
                mergeDecision = try? duplicate.decideMerge(
                    into: survivor, reason: "same person", by: staff("manager-1"), role: .officeManager)
            }
            let merge = try XCTUnwrap(mergeDecision, "seed \(seed): two patients that can be merged")
            for event in merge.events { try office.append(event, to: merge.stream, by: staff("manager-1")) }
            try office.flush()
            let chartStart = try store.load(ChartView()).get().nextPosition
            var erasedInTail = false
            // The patients the tail changes (merged ones first), whose charts are checked.
            var merged: [EventID] = []
            var changed: [EventID] = []
            _ = try office.replayer.forEachEvent(
                from: min(chartStart, try store.load(ScheduleView()).get().nextPosition)
            ) {
                if case .patientErased = $0.event { erasedInTail = true }
                if case .patientsMerged(let merge) = $0.event {
                    merged += [merge.mergedPatientID, merge.survivingPatientID]
                }
                if let patient = $0.event.subjectPatientID, !changed.contains(patient) {
                    changed.append(patient)
                }
            }
            XCTAssertFalse(erasedInTail, "seed \(seed): the generated history changed; pick seeds without an erasure")
            let whole = try opening.rebuild(ChartView()).view
            let opened = Mutex(0)
            let keyring = office.sealer?.keyring
            let codec = office.codec
            let counting = office.replayer(
                parallelFoldEventsMin: .max,
                decoder: StoredEventDecoder(
                    decodeView: { view in
                        opened.withLock { $0 += 1 }
                        return try codec.decodeStored(view, opening: keyring)
                    },
                    decodeRecord: { record in
                        opened.withLock { $0 += 1 }
                        return try codec.decodeStored(record, opening: keyring)
                    }))
            let withholding = PartialViewReader(
                replayer: counting, store: store, tailEventsMax: 1_000, withholding: office.replayer)
            let plain = PartialViewReader(replayer: opening, store: store, tailEventsMax: 1_000)
            guard case .answered(let ids) = try withholding.patientIDs(),
                case .answered(let plainIDs) = try plain.patientIDs()
            else { return XCTFail("seed \(seed): the patient ids were not read from parts") }
            XCTAssertEqual(ids, plainIDs, "seed \(seed)")
            XCTAssertEqual(opened.withLock { $0 }, 0, "seed \(seed): the ids open no patient data")
            XCTAssertEqual(ids, Set(whole.patients.keys).union(ids), "seed \(seed)")
            let tailLength = Int(try office.replayer.endPosition() - chartStart)
            XCTAssertGreaterThan(tailLength, 300, "seed \(seed)")
            var openedInAll = 0
            var checkedPatients = merged
            for patient in changed.prefix(20) + ids.sorted().prefix(5) where !checkedPatients.contains(patient) {
                checkedPatients.append(patient)
            }
            for patient in checkedPatients {
                opened.withLock { $0 = 0 }
                guard case .answered(let chart) = try withholding.chart(forPatient: patient) else {
                    return XCTFail("seed \(seed): a chart was not read from parts")
                }
                XCTAssertEqual(chart.lookUp(patient), whole.lookUp(patient), "seed \(seed), patient \(patient)")
                XCTAssertEqual(chart.encounters(of: patient), whole.encounters(of: patient), "seed \(seed)")
                XCTAssertEqual(chart.payerNames, whole.payerNames, "seed \(seed)")
                // Only the patient's own events (and payer definitions and merges) are opened, not the whole tail.
                XCTAssertLessThan(opened.withLock { $0 }, tailLength / 4, "seed \(seed), patient \(patient)")
                openedInAll += opened.withLock { $0 }
            }
            XCTAssertGreaterThan(openedInAll, 0, "seed \(seed): the patients' own tail events are opened")
        }
    }

    func testNoUsableCheckpointNeedsTheWholeLedger() throws {
        let (office, _, store) = try Self.makeOffice(events: 300)
        let patient = try XCTUnwrap(
            try office.replayer.rebuild(LedgerView(calendar: calendar)).view.accounts.keys.first)
        XCTAssertFalse(
            try reader(office, store).daySheets(fromDay: baseDay, throughDay: baseDay, calendar: calendar).isAnswered)
        XCTAssertFalse(try reader(office, store).account(forPatient: patient, calendar: calendar).isAnswered)

        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        let otherKey = ViewCheckpointStore(
            directory: "/office/views", fileSystem: office.fileSystem, key: testKey(9), random: CountingRandomSource())
        XCTAssertFalse(try reader(office, otherKey).account(forPatient: patient, calendar: calendar).isAnswered)
        XCTAssertFalse(
            try reader(office, store).account(forPatient: patient, calendar: .utc).isAnswered,
            "a checkpoint of another calendar")
        XCTAssertTrue(try reader(office, store).account(forPatient: patient, calendar: calendar).isAnswered)
    }

    func testALongTailOrAnErasureInTheTailNeedsTheWholeLedger() throws {
        let (office, generator, store) = try Self.makeOffice(events: 300)
        var more = generator
        try store.save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        try more.run(eventCount: 360) { _ in }
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        let patient = try XCTUnwrap(ledger.accounts.keys.sorted().first)
        let tail =
            try office.replayer.endPosition() - (try store.load(LedgerView(calendar: calendar)).get().nextPosition)
        XCTAssertGreaterThan(tail, 0)
        let short = reader(office, store, tailEventsMax: tail)
        XCTAssertFalse(try short.daySheets(fromDay: baseDay, throughDay: baseDay, calendar: calendar).isAnswered)
        XCTAssertFalse(try short.account(forPatient: patient, calendar: calendar).isAnswered)
        let long = reader(office, store, tailEventsMax: tail + 1)
        guard case .answered(let account) = try long.account(forPatient: patient, calendar: calendar) else {
            return XCTFail("a tail shorter than the limit is folded")
        }
        XCTAssertEqual(account, ledger.accounts[patient])

        try office.erase(patient)
        try office.flush()
        let withErasure = reader(office, store, tailEventsMax: tail + 10)
        XCTAssertFalse(try withErasure.account(forPatient: patient, calendar: calendar).isAnswered)
        XCTAssertFalse(try withErasure.daySheets(fromDay: baseDay, throughDay: baseDay, calendar: calendar).isAnswered)
    }
}
