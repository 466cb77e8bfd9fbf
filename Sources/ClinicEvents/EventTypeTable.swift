import RecordLog

/// The catalogue's event types found by the bytes of their names, for decoding: the envelope's type name is looked up
/// in place, so decoding it allocates no string and picks the body's reader without comparing names in turn.
///
/// Each entry holds the catalogue's own name string (shared by every event decoded), the current schema version the
/// codec's registry declares for it, and the reader of its current body. A name not in the table (a type the registry
/// declares but the catalogue lacks, or an unknown one) is decoded the general way.
struct EventTypeTable: Sendable {
    /// One type of the catalogue.
    struct Entry: Sendable {
        /// The type's name.
        let name: String
        /// The registry's current schema version of the type; nil when the registry does not declare it.
        let currentVersion: UInt32?
        /// Reads the body at the current schema version.
        let read: @Sendable (inout BinaryDecoder) throws -> ClinicEvent
    }

    /// Every type of the catalogue, in the order of `ClinicEvent.bodyReaders`.
    let entries: [Entry]
    /// The hash of each entry's name, in `entries` order (kept apart so a lookup copies no entry).
    private let nameHashes: [UInt64]
    /// Where each entry's name starts in `names`, in `entries` order, then the end of the last one.
    private let nameStarts: [Int]
    /// The bytes of every entry's name, one after the other.
    private let names: [UInt8]
    /// An open-addressing table of indexes into `entries` (-1 for an empty slot), four slots per entry or more.
    private let slots: [Int]

    /// Makes the table of the catalogue with the current versions that `registry` declares.
    init(registry: SchemaRegistry) {
        entries = ClinicEvent.bodyReaders.map { reader in
            precondition(EventEnvelope.isValidEventType(reader.eventType), "a catalogue type name is not valid")
            return Entry(
                name: reader.eventType, currentVersion: registry.currentVersion(of: reader.eventType), read: reader.read
            )
        }
        let nameBytes = entries.map { Array($0.name.utf8) }
        nameHashes = nameBytes.map { bytes in bytes.withUnsafeBytes { Self.hash($0) } }
        names = nameBytes.flatMap { $0 }
        nameStarts = nameBytes.reduce(into: [0]) { starts, bytes in
            starts.append(starts[starts.count - 1] + bytes.count)
        }
        var slotCount = 1
        while slotCount < entries.count * 4 { slotCount <<= 1 }
        var slots = [Int](repeating: -1, count: slotCount)
        for (index, hash) in nameHashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = index
        }
        self.slots = slots
    }

    /// The index in `entries` of the type named by `name`, nil when the catalogue has none of that name.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(name)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            if nameHashes[index] == hash {
                let start = nameStarts[index]
                let end = nameStarts[index + 1]
                if end - start == name.count && names.withUnsafeBytes({ ByteHash.equal($0, at: start, name) }) {
                    return index
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// A 64-bit hash of `bytes`: of a name of 8 bytes or more (every name of the catalogue), its first and last eight
    /// bytes and its length, mixed inline (the table compares the whole name after); of a shorter one, `ByteHash`'s.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard count >= 8 else { return ByteHash.hash(bytes) }
        let first = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        let mixed = (first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(count)) &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 29)
    }
}
