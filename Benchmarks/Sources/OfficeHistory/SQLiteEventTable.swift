import Foundation
import GRDB

/// The same events in SQLite, as an event store on SQLite keeps them: one `events` table with a global position, the
/// stream and its version (unique together: any event store needs that index for its optimistic concurrency), the
/// type, both times and the encoded payload (the very bytes ClinicLog stores) as a BLOB.
///
/// Durability as ClinicLog's: write-ahead log (`journal_mode=WAL`, which `DatabasePool` sets) and
/// `synchronous=FULL`, so a commit returns only after the WAL is fsynced (GRDB's default in WAL mode is NORMAL, which
/// syncs only at checkpoints).
public struct SQLiteEventTable: Sendable {
    /// The table and its index.
    public static let schema = """
        CREATE TABLE events (
            position INTEGER PRIMARY KEY,
            stream TEXT NOT NULL,
            stream_version INTEGER NOT NULL,
            type TEXT NOT NULL,
            recorded_time INTEGER NOT NULL,
            effective_time INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE UNIQUE INDEX events_stream_version ON events (stream, stream_version);
        """
    /// One event's insert; the position is SQLite's rowid, assigned in order.
    public static let insertSQL = """
        INSERT INTO events (stream, stream_version, type, recorded_time, effective_time, payload) \
        VALUES (?, ?, ?, ?, ?, ?)
        """

    /// The database, through GRDB's pool (one writer connection, WAL mode).
    public let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Creates a new database at `path` with the table and its index.
    public static func create(path: String) throws -> SQLiteEventTable {
        let table = try open(path: path)
        try table.pool.write { db in try db.execute(sql: schema) }
        return table
    }

    /// Opens the database at `path` with the durability above.
    ///
    /// GRDB sets `synchronous=NORMAL` when it puts a connection in WAL mode, after `prepareDatabase` runs, so FULL is
    /// set here on the writer connection once the pool is open, and checked.
    public static func open(path: String) throws -> SQLiteEventTable {
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode")
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard journal == "wal", synchronous == 2 else {
                throw DatabaseError(
                    message: "\(path) is in journal mode \(journal ?? "?") with synchronous \(synchronous ?? -1), "
                        + "not WAL with FULL (2)")
            }
        }
        return SQLiteEventTable(pool: pool, path: path)
    }

    /// The insert arguments of `event`, made before a measurement so it times SQLite, not their making; recorded at
    /// `recordedTime` (by default the event's own recorded time).
    public static func arguments(of event: HistoryEvent, recordedAt recordedTime: Int64? = nil) -> StatementArguments {
        [
            event.stream, Int64(event.streamVersion), event.eventType, recordedTime ?? event.recordedTimeMicroseconds,
            event.effectiveTimeMicroseconds, Data(event.payload),
        ]
    }

    /// Inserts the events of `arguments` in one transaction, durable when it returns.
    public func insert(_ arguments: some Collection<StatementArguments>) throws {
        try pool.write { db in
            let statement = try db.cachedStatement(sql: Self.insertSQL)
            for eventArguments in arguments {
                try statement.execute(arguments: eventArguments)
            }
        }
    }

    /// Inserts `events` in one transaction, every row recorded at the last event's recorded time: the time the store
    /// recorded them, as a ClinicLog append records its whole batch (`HistoryLogWriter`), so both stores hold the same
    /// recorded times and the views folded from either are the same.
    public func insert(_ events: some Collection<HistoryEvent>) throws {
        guard let last = events.reversed().first else { return }
        try insert(events.map { Self.arguments(of: $0, recordedAt: last.recordedTimeMicroseconds) })
    }

    /// Moves the WAL's content into the database file and empties the WAL (`wal_checkpoint(TRUNCATE)`).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// The bytes of the database file, its WAL and its shared-memory index, as they are now.
    public func fileBytes() -> Int64 {
        [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
