/// The stream table of a segment as ``LogVerifier`` rebuilds it, keyed by the stream ids' bytes: open addressing over
/// a hash of the bytes, the ids kept back to back in one array, so a record's stream is found without making a
/// `String` of it (what ``SegmentIndex/add(batch:at:intervalBytes:recordingEventIDs:recordingStreams:)`` does for each
/// record). It is compared with an index file's stream table and Bloom filter at the end of the segment.
///
/// An index keys its streams by `String`, whose equality is Unicode canonical equivalence: two ids of different bytes
/// can be one key there. For ids all ASCII (the case of every id the clinic makes) bytes and strings agree, and the
/// comparisons run on the bytes; otherwise ``streams`` makes the `[String: StreamEntry]` an index rebuilt record by
/// record would hold, and the comparisons are made on it.
struct SegmentStreamTable {
    /// The stream ids met, numbered in the order first met.
    private var ids: ByteKeyInterner
    /// Each stream's entry, by its number in `ids` (so by the position of their first record).
    private var entries: [SegmentIndex.StreamEntry] = []
    /// Whether every id met is ASCII.
    private(set) var isASCII = true

    /// The number of distinct stream ids (by bytes).
    var count: Int { entries.count }

    /// An empty table with room for about `expectedStreams` ids before it grows.
    init(expectedStreams: Int = 0) {
        ids = ByteKeyInterner(expectedKeys: expectedStreams)
        entries.reserveCapacity(expectedStreams)
    }

    /// Adds every record of `batch`, in order.
    mutating func add(_ batch: DecodedBatch) {
        _ = batch.forEachRecordView { record in
            add(stream: record.streamUTF8, version: record.streamVersion, position: record.position)
            return true
        }
    }

    /// Adds the record at `position`, of version `version` of the stream whose id has the bytes `utf8`.
    mutating func add(stream utf8: UnsafeRawBufferPointer, version: UInt64, position: UInt64) {
        let (number, isNew) = ids.intern(utf8)
        if isNew {
            if isASCII, !Self.isASCII(utf8) { isASCII = false }
            entries.append(SegmentIndex.StreamEntry(firstVersion: version, positions: [position]))
        } else {
            entries[number].positions.append(position)
        }
    }

    /// The entry of the stream whose id has the bytes `utf8`, if the table holds it.
    func entry(for utf8: UnsafeRawBufferPointer) -> SegmentIndex.StreamEntry? {
        ids.number(of: utf8).map { entries[$0] }
    }

    /// Whether `streams` (an index's stream table) is the table rebuilt here: what `streams == self.streams` says,
    /// without making the strings when every id is ASCII.
    func matches(_ streams: [String: SegmentIndex.StreamEntry]) -> Bool {
        guard isASCII else { return streams == self.streams }
        guard streams.count == entries.count else { return false }
        for (name, entry) in streams {
            var name = name
            let found = name.withUTF8 { self.entry(for: UnsafeRawBufferPointer($0)) }
            guard found == entry else { return false }
        }
        return true
    }

    /// The stream Bloom filter an index of these streams writes (``SegmentIndex/streamFilter()`` of ``streams``).
    func streamFilter() -> BloomFilter {
        guard isASCII else {
            var index = SegmentIndex(basePosition: 0)
            index.streams = streams
            return index.streamFilter()
        }
        var filter = BloomFilter(expectedKeys: entries.count)
        for number in entries.indices { ids.withKey(number) { filter.insert($0) } }
        return filter
    }

    /// The table keyed by `String`, as an index rebuilt record by record holds it: ids that are one `String` key
    /// share one entry (the first id's, with its first version), their positions in log order.
    var streams: [String: SegmentIndex.StreamEntry] {
        var streams: [String: SegmentIndex.StreamEntry] = [:]
        streams.reserveCapacity(entries.count)
        for (number, entry) in entries.enumerated() {
            let name = ids.withKey(number) { String(decoding: $0, as: UTF8.self) }
            if let earlier = streams[name] {
                streams[name] = SegmentIndex.StreamEntry(
                    firstVersion: earlier.firstVersion, positions: (earlier.positions + entry.positions).sorted())
            } else {
                streams[name] = entry
            }
        }
        return streams
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }
}
