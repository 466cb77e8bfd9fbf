import ClinicEvents
import ClinicProjections
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

/// Over randomly generated office histories (seeded), views kept up to date incrementally, saved to checkpoints and
/// reopened from them at random moments, end with exactly the state a rebuild from position 0 gives (same state
/// hashes), and the books hold their invariants.
final class IncrementalRebuildPropertyTests: XCTestCase {
    /// Seeds to run: `CLINICLOG_PROJECTION_SEEDS` (default 5).
    var seedCount: UInt64 {
        UInt64(ProcessInfo.processInfo.environment["CLINICLOG_PROJECTION_SEEDS"].flatMap { Int($0) } ?? 5)
    }
    /// Events per seed: `CLINICLOG_PROJECTION_EVENTS` (default 2000).
    var eventsPerSeed: Int {
        ProcessInfo.processInfo.environment["CLINICLOG_PROJECTION_EVENTS"].flatMap { Int($0) } ?? 2000
    }

    func testIncrementalCatchUpThroughCheckpointsEqualsRebuild() throws {
        for seed in 1...seedCount {
            try checkHistory(seed: seed)
        }
    }

    private func checkHistory(seed: UInt64) throws {
        let office = try TestOffice(temporaryDirectoryFor: self)
        office.bufferedAppendsMax = 1 + Int(seed % 40)
        var generator = OfficeHistoryGenerator(office: office, seed: seed)
        let calendar = OfficeHistoryGenerator.calendar
        let store = ViewCheckpointStore(
            directory: office.directory + "-views", fileSystem: office.fileSystem, key: testKey(),
            random: CountingRandomSource())
        // Even seeds catch up on two threads and rebuild on one, odd seeds the other way round.
        let incremental = office.replayer(parallelFoldEventsMin: seed % 2 == 0 ? 0 : .max)
        let rebuilding = office.replayer(parallelFoldEventsMin: seed % 2 == 0 ? .max : 0)
        var views = try OfficeViews.open(replayer: incremental, store: store, calendar: calendar)
        var random = SeededRandomNumberGenerator(seed: seed &* 7919)
        var reopened = 0
        while generator.count < eventsPerSeed {
            try generator.run(eventCount: generator.count + 50 + random.next(below: 400)) { _ in }
            try views.catchUp()
            if random.next(below: 4) == 0 || (reopened == 0 && generator.count > eventsPerSeed / 2) {
                try views.saveCheckpoints()
                views = try OfficeViews.open(replayer: incremental, store: store, calendar: calendar)
                XCTAssertEqual(views.openReport, [:], "seed \(seed): a checkpoint just written was not used")
                reopened += 1
            }
            if random.next(below: 3) == 0 {
                try checkPartialReads(office: office, store: store, random: &random, seed: seed)
            }
        }
        XCTAssertGreaterThan(reopened, 0, "seed \(seed)")
        let rebuilt = try OfficeViews.open(replayer: rebuilding, store: nil, calendar: calendar)
        XCTAssertEqual(views.nextPosition, rebuilt.nextPosition, "seed \(seed)")
        XCTAssertEqual(views.stateHashes, rebuilt.stateHashes, "seed \(seed): incremental and rebuilt views differ")
        XCTAssertEqual(views.ledger.view, rebuilt.ledger.view, "seed \(seed)")
        XCTAssertEqual(views.chart.view, rebuilt.chart.view, "seed \(seed)")
        XCTAssertEqual(views.schedule.view, rebuilt.schedule.view, "seed \(seed)")
        XCTAssertEqual(views.consent.view, rebuilt.consent.view, "seed \(seed)")

        try checkBooks(rebuilt.ledger.view, seed: seed)
        try checkPerPatientViews(office: office, rebuilt: rebuilt, seed: seed)
    }

    /// Questions answered from checkpoint parts caught up with the tail (days of the schedule, patients' records and
    /// charts, the patient ids, day sheets, accounts) equal the answers of a rebuild from 0, whatever the tail holds.
    private func checkPartialReads(
        office: TestOffice, store: ViewCheckpointStore, random: inout SeededRandomNumberGenerator, seed: UInt64
    ) throws {
        let schedule = try office.replayer.rebuild(ScheduleView()).view
        let chart = try office.replayer.rebuild(ChartView()).view
        let reader = PartialViewReader(replayer: office.replayer, store: store, tailEventsMax: 100_000)
        guard case .success(let saved) = store.load(ConsentView()) else {
            XCTAssertEqual(try reader.chart(forPatient: EventID(high: 1, low: 1)).isAnswered, false)
            return
        }
        var erasureInTail = false
        _ = try office.replayer.forEachEvent(from: saved.nextPosition) { event in
            if case .patientErased = event.event { erasureInTail = true }
        }
        if erasureInTail {
            // The whole views are opened instead, and rewrite their checkpoints without the patient.
            XCTAssertEqual(try reader.schedule(forDay: 0).isAnswered, false, "seed \(seed)")
            XCTAssertEqual(
                try reader.daySheets(fromDay: 0, throughDay: 0, calendar: OfficeHistoryGenerator.calendar).isAnswered,
                false, "seed \(seed)")
            return
        }
        let days = schedule.providers.values.flatMap { $0.appointments.values }
            .map { ProviderSchedule.day(of: $0.state.startLocalMinutesSince1970) }
        for day in Set(days).shuffled(using: &random).prefix(6) {
            guard case .answered(let partial) = try reader.schedule(forDay: day) else {
                return XCTFail("seed \(seed): no partial schedule for a valid checkpoint")
            }
            for provider in schedule.providerStaffIDs {
                XCTAssertEqual(
                    partial.day(of: provider, daysSince1970: day), schedule.day(of: provider, daysSince1970: day),
                    "seed \(seed): day \(day) of \(provider.value) differs from the rebuild")
            }
        }
        try checkPartialLedgerReads(reader: reader, office: office, random: &random, seed: seed)
        guard case .answered(let ids) = try reader.patientIDs() else { return XCTFail("seed \(seed)") }
        XCTAssertEqual(ids, Set(schedule.patients.keys), "seed \(seed)")
        for patient in Array(schedule.patients.keys).shuffled(using: &random).prefix(6) {
            guard case .answered(let records) = try reader.schedule(forPatient: patient),
                case .answered(let charts) = try reader.chart(forPatient: patient)
            else { return XCTFail("seed \(seed)") }
            XCTAssertEqual(records.patients[patient], schedule.patients[patient], "seed \(seed)")
            XCTAssertEqual(records.patientName(patient), schedule.patientName(patient), "seed \(seed)")
            XCTAssertEqual(charts.lookUp(patient), chart.lookUp(patient), "seed \(seed)")
            XCTAssertEqual(charts.encounters(of: patient), chart.encounters(of: patient), "seed \(seed)")
        }
    }

    /// Day sheets of random days and ranges, and random patients' accounts, read from the ledger checkpoint's parts
    /// caught up with the tail, equal those of a rebuild from 0.
    private func checkPartialLedgerReads(
        reader: PartialViewReader, office: TestOffice, random: inout SeededRandomNumberGenerator, seed: UInt64
    ) throws {
        let calendar = OfficeHistoryGenerator.calendar
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar)).view
        let days = ledger.days.keys.sorted()
        guard let first = days.first, let last = days.last else { return }
        var ranges = [(last, last)]
        for _ in 0..<5 {
            let start = first - 2 + Int64(random.next(below: Int(last - first) + 5))
            ranges.append((start, start + (random.next(below: 3) == 0 ? Int64(random.next(below: 40)) : 0)))
        }
        for (start, end) in ranges {
            guard case .answered(let sheets) = try reader.daySheets(fromDay: start, throughDay: end, calendar: calendar)
            else { return XCTFail("seed \(seed): no partial day sheets for a valid checkpoint") }
            XCTAssertEqual(
                sheets, ledger.daySheets(fromDay: start, throughDay: end),
                "seed \(seed): day sheets \(start)...\(end) differ from the rebuild")
        }
        let allEvents = try office.allEvents()
        for patient in Array(ledger.accounts.keys).shuffled(using: &random).prefix(6) {
            guard case .answered(let account) = try reader.account(forPatient: patient, calendar: calendar) else {
                return XCTFail("seed \(seed): no partial account for a valid checkpoint")
            }
            XCTAssertEqual(account, ledger.accounts[patient], "seed \(seed): an account differs from the rebuild")
            // `clinic` hands this account to the store's billing decisions (`ClinicStore.adoptAccount`): it must be
            // exactly the fold of the patient's account stream.
            let stream = PatientAccount.streamName(for: patient)
            var folded = PatientAccount(patientID: patient)
            for event in allEvents where event.envelope.stream == stream { folded.apply(event.event) }
            XCTAssertEqual(account?.account, folded, "seed \(seed): an account differs from its stream's fold")
        }
        // Aging from the aging index part and the tail's accounts, as of a day inside the history and one long after.
        for asOfDay in [first + Int64(random.next(below: Int(last - first) + 1)), last + 200] {
            guard case .answered(let aging) = try reader.aging(asOfDay: asOfDay, calendar: calendar) else {
                return XCTFail("seed \(seed): no partial aging for a valid checkpoint")
            }
            XCTAssertEqual(aging, ledger.aging(asOfDay: asOfDay), "seed \(seed): aging differs from the rebuild")
        }
        // Every charge and payment found by its id from its group of the index and the tail's accounts, as the
        // rebuild's accounts hold it.
        for kind in LedgerRecordKind.allCases {
            let whole = LedgerOwners(ledger: ledger, kind: kind)
            for group in 0..<LedgerRecordKind.groupCount {
                guard case .answered(let owners) = try reader.owners(of: kind, group: group, calendar: calendar) else {
                    return XCTFail("seed \(seed): no partial owners for a valid checkpoint")
                }
                let digit = String(group, radix: 16)
                XCTAssertEqual(
                    owners.ids(startingWithHexDigits: digit), whole.ids(startingWithHexDigits: digit),
                    "seed \(seed): the \(kind) ids of group \(digit) differ from the rebuild")
                for id in whole.ids(startingWithHexDigits: digit) {
                    XCTAssertEqual(owners.patient(of: id), whole.patient(of: id), "seed \(seed)")
                }
            }
        }
    }

    /// Every day sheet reconciles, every closed day reproduces its closed totals, and the last closing balance is
    /// what all accounts owe.
    private func checkBooks(_ ledger: LedgerView, seed: UInt64) throws {
        let days = ledger.days.keys.sorted()
        guard let first = days.first, let last = days.last else { return XCTFail("seed \(seed): no postings") }
        let sheets = ledger.daySheets(fromDay: first, throughDay: last)
        var closedDays = 0
        var lateEntries = 0
        for sheet in sheets {
            XCTAssertTrue(sheet.reconciles, "seed \(seed): day \(sheet.daysSince1970) does not reconcile")
            if let matches = sheet.matchesClosedTotals {
                closedDays += 1
                XCTAssertTrue(matches, "seed \(seed): closed day \(sheet.daysSince1970) changed after closing")
            }
            lateEntries += sheet.lines.filter(\.entry.isLateEntry).count
        }
        XCTAssertGreaterThan(closedDays, 2, "seed \(seed)")
        XCTAssertGreaterThan(lateEntries, 0, "seed \(seed): the history should hold late entries for closed days")
        XCTAssertEqual(sheets.last?.closingBalanceCents, ledger.officeBalanceCents, "seed \(seed)")
        XCTAssertEqual(ledger.aging(asOfDay: last).balanceCents, ledger.officeBalanceCents, "seed \(seed)")
    }

    /// One patient's chart, consents and account read from the patient's streams only equal the full views'.
    private func checkPerPatientViews(office: TestOffice, rebuilt: OfficeViews, seed: UInt64) throws {
        let replayer = office.replayer
        let calendar = OfficeHistoryGenerator.calendar
        let patients = rebuilt.ledger.view.accounts.keys.sorted().prefix(3)
        for patient in patients {
            let ledger = try replayer.patientView(LedgerView(calendar: calendar), patientID: patient)
            XCTAssertEqual(
                ledger.accounts[patient]?.entries, rebuilt.ledger.view.accounts[patient]?.entries, "seed \(seed)")
            XCTAssertEqual(
                ledger.accounts[patient]?.account, rebuilt.ledger.view.accounts[patient]?.account, "seed \(seed)")
            let consent = try replayer.patientView(ConsentView(), patientID: patient)
            XCTAssertEqual(consent.patients[patient], rebuilt.consent.view.patients[patient], "seed \(seed)")
            let chart = try replayer.patientView(ChartView(), patientID: patient)
            if let full = rebuilt.chart.view.patients[patient], full.record.mergedPatientIDs.isEmpty {
                XCTAssertEqual(chart.patients[patient], full, "seed \(seed)")
            }
        }
    }
}

extension PartialRead {
    /// Whether the read was answered.
    var isAnswered: Bool {
        if case .answered = self { return true }
        return false
    }
}
