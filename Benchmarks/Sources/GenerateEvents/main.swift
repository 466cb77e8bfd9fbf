import ClinicEvents
import Foundation
import Logging
import OfficeHistory

// `tools/generate-events`: writes a seeded office history of N events as a ClinicStore directory (see
// ../../README.md#generate-events).

let usage = """
    usage: generate-events --out DIR [--count N] [--seed S] [--patients P] [--batch B] [--sqlite] [--json]

      --out DIR      a new (or empty) directory: DIR/log is the ClinicLog log; DIR/master.key, DIR/keys/patient-keys,
                     DIR/store.settings and DIR/views/ make DIR a ClinicStore directory (clinic --store DIR)
      --count N      events to write (default 1000000)
      --seed S       the seed of every choice, key and nonce (default 1): the same arguments write the same bytes
      --patients P   patients the office can register (default N / 40, at least 200)
      --batch B      events per durable append (default 1000)
      --sqlite       also write DIR/events.sqlite: the same events in SQLite (the table tools/compare uses)
      --json         also write DIR/events.jsonl: the same events as JSON lines, patient data in clear
    """

struct GenerateOptions {
    var out: String?
    var count = 1_000_000
    var seed: UInt64 = 1
    var patients: Int?
    var batch = 1_000
    var sqlite = false
    var json = false
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate-events: \(message)\n".utf8))
    exit(2)
}

func parseOptions(_ arguments: [String]) -> GenerateOptions {
    var options = GenerateOptions()
    var rest = arguments[...]
    func value(_ name: String) -> String {
        guard let value = rest.popFirst() else { fail("\(name) needs a value\n\(usage)") }
        return value
    }
    func number(_ name: String) -> Int {
        guard let number = Int(value(name).replacingOccurrences(of: "_", with: "")), number > 0 else {
            fail("\(name) needs a positive whole number")
        }
        return number
    }
    while let argument = rest.popFirst() {
        switch argument {
        case "--out": options.out = value(argument)
        case "--count": options.count = number(argument)
        case "--seed": options.seed = UInt64(number(argument))
        case "--patients": options.patients = number(argument)
        case "--batch": options.batch = number(argument)
        case "--sqlite": options.sqlite = true
        case "--json": options.json = true
        case "-h", "--help":
            print(usage)
            exit(0)
        default: fail("unknown argument \(argument)\n\(usage)")
        }
    }
    return options
}

func generate(_ options: GenerateOptions) throws {
    guard let out = options.out else { fail("--out DIR is required\n\(usage)") }
    let manager = FileManager.default
    if let existing = try? manager.contentsOfDirectory(atPath: out), !existing.isEmpty {
        fail("\(out) is not empty; choose a new directory or remove it first")
    }
    try manager.createDirectory(atPath: out, withIntermediateDirectories: true)
    var logger = Logger(label: "generate-events")
    logger.logLevel = .warning
    var historyOptions = OfficeHistoryOptions.standard(eventCount: options.count, seed: options.seed)
    if let patients = options.patients { historyOptions.patientCount = patients }
    var history = try OfficeHistory(options: historyOptions)
    let writer = try HistoryLogWriter(directory: out + "/log", logger: logger, logIDSeed: options.seed)
    let table = options.sqlite ? try SQLiteEventTable.create(path: out + "/events.sqlite") : nil
    let json: FileHandle? =
        if options.json {
            manager.createFile(atPath: out + "/events.jsonl", contents: nil)
                ? FileHandle(forWritingAtPath: out + "/events.jsonl") : nil
        } else { nil }
    let start = Date()
    var written = 0
    var firstRecorded: Int64?
    var lastRecorded: Int64 = 0
    while written < options.count {
        let events = try history.next(min(options.batch, options.count - written))
        firstRecorded = firstRecorded ?? events.first?.recordedTimeMicroseconds
        lastRecorded = events.last?.recordedTimeMicroseconds ?? lastRecorded
        try writer.append(events)
        try table?.insert(events)
        if let json {
            var text = ""
            for (offset, event) in events.enumerated() {
                let decoded = try history.codec.decode(event.payload, opening: history.keyring)
                text += EventJSONLine.line(
                    position: UInt64(written + offset), streamVersion: event.streamVersion, decoded: decoded)
                text += "\n"
            }
            json.write(Data(text.utf8))
        }
        written += events.count
        if written % 100_000 < events.count {
            FileHandle.standardError.write(Data("\(written) events\r".utf8))
        }
    }
    if written >= 100_000 { FileHandle.standardError.write(Data("\n".utf8)) }
    writer.close()
    try json?.close()
    try StoreFiles.write(root: out, masterKey: history.masterKey, keyring: history.keyring)
    let summary = try writer.log.reader().storageSummary()
    let seconds = Date().timeIntervalSince(start)
    let days = (firstRecorded ?? lastRecorded) / 86_400_000_000...lastRecorded / 86_400_000_000
    print(
        """
        wrote \(written) events of \(history.registeredPatients.count) registered patients (seed \(options.seed)) \
        into \(out) in \(String(format: "%.1f", seconds)) s
          office days: \(dateText(days.lowerBound)) to \(dateText(days.upperBound))
          log: \(out)/log, \(summary.batches) batches, \(summary.storedBytes) bytes stored \
        (\(summary.uncompressedBytes) uncompressed)
        """)
    if table != nil { print("  SQLite: \(out)/events.sqlite") }
    if json != nil { print("  JSON lines: \(out)/events.jsonl") }
}

func dateText(_ daysSince1970: Int64) -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: Double(daysSince1970) * 86_400))
}

do {
    try generate(parseOptions(Array(CommandLine.arguments.dropFirst())))
} catch {
    fail("\(error)")
}
