import ClinicEvents
import ClinicProjections
import Crypto
import RecordLog
import RecordLogTesting
import Synchronization
import XCTest

/// What every view shares: the state hash taken piece by piece is the hash of the whole encoding, the parts come in
/// key order, and the office views' decoder opens patient data only where a view shows it, giving the same views.
final class ProjectionTests: XCTestCase {
    private let calendar = OfficeHistoryGenerator.calendar

    private func makeOffice(events: Int, seed: UInt64, sealed: Bool = false) throws -> TestOffice {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
        if sealed {
            let random = RandomByteSource(SeededRandomNumberGenerator(seed: seed))
            let masterKey = try MasterKey(keyMaterial: random.bytes(count: 32))
            office.sealer = PatientDataSealer(
                keyring: PatientKeyring(masterKey: masterKey, random: random), random: random)
        }
        office.bufferedAppendsMax = 20
        var generator = OfficeHistoryGenerator(office: office, seed: seed)
        try generator.run(eventCount: events) { _ in }
        try office.flush()
        return office
    }

    /// Checks that `view`'s flushing encoding, drained at every flush, is its state bytes, and its hash their hash.
    private func checkFlushedEncoding<View: Projection>(
        _ view: View, file: StaticString = #filePath, line: UInt = #line
    ) {
        var drained: [UInt8] = []
        var flushes = 0
        var encoder = BinaryEncoder()
        view.encodeState(into: &encoder) { encoder in
            drained += encoder.bytes
            encoder = BinaryEncoder()
            flushes += 1
        }
        drained += encoder.bytes
        XCTAssertEqual(drained, view.stateBytes, "\(View.viewName)", file: file, line: line)
        XCTAssertGreaterThan(flushes, 10, "\(View.viewName)", file: file, line: line)
        XCTAssertEqual(view.stateHash, Array(SHA256.hash(data: view.stateBytes)), file: file, line: line)
    }

    func testTheStateHashIsTheHashOfTheWholeEncodingTakenPieceByPiece() throws {
        let office = try makeOffice(events: 1200, seed: 2)
        let views = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        checkFlushedEncoding(views.schedule.view)
        checkFlushedEncoding(views.ledger.view)
        checkFlushedEncoding(views.chart.view)
        checkFlushedEncoding(views.consent.view)
    }

    func testThePartsComeInKeyOrderAndAreThePartsEncoded() throws {
        let office = try makeOffice(events: 800, seed: 3)
        let views = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        func check<View: Projection>(_ view: View) {
            let keys = view.stateParts().map(\.key)
            XCTAssertEqual(keys, keys.sorted(), "\(View.viewName)")
            XCTAssertEqual(Set(keys).count, keys.count, "\(View.viewName)")
            XCTAssertEqual(Set(view.encodeParts().keys), Set(keys), "\(View.viewName)")
            for part in view.stateParts() { XCTAssertEqual(part.encode(), view.encodeParts()[part.key]) }
        }
        check(views.schedule.view)
        check(views.ledger.view)
        check(views.chart.view)
        check(views.consent.view)
        XCTAssertEqual(views.consent.view.stateParts().map(\.key), [ViewParts.wholeStateKey])
    }

    func testTheLedgersAccountsAreCutInto4096GroupsByTheFirst12BitsOfThePatientID() throws {
        XCTAssertEqual(LedgerView.accountPartKey(of: EventID(high: 0xABCD_0000_0000_0000, low: 7)), "accounts.abc")
        XCTAssertEqual(LedgerView.accountPartKey(of: EventID(high: 0x001F_FFFF_FFFF_FFFF, low: 0)), "accounts.001")
        XCTAssertEqual(LedgerView.accountPartKey(of: EventID(high: 0, low: .max)), "accounts.000")
        XCTAssertEqual(LedgerView.accountPartKey(of: EventID(high: .max, low: 0)), "accounts.fff")
        XCTAssertEqual(LedgerView.encounterPartKey(of: EventID(high: 0xABCD_0000_0000_0000, low: 7)), "encounters.ab")
        let office = try makeOffice(events: 800, seed: 3)
        let ledger = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar).ledger.view
        let accountParts = ledger.stateParts().map(\.key).filter { $0.hasPrefix("accounts.") }
        XCTAssertEqual(Set(accountParts), Set(ledger.accounts.keys.map(LedgerView.accountPartKey(of:))))
    }

    /// On a log whose patient data is sealed, with vitals and a payer written to streams where no view reads other
    /// patient data, the office views' decoder gives the views of a decoder that opens everything, while decrypting
    /// no billing event; a decoder that opens nothing gives other views.
    func testTheOfficeViewsDecoderOpensOnlyWhatAViewShows() throws {
        let office = try makeOffice(events: 1500, seed: 4, sealed: true)
        // A patient the chart shows (not erased).
        let patient = try XCTUnwrap(try office.replayer.rebuild(ChartView()).view.patients.keys.sorted().first)
        let vitals = try VitalsRecorded(
            patientID: patient, encounterID: itemID(990),
            measurements: [try VitalSign(kind: .heartRate, valueThousandths: 72_000)])
        try office.append(.vitalsRecorded(vitals), to: PatientAccount.streamName(for: patient), by: staff("ma-1"))
        try office.append(
            .payerDefined(try PayerDefined(payerID: itemID(991), name: "Prairie Mutual", type: .commercial)),
            to: "office-payers")
        try office.flush()

        let opened = Mutex<[UInt64]>([])
        let opening = office.openingDecoder
        let countingOpening = StoredEventDecoder(
            decodeView: { view in
                opened.withLock { $0.append(view.position) }
                return try opening.decode(view)
            },
            decodeRecord: { try opening.decode($0) })
        let selective = StoredEventDecoder.officeViews(
            opening: countingOpening, withholding: StoredEventDecoder(codec: office.codec))
        let reference = try OfficeViews.open(
            replayer: office.replayer(parallelFoldEventsMin: .max, decoder: opening), store: nil, calendar: calendar)
        let views = try OfficeViews.open(
            replayer: office.replayer(parallelFoldEventsMin: 0, decoder: selective), store: nil, calendar: calendar)
        XCTAssertEqual(views.stateHashes, reference.stateHashes)
        XCTAssertEqual(views.chart.view.patients[patient]?.vitals.last?.recorded, vitals)
        let withheld = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        XCTAssertNotEqual(withheld.chart.view.stateHash, reference.chart.view.stateHash, "the log holds no sealed data")
        XCTAssertEqual(withheld.ledger.view.stateHash, reference.ledger.view.stateHash)

        // Which events were opened: every one of the streams a view shows patient data of, the vitals in the account
        // stream, and no other.
        let openedPositions = Set(opened.withLock { $0 })
        var accountEvents = 0
        for record in try office.reader.records() {
            let event = try office.codec.decodeStored(record)
            let stream = record.stream
            let shown = ["patient-", "chart-", "coverage-", "consent-", "schedule-"].contains { stream.hasPrefix($0) }
            if stream.hasPrefix("account-") { accountEvents += 1 }
            let vitalsInAccount =
                stream.hasPrefix("account-") && event.envelope.eventType == VitalsRecorded.eventType
            let expected = shown || (event.patientDataWithheld && vitalsInAccount)
            XCTAssertEqual(openedPositions.contains(record.position), expected, "\(stream) \(event.envelope.eventType)")
        }
        XCTAssertGreaterThan(accountEvents, 100)
    }
}
