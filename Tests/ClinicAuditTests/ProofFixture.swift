import ClinicAudit
import ClinicEvents
import Foundation
import XCTest

@testable import RecordLog

/// Proof documents made from a real log, of every kind, including trees of awkward sizes (1, powers of two, one
/// past a power of two) signed for the test.
struct ProofFixture {
    let log: ClinicLogFixture
    let issuer: ProofIssuer
    /// Checkpoints signed over the log at chosen sizes, by size.
    let signed: [UInt64: SignedCheckpoint]

    init(_ testCase: XCTestCase) throws {
        log = try ClinicLogFixture.make(testCase)
        issuer = ProofIssuer(reader: log.reader)
        var signed: [UInt64: SignedCheckpoint] = [:]
        let reader = log.reader
        for size: UInt64 in [1, 2, 3, 32, 33, 64, 65, 101] {
            signed[size] = try ClinicLogFixture.signer.sign(
                treeSize: size, timeMicroseconds: 1_764_590_000_000_000 + Int64(size),
                root: try reader.root(treeSize: size),
                logID: log.exported.logID)
        }
        self.signed = signed
    }

    /// Named documents of every kind, all valid.
    func documents() throws -> [(name: String, json: JSONValue)] {
        var documents: [(String, JSONValue)] = []
        documents.append(("checkpoint", CheckpointDocument(log.exported).json))
        for (size, position) in [(101, 0), (101, 31), (101, 32), (101, 100), (1, 0), (64, 63), (33, 32), (43, 42)] {
            let checkpoint = size == 43 ? log.exported : signed[UInt64(size)]!
            documents.append(
                (
                    "inclusion-\(size)-\(position)",
                    try issuer.inclusionProof(position: UInt64(position), against: checkpoint).json
                ))
        }
        for (old, new) in [(1, 2), (2, 3), (32, 64), (32, 101), (33, 65), (64, 101), (65, 101), (101, 101), (3, 33)] {
            documents.append(
                (
                    "consistency-\(old)-\(new)",
                    try issuer.consistencyProof(from: signed[UInt64(old)]!, to: signed[UInt64(new)]!).json
                ))
        }
        documents.append(
            ("consistency-stored", try issuer.consistencyProof(from: log.checkpoints[0], to: log.checkpoints[2]).json))
        documents.append(("bundle", try issuer.bundle(positions: [5, 42, 17], against: log.exported).json))
        let reader = AuditReader(reader: log.reader, codec: try EventCodec())
        documents.append(("export", try reader.patientExport(patient: log.patient).json))
        return documents
    }

    /// The documents whose every byte is changed in the mutation tests, one of each kind, with the member the changes
    /// are limited to (a bundle's checkpoint is checked as the checkpoint document is, an export's bundle as a bundle).
    func mutationSubjects() throws -> [(name: String, json: JSONValue, under: String?)] {
        let all = try documents()
        let subjects: [(String, String?)] = [
            ("checkpoint", nil), ("inclusion-101-32", nil), ("consistency-33-65", nil), ("bundle", "proofs"),
            ("export", "events"),
        ]
        return subjects.compactMap { name, under in
            all.first { $0.name == name }.map { (name, $0.json, under) }
        }
    }
}

/// Every single-byte change of a document's hex fields (byte i XOR 1 << (i mod 8)), and a change of each of its
/// numbers and texts that a proof states.
enum DocumentMutations {
    static let hexKeys: Set<String> = [
        "logId", "root", "keyId", "publicKey", "signature", "signedMessage", "record", "leafHash", "path", "oldRoot",
        "newRoot",
    ]
    static let numberKeys: Set<String> = [
        "treeSize", "timeMicroseconds", "position", "oldSize", "newSize", "streamVersion", "recordedTimeMicroseconds",
        "effectiveTimeMicroseconds", "amountCents", "targetPosition",
    ]
    static let textKeys: Set<String> = [
        "time", "recordedTime", "stream", "eventId", "patientId", "effectiveTime", "actorStaffId", "summary",
        "eventType", "familyName",
    ]

    /// The mutated documents, each with a description of the change; `prefix`, when given, limits the changes to the
    /// first two elements of the member of that name (a patient export's `events`: its bundle is mutated as a bundle
    /// of its own, and every event is checked the same way).
    static func all(of document: JSONValue, under prefix: String? = nil) -> [(change: String, json: JSONValue)] {
        var results: [(String, JSONValue)] = []
        walk(document, path: [], key: nil) { path, mutated in
            if let prefix, path.first != prefix || (Int(path.dropFirst().first ?? "0") ?? 0) >= 2 { return }
            results.append((path.joined(separator: "."), replace(document, at: path[...], with: mutated)))
        }
        return results
    }

    private static func walk(_ value: JSONValue, path: [String], key: String?, emit: ([String], JSONValue) -> Void) {
        switch value {
        case .object(let members):
            for member in members { walk(member.value, path: path + [member.key], key: member.key, emit: emit) }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                walk(element, path: path + ["\(index)"], key: key, emit: emit)
            }
        case .string(let text):
            guard let key else { return }
            if hexKeys.contains(key), let bytes = hexBytes(text) {
                for index in bytes.indices {
                    var changed = bytes
                    changed[index] ^= 1 << UInt8(index % 8)
                    emit(path, .string(hexText(changed)))
                }
            } else if textKeys.contains(key) {
                emit(
                    path,
                    .string(
                        text.replacingOccurrences(of: "0", with: "1").replacingOccurrences(of: "a", with: "b") + "1"))
            }
        case .integer(let number):
            guard let key, numberKeys.contains(key) else { return }
            emit(path, .integer(number + 1))
            if number > 0 { emit(path, .integer(number - 1)) }
        default:
            return
        }
    }

    private static func replace(_ value: JSONValue, at path: ArraySlice<String>, with new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        switch value {
        case .object(let members):
            return .object(
                members.map {
                    $0.key == first ? JSONMember($0.key, replace($0.value, at: path.dropFirst(), with: new)) : $0
                })
        case .array(var elements):
            guard let index = Int(first) else { return value }
            elements[index] = replace(elements[index], at: path.dropFirst(), with: new)
            return .array(elements)
        default:
            return value
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hexText(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2), !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
