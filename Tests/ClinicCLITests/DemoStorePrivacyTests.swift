import Foundation
import XCTest

/// Every file of a used demo store, searched for its patients' data in clear (issue 9): the names, birth dates and
/// signed note texts the demo generated must appear nowhere, neither in a file's bytes nor in a log record's
/// decompressed payload.
final class DemoStorePrivacyTests: XCTestCase {
    func testNoFileOfAUsedDemoStoreHoldsAPatientsNameBirthDateOrNoteInClear() throws {
        let cli = CLIHarness()
        let demo = try cli.ok([
            "demo", "--days", "45", "--providers", "1", "--patients", "40", "--seed", "5", "--time-zone", "UTC",
            "--json",
        ])
        let staff = try XCTUnwrap((try demo.json() as? [String: Any])?["staff"] as? [[String: Any]])
        var staffWords = Set<String>()
        var passphraseFiles: [String: String] = [:]
        for member in staff {
            let id = try XCTUnwrap(member["staffID"] as? String)
            passphraseFiles[id] = try XCTUnwrap(member["passphraseFile"] as? String)
            for word in (member["displayName"] as? String ?? "").split(whereSeparator: { !$0.isLetter }) {
                staffWords.insert(String(word))
            }
        }
        let provider = try XCTUnwrap(
            staff.first { ($0["roles"] as? [String])?.contains("physician") == true }?["staffID"] as? String)
        for id in ["frontdesk-1", "biller", provider] {
            try cli.ok(["signin", "--as", id, "--passphrase-file", try XCTUnwrap(passphraseFiles[id])])
        }

        // What the office knows, read as staff read it (which also writes the views' checkpoints).
        var patients: [String: [String: Any]] = [:]
        for fragment in ["a", "e", "i", "o", "u", "y"] {
            let found = try cli.ok([
                "patient", "find", "--name", fragment, "--json", "--as", "frontdesk-1", "--role", "front-desk",
            ])
            for patient in try XCTUnwrap(try found.json() as? [[String: Any]]) {
                patients[try XCTUnwrap(patient["patientID"] as? String)] = patient
            }
        }
        XCTAssertGreaterThanOrEqual(patients.count, 30, "the demo's patients are found")
        var secrets = Set<String>()
        for patient in patients.values {
            for key in ["familyName", "givenName"] {
                if let name = patient[key] as? String, name.count >= 4, !staffWords.contains(name) {
                    secrets.insert(name)
                }
            }
            if let birth = patient["birthDate"] as? String { secrets.insert(birth) }
        }
        var notes = 0
        for id in patients.keys.sorted().prefix(12) {
            let chart = try XCTUnwrap(try cli.ok(["chart", id, "--json", "--as", provider]).json() as? [String: Any])
            for note in chart["visits"] as? [[String: Any]] ?? [] {
                for key in ["text", "addenda"] {
                    if let text = note[key] as? String, text.count >= 12 {
                        secrets.insert(text)
                        notes += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(notes, 0, "signed notes were read from the charts")
        try cli.ok(["ledger", "daily", "--json", "--as", "biller"])
        try cli.ok(["schedule", "--json", "--as", "frontdesk-1", "--role", "front-desk"])

        // Every file's bytes, and every record's payload decompressed by the independent reader.
        var haystacks: [(String, Data)] = []
        let enumerator = FileManager.default.enumerator(atPath: cli.store)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = cli.store + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                haystacks.append((path, try Data(contentsOf: URL(fileURLWithPath: full))))
            }
        }
        XCTAssertTrue(haystacks.contains { $0.0.hasPrefix("views/") }, "the views' checkpoints were written")
        let records = try Self.decodedPayloads(of: cli.store + "/log")
        XCTAssertGreaterThan(records.count, 1_000)
        let payloads = records.reduce(into: Data()) { $0.append($1) }
        haystacks.append(("the log's decompressed payloads", payloads))
        // The search finds what is in clear: staff names are not patient data and are stored as written.
        let staffName = try XCTUnwrap(staff.first?["displayName"] as? String)
        XCTAssertNotNil(payloads.range(of: Data(staffName.utf8)), "a staff member's name is found in the payloads")
        for secret in secrets.sorted() {
            let needle = Data(secret.utf8)
            for (path, bytes) in haystacks where bytes.range(of: needle) != nil {
                XCTFail("a patient's \(secret.contains("-") ? "birth date" : "name or note") is in clear in \(path)")
            }
        }
    }

    /// The payload of every record of the log at `directory`, as `tools/read-log.py --json` decompresses them.
    static func decodedPayloads(of directory: String) throws -> [Data] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("tools/read-log.py").path, directory, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "tools/read-log.py accepts the log")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let records = try XCTUnwrap(document["records"] as? [[String: Any]])
        return try records.map { record in
            let hex = try XCTUnwrap(record["payload"] as? String)
            var bytes = Data(capacity: hex.count / 2)
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                bytes.append(try XCTUnwrap(UInt8(hex[index..<next], radix: 16)))
                index = next
            }
            return bytes
        }
    }
}
