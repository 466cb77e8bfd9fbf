/// The catalogue's event types found by the bytes of their names, for decoding: the envelope's type name is looked up
/// in place, so decoding it allocates no string and picks the body's reader without comparing names in turn.
///
/// Each entry holds the catalogue's own name string (shared by every event decoded) and the current schema version the
/// codec's registry declares for it; an entry's index is its type's index in `ClinicEvent.bodyTypes`, which
/// `ClinicEvent.decodeCurrent(bodyTypeIndex:from:)` reads the current body of. A name not in the table (a type the
/// registry declares but the catalogue lacks, or an unknown one) is decoded the general way.
struct EventTypeTable: Sendable {
    /// One type of the catalogue.
    struct Entry: Sendable {
        /// The type's name.
        let name: String
        /// The registry's current schema version of the type; nil when the registry does not declare it.
        let currentVersion: UInt32?
    }

    /// Every type of the catalogue, in the order of `ClinicEvent.bodyTypes`.
    let entries: [Entry]
    /// The byte count of each entry's name, in `entries` order (kept apart so a lookup copies no entry).
    private let nameByteCounts: [Int]
    /// Four words of each entry's name, in `entries` order: the eight bytes at offsets 0, 8 and 16 (0 where the name is
    /// too short for them to be compared) and its last eight bytes. Equal words at these offsets and an equal length
    /// mean an equal name (see `index(of:)`).
    private let nameWords: [UInt64]
    /// An open-addressing table of indexes into `entries` (-1 for an empty slot), four slots per entry or more.
    private let slots: [Int]

    /// The shortest name the table holds, in bytes: every name is compared a word at a time.
    static let nameByteCountMin = 8
    /// The longest name the table holds, in bytes: four words.
    static let nameByteCountMax = 32

    /// Makes the table of the catalogue with the current versions that `registry` declares.
    init(registry: SchemaRegistry) {
        entries = ClinicEvent.bodyTypes.map { bodyType in
            precondition(EventEnvelope.isValidEventType(bodyType.eventType), "a catalogue type name is not valid")
            return Entry(name: bodyType.eventType, currentVersion: registry.currentVersion(of: bodyType.eventType))
        }
        let nameBytes = entries.map { Array($0.name.utf8) }
        precondition(
            nameBytes.allSatisfy { (Self.nameByteCountMin...Self.nameByteCountMax).contains($0.count) },
            "a catalogue type name is shorter than 8 or longer than 32 bytes")
        nameByteCounts = nameBytes.map(\.count)
        nameWords = nameBytes.flatMap { bytes in bytes.withUnsafeBytes { Self.words(of: $0) } }
        var slotCount = 1
        while slotCount < entries.count * 4 { slotCount <<= 1 }
        var slots = [Int](repeating: -1, count: slotCount)
        for index in entries.indices {
            let hash = Self.hash(
                first: nameWords[index * 4], last: nameWords[index * 4 + 3], byteCount: nameByteCounts[index])
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = index
        }
        self.slots = slots
    }

    /// The index in `entries` of the type named by `name`, nil when the catalogue has none of that name.
    ///
    /// A name of 8 to 32 bytes is covered by its first eight bytes, its last eight, and (above 16 bytes) the eight at
    /// offset 8 and (above 24) the eight at offset 16: comparing those words and the length compares every byte.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer) -> Int? {
        let count = name.count
        guard count >= Self.nameByteCountMin, count <= Self.nameByteCountMax else { return nil }
        let first = name.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let last = name.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(first: first, last: last, byteCount: count)) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let words = index * 4
            if nameByteCounts[index] == count && nameWords[words] == first && nameWords[words + 3] == last
                && (count <= 16 || nameWords[words + 1] == name.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                && (count <= 24 || nameWords[words + 2] == name.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            {
                return index
            }
            slot = (slot + 1) & mask
        }
    }

    /// The four words `nameWords` holds of a name of 8 to 32 bytes.
    private static func words(of name: UnsafeRawBufferPointer) -> [UInt64] {
        let count = name.count
        return [
            name.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            count > 16 ? name.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0,
            count > 24 ? name.loadUnaligned(fromByteOffset: 16, as: UInt64.self) : 0,
            name.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self),
        ]
    }

    /// A 64-bit hash of a name of 8 bytes or more: its first and last eight bytes and its length, mixed (the table
    /// compares the whole name after).
    @inline(__always)
    private static func hash(first: UInt64, last: UInt64, byteCount: Int) -> UInt64 {
        let mixed = (first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(byteCount)) &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 29)
    }
}
