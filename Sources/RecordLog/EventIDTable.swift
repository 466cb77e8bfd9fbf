/// A map from event ids to positions, built for the append path: open addressing with linear probing and a cheap
/// mixing hash instead of `Dictionary`'s per-process SipHash, so each lookup or insert costs a few nanoseconds.
struct EventIDTable: Sendable {
    private struct Slot: Sendable {
        var high: UInt64
        var low: UInt64
        /// `UInt64.max` marks an empty slot; no record has that position.
        var position: UInt64
    }

    private static let empty = UInt64.max
    private var slots: [Slot]
    private var mask: Int
    /// The number of ids stored.
    private(set) var count = 0

    /// An empty table with room for `minimumCapacity` ids before it grows.
    init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity * 7 < minimumCapacity * 10 { capacity *= 2 }
        slots = [Slot](repeating: Slot(high: 0, low: 0, position: Self.empty), count: capacity)
        mask = capacity - 1
    }

    var isEmpty: Bool { count == 0 }

    private static func slotIndex(_ id: EventID, mask: Int) -> Int {
        var mixed = id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 31)) &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed) & mask
    }

    /// The position stored for `id`.
    subscript(id: EventID) -> UInt64? {
        var index = Self.slotIndex(id, mask: mask)
        while true {
            let slot = slots[index]
            if slot.position == Self.empty { return nil }
            if slot.high == id.high, slot.low == id.low { return slot.position }
            index = (index + 1) & mask
        }
    }

    /// Stores `position` for `id` unless it is there already; returns the position stored before, if any.
    @discardableResult
    mutating func insert(_ id: EventID, position: UInt64) -> UInt64? {
        precondition(position != Self.empty, "UInt64.max is not a position")
        if (count + 1) * 10 > slots.count * 7 { grow() }
        var index = Self.slotIndex(id, mask: mask)
        while true {
            let slot = slots[index]
            if slot.position == Self.empty {
                slots[index] = Slot(high: id.high, low: id.low, position: position)
                count += 1
                return nil
            }
            if slot.high == id.high, slot.low == id.low { return slot.position }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(high: 0, low: 0, position: Self.empty), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for slot in old where slot.position != Self.empty {
            insert(EventID(high: slot.high, low: slot.low), position: slot.position)
        }
    }

    /// Every id and its position, in no particular order.
    var entries: [(id: EventID, position: UInt64)] {
        var result: [(id: EventID, position: UInt64)] = []
        result.reserveCapacity(count)
        for slot in slots where slot.position != Self.empty {
            result.append((EventID(high: slot.high, low: slot.low), slot.position))
        }
        return result
    }
}

extension EventIDTable: Equatable {
    static func == (lhs: EventIDTable, rhs: EventIDTable) -> Bool {
        lhs.count == rhs.count && lhs.entries.allSatisfy { rhs[$0.id] == $0.position }
    }
}
