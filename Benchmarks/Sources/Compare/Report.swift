import Foundation

/// The Markdown section a comparison run writes: the table of ratios, every run's figures, the sizes, the machine
/// and how each figure was measured.
struct Report {
    static let beginMarker = "<!-- compare:begin -->"
    static let endMarker = "<!-- compare:end -->"

    let comparison: Comparison

    private var options: CompareOptions { comparison.options }
    private var figures: Figures { comparison.figures }
    private var sizes: Sizes { comparison.sizes }

    /// The section, markers excluded.
    func markdown() -> String {
        var text = """
            ## ClinicLog against SQLite and against the machine, side by side (`tools/compare`)

            Written by `tools/compare` (the `Compare` target of `Benchmarks/`), not by hand: run of \
            \(dateText(comparison.startedAt)), sources \(options.source), \(options.toolchain), \
            SQLite \(comparison.machine.sqlite) through GRDB 7.10, \(comparison.machine.lz4). Reproduce with:

            ```sh
            \(options.command)
            ```

            Each measurement ran \(options.repetitions) time\(options.repetitions == 1 ? "" : "s") in one process, \
            ClinicLog then SQLite each time, on the same events and with the same durability; the table gives the \
            medians. Load average (1, 5, 15 min) at the start: \(comparison.loadAtStart); at the end: \
            \(comparison.loadAtEnd), on \(comparison.machine.processors) cores. The machine is shared with other \
            builds, so figures taken under load are pessimistic, the fdatasync-bound ones least and the CPU-bound \
            ones (reads, decode, verification, batched appends) most.


            """
        text += mainTable()
        text += "\n" + sizeTable()
        text += "\n" + runTable()
        text += "\n" + machineTable()
        text += "\n" + method()
        return wrapProse(text, width: 120)
    }

    /// Wraps the paragraphs and list items of `text` at `width` columns (a list item's further lines indented by two
    /// spaces), leaving tables, code blocks and headings as they are.
    private func wrapProse(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inCode.toggle() }
            if inCode || line.hasPrefix("```") || line.hasPrefix("|") || line.hasPrefix("#") || line.count <= width {
                lines.append(line)
                continue
            }
            let indent = line.hasPrefix("- ") ? "  " : ""
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, current.count + 1 + word.count > width {
                    lines.append(current)
                    current = indent + word
                } else {
                    current += (current.isEmpty ? "" : " ") + word
                }
            }
            lines.append(current)
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Tables

    private func mainTable() -> String {
        var rows: [[String]] = []
        for (batch, _) in options.appendEvents {
            let count = Int(figures.median("append.\(batch).cliniclog.events"))
            let log = figures.median("append.\(batch).cliniclog")
            let sql = figures.median("append.\(batch).sqlite")
            let limit = figures.median("append.\(batch).raw.preallocated")
            let blockBytes = Int(figures.median("append.\(batch).blockBytes"))
            var target = "—"
            var met = "—"
            if batch == 1 {
                target = "≥ 1× SQLite"
                met = verdict(log >= sql, "\(ratio(log, sql)) SQLite")
            } else if batch == 1_000 {
                target = "≥ 5× SQLite; ≥ 1M events/s"
                met = verdict(log >= 5 * sql && log >= 1_000_000, "\(ratio(log, sql)) SQLite, \(rate(log))/s")
            }
            rows.append([
                "Durable append, \(batch) event\(batch == 1 ? "" : "s") per append "
                    + "(ClinicLog: \(grouped(count)) events), events/s",
                rate(log), rate(sql), ratio(log, sql),
                "\(rate(limit)) (write + fdatasync of \(grouped(blockBytes)) B, preallocated)",
                ratio(log, limit), target, met,
            ])
        }
        let one = figures.median("concurrent.cliniclog.one")
        let concurrent = figures.median("concurrent.cliniclog")
        let concurrentSQL = figures.median("concurrent.sqlite")
        rows.append([
            "\(options.appenders) concurrent appenders, 1 event per append "
                + "(ClinicLog: \(grouped(Int(figures.median("concurrent.cliniclog.events")))) appends), appends/s",
            rate(concurrent), rate(concurrentSQL), ratio(concurrent, concurrentSQL),
            "\(rate(one)) (ClinicLog, 1 appender, same runs)", ratio(concurrent, one), "≥ 5× 1 appender",
            verdict(concurrent >= 5 * one, "\(ratio(concurrent, one)) 1 appender"),
        ])
        let decode = figures.median("decode.cliniclog")
        let decodeSQL = figures.median("decode.sqlite")
        rows.append([
            "Full read and decode of \(grouped(options.events)) events (one core), events/s", rate(decode),
            rate(decodeSQL), ratio(decode, decodeSQL), "—", "—", "≥ 5M events/s; ≥ 3× SQLite",
            verdict(
                decode >= 5_000_000 && decode >= 3 * decodeSQL,
                "\(rate(decode))/s, \(ratio(decode, decodeSQL)) SQLite"),
        ])
        let rebuild = figures.median("rebuild.cliniclog")
        let rebuildSQL = figures.median("rebuild.sqlite")
        let rebuildProduct = figures.median("rebuild.cliniclog.product")
        rows.append([
            "Rebuild of the four views (schedule, ledger, chart, consent) from \(grouped(options.events)) events, "
                + "the same fold fed by each store on one thread, events/s",
            rate(rebuild), rate(rebuildSQL), ratio(rebuild, rebuildSQL), "—", "—", "—", "—",
        ])
        rows.append([
            "The same rebuild as `clinic rebuild` folds (the ledger on a second thread, billing events not "
                + "decrypted), events/s",
            rate(rebuildProduct), "—", "—", "—", "—", "≥ 2M events/s",
            verdict(rebuildProduct >= 2_000_000, "\(rate(rebuildProduct))/s"),
        ])
        let scanMB = figures.median("scan.cliniclog.megabytes")
        let lz4 = figures.median("lz4.decompress")
        rows.append([
            "Sequential read, no decode, events/s (ClinicLog: \(decimal(scanMB, 0)) MB/s uncompressed)",
            rate(figures.median("scan.cliniclog")), rate(figures.median("scan.sqlite")),
            ratio(figures.median("scan.cliniclog"), figures.median("scan.sqlite")),
            "\(decimal(lz4, 0)) MB/s (`lz4 -b1` decompression, same bytes)", percent(scanMB, lz4), "≥ 50% of lz4",
            verdict(scanMB >= 0.5 * lz4, percent(scanMB, lz4)),
        ])
        let patient = figures.median("patient.cold.cliniclog")
        let patientSQL = figures.median("patient.cold.sqlite")
        rows.append([
            "One patient's history among \(grouped(options.events)) events "
                + "(\(decimal(sizes.meanEventsPerPatientQuery, 1)) events, 5 streams), new reader / connection, ms "
                + "(lower is better)",
            decimal(patient, 2), decimal(patientSQL, 2), ratio(patient, patientSQL), "—", "—", "≤ 50 ms",
            verdict(patient <= 50, "\(decimal(patient, 1)) ms"),
        ])
        let warm = figures.median("patient.warm.cliniclog")
        let warmSQL = figures.median("patient.warm.sqlite")
        rows.append([
            "The same, reader / connection kept open, ms (lower is better)", decimal(warm, 2), decimal(warmSQL, 2),
            ratio(warm, warmSQL), "—", "—", "—", "—",
        ])
        let total = Double(sizes.clinicLogTotal)
        let sqliteBytes = Double(sizes.sqliteFile)
        let json = Double(sizes.jsonLines)
        rows.append([
            "Size on disk of \(grouped(sizes.events)) events, patient data sealed, MB (lower is better)",
            megabytes(total), megabytes(sqliteBytes), ratio(total, sqliteBytes),
            "\(megabytes(json)) (the same events as JSON lines)", ratio(total, json), "≤ 1/3 of JSON lines; < SQLite",
            verdict(
                total * 3 <= json && total < sqliteBytes,
                "\(ratio(total, json)) JSON, \(ratio(total, sqliteBytes)) SQLite"),
        ])
        let verify = figures.median("verify.cliniclog")
        let sha = figures.median("verify.sha256sum")
        rows.append([
            "Whole-log verification (`LogVerifier.verify`), MB/s of segment data", decimal(verify, 0), "—", "—",
            "\(decimal(sha, 0)) MB/s (`sha256sum` over the segment files)", percent(verify, sha),
            "≥ 50% of sha256sum", verdict(verify >= 0.5 * sha, percent(verify, sha)),
        ])
        return table(
            header: [
                "Measure", "ClinicLog", "SQLite (GRDB)", "ClinicLog / SQLite", "Machine limit", "ClinicLog / limit",
                "Target (issue 7)", "Met?",
            ],
            rows: rows)
    }

    private func sizeTable() -> String {
        let events = Double(max(1, sizes.events))
        func row(_ name: String, _ bytes: Int64) -> [String] {
            [name, grouped(Int(bytes)), decimal(Double(bytes) / events, 1)]
        }
        return """
            Sizes (\(grouped(sizes.events)) events of \(grouped(sizes.patientsRegistered)) patients; both stores \
            loaded in durable appends / transactions of 1000 events, ClinicLog in \
            \(decimal(sizes.clinicLogLoadSeconds, 1)) s, SQLite in \(decimal(sizes.sqliteLoadSeconds, 1)) s):


            """
                + table(
                    header: ["Store", "Bytes", "Bytes per event"],
                    rows: [
                        row("ClinicLog: batches as stored (headers, LZ4 blocks)", sizes.clinicLogBatches),
                        row("ClinicLog: index files", sizes.clinicLogIndexes),
                        row("ClinicLog: manifest, checkpoints, lock", sizes.clinicLogOther),
                        row("ClinicLog: total (the table's figure)", sizes.clinicLogTotal),
                        row(
                            "ClinicLog: blocks allocated (`du`, with the active segment's preallocated zeros)",
                            sizes.clinicLogAllocated),
                        row(
                            "SQLite: database file after `wal_checkpoint(TRUNCATE)`, WAL and shm included",
                            sizes.sqliteFile),
                        row("JSON lines, patient data in clear", sizes.jsonLines),
                        row("Uncompressed record bytes (the `lz4 -b1` input)", sizes.payloadFile),
                    ])
    }

    private func runTable() -> String {
        let labels: [(String, String)] =
            options.appendEvents.flatMap { batch, _ in
                [
                    ("append.\(batch).cliniclog", "ClinicLog, \(batch) per append, events/s"),
                    ("append.\(batch).cliniclog.events", "ClinicLog, \(batch) per append, events appended"),
                    ("append.\(batch).sqlite", "SQLite, \(batch) per transaction, events/s"),
                    ("append.\(batch).sqlite.events", "SQLite, \(batch) per transaction, events appended"),
                    (
                        "append.\(batch).raw.preallocated",
                        "write + fdatasync, preallocated file, \(batch)-event blocks, events/s"
                    ),
                    (
                        "append.\(batch).raw.extending",
                        "write + fdatasync, growing file, \(batch)-event blocks, events/s"
                    ),
                ]
            } + [
                ("concurrent.cliniclog.one", "ClinicLog, 1 appender awaiting `append`, appends/s"),
                ("concurrent.cliniclog", "ClinicLog, \(options.appenders) concurrent appenders, appends/s"),
                ("concurrent.cliniclog.events", "ClinicLog, \(options.appenders) concurrent appenders, appends made"),
                ("concurrent.sqlite", "SQLite, \(options.appenders) concurrent threads, appends/s"),
                ("concurrent.sqlite.events", "SQLite, \(options.appenders) concurrent threads, appends made"),
                ("decode.cliniclog", "ClinicLog, read and decode, events/s"),
                ("decode.sqlite", "SQLite, read and decode, events/s"),
                ("scan.cliniclog", "ClinicLog, read only, events/s"),
                ("scan.cliniclog.megabytes", "ClinicLog, read only, uncompressed MB/s"),
                ("scan.sqlite", "SQLite, read only, events/s"),
                ("rebuild.cliniclog", "ClinicLog, rebuild of the four views on one thread, events/s"),
                ("rebuild.sqlite", "SQLite, rebuild of the four views on one thread, events/s"),
                ("rebuild.cliniclog.product", "ClinicLog, rebuild as `clinic rebuild` folds, events/s"),
                ("lz4.decompress", "`lz4 -b1` decompression, MB/s"),
                ("lz4.compress", "`lz4 -b1` compression, MB/s"),
                ("patient.cold.cliniclog", "ClinicLog, one patient, new reader, median ms"),
                ("patient.cold.sqlite", "SQLite, one patient, new connection, median ms"),
                ("patient.warm.cliniclog", "ClinicLog, one patient, reader kept, median ms"),
                ("patient.warm.sqlite", "SQLite, one patient, connection kept, median ms"),
                ("verify.cliniclog", "`LogVerifier.verify`, MB/s"),
                ("verify.sha256sum", "`sha256sum`, MB/s"),
            ]
        let runs = (1...options.repetitions).map { "Run \($0)" }
        let rows = labels.map { key, label in
            [label] + figures.values(key).map(figureText) + [figureText(figures.median(key))]
        }
        return "Every run:\n\n" + table(header: ["Figure"] + runs + ["Median"], rows: rows)
    }

    private func machineTable() -> String {
        let machine = comparison.machine
        return "The machine:\n\n"
            + table(
                header: ["", ""],
                rows: [
                    ["processors (`nproc`)", "\(machine.processors)"],
                    ["CPU (`/proc/cpuinfo`)", machine.cpu],
                    ["kernel (`uname -r`)", machine.kernel],
                    ["memory", machine.memory],
                    ["scratch file system (`df`)", machine.disk],
                    ["load average at start / end", "\(comparison.loadAtStart) / \(comparison.loadAtEnd)"],
                ])
    }

    private func method() -> String {
        """
        How each figure is taken (`Benchmarks/README.md` has more):
        - The events: a seeded office history from `OfficeHistory` (the generator behind `tools/generate-events`): \
        \(grouped(sizes.patientsRegistered)) patients registered over the first \(grouped(options.events)) events, \
        three providers, visits with bookings, check-ins, vitals, notes, charges, copays, insurance payments and \
        adjustments, consents, coverage, eligibility checks, a day close every office day. Each payload is \
        `EventCodec.encode(_:envelope:sealingWith:)` with the patient data sealed under the patient's own key (a \
        `PatientKeyring` with one key per patient); SQLite stores the very same payload bytes in its BLOB column.
        - Durability: ClinicLog as configured by default (64 MiB segments, preallocated, fdatasync before an append \
        returns); SQLite with `journal_mode=WAL` and `synchronous=FULL` (the WAL is fsynced at every commit), table \
        `events(position INTEGER PRIMARY KEY, stream, stream_version, type, recorded_time, effective_time, payload \
        BLOB)` with a UNIQUE index on `(stream, stream_version)`. ClinicLog checks every stream's expected version, \
        keeps its event-id table (idempotent retries), a Merkle tree and CRC-32C per batch; SQLite relies on the \
        unique index and keeps none of the others. Neither side's setup (opening, creating, preallocating) is timed.
        - Appends: the history's events in order, in batches, one durable append (`RecordLog.appendAndWait`) or one \
        transaction (`DatabasePool.write`, a prepared INSERT per event) per batch, into a new log or database each \
        run, until \(options.appendEvents.map { "\(grouped($0.events))" }.joined(separator: ", ")) events are \
        stored or the append that passes \(decimal(options.appendSeconds, 0)) s returns; events/s is what was \
        stored over the time it took. The machine limit is a loop of `pwrite` + `fdatasync` of blocks the size of \
        ClinicLog's average stored batch for that batch size, as many as ClinicLog wrote, into a file zero-filled \
        and fsynced first (as ClinicLog preallocates); the growing-file loop is in the run table.
        - Concurrent appenders: the first \(grouped(options.appenders * options.appendsPerAppender)) events split \
        over \(options.appenders) lanes by stream (so no two lanes write one stream; lanes differ in length, one \
        holds the busiest streams), every lane stopping when the first lane has none left (so that all appenders are \
        active throughout) or after the append that passes the time limit; ClinicLog runs one task per lane, each awaiting `RecordLog.append` of one event at a time (group commit \
        shares the fdatasyncs); SQLite runs one thread per lane, each committing one-event transactions through \
        GRDB's `DatabasePool` (one serialized writer connection: SQLite allows one writer at a time, so each commit \
        syncs on its own). The target's reference, ClinicLog with one task awaiting `append` of one event at a \
        time, runs just before in each run, as the disk's fdatasync rate drifts during a run on this machine.
        - Reads: ClinicLog `LogReader.forEachRecordView` (a new reader each run) then `EventCodec.decode(_:opening: \
        nil)` of the payload in place; SQLite `SELECT payload FROM events ORDER BY position` through a read-only \
        `DatabaseQueue`, the BLOB read in place (`Row.withUnsafeData`), then the same decode. Decoding without a \
        keyring reads the clear part and skips the sealed fields (patient data withheld). Both decode the same \
        events (counts and a checksum of the decoded envelopes are compared). `lz4 -b1` runs on the log's \
        uncompressed batch payloads (every record framed by its u32 length, as LZ4 expands them), written out by the \
        runner.
        - One patient: \(options.patientQueries) patients drawn with a seed; ClinicLog \
        `LogReader.records(inStream:)` of the patient's five streams (`patient-`, `consent-`, `coverage-`, `chart-`, \
        `account-`), merged by position; SQLite `WHERE stream IN (…) ORDER BY position`; every event decoded. \
        "New reader / connection" makes a `LogReader` or opens a read-only `DatabaseQueue` per query, as a command \
        would; the median over the patients is taken per run.
        - Sizes: ClinicLog's stored batches (`LogReader.storageSummary().storedBytes`), index files and small files; \
        SQLite's files after `PRAGMA wal_checkpoint(TRUNCATE)`. The JSON lines are `EventJSONLine`: one object per \
        event with the envelope's fields and the body's properties by name (read with `Mirror`), absent optionals \
        left out, no whitespace, patient data decoded in clear with the keyring.
        - Verification: `LogVerifier.verify()` over the log (CRC-32C of every batch and sealed segment, framing, \
        indexes rebuilt and compared, the Merkle tree of every record) against `sha256sum` over the same segment \
        files (its process start included), in MB/s of the segment files' bytes. The last segment is first cut to \
        its data (its preallocated zeros removed, as a log written without preallocation), so both read the same \
        bytes, all of them batches.

        """
    }

    // MARK: - Formatting

    private func table(header: [String], rows: [[String]]) -> String {
        var text = "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows { text += "| " + row.joined(separator: " | ") + " |\n" }
        return text
    }

    private func verdict(_ met: Bool, _ detail: String) -> String { met ? "**yes** (\(detail))" : "**no** (\(detail))" }

    private func ratio(_ numerator: Double, _ denominator: Double) -> String {
        guard denominator > 0 else { return "—" }
        let value = numerator / denominator
        return value >= 10 ? "\(decimal(value, 0))×" : "\(decimal(value, 2))×"
    }

    private func percent(_ numerator: Double, _ denominator: Double) -> String {
        denominator > 0 ? "\(decimal(100 * numerator / denominator, 0))%" : "—"
    }

    private func rate(_ value: Double) -> String {
        if value >= 1_000_000 { return "\(decimal(value / 1_000_000, 2))M" }
        if value >= 100_000 { return "\(decimal(value / 1_000, 0))k" }
        return grouped(Int(value.rounded()))
    }

    private func megabytes(_ bytes: Double) -> String { "\(decimal(bytes / 1e6, 1)) MB" }

    private func figureText(_ value: Double) -> String {
        value >= 1_000 ? grouped(Int(value.rounded())) : decimal(value, value >= 100 ? 0 : 2)
    }

    private func decimal(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    private func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Replaces the text between the markers of the file at `path` with `section`; the markers must be there.
    static func write(_ section: String, intoDocs path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let begin = text.range(of: beginMarker), let end = text.range(of: endMarker),
            begin.upperBound <= end.lowerBound
        else {
            throw CompareError(
                "\(path) has no \(beginMarker) … \(endMarker) section; add the two markers where the table belongs")
        }
        let updated = text[..<begin.upperBound] + "\n" + section + text[end.lowerBound...]
        try String(updated).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
