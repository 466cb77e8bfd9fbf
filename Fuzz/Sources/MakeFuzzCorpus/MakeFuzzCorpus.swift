// Writes the seed corpus of every fuzz target from real encodings: the golden event payloads of
// Tests/ClinicEventsTests/GoldenEventsTests.swift, and the files of a small log that the real writer makes on the
// simulated file system (segments rolled at 4096 bytes, compressed and raw batches, sealed and closed-active
// indexes, an index rebuilt by recovery and one with its event table out of order, the manifest, two signed
// checkpoints) and a keyring with live and erased entries.
//
// Usage (from the repository root; `tools/fuzz corpus` runs it):
//     swift run --package-path Fuzz MakeFuzzCorpus Fuzz/Corpus Tests/ClinicEventsTests/GoldenEventsTests.swift
import ClinicEvents
import Foundation
import Logging
import RecordLog
import RecordLogTesting

@main
struct MakeFuzzCorpus {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(
                Data("usage: MakeFuzzCorpus CORPUS-DIRECTORY GOLDEN-EVENTS-TEST-FILE\n".utf8))
            exit(1)
        }
        let corpus = Corpus(root: arguments[1])
        let goldens = try goldenPayloads(testFile: arguments[2])
        let codec = try EventCodec()
        for (name, payload) in goldens {
            _ = try codec.decode(payload)
            try corpus.write(payload, target: "EventCodec", name: name)
        }
        try writeLogSeeds(corpus, payloads: goldens.map(\.payload))
        try writeKeyringSeeds(corpus)
        print("wrote \(corpus.count) seeds under \(corpus.root)")
    }

    /// The `static let name = """ hex """` constants of the golden test file, decoded, except the ones that hold no
    /// event payload (the golden serialized keyring, whose master key is not the keyring target's).
    static let goldensThatAreNoEvents: Set<String> = ["keyring"]

    /// The `static let name = """ hex """` event payload constants of the golden test file, decoded.
    static func goldenPayloads(testFile: String) throws -> [(name: String, payload: [UInt8])] {
        let text = try String(contentsOfFile: testFile, encoding: .utf8)
        var result: [(String, [UInt8])] = []
        var name: String?
        var hex = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("static let "), trimmed.hasSuffix("= \"\"\"") {
                name = String(trimmed.dropFirst("static let ".count).prefix { $0 != " " })
                hex = ""
            } else if let current = name, trimmed == "\"\"\"" {
                if !goldensThatAreNoEvents.contains(current) { result.append((current, try bytes(hex: hex))) }
                name = nil
            } else if name != nil {
                hex += trimmed
            }
        }
        guard !result.isEmpty else { throw CorpusError.noGoldens(testFile) }
        return result
    }

    static func bytes(hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw CorpusError.badHex }
        return try stride(from: 0, to: digits.count, by: 2).map { start in
            guard let byte = UInt8(String(decoding: digits[start..<start + 2], as: UTF8.self), radix: 16) else {
                throw CorpusError.badHex
            }
            return byte
        }
    }

    static func writeLogSeeds(_ corpus: Corpus, payloads: [[UInt8]]) throws {
        let directory = "/corpus/log"
        let fileSystem = SimulatedFileSystem(seed: 1)
        let clock = ManualClock(microseconds: 1_764_581_400_000_000)
        let configuration = LogConfiguration(
            segmentBytesMax: 4096, indexIntervalBytes: 512, clock: clock,
            logger: Logger(label: "corpus") { _ in SwiftLogNoOpLogHandler() })
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 7, count: 32))
        let log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedLogID())
        var generator = SeededRandomNumberGenerator(seed: 8)
        for number in 0..<40 {
            clock.advance(byMicroseconds: 1_000)
            let events = (0...(number % 9 == 8 ? 0 : number % 3)).map { offset in
                let payload =
                    number % 9 == 8
                    ? (0..<4000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                    : payloads[(number + offset) % payloads.count]
                return AppendEvent(
                    eventID: EventID(high: 0xC0_4B05 << 32 | UInt64(number), low: UInt64(offset)), payload: payload)
            }
            _ = try log.appendAndWait([
                StreamAppend(stream: "patient-\(number % 5)", expectedVersion: .any, events: events)
            ])
            if number == 12 || number == 33 { _ = try log.checkpointAndWait(signer: signer) }
        }
        log.close()
        var batchNumber = 0
        for name in try fileSystem.contentsOfDirectory(directory).sorted() {
            guard let file = fileSystem.contents(of: directory + "/" + name) else { continue }
            if name.hasSuffix(".segment") {
                for batch in batches(of: file) where batchNumber < 12 {
                    let kind = batch[10] & 1 == 1 ? "lz4" : "raw"
                    try corpus.write([0] + batch, target: "BatchDecoder", name: "batch-\(batchNumber)-\(kind)")
                    batchNumber += 1
                }
                if name.hasPrefix("00000000000000000000") {
                    try corpus.write([0] + file, target: "BatchDecoder", name: "segment-\(name)")
                }
            } else if name.hasSuffix(".index") {
                try corpus.write([0] + file, target: "SegmentIndex", name: name)
            } else if name == "manifest" {
                try corpus.write([0] + file, target: "Manifest", name: "manifest-after-rolls")
            } else if name == "checkpoints" {
                try corpus.write([0] + file, target: "Checkpoint", name: "checkpoints-file")
                try corpus.write(
                    [0] + Array(file.prefix(SignedCheckpoint.byteCount)), target: "Checkpoint", name: "one")
            }
        }
        try writeRebuiltIndexSeeds(corpus, fileSystem: fileSystem, directory: directory, configuration: configuration)
        let fresh = SimulatedFileSystem(seed: 2)
        try RecordLog.open(
            directory: directory, fileSystem: fresh, configuration: configuration, randomSource: FixedLogID()
        ).close()
        if let manifest = fresh.contents(of: directory + "/manifest") {
            try corpus.write([0] + manifest, target: "Manifest", name: "manifest-new-log")
        }
    }

    /// Index seeds beyond the writer's: the first sealed segment's index as recovery rebuilds it (no Merkle frontier,
    /// flag bit 0 clear), and that index with its first two event entries swapped, behind mode byte 1 (the harness
    /// reseals the checksums), so the event table's order check is reached from the start.
    static func writeRebuiltIndexSeeds(
        _ corpus: Corpus, fileSystem: SimulatedFileSystem, directory: String, configuration: LogConfiguration
    ) throws {
        let name = "00000000000000000000.index"
        try fileSystem.remove(directory + "/" + name)
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration, randomSource: FixedLogID()
        ).close()
        guard let rebuilt = fileSystem.contents(of: directory + "/" + name) else { throw CorpusError.noIndex(name) }
        try corpus.write([0] + rebuilt, target: "SegmentIndex", name: "rebuilt-" + name)
        // Part 6 starts at the offset stored at bytes 104 ..< 112 of the header: N entries of 20 bytes, then a CRC.
        let table = Int(rebuilt[104..<112].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard table + 44 <= rebuilt.count else { throw CorpusError.noIndex(name) }
        var swapped = rebuilt
        swapped.replaceSubrange(
            table..<table + 40, with: rebuilt[table + 20..<table + 40] + rebuilt[table..<table + 20])
        try corpus.write([1] + swapped, target: "SegmentIndex", name: "event-table-out-of-order-" + name)
    }

    /// The batches of a segment file, split at the lengths their headers state; stops at the zero tail.
    static func batches(of segment: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var offset = 0
        while offset + 64 <= segment.count, segment[offset] != 0 {
            let stored = segment[(offset + 44)..<(offset + 48)].reversed().reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 64 + stored
            guard end <= segment.count else { break }
            result.append(Array(segment[offset..<end]))
            offset = end
        }
        return result
    }

    static func writeKeyringSeeds(_ corpus: Corpus) throws {
        let masterKey = try MasterKey(keyMaterial: (0..<32).map { UInt8($0) &* 13 &+ 5 })
        let keyring = PatientKeyring(
            masterKey: masterKey, random: RandomByteSource(SeededRandomNumberGenerator(seed: 3)))
        for number in 1...3 {
            _ = try keyring.createKey(for: EventID(high: 0x9A71_E000 << 32 | UInt64(number), low: UInt64(number)))
        }
        keyring.destroyKey(for: EventID(high: 0x9A71_E000 << 32 | 2, low: 2))
        let bytes = keyring.serialized()
        try corpus.write([0] + bytes, target: "Keyring", name: "two-live-one-erased")
        try corpus.write(
            [1] + Array(bytes[13..<(bytes.count - 32)]), target: "Keyring", name: "entries-two-live-one-erased")
        let empty = PatientKeyring(masterKey: masterKey, random: RandomByteSource(SeededRandomNumberGenerator(seed: 4)))
        try corpus.write([0] + empty.serialized(), target: "Keyring", name: "empty")
    }
}

/// A fixed log id, so the seeds do not change from one run to the next.
struct FixedLogID: RandomSource {
    func bytes(count: Int) -> [UInt8] { (0..<count).map { UInt8($0 &* 7 &+ 1) } }
}

enum CorpusError: Error {
    case noGoldens(String)
    case badHex
    case noIndex(String)
}

/// The seed corpus directory: one subdirectory per fuzz target.
final class Corpus {
    let root: String
    private(set) var count = 0

    init(root: String) { self.root = root }

    func write(_ bytes: [UInt8], target: String, name: String) throws {
        let directory = root + "/" + target
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
        count += 1
    }
}
