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
    private struct Slot {
        var hash: UInt64 = 0
        var keyStart = 0
        var keyCount = 0
        /// 0 marks an empty slot; otherwise the entry's index in `entries` plus 1.
        var entry = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 1 << 10)
    private var keys: [UInt8] = []
    /// Where each entry's id starts in `keys`, in the order streams were first met, then the end of the last one.
    private var keyStarts: [Int] = [0]
    /// Each stream's entry, in the order streams were first met (so by the position of their first record).
    private var entries: [SegmentIndex.StreamEntry] = []
    /// Whether every id met is ASCII.
    private(set) var isASCII = true

    /// The number of distinct stream ids (by bytes).
    var count: Int { entries.count }

    /// An empty table with room for about `expectedStreams` ids before it grows.
    init(expectedStreams: Int = 0) {
        var capacity = 1 << 10
        while capacity * 3 < expectedStreams * 4 { capacity *= 2 }
        slots = [Slot](repeating: Slot(), count: capacity)
        entries.reserveCapacity(expectedStreams)
        keyStarts.reserveCapacity(expectedStreams + 1)
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
        if (entries.count + 1) * 4 > slots.count * 3 { grow() }
        let hash = StreamVersionTable.hash(utf8)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.entry == 0 {
                slots[index] = Slot(hash: hash, keyStart: keys.count, keyCount: utf8.count, entry: entries.count + 1)
                if isASCII, !Self.isASCII(utf8) { isASCII = false }
                keys.append(contentsOf: utf8)
                keyStarts.append(keys.count)
                entries.append(SegmentIndex.StreamEntry(firstVersion: version, positions: [position]))
                return
            }
            if slot.hash == hash, slot.keyCount == utf8.count, keyEquals(slot.keyStart, utf8) {
                entries[slot.entry - 1].positions.append(position)
                return
            }
            index = (index + 1) & mask
        }
    }

    /// The entry of the stream whose id has the bytes `utf8`, if the table holds it.
    func entry(for utf8: UnsafeRawBufferPointer) -> SegmentIndex.StreamEntry? {
        let hash = StreamVersionTable.hash(utf8)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.entry == 0 { return nil }
            if slot.hash == hash, slot.keyCount == utf8.count, keyEquals(slot.keyStart, utf8) {
                return entries[slot.entry - 1]
            }
            index = (index + 1) & mask
        }
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
        keys.withUnsafeBytes { all in
            for number in entries.indices {
                filter.insert(UnsafeRawBufferPointer(rebasing: all[keyStarts[number]..<keyStarts[number + 1]]))
            }
        }
        return filter
    }

    /// The table keyed by `String`, as an index rebuilt record by record holds it: ids that are one `String` key
    /// share one entry (the first id's, with its first version), their positions in log order.
    var streams: [String: SegmentIndex.StreamEntry] {
        var streams: [String: SegmentIndex.StreamEntry] = [:]
        streams.reserveCapacity(entries.count)
        keys.withUnsafeBytes { all in
            for (number, entry) in entries.enumerated() {
                let name = String(
                    decoding: UnsafeRawBufferPointer(rebasing: all[keyStarts[number]..<keyStarts[number + 1]]),
                    as: UTF8.self)
                if let earlier = streams[name] {
                    streams[name] = SegmentIndex.StreamEntry(
                        firstVersion: earlier.firstVersion, positions: (earlier.positions + entry.positions).sorted())
                } else {
                    streams[name] = entry
                }
            }
        }
        return streams
    }

    private func keyEquals(_ start: Int, _ utf8: UnsafeRawBufferPointer) -> Bool {
        keys.withUnsafeBytes { stored in
            var index = 0
            while index + 8 <= utf8.count {
                if stored.loadUnaligned(fromByteOffset: start + index, as: UInt64.self)
                    != utf8.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index += 8
            }
            while index < utf8.count {
                if stored[start + index] != utf8[index] { return false }
                index += 1
            }
            return true
        }
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.entry != 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].entry != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
