import RecordLog
import XCTest

@testable import ClinicEvents

final class BinaryCodecTests: XCTestCase {
    private func encoded(_ write: (inout BinaryEncoder) -> Void) -> [UInt8] {
        var encoder = BinaryEncoder()
        write(&encoder)
        return encoder.bytes
    }

    private func decodeError(_ bytes: [UInt8], _ read: (inout BinaryDecoder) throws -> Void) -> EventDecodingError? {
        do {
            try BinaryDecoder.decode(bytes, read)
            return nil
        } catch let error as EventDecodingError {
            return error
        } catch {
            XCTFail("untyped error \(error)")
            return nil
        }
    }

    func testVarUIntKnownVectors() throws {
        XCTAssertEqual(encoded { $0.writeVarUInt(0) }, [0x00])
        XCTAssertEqual(encoded { $0.writeVarUInt(127) }, [0x7F])
        XCTAssertEqual(encoded { $0.writeVarUInt(128) }, [0x80, 0x01])
        XCTAssertEqual(encoded { $0.writeVarUInt(300) }, [0xAC, 0x02])
        let maximumBytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(encoded { $0.writeVarUInt(UInt64.max) }, maximumBytes)
        let maximum = try BinaryDecoder.decode(maximumBytes) { try $0.readVarUInt(field: "x") }
        XCTAssertEqual(maximum, UInt64.max)
    }

    func testZigzagKnownVectorsAndExtremes() throws {
        XCTAssertEqual(encoded { $0.writeVarInt(0) }, [0x00])
        XCTAssertEqual(encoded { $0.writeVarInt(-1) }, [0x01])
        XCTAssertEqual(encoded { $0.writeVarInt(1) }, [0x02])
        XCTAssertEqual(encoded { $0.writeVarInt(-2) }, [0x03])
        for value in [Int64.min, Int64.max, -64, 63, -65, 64] {
            let bytes = encoded { $0.writeVarInt(value) }
            XCTAssertEqual(try BinaryDecoder.decode(bytes) { try $0.readVarInt(field: "x") }, value)
        }
    }

    func testFixedWidthIntegersAreLittleEndian() throws {
        XCTAssertEqual(encoded { $0.writeFixedUInt32(0x0102_0304) }, [4, 3, 2, 1])
        XCTAssertEqual(encoded { $0.writeFixedInt64(-2) }, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        let bytes = encoded { $0.writeFixedUInt64(0x0102_0304_0506_0708) }
        XCTAssertEqual(bytes, [8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(try BinaryDecoder.decode(bytes) { try $0.readFixedUInt64(field: "x") }, 0x0102_0304_0506_0708)
    }

    func testEventIDIsWrittenInTheOrderOfItsBytes() throws {
        let id = EventID(high: 0x0011_2233_4455_6677, low: 0x8899_AABB_CCDD_EEFF)
        let bytes = encoded { $0.writeEventID(id) }
        XCTAssertEqual(bytes, id.bytes)
        XCTAssertEqual(try BinaryDecoder.decode(bytes) { try $0.readEventID(field: "x") }, id)
    }

    func testStringsOptionalsAndArraysRoundTrip() throws {
        let bytes = encoded { encoder in
            encoder.writeString("Zoë 李")
            encoder.writeOptional(String?.none) { $0.writeString($1) }
            encoder.writeOptional("x") { $0.writeString($1) }
            encoder.writeArray([1, 2, 300] as [UInt64]) { $0.writeVarUInt($1) }
            encoder.writeBytes([9, 8])
            encoder.writeBool(true)
        }
        try BinaryDecoder.decode(bytes) { decoder in
            XCTAssertEqual(try decoder.readString(field: "a", byteCountMax: 16), "Zoë 李")
            XCTAssertNil(try decoder.readOptional(field: "b") { try $0.readString(field: "b", byteCountMax: 1) })
            XCTAssertEqual(try decoder.readOptional(field: "c") { try $0.readString(field: "c", byteCountMax: 1) }, "x")
            let array = try decoder.readArray(field: "d", countMax: 3) { try $0.readVarUInt(field: "d") }
            XCTAssertEqual(array, [1, 2, 300])
            XCTAssertEqual(Array(try decoder.readBytes(field: "e", byteCountMax: 2)), [9, 8])
            XCTAssertTrue(try decoder.readBool(field: "f"))
        }
    }

    func testOverlongAndNonMinimalVarintsAreRefused() {
        let eleven = [UInt8](repeating: 0x80, count: 10) + [0x01]
        XCTAssertEqual(decodeError(eleven) { _ = try $0.readVarUInt(field: "n") }?.kind, .overlongVarint)
        let tenthTooBig = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        XCTAssertEqual(decodeError(tenthTooBig) { _ = try $0.readVarUInt(field: "n") }?.kind, .overlongVarint)
        XCTAssertEqual(decodeError([0x80, 0x00]) { _ = try $0.readVarUInt(field: "n") }?.kind, .overlongVarint)
        XCTAssertEqual(decodeError([0x80 | 5, 0x00]) { _ = try $0.readVarUInt(field: "n") }?.kind, .overlongVarint)
    }

    func testTruncationIsLocated() {
        let error = decodeError([0x05, 0x61, 0x62]) { _ = try $0.readString(field: "familyName", byteCountMax: 16) }
        XCTAssertEqual(error, EventDecodingError(.truncated, field: "familyName", offset: 0))
        XCTAssertEqual(decodeError([0x80]) { _ = try $0.readVarUInt(field: "n") }?.kind, .truncated)
        XCTAssertEqual(decodeError([1, 2, 3]) { _ = try $0.readFixedUInt32(field: "n") }?.kind, .truncated)
        XCTAssertEqual(decodeError([]) { _ = try $0.readEventID(field: "n") }?.kind, .truncated)
    }

    func testLimitsAndFlagsAreEnforced() {
        XCTAssertEqual(
            decodeError([0x03, 0x61, 0x62, 0x63]) { _ = try $0.readString(field: "s", byteCountMax: 2) }?.kind,
            .countAboveLimit(limit: 2))
        XCTAssertEqual(
            decodeError([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) {
                _ = try $0.readArray(field: "a", countMax: 1 << 40) {
                    try $0.readVarUInt(field: "a")
                }
            }?.kind, .truncated)
        XCTAssertEqual(decodeError([0x02]) { _ = try $0.readBool(field: "b") }?.kind, .invalidFlagByte)
        XCTAssertEqual(
            decodeError([0x07, 0x00]) { _ = try $0.readOptional(field: "o") { _ in 0 } }?.kind, .invalidFlagByte)
    }

    func testInvalidUTF8IsRefused() {
        let afterASCII = Array("abcdefghijk".utf8)
        for invalid: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], afterASCII + [0x80]] {
            let bytes = [UInt8(invalid.count)] + invalid
            XCTAssertEqual(
                decodeError(bytes) { _ = try $0.readString(field: "s", byteCountMax: 16) }?.kind, .invalidUTF8)
        }
    }

    func testTrailingBytesAreRefused() {
        let error = decodeError([0x01, 0x02]) { _ = try $0.readVarUInt(field: "n") }
        XCTAssertEqual(error, EventDecodingError(.trailingBytes(count: 1), field: "end", offset: 1))
    }

    /// An ASCII string of every length up to 40 bytes (inline, then on the heap) is made in place the same as
    /// `String(decoding:as:)` makes it: equal, with the same bytes and the same hash.
    func testASCIIStringsAreMadeAsDecodingMakesThem() {
        for count in 0...40 {
            let bytes = (0..<count).map { UInt8(0x20 + ($0 * 7 + count) % 0x5F) }
            let made = bytes.withUnsafeBytes { BinaryDecoder.makeString(ascii: $0) }
            let decoded = String(decoding: bytes, as: UTF8.self)
            XCTAssertEqual(made, decoded, "length \(count)")
            XCTAssertEqual(Array(made.utf8), bytes, "length \(count)")
            XCTAssertEqual(made.hashValue, decoded.hashValue, "length \(count)")
            XCTAssertEqual(bytes.withUnsafeBytes { BinaryDecoder.makeStringIfValid($0) }, decoded, "length \(count)")
        }
        let invalid: [[UInt8]] = [[0x80], [0x61, 0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80]]
        for bytes in invalid {
            XCTAssertNil(bytes.withUnsafeBytes { BinaryDecoder.makeStringIfValid($0) }, "\(bytes)")
        }
        let accented = Array("zoë-ø-患者".utf8)
        XCTAssertEqual(accented.withUnsafeBytes { BinaryDecoder.makeStringIfValid($0) }, "zoë-ø-患者")
    }

    /// A sealed string's largest sealed value is computed without making the (boxed) field kind, to the same bound.
    func testASealedStringBoundIsTheKindsBound() {
        for byteCountMax in [0, 1, 127, 128, 256, 1_024, 16_383, 16_384, 65_536] {
            XCTAssertEqual(
                SealedPatientData.overheadByteCount + FieldKind.stringEncodedByteCountMax(byteCountMax: byteCountMax),
                FieldKind.string(byteCountMax: byteCountMax).sealedByteCountMax, "\(byteCountMax)")
        }
    }

    /// Strings of every length up to 40 bytes: all ASCII they decode as written; one byte 0x80 or above anywhere
    /// (the ASCII check reads whole words, overlapping at the end) is found: a lone continuation byte is refused as
    /// invalid UTF-8 and a two-byte character decodes as written.
    func testEveryNonASCIIBytePositionIsFound() throws {
        for count in 0...40 {
            let ascii = (0..<count).map { UInt8(0x41 + $0 % 26) }
            let plain = encoded { $0.writeVarUInt(UInt64(count)) } + ascii
            XCTAssertEqual(
                try BinaryDecoder.decode(plain) { try $0.readString(field: "s", byteCountMax: 64) },
                String(decoding: ascii, as: UTF8.self))
            for position in 0..<count {
                var lone = ascii
                lone[position] = 0x80
                let loneBytes = encoded { $0.writeVarUInt(UInt64(count)) } + lone
                XCTAssertEqual(
                    decodeError(loneBytes) { _ = try $0.readString(field: "s", byteCountMax: 64) }?.kind, .invalidUTF8,
                    "length \(count), position \(position)")
                guard position + 1 < count else { continue }
                var accented = ascii
                accented[position] = 0xC3
                accented[position + 1] = 0xA9
                let accentedBytes = encoded { $0.writeVarUInt(UInt64(count)) } + accented
                XCTAssertEqual(
                    try BinaryDecoder.decode(accentedBytes) { try $0.readString(field: "s", byteCountMax: 64) },
                    String(decoding: accented, as: UTF8.self))
            }
        }
    }
}
