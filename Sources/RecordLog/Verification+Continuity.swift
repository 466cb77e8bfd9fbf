/// Problems of one kind found along a log, of which the first ``listedMax`` are listed; one more problem, at the first
/// record left out, then says how many more there were.
struct CappedProblems {
    /// The most problems listed.
    static let listedMax = 100

    /// Which check finds the problems.
    let kind: VerificationProblem.Kind
    /// What the problems are about, for the line that counts those left out: "stream versions", "event ids".
    let subject: String
    private(set) var listed: [VerificationProblem] = []
    private var omittedCount = 0
    private var firstOmitted: LogLocation?

    init(kind: VerificationProblem.Kind, subject: String) {
        self.kind = kind
        self.subject = subject
    }

    mutating func append(_ location: LogLocation, _ reason: String) {
        guard listed.count < Self.listedMax else {
            omittedCount += 1
            if firstOmitted == nil { firstOmitted = location }
            return
        }
        listed.append(VerificationProblem(location: location, reason: reason, kind: kind))
    }

    /// The listed problems, and the one that counts those left out.
    var all: [VerificationProblem] {
        guard let firstOmitted else { return listed }
        return listed + [
            VerificationProblem(
                location: firstOmitted,
                reason: "\(omittedCount) more problems with \(subject) from here on (not listed)", kind: kind)
        ]
    }
}

/// The location of the record at `position` in the batch at `batchOffset` of `segment`.
private func recordLocation(_ position: UInt64, segment: String, batchOffset: Int) -> LogLocation {
    LogLocation(file: segment, offset: Int64(batchOffset), positions: position..<position + 1)
}

/// Gapless stream versions along the whole log (docs/log-format.md section 19, item 6), which no segment can check
/// alone: each stream's versions run 1, 2, 3 … in log order, stream ids compared by their bytes. ``LogVerifier`` runs
/// it over every batch it reads, in log order, on its segment side. Memory: per stream, its id's bytes and a
/// 32-byte slot.
struct StreamVersionCheck {
    /// Whether the records checked start at position 0. A verification that starts later does not know the versions
    /// before its start: a stream's first record after it is taken as it is.
    let startsAtZero: Bool
    private var versions = StreamVersionTable()
    private(set) var problems = CappedProblems(kind: .streamVersions, subject: "stream versions")

    init(startsAtZero: Bool) {
        self.startsAtZero = startsAtZero
    }

    /// Checks the records of the next batch of the log, at `batchOffset` of `segment`.
    mutating func check(_ batch: DecodedBatch, segment: String, batchOffset: Int) {
        _ = batch.forEachRecordView { record in
            let version = record.streamVersion
            let previous = versions.exchange(version, forStream: record.streamUTF8)
            if previous != 0 || startsAtZero, version != previous &+ 1 {
                problems.append(
                    recordLocation(record.position, segment: segment, batchOffset: batchOffset),
                    "stream version \(version), expected \(previous &+ 1) (a stream's versions run 1, 2, 3 ... without "
                        + "a gap along the log: records of the stream were removed, inserted or reordered)")
            }
            return true
        }
    }
}

/// Unique event ids along the whole log (docs/log-format.md section 19, item 6): every id read, with the position of
/// its first record, in one table for the whole log. ``LogVerifier`` fills it in log order, beside the Merkle tree.
/// Memory: a 24-byte slot per event, the table at most 70% full (about 48 MB for a million events).
struct EventIDCheck {
    private(set) var positions: EventIDTable
    private(set) var problems = CappedProblems(kind: .eventIDs, subject: "event ids")

    /// An empty check with room for `expectedCount` ids before its table grows.
    init(expectedCount: Int) {
        positions = EventIDTable(minimumCapacity: expectedCount)
    }

    /// Adds the ids of the records of the next batch of the log, at `batchOffset` of `segment`.
    mutating func check(_ batch: DecodedBatch, segment: String, batchOffset: Int) {
        _ = batch.forEachRecordView { record in
            let position = record.position
            if let first = positions.insert(record.eventID, position: position) {
                problems.append(
                    recordLocation(position, segment: segment, batchOffset: batchOffset),
                    "event id stored twice, first at position \(first) (an event id is unique in the log: an event "
                        + "was copied or replayed)")
            }
            return true
        }
    }
}

/// The event id of each record of one segment, by position, as the segment side of ``LogVerifier`` reads them: what
/// the segment's index file's event table is compared with. Memory: 16 bytes per record of the segment.
struct SegmentEventIDs {
    /// The position of the first record.
    private(set) var basePosition: UInt64
    /// The id of the record at `basePosition + n`, at `n`.
    private var ids: [EventID] = []

    /// An empty list for the segment whose first record is at `basePosition`, with room for `expectedCount` ids.
    init(basePosition: UInt64, expectedCount: Int = 0) {
        self.basePosition = basePosition
        ids.reserveCapacity(expectedCount)
    }

    /// Empties the list for the segment whose first record is at `basePosition`, keeping its storage.
    mutating func reset(basePosition: UInt64) {
        self.basePosition = basePosition
        ids.removeAll(keepingCapacity: true)
    }

    /// Adds the ids of the records of the segment's next batch, whose first record follows the last one added.
    mutating func add(_ batch: DecodedBatch) {
        precondition(
            batch.header.basePosition == basePosition + UInt64(ids.count), "a segment's batches are added in order")
        _ = batch.forEachRecordView { record in
            ids.append(record.eventID)
            return true
        }
    }

    /// Whether the record at `position` has the id `id`.
    func holds(_ id: EventID, at position: UInt64) -> Bool {
        position >= basePosition && position - basePosition < UInt64(ids.count)
            && ids[Int(position - basePosition)] == id
    }

    /// Whether the event table of an index file, read in place, holds exactly the ids of the records at `range`, each
    /// with its position (its ids are distinct: the table is checked strictly ascending).
    func matches(_ entries: IndexFileEventEntries, recordsAt range: Range<UInt64>) -> Bool {
        entries.count == range.count
            && entries.allSatisfy { id, position in range.contains(position) && holds(id, at: position) }
    }
}

/// The last version of each stream, keyed by the stream id's bytes (`ByteKeyInterner`), so a look-up allocates
/// nothing.
struct StreamVersionTable {
    private var streams = ByteKeyInterner()
    /// Each stream's last version, by its number in `streams`.
    private var versions: [UInt64] = []

    /// The number of streams stored.
    var count: Int { streams.count }

    /// Stores `version` (at least 1) as the last version of the stream whose id has the bytes `utf8`, and returns the
    /// version stored before (0 for a stream not seen yet).
    mutating func exchange(_ version: UInt64, forStream utf8: UnsafeRawBufferPointer) -> UInt64 {
        precondition(version != 0, "a stored stream version is at least 1")
        let (number, isNew) = streams.intern(utf8)
        if isNew {
            versions.append(version)
            return 0
        }
        defer { versions[number] = version }
        return versions[number]
    }
}
