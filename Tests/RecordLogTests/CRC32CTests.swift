import XCTest

@testable import RecordLog

final class CRC32CTests: XCTestCase {
    func testCheckValueOfTheStandardInput() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testKnownVectorsFromRFC3720() {
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }), 0x113F_DB5C)
    }

    func testUpdateContinuesAChecksumAtEverySplit() {
        var generator = SeededGenerator(seed: 5)
        let bytes = (0..<301).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let first = CRC32C.checksum(Array(bytes[0..<split]))
            let continued = bytes[split...].withUnsafeBytes { CRC32C.update(first, $0) }
            XCTAssertEqual(continued, whole, "split at \(split)")
        }
    }

    func testTheHardwareAndTablePathsAgree() {
        var generator = SeededGenerator(seed: 9)
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for start: UInt32 in [0, 0xDEAD_BEEF] {
                let tables = bytes.withUnsafeBytes { CRC32C.updateWithTables(start, $0) }
                XCTAssertEqual(bytes.withUnsafeBytes { CRC32C.update(start, $0) }, tables, "length \(length)")
            }
        }
        XCTAssertEqual(Array("123456789".utf8).withUnsafeBytes { CRC32C.updateWithTables(0, $0) }, 0xE306_9283)
    }

    /// The hardware path runs three streams over blocks of 8192 and then 256 bytes and combines them: every length
    /// around those block sizes, at every alignment, must give the table path's value.
    func testTheInterleavedHardwarePathAgreesAroundItsBlockSizesAndAlignments() {
        var generator = SeededGenerator(seed: 11)
        let bytes = (0..<(3 * 8192 * 2 + 3 * 256 + 64)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let lengths = [
            767, 768, 769, 3 * 256 + 7, 2 * 768, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 3 * 8192 + 768 + 9,
            2 * 3 * 8192, 2 * 3 * 8192 + 3 * 256 + 15,
        ]
        bytes.withUnsafeBytes { all in
            for length in lengths {
                for start in 0..<9 where start + length <= all.count {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
                    for crc: UInt32 in [0, 0x1234_5678] {
                        XCTAssertEqual(
                            CRC32C.update(crc, slice), CRC32C.updateWithTables(crc, slice),
                            "length \(length) from \(start)")
                    }
                }
            }
        }
    }
}
