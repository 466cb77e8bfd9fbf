import ClinicEvents
import Foundation
import GRDB
import OfficeHistory
import RecordLog
import Synchronization

/// The SQLite half of every measurement, through GRDB: the `events` table of `SQLiteEventTable` (WAL,
/// `synchronous=FULL`, a unique index on stream and version), and the same `EventCodec` on the payload BLOBs.
struct SQLiteSide {
    let codec: EventCodec

    /// Inserts every batch in a transaction of its own (one durable commit each) into a new database; the unique
    /// index refuses a stream version stored twice, as an event store's optimistic concurrency needs.
    /// Stops, like ClinicLog's, once `seconds` have passed.
    func append(_ batches: [[StatementArguments]], path: String, seconds limit: Double) throws -> AppendRun {
        let table = try SQLiteEventTable.create(path: path)
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(limit * 1_000))
        var run = AppendRun()
        for batch in batches {
            try table.insert(batch)
            run.events += batch.count
            run.appends += 1
            if ContinuousClock.now >= deadline { break }
        }
        run.seconds = secondsSince(start)
        try table.pool.close()
        return run
    }

    /// Runs one thread per lane, each committing its single-event transactions in turn through the pool's one writer
    /// connection (GRDB serializes writes: SQLite allows one writer at a time), until the first lane is done (as on
    /// the ClinicLog side) or `seconds` have passed; returns the commits made and the seconds until the last one.
    func appendConcurrently(_ lanes: [[StatementArguments]], path: String, seconds limit: Double) throws -> AppendRun {
        let table = try SQLiteEventTable.create(path: path)
        let failures = Mutex<[String]>([])
        let commits = Mutex(0)
        let group = DispatchGroup()
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(limit * 1_000))
        let stop = StopFlag()
        for lane in lanes {
            let work = UncheckedBox(lane)
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    for arguments in work.value {
                        try table.insert(CollectionOfOne(arguments))
                        commits.withLock { $0 += 1 }
                        if ContinuousClock.now >= deadline || stop.isRaised { return }
                    }
                    stop.raise()
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            thread.start()
        }
        group.wait()
        var run = AppendRun()
        run.seconds = secondsSince(start)
        run.events = commits.withLock { $0 }
        run.appends = run.events
        try table.pool.close()
        if let failure = failures.withLock({ $0.first }) {
            throw CompareError("a concurrent SQLite insert failed: \(failure)")
        }
        return run
    }

    /// Loads `events` into a new database in transactions of `batch` events and checkpoints the WAL into the file.
    func load(_ events: [HistoryEvent], batch: Int, path: String) throws -> Double {
        let table = try SQLiteEventTable.create(path: path)
        let start = ContinuousClock.now
        var index = 0
        while index < events.count {
            let end = min(index + batch, events.count)
            try table.insert(events[index..<end])
            index = end
        }
        let seconds = secondsSince(start)
        try table.checkpoint()
        try table.pool.close()
        return seconds
    }

    /// Reads every payload in order (`SELECT payload FROM events ORDER BY position`, the BLOB read in place),
    /// touching it but decoding nothing; `bytes` counts the payload bytes.
    func scan(path: String) throws -> ReadPass {
        try read(path: path) { pass, payload in
            pass.bytes += Int64(payload.count)
            pass.checksum &+= Int64(payload.count)
        }
    }

    /// Reads and decodes every event in order: the same query, then `EventCodec.decode` of the BLOB in place with no
    /// keyring, on the calling thread.
    func scanAndDecode(path: String) throws -> ReadPass {
        try read(path: path) { pass, payload in
            pass.checksum &+= try codec.decode(payload, opening: nil).envelope.effectiveTimeMicroseconds
        }
    }

    private func read(
        path: String, _ body: (inout ReadPass, UnsafeRawBufferPointer) throws -> Void
    ) throws -> ReadPass {
        let queue = try DatabaseQueue(path: path, configuration: readOnly)
        var pass = ReadPass()
        let start = ContinuousClock.now
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT payload FROM events ORDER BY position")
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in
                    guard let data else { throw CompareError("an event has no payload") }
                    try data.withUnsafeBytes { try body(&pass, $0) }
                }
                pass.events += 1
            }
        }
        pass.seconds = secondsSince(start)
        try queue.close()
        return pass
    }

    /// Reads and decodes one patient's events: `WHERE stream IN (the patient's streams) ORDER BY position` (through
    /// the unique index on stream and version), each decoded as above. Returns the events read.
    func patientHistory(_ patientID: EventID, queue: DatabaseQueue) throws -> Int {
        try queue.read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT payload FROM events WHERE stream IN (?, ?, ?, ?, ?) ORDER BY position",
                arguments: StatementArguments(patientStreams(of: patientID)))
            var count = 0
            var checksum: Int64 = 0
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in
                    guard let data else { throw CompareError("an event has no payload") }
                    try data.withUnsafeBytes {
                        checksum &+= try codec.decode($0, opening: nil).envelope.effectiveTimeMicroseconds
                    }
                }
                count += 1
            }
            precondition(checksum != 0 || count == 0)
            return count
        }
    }

    /// Opens the database read-only, as a reading process would.
    func openReader(path: String) throws -> DatabaseQueue {
        try DatabaseQueue(path: path, configuration: readOnly)
    }

    var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// The SQLite library's version.
    func version(path: String) throws -> String {
        let queue = try openReader(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown" }
    }
}

/// A value handed to a thread that uses it alone.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
