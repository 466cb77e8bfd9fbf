/// A fast 64-bit hash of short byte strings (stream ids, event type names) for in-memory hash tables: not
/// cryptographic and not stable across versions, so never written to disk. Reads eight bytes at a time and mixes
/// them with multiply-xorshift steps.
public enum ByteHash {
    /// The hash of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    /// Whether the bytes of `stored` from `start` on begin with all of `bytes`, compared eight at a time (the caller
    /// checks that `stored` holds `bytes.count` bytes from `start`): the key comparison of the tables `hash` serves.
    public static func equal(_ stored: UnsafeRawBufferPointer, at start: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            if stored.loadUnaligned(fromByteOffset: start + index, as: UInt64.self)
                != bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < bytes.count {
            if stored[start + index] != bytes[index] { return false }
            index += 1
        }
        return true
    }
}
