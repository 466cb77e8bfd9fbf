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
