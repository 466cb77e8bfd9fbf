import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// The writer looks up the sealed segments' streams and event ids in their index files only when an append needs
/// them: opening reads one index header per sealed segment, and the answers equal what a full scan gives.
final class LogWriterTests: XCTestCase {
    private let directory = "/clinic/log"
    private let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())

    private func open(_ fileSystem: any FileSystem) throws -> RecordLog {
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// A closed log of many sealed segments: 200 events over 9 streams, every third one incompressible.
    private func makeClosedLog(_ fileSystem: SimulatedFileSystem) throws -> [AppendEvent] {
        let log = try open(fileSystem)
        var events: [AppendEvent] = []
        for number in 0..<200 {
            let event = number % 3 == 2 ? makeIncompressibleEvent(number, payloadBytes: 250) : makeEvent(number)
            _ = try log.appendAndWait(single("stream-\(number % 9)", .any, event))
            events.append(event)
        }
        log.close()
        return events
    }

    private func lastVersions(_ fileSystem: any FileSystem) throws -> [String: UInt64] {
        var versions: [String: UInt64] = [:]
        for record in try LogReader(directory: directory, fileSystem: fileSystem).records() {
            versions[record.stream] = record.streamVersion
        }
        return versions
    }

    func testOpeningReadsOnlyTheHeadersOfTheSealedIndexes() throws {
        let simulated = SimulatedFileSystem(seed: 11)
        _ = try makeClosedLog(simulated)
        let sealed = try Manifest.decode(XCTUnwrap(simulated.contents(of: path(Manifest.fileName)))).get().sealed
        XCTAssertGreaterThan(sealed.count, 10)
        let manifest = try Manifest.decode(XCTUnwrap(simulated.contents(of: path(Manifest.fileName)))).get()
        let activeIndex = try XCTUnwrap(simulated.contents(of: path(SegmentFile.indexName(base: manifest.activeBase))))
        let activeHeader = try activeIndex.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        let counting = CountingFileSystem(simulated)
        let log = try open(counting)
        defer { log.close() }
        XCTAssertEqual(
            counting.bytesRead(of: path(SegmentFile.indexName(base: manifest.activeBase))),
            IndexFileHeader.byteCount + activeHeader.part(2).count + activeHeader.part(5).count,
            "of the active segment's index: the header, the sparse entries and the event filter")
        for segment in sealed {
            XCTAssertEqual(
                counting.bytesRead(of: path(SegmentFile.indexName(base: segment.basePosition))),
                IndexFileHeader.byteCount, "segment \(segment.basePosition)")
            XCTAssertEqual(counting.bytesRead(of: path(SegmentFile.name(base: segment.basePosition))), 0)
        }
    }

    func testStreamVersionsOfSealedSegmentsAreLookedUpWhenAnAppendNeedsThem() throws {
        let fileSystem = SimulatedFileSystem(seed: 12)
        let events = try makeClosedLog(fileSystem)
        let versions = try lastVersions(fileSystem)
        let log = try open(fileSystem)
        for (stream, version) in versions {
            XCTAssertEqual(log.version(of: stream), version, stream)
            XCTAssertEqual(try log.streamVersion(of: stream), version, stream)
        }
        XCTAssertEqual(log.version(of: "stream-unknown"), 0)
        // Appends that expect the sealed streams' versions go through; a stale expectation is refused.
        for number in 0..<9 {
            let stream = "stream-\(number)"
            let result = try log.appendAndWait(single(stream, .exactly(versions[stream]!), makeEvent(1_000 + number)))
            XCTAssertEqual(result.streamVersions, [versions[stream]! + 1])
        }
        XCTAssertThrowsError(
            try log.appendAndWait(single("stream-4", .exactly(versions["stream-4"]!), makeEvent(2_000))))
        _ = try log.appendAndWait(single("stream-new", .noStream, makeEvent(2_001)))
        // Retries of events stored in the oldest segments are answered as stored.
        for number in [0, 1, 57, 130] {
            let result = try log.appendAndWait(single("stream-\(number % 9)", .any, events[number]))
            XCTAssertTrue(result.alreadyStored, "event \(number)")
        }
        log.close()
        XCTAssertTrue(try LogVerifier(directory: directory, fileSystem: fileSystem).verify().isValid)
    }

    func testTheFirstIdLookedUpInASealedSegmentIsProbedInPiecesAndTheSecondKeepsTheFilter() throws {
        let simulated = SimulatedFileSystem(seed: 15)
        let events = try makeClosedLog(simulated)
        let counting = CountingFileSystem(simulated)
        var recovery = Recovery(directory: directory, fileSystem: counting, configuration: configuration)
        let writer = LogWriter(
            directory: directory, fileSystem: counting, configuration: configuration, state: try recovery.recover())
        defer { writer.close() }
        let sealed = writer.state.manifest.sealed
        let readAtOpen = sealed.map { counting.bytesRead(of: path(SegmentFile.indexName(base: $0.basePosition))) }
        let fresh = EventID(high: 0xABCD, low: 1)
        XCTAssertNil(try writer.storedPosition(of: fresh))
        XCTAssertNil(try writer.storedPosition(of: fresh), "the same id again is answered from the kept answer")
        for (number, segment) in sealed.enumerated() {
            let name = path(SegmentFile.indexName(base: segment.basePosition))
            let file = try XCTUnwrap(simulated.contents(of: name))
            let header = try file.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
            let filter = try XCTUnwrap(try IndexFileView.open(simulated.open(name, mode: .readOnly))).eventFilter(
                from: simulated.open(name, mode: .readOnly))
            XCTAssertEqual(
                writer.state.sealedEventFilters[segment.basePosition],
                .probed(
                    hash: BloomFilter.hash(fresh),
                    mayContain: try XCTUnwrap(filter).mayContain(hash: BloomFilter.hash(fresh))))
            // The header (read by the look-up's view) and the filter part once; no event table for an absent id
            // unless the filter answers maybe.
            let read = counting.bytesRead(of: name) - readAtOpen[number]
            XCTAssertGreaterThanOrEqual(read, IndexFileHeader.byteCount + header.part(5).count)
        }
        // A second distinct id reads each filter whole and keeps it; stored ids are still found in every segment.
        XCTAssertNil(try writer.storedPosition(of: EventID(high: 0xABCD, low: 2)))
        for segment in sealed {
            guard case .loaded = writer.state.sealedEventFilters[segment.basePosition] else {
                return XCTFail("segment \(segment.basePosition): the filter is kept after a second id")
            }
        }
        for (number, event) in events.enumerated() {
            XCTAssertEqual(try writer.storedPosition(of: event.eventID), UInt64(number), "event \(number)")
        }
    }

    func testAnIdProbedInADamagedEventFilterRebuildsTheIndexAndIsFound() throws {
        let fileSystem = SimulatedFileSystem(seed: 16)
        let events = try makeClosedLog(fileSystem)
        let manifest = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get()
        let first = manifest.sealed[0]
        let name = path(SegmentFile.indexName(base: first.basePosition))
        var bytes = try XCTUnwrap(fileSystem.contents(of: name))
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        bytes[Int(header.part(5).upperBound) - 6] ^= 0x01
        fileSystem.setContents(bytes, of: name)
        var recovery = Recovery(directory: directory, fileSystem: fileSystem, configuration: configuration)
        let writer = LogWriter(
            directory: directory, fileSystem: fileSystem, configuration: configuration, state: try recovery.recover())
        defer { writer.close() }
        XCTAssertEqual(try writer.storedPosition(of: events[0].eventID), 0)
        guard case .loaded = writer.state.sealedEventFilters[first.basePosition] else {
            return XCTFail("the rebuilt index's filter is kept")
        }
        XCTAssertNotNil(try SegmentIndex.decode(XCTUnwrap(fileSystem.contents(of: name))).get(), "the file is rebuilt")
    }

    func testAWriterLookUpThatFindsADamagedIndexPartRebuildsTheIndexFile() throws {
        let fileSystem = SimulatedFileSystem(seed: 13)
        let events = try makeClosedLog(fileSystem)
        let versions = try lastVersions(fileSystem)
        let manifest = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get()
        // Damage the stream directory of every sealed index, and the event filter of the first one.
        for (number, segment) in manifest.sealed.enumerated() {
            let name = path(SegmentFile.indexName(base: segment.basePosition))
            var bytes = try XCTUnwrap(fileSystem.contents(of: name))
            let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
            bytes[Int(header.part(3).lowerBound)] ^= 0x01
            if number == 0 { bytes[Int(header.part(5).lowerBound) + 9] ^= 0x01 }
            fileSystem.setContents(bytes, of: name)
        }
        let log = try open(fileSystem)
        XCTAssertEqual(log.recoveryReport.rebuiltIndexes, [], "opening reads only the headers")
        XCTAssertEqual(log.version(of: "stream-5"), versions["stream-5"])
        XCTAssertTrue(try log.appendAndWait(single("stream-0", .any, events[0])).alreadyStored)
        log.close()
        let rewritten = try manifest.sealed.filter { segment in
            let bytes = try XCTUnwrap(fileSystem.contents(of: path(SegmentFile.indexName(base: segment.basePosition))))
            return (try? SegmentIndex.decode(bytes).get()) != nil
        }
        XCTAssertFalse(rewritten.isEmpty, "the indexes the look-ups needed were rebuilt")
        XCTAssertTrue(rewritten.contains { $0.basePosition == manifest.sealed[0].basePosition })
        let reopened = try open(fileSystem)
        defer { reopened.close() }
        for (stream, version) in versions { XCTAssertEqual(reopened.version(of: stream), version, stream) }
    }

    func testTheActiveSegmentsStreamsAndEventsAreFoundWhenItsIndexFileIsDamagedAfterOpen() throws {
        let fileSystem = SimulatedFileSystem(seed: 14)
        let events = try makeClosedLog(fileSystem)
        let versions = try lastVersions(fileSystem)
        let manifest = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get()
        let name = path(SegmentFile.indexName(base: manifest.activeBase))
        let log = try open(fileSystem)
        defer { log.close() }
        // The stream directory and the event table of the file the writer started from are damaged after it opened.
        var bytes = try XCTUnwrap(fileSystem.contents(of: name))
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        bytes[Int(header.part(3).lowerBound)] ^= 0x01
        bytes[Int(header.part(6).lowerBound)] ^= 0x01
        fileSystem.setContents(bytes, of: name)
        for (stream, version) in versions { XCTAssertEqual(try log.streamVersion(of: stream), version, stream) }
        let last = try XCTUnwrap(events.last)
        XCTAssertTrue(try log.appendAndWait(single("stream-\((events.count - 1) % 9)", .any, last)).alreadyStored)
    }
}
