import ClinicAudit
import Foundation
import RecordLog
import XCTest

/// `tools/verify-proof.py`, written from docs/audit.md alone with the Python standard library, must accept every
/// document ClinicAudit makes and refuse every single-byte change to one.
final class VerifyProofToolTests: XCTestCase {
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let script = repositoryRoot.appendingPathComponent("tools/verify-proof.py").path

    /// What the proofs of a patient export cover of each event it lists: the fields of its record bytes (the rest is
    /// a decoding of the payload, checked by `ProofDocument.verify`).
    private static let recordFields: Set<String> = [
        "position", "stream", "streamVersion", "eventId", "recordedTimeMicroseconds", "recordedTime",
    ]

    private struct ToolRun {
        var exitCode: Int32
        var output: String
        var errorText: String
        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    private func runTool(_ arguments: [String], environment: [String: String] = [:]) throws -> ToolRun {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.script), "tools/verify-proof.py is missing")
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "--version"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3 is not installed") }

        let directory = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let outputPath = directory + "/stdout"
        let errorPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        return ToolRun(
            exitCode: process.terminationStatus,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            errorText: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }

    /// Writes each document to its own file and returns the paths, in order.
    private func write(_ documents: [(name: String, bytes: [UInt8])]) throws -> [String] {
        let directory = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try documents.enumerated().map { number, document in
            let path = directory + "/\(number)-\(document.name).json"
            try Data(document.bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testEveryDocumentClinicAuditMakesIsValid() throws {
        let fixture = try ProofFixture(self)
        let documents = try fixture.documents()
        let paths = try write(documents.map { ($0.name, $0.json.serializedBytes()) })
        let run = try runTool(["--batch"] + paths + ["--trust-key", hex(ClinicLogFixture.signer.publicKey)])
        XCTAssertEqual(run.exitCode, 0, run.output + run.errorText)
        XCTAssertEqual(run.lines, paths.map { "\($0): valid" })

        let single = try runTool([paths[1], "--verbose"])
        XCTAssertEqual(single.exitCode, 0, single.output + single.errorText)
        XCTAssertTrue(single.lines.last?.hasPrefix("VALID: record 0 (event ") ?? false, single.output)
        XCTAssertTrue(single.output.contains("step 7: [0,101) = H(01 || [0,64) || path[6] = [64,101))"), single.output)
        let consistency = try runTool([paths[documents.firstIndex { $0.name == "consistency-33-65" }!], "--verbose"])
        XCTAssertEqual(consistency.exitCode, 0, consistency.output + consistency.errorText)
        XCTAssertTrue(consistency.output.contains("the new root comes out"), consistency.output)
    }

    func testEverySingleByteChangeToAProofRecordOrCheckpointIsRefused() throws {
        let fixture = try ProofFixture(self)
        var lines: [UInt8] = []
        var changes: [String] = []
        for (name, json, under) in try fixture.mutationSubjects() {
            for (change, document) in DocumentMutations.all(of: json, under: under)
            where name != "export" || Self.recordFields.contains(String(change.split(separator: ".").last ?? "")) {
                changes.append("\(name): \(change)")
                lines += document.compactBytes() + [0x0A]
            }
        }
        XCTAssertGreaterThan(changes.count, 2_000)
        let path = try write([("mutations", lines)])[0]
        let run = try runTool(["--lines", path])
        XCTAssertEqual(run.exitCode, 1, run.errorText)
        XCTAssertEqual(run.lines.count, changes.count, run.errorText)
        let accepted = zip(changes, run.lines).filter { !$0.1.contains(": INVALID: ") }.map(\.0)
        XCTAssertEqual(accepted, [], "changes the independent verifier did not catch")
    }

    func testPathsWithANodeTooManyTooFewOrOutOfOrderAreRefused() throws {
        let fixture = try ProofFixture(self)
        let inclusion = try fixture.issuer.inclusionProof(position: 40, against: fixture.signed[101]!)
        let consistency = try fixture.issuer.consistencyProof(from: fixture.signed[33]!, to: fixture.signed[101]!)
        var documents: [(String, [UInt8])] = []
        for (number, path) in attackPaths(inclusion.path).enumerated() {
            var forged = inclusion
            forged.path = path
            documents.append(("inclusion-\(number)", forged.json.serializedBytes()))
        }
        for (number, path) in attackPaths(consistency.path).enumerated() {
            var forged = consistency
            forged.path = path
            documents.append(("consistency-\(number)", forged.json.serializedBytes()))
        }
        var otherLeaf = inclusion
        otherLeaf.record = try fixture.issuer.recordBytes(at: 41)
        otherLeaf.position = 41
        documents.append(("other-leaf", otherLeaf.json.serializedBytes()))
        let paths = try write(documents)
        let run = try runTool(["--batch"] + paths)
        XCTAssertEqual(run.exitCode, 1)
        XCTAssertEqual(run.lines.filter { $0.contains(": INVALID: ") }.count, paths.count, run.output)
        XCTAssertTrue(
            run.lines[0].hasSuffix("the path has 8 nodes, a tree of 101 records needs 7 for position 40"), run.lines[0])
    }

    func testOnlyTheTrustedKeysSignaturesAreAccepted() throws {
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let paths = try write([("checkpoint", CheckpointDocument(fixture.exported).json.serializedBytes())])
        let stranger = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
        let refused = try runTool([paths[0], "--trust-key", hex(stranger.publicKey)])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.output.contains("is not a trusted key"), refused.output)
        let accepted = try runTool([paths[0], "--trust-key", hex(ClinicLogFixture.signer.publicKey)])
        XCTAssertEqual(accepted.exitCode, 0, accepted.output)
        XCTAssertEqual(try runTool([]).exitCode, 2)
        XCTAssertEqual(try runTool([paths[0], paths[0]]).exitCode, 2)
    }

    func testThePurePythonEd25519PassesRFC8032AndAgreesOnValidAndAlteredSignatures() throws {
        let selfTest = try runTool(["--self-test"])
        XCTAssertEqual(selfTest.exitCode, 0, selfTest.output + selfTest.errorText)
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let document = CheckpointDocument(fixture.exported)
        var documents: [(String, [UInt8])] = [("valid", document.json.serializedBytes())]
        for index in stride(from: 0, to: 64, by: 3) {
            var altered = document
            altered.signature[index] ^= 0x04
            documents.append(("signature-\(index)", altered.json.serializedBytes()))
        }
        let paths = try write(documents)
        let run = try runTool(["--batch"] + paths, environment: ["CLINICLOG_PURE_ED25519": "1"])
        XCTAssertEqual(run.lines.first, "\(paths[0]): valid", run.output + run.errorText)
        XCTAssertEqual(
            run.lines.dropFirst().filter { $0.contains("Ed25519 signature is not valid") }.count, paths.count - 1)
    }

    private func attackPaths(_ path: [MerkleDigest]) -> [[MerkleDigest]] {
        var swapped = path
        swapped.swapAt(0, 1)
        return [path + [path[0]], Array(path.dropLast()), swapped, path.reversed(), []]
    }
}
