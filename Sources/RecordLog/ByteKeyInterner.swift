/// Byte strings (stream ids) numbered 0, 1, 2 … in the order first met: open addressing with linear probing over
/// `ByteHash` of the bytes, the bytes kept back to back in one array, so a look-up allocates nothing. The verifier's
/// tables keep their values in arrays indexed by these numbers.
struct ByteKeyInterner {
    private struct Slot {
        var hash: UInt64 = 0
        /// -1 marks an empty slot.
        var number = -1
    }

    private var slots: [Slot]
    /// Every key's bytes, back to back, in number order.
    private(set) var keys: [UInt8] = []
    /// Where each key starts in `keys`, then the end of the last one.
    private(set) var keyStarts: [Int] = [0]

    /// The number of keys.
    var count: Int { keyStarts.count - 1 }

    /// An empty interner with room for about `expectedKeys` keys before it grows.
    init(expectedKeys: Int = 0) {
        var capacity = 1 << 10
        while capacity * 3 < expectedKeys * 4 { capacity *= 2 }
        slots = [Slot](repeating: Slot(), count: capacity)
        keyStarts.reserveCapacity(expectedKeys + 1)
    }

    /// The number of the key with the bytes `bytes`, added when it is new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (number: Int, isNew: Bool) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let hash = ByteHash.hash(bytes)
        let index = probe(hash, bytes)
        if slots[index].number >= 0 { return (slots[index].number, false) }
        slots[index] = Slot(hash: hash, number: count)
        keys.append(contentsOf: bytes)
        keyStarts.append(keys.count)
        return (count - 1, true)
    }

    /// The number of the key with the bytes `bytes`, nil when it was never interned.
    func number(of bytes: UnsafeRawBufferPointer) -> Int? {
        let slot = slots[probe(ByteHash.hash(bytes), bytes)]
        return slot.number >= 0 ? slot.number : nil
    }

    /// Calls `body` with the bytes of key `number`.
    func withKey<Result>(_ number: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        keys.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[keyStarts[number]..<keyStarts[number + 1]])) }
    }

    /// The slot holding `bytes`, or the empty slot where they would go.
    private func probe(_ hash: UInt64, _ bytes: UnsafeRawBufferPointer) -> Int {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.number < 0 { return index }
            if slot.hash == hash, keyEquals(slot.number, bytes) { return index }
            index = (index + 1) & mask
        }
    }

    /// Whether key `number` has the bytes `bytes`, compared eight at a time.
    private func keyEquals(_ number: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = keyStarts[number]
        guard keyStarts[number + 1] - start == bytes.count else { return false }
        return keys.withUnsafeBytes { ByteHash.equal($0, at: start, bytes) }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.number >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].number >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
