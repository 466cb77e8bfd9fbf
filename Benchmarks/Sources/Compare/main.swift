import Foundation

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

do {
    let comparison = try Comparison(options: options)
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
