import XCTest

@testable import RecordLog

final class EventIDTableTests: XCTestCase {
    func testItAgreesWithADictionaryOnRandomAndSequentialIDs() {
        var generator = SeededGenerator(seed: 11)
        var ids = (0..<5_000).map { _ in EventID.random(using: &generator) }
        ids += (0..<5_000).map { EventID(high: 0, low: UInt64($0)) }
        ids += (0..<5_000).map { EventID(high: UInt64($0) << 32, low: 0) }
        var table = EventIDTable()
        var reference: [EventID: UInt64] = [:]
        for (position, id) in ids.enumerated() {
            XCTAssertEqual(table.insert(id, position: UInt64(position)), reference[id])
            if reference[id] == nil { reference[id] = UInt64(position) }
        }
        XCTAssertEqual(table.count, reference.count)
        for (id, position) in reference { XCTAssertEqual(table[id], position) }
        XCTAssertNil(table[EventID(high: 99, low: 99)])
        XCTAssertEqual(Set(table.entries.map(\.id)), Set(reference.keys))
    }

    func testEqualityIgnoresInsertionOrderAndCapacity() {
        var first = EventIDTable()
        var second = EventIDTable(minimumCapacity: 1_000)
        for number in 0..<100 { first.insert(EventID(high: 1, low: UInt64(number)), position: UInt64(number)) }
        for number in (0..<100).reversed() {
            second.insert(EventID(high: 1, low: UInt64(number)), position: UInt64(number))
        }
        XCTAssertEqual(first, second)
        second.insert(EventID(high: 2, low: 0), position: 5)
        XCTAssertNotEqual(first, second)
    }
}
