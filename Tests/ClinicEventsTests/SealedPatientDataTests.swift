import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicEvents

/// Opening a sealed value in place (`SealedPatientData.open(encoded:for:using:)`, what decoding uses) against reading
/// it first (`init(bytes:)`, then `open(for:using:)`).
final class SealedPatientDataTests: XCTestCase {
    private let random = RandomByteSource(SeededRandomNumberGenerator(seed: 0x5EA1_ED))

    private func openedBothWays(
        _ bytes: [UInt8], for context: PatientDataContext, using key: PatientDataKey
    ) -> (inPlace: Result<[UInt8], PatientDataError>, copied: Result<[UInt8], PatientDataError>) {
        let inPlace: Result<[UInt8], PatientDataError> = bytes.withUnsafeBytes { buffer in
            do throws(PatientDataError) {
                return .success(Array(try SealedPatientData.open(encoded: buffer, for: context, using: key)))
            } catch {
                return .failure(error)
            }
        }
        let copied: Result<[UInt8], PatientDataError>
        do throws(PatientDataError) {
            copied = .success(try SealedPatientData(bytes: bytes).open(for: context, using: key))
        } catch {
            copied = .failure(error)
        }
        return (inPlace, copied)
    }

    func testOpeningInPlaceEqualsOpeningACopy() throws {
        let key = PatientDataKey.make(using: random)
        let otherKey = PatientDataKey.make(using: random)
        let patient = EventID(high: 1, low: 2)
        let context = PatientDataContext(patientID: patient, eventID: EventID(high: 3, low: 4), fieldName: "reason")
        for plaintext in [[], Array("a visit reason".utf8), [UInt8](repeating: 0xE9, count: 300)] {
            let bytes = try SealedPatientData.seal(plaintext, for: context, using: key, random: random).bytes
            let (inPlace, copied) = openedBothWays(bytes, for: context, using: key)
            XCTAssertEqual(inPlace, .success(plaintext))
            XCTAssertEqual(copied, .success(plaintext))
            let contexts = [
                PatientDataContext(patientID: EventID(high: 9, low: 2), eventID: context.eventID, fieldName: "reason"),
                PatientDataContext(patientID: patient, eventID: EventID(high: 3, low: 5), fieldName: "reason"),
                PatientDataContext(patientID: patient, eventID: context.eventID, fieldName: "text"),
            ]
            for other in contexts {
                let (inPlace, copied) = openedBothWays(bytes, for: other, using: key)
                XCTAssertEqual(inPlace, copied)
                XCTAssertNotEqual(inPlace, .success(plaintext))
            }
            let wrong = openedBothWays(bytes, for: context, using: otherKey)
            XCTAssertEqual(wrong.inPlace, wrong.copied)
            XCTAssertEqual(wrong.inPlace, .failure(.wrongKey))
        }
    }

    func testDamagedValuesFailInPlaceAsWhenCopied() throws {
        let key = PatientDataKey.make(using: random)
        let context = PatientDataContext(
            patientID: EventID(high: 7, low: 8), eventID: EventID(high: 5, low: 6), fieldName: "identity")
        let bytes = try SealedPatientData.seal(Array("Doe".utf8), for: context, using: key, random: random).bytes
        var damaged: [[UInt8]] = (0..<bytes.count).map { Array(bytes.prefix($0)) }
        for index in bytes.indices {
            var copy = bytes
            copy[index] ^= 0x01
            damaged.append(copy)
        }
        damaged.append([0x02] + bytes.dropFirst())
        for value in damaged {
            let (inPlace, copied) = openedBothWays(value, for: context, using: key)
            XCTAssertEqual(inPlace, copied)
            if case .success = inPlace { XCTFail("a damaged value opened") }
        }
    }
}
