import Foundation

/// What a comparison run does, from its command line.
struct CompareOptions {
    /// Events in the stores that the reads, the one-patient query and the sizes use.
    var events = 1_000_000
    /// Events appended per batch size: batches of `key` events, `value` events in all.
    var appendEvents: [(batch: Int, events: Int)] = [(1, 10_000), (10, 40_000), (100, 200_000), (1_000, 400_000)]
    /// The longest an append measurement runs: it stops after the append that passes this many seconds.
    var appendSeconds = 3.0
    /// Appenders in the concurrent measurement.
    var appenders = 8
    /// Single-event appends of each concurrent appender.
    var appendsPerAppender = 2_000
    /// How many times each measurement runs (ClinicLog, then SQLite, each time); the tables give the median.
    var repetitions = 3
    /// Patients whose history the one-patient query reads, per repetition.
    var patientQueries = 20
    /// The seed of the history.
    var seed: UInt64 = 1
    /// The scratch directory (removed at the end unless `keepWork`).
    var work = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/cliniclog-compare"
    /// Whether to leave the scratch directory in place.
    var keepWork = false
    /// Whether to measure only one patient's history (the stores are still generated and loaded) and print its
    /// figures, leaving the docs alone.
    var onlyPatientHistory = false
    /// Whether to measure only reading and decoding every event of the ClinicLog store (withheld, then opened with the
    /// keyring) and print its figures, leaving SQLite and the docs alone.
    var onlyDecode = false
    /// When set, run only these measurements (`append`, `concurrent`) and print every run of their figures, leaving
    /// the docs alone.
    var only: Set<String>?
    /// A log directory in which to measure only opening, one durable append and closing (it appends to it).
    var measureOpen: String?
    /// A log directory in which to measure only whole-log verification against `sha256sum` over its segment files.
    var measureVerify: String?
    /// A log directory of generated events in which to measure only the read side: read and decode, read without
    /// decoding against `lz4 -b1`, and verification against `sha256sum`.
    var measureReads: String?
    /// Which read-side measurements `measureReads` takes: any of `decode`, `read`, `verify`.
    var readMeasurements: Set<String> = ["decode", "read", "verify"]
    /// The documentation file whose section between the compare markers is replaced with the results.
    var docs: String?
    /// The command line that reproduces the run, as the documentation shows it.
    var command = "tools/compare"
    /// The sources measured (a commit), as the documentation shows it.
    var source = "unknown"
    /// The Swift toolchain, as the documentation shows it.
    var toolchain = "unknown"

    static let usage = """
        usage: Compare [--events N] [--append-events B:N,...] [--append-seconds S] [--appenders A]
                       [--appends-per-appender N]
                       [--repetitions R] [--patient-queries Q] [--seed S] [--work DIR] [--keep-work]
                       [--measure-open DIR] [--measure-verify DIR] [--measure-reads DIR [--only LIST]]
                       [--docs FILE] [--command TEXT] [--source TEXT] [--toolchain TEXT] [--quick]
                       [--only-patient-history | --only-decode | --only LIST]

          --events N            events of the stores read, queried and sized (default 1000000)
          --append-events LIST  batch size and events appended per run (default 1:10000,10:40000,100:200000,1000:400000)
          --append-seconds S    an append measurement stops after the append that passes S seconds (default 3)
          --appenders A         concurrent appenders (default 8)
          --appends-per-appender N  single-event appends each, at most (default 2000)
          --repetitions R       runs of each measurement, ClinicLog then SQLite each time (default 3)
          --patient-queries Q   patients whose history is read per run (default 20)
          --seed S              the history's seed (default 1)
          --work DIR            scratch directory (default $TMPDIR/cliniclog-compare; removed at the end)
          --keep-work           leave the scratch directory (the logs, the SQLite files, the payload file)
          --only-patient-history  load the stores and measure only one patient's history; print its figures
          --only-decode         load the ClinicLog store and measure only reading and decoding every event (patient
                                data withheld, then opened with the keyring), wall and CPU time; print its figures
          --only LIST           run only the listed measurements (append: batched durable appends; concurrent: the
                                concurrent appenders) and print every run of their figures with the load average
          --measure-open DIR    measure only opening the log in DIR, one durable append to it and closing
          --measure-verify DIR  measure only LogVerifier.verify of the log in DIR against sha256sum over its segment
                                files, alternating, --repetitions times (first cuts the last segment's preallocated
                                zeros, as the full run does)
          --measure-reads DIR   measure only the read side of the ClinicLog log in DIR (events generated by this
                                runner, kept with --keep-work), --repetitions times: read and decode (patient data
                                withheld), read without decoding against `lz4 -b1` on its payload bytes, and
                                LogVerifier.verify against sha256sum (cuts the preallocated zeros first)
          --only LIST           with --measure-reads, only these of decode,read,verify (default all three)
          --docs FILE           replace the section between <!-- compare:begin --> and <!-- compare:end --> of FILE
          --quick               a small run for development: 20000 events, small appends, 1 repetition
        """

    static func parse(_ arguments: [String]) throws -> CompareOptions {
        var options = CompareOptions()
        var rest = arguments[...]
        func value(_ name: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
            return value
        }
        func number(_ name: String) throws -> Int {
            let text = try value(name).replacingOccurrences(of: "_", with: "")
            guard let number = Int(text), number > 0 else {
                throw UsageError(message: "\(name) needs a positive whole number, not \(text)")
            }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--events": options.events = try number(argument)
            case "--append-events": options.appendEvents = try parseAppendEvents(try value(argument))
            case "--append-seconds": options.appendSeconds = Double(try number(argument))
            case "--appenders": options.appenders = try number(argument)
            case "--appends-per-appender": options.appendsPerAppender = try number(argument)
            case "--repetitions": options.repetitions = try number(argument)
            case "--patient-queries": options.patientQueries = try number(argument)
            case "--seed": options.seed = UInt64(try number(argument))
            case "--work": options.work = try value(argument)
            case "--keep-work": options.keepWork = true
            case "--only-patient-history": options.onlyPatientHistory = true
            case "--only-decode": options.onlyDecode = true
            case "--only":
                // The read-side names go with --measure-reads, the append-side names run on generated events.
                let names = Set(try value(argument).split(separator: ",").map(String.init))
                let readSide: Set = ["decode", "read", "verify"]
                let appendSide: Set = ["append", "concurrent"]
                if !names.isEmpty, names.isSubset(of: readSide) {
                    options.readMeasurements = names
                } else if !names.isEmpty, names.isSubset(of: appendSide) {
                    options.only = names
                } else {
                    throw UsageError(
                        message:
                            "--only takes a list of append, concurrent, or (with --measure-reads) of decode, read, "
                            + "verify")
                }
            case "--measure-open": options.measureOpen = try value(argument)
            case "--measure-verify": options.measureVerify = try value(argument)
            case "--measure-reads": options.measureReads = try value(argument)
            case "--docs": options.docs = try value(argument)
            case "--command": options.command = try value(argument)
            case "--source": options.source = try value(argument)
            case "--toolchain": options.toolchain = try value(argument)
            case "--quick":
                options.events = 20_000
                options.appendEvents = [(1, 300), (10, 2_000), (100, 10_000), (1_000, 20_000)]
                options.appendsPerAppender = 100
                options.repetitions = 1
                options.patientQueries = 5
                options.appendSeconds = 1
            case "-h", "--help": throw UsageError(message: nil)
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
        return options
    }

    private static func parseAppendEvents(_ text: String) throws -> [(batch: Int, events: Int)] {
        try text.split(separator: ",").map { pair in
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let batch = Int(parts[0]), let events = Int(parts[1]), batch > 0, events >= batch
            else {
                throw UsageError(message: "--append-events takes BATCH:EVENTS pairs such as 1:4000,1000:200000")
            }
            return (batch, events)
        }
    }
}

/// A command line the runner cannot run; `message` nil asks for the usage alone.
struct UsageError: Error {
    let message: String?
}
