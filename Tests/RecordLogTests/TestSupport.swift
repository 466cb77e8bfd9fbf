import Foundation
import Logging
import RecordLogTesting
import XCTest

@testable import RecordLog

/// A fresh directory under the system temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ testCase: XCTestCase) -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("cliniclog-\(UUID().uuidString)").path
    testCase.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

let quietLogger = Logger(label: "cliniclog.tests") { _ in SwiftLogNoOpLogHandler() }

/// A deterministic generator for test data.
typealias SeededGenerator = SeededRandomNumberGenerator

/// A clock the test moves by hand.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var microseconds: Int64

    init(microseconds: Int64 = 1_764_000_000_000_000) { self.microseconds = microseconds }

    func nowMicroseconds() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        microseconds += 1
        return microseconds
    }

    func set(_ value: Int64) {
        lock.lock()
        microseconds = value
        lock.unlock()
    }
}

/// A fixed source of log ids.
struct FixedRandomSource: RandomSource {
    func bytes(count: Int) -> [UInt8] { (0..<count).map { UInt8($0 &* 7 &+ 1) } }
}

func makeConfiguration(
    segmentBytesMax: Int64 = 64 << 10, preallocate: Bool = true, clock: any WallClock = TestClock(),
    limits: LogLimits = LogLimits(), lockTimeoutMilliseconds: Int = 0
) -> LogConfiguration {
    LogConfiguration(
        segmentBytesMax: segmentBytesMax, preallocateSegments: preallocate, indexIntervalBytes: 512, limits: limits,
        lockTimeoutMilliseconds: lockTimeoutMilliseconds, clock: clock, logger: quietLogger)
}

/// An event with a deterministic id and a payload that compresses like a real event.
func makeEvent(_ number: Int, payloadBytes: Int = 60) -> AppendEvent {
    let text = Array("event \(number) of a clinic's day, with some repeated words words words ".utf8)
    let payload = (0..<payloadBytes).map { text[$0 % text.count] }
    return AppendEvent(
        eventID: EventID(high: 0xC11A_1C00_0000_0000 | UInt64(number), low: UInt64(number) &* 31), payload: payload)
}

func single(_ stream: String, _ expected: ExpectedVersion = .any, _ events: AppendEvent...) -> [StreamAppend] {
    [StreamAppend(stream: stream, expectedVersion: expected, events: events)]
}

/// Appends `count` events spread over `streams` streams, one append each, and returns what was appended.
@discardableResult
func appendMany(_ log: RecordLog, count: Int, streams: Int = 7, startingAt first: Int = 0) throws -> [AppendEvent] {
    var events: [AppendEvent] = []
    for number in first..<first + count {
        let event = makeEvent(number)
        _ = try log.appendAndWait(single("stream-\(number % streams)", .any, event))
        events.append(event)
    }
    return events
}

/// An event whose payload does not compress, so a few of them fill a small segment.
func makeIncompressibleEvent(_ number: Int, payloadBytes: Int = 400) -> AppendEvent {
    var generator = SeededGenerator(seed: UInt64(number))
    let payload = (0..<payloadBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return AppendEvent(
        eventID: EventID(high: 0xDA7A_0000_0000_0000 | UInt64(number), low: UInt64(number)), payload: payload)
}
