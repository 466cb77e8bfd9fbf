import Foundation
import Logging

// `tools/compare`: ClinicLog against SQLite (through GRDB) and against the machine's limits, in one process run (see
// ../../README.md#compare). Prints the Markdown section and, with --docs FILE, writes it between the compare markers.

let options: CompareOptions
do {
    options = try CompareOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    if let message = error.message { FileHandle.standardError.write(Data("compare: \(message)\n".utf8)) }
    print(CompareOptions.usage)
    exit(error.message == nil ? 0 : 2)
}

if let directory = options.measureOpen {
    do {
        var logger = Logger(label: "compare")
        logger.logLevel = .warning
        let runs = try measureOpenAppendClose(directory: directory, runs: options.repetitions * 5, logger: logger)
        print(
            "Open, read a version, append one event, close: median \(String(format: "%.2f", medianOf(runs))) ms "
                + "(runs: \(runs.map { String(format: "%.2f", $0) }.joined(separator: ", ")))")
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("compare: \(error)\n".utf8))
        exit(1)
    }
}

if let directory = options.measureVerify {
    do {
        var logger = Logger(label: "compare")
        logger.logLevel = .warning
        for line in try measureVerification(directory: directory, runs: options.repetitions, logger: logger) {
            print(line)
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("compare: \(error)\n".utf8))
        exit(1)
    }
}

if let directory = options.measureReads {
    do {
        var logger = Logger(label: "compare")
        logger.logLevel = .warning
        for line in try measureReads(
            directory: directory, runs: options.repetitions, measuring: options.readMeasurements, logger: logger)
        { print(line) }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("compare: \(error)\n".utf8))
        exit(1)
    }
}

do {
    let comparison = try Comparison(options: options)
    if options.onlyDecode {
        print(try comparison.runDecodeOnly())
        exit(0)
    }
    if let only = options.only {
        print(try await comparison.runOnly(only))
        exit(0)
    }
    if options.onlyPatientHistory {
        print(try comparison.runPatientHistoryOnly())
        exit(0)
    }
    try await comparison.run()
    let section = Report(comparison: comparison).markdown()
    print(section)
    if let docs = options.docs {
        try Report.write(section, intoDocs: docs)
        FileHandle.standardError.write(Data("compare: wrote the section of \(docs)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("compare: \(error)\n".utf8))
    exit(1)
}
