import CLZ4

/// The LZ4 block format (no frame), as liblz4's `LZ4_compress_default` and `LZ4_decompress_safe` read and write it.
enum LZ4Block {
    /// Compresses `input`; returns nil when the result would not be smaller than the input.
    static func compress(_ input: [UInt8]) -> [UInt8]? {
        guard !input.isEmpty, input.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                source.withMemoryRebound(to: CChar.self) { source in
                    destination.withMemoryRebound(to: CChar.self) { destination in
                        LZ4_compress_default(
                            source.baseAddress, destination.baseAddress, Int32(input.count), Int32(bound))
                    }
                }
            }
        }
        guard written > 0, Int(written) < input.count else { return nil }
        output.removeLast(bound - Int(written))
        return output
    }

    /// The largest block `count` input bytes can compress to.
    static func compressBound(_ count: Int) -> Int {
        Int(LZ4_compressBound(Int32(clamping: count)))
    }

    /// Compresses `input` into `destination` (at least ``compressBound(_:)`` bytes); the compressed length, or nil.
    static func compress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Int? {
        guard input.count > 0, input.count <= Int(LZ4_MAX_INPUT_SIZE), destination.count >= compressBound(input.count)
        else { return nil }
        let written = LZ4_compress_default(
            input.baseAddress?.assumingMemoryBound(to: CChar.self),
            destination.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(destination.count))
        return written > 0 ? Int(written) : nil
    }

    /// Decompresses a block that must expand to exactly `destination.count` bytes into `destination`; false if it is
    /// malformed.
    static func decompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Bool {
        guard destination.count > 0, input.count > 0, input.count <= Int(Int32.max), destination.count <= Int(Int32.max)
        else { return false }
        let produced = LZ4_decompress_safe(
            input.baseAddress?.assumingMemoryBound(to: CChar.self),
            destination.baseAddress?.assumingMemoryBound(to: CChar.self),
            Int32(input.count), Int32(destination.count))
        return produced == Int32(destination.count)
    }
}
