import CSHA256

// The RFC 6962 Merkle hash tree (section 2.1) over the records of the log, with inclusion and consistency proofs
// that are generated as RFC 6962 defines them and verified with the algorithms of RFC 9162 sections 2.1.3.2 and
// 2.1.4.2.
//
// Sizes and indexes are `UInt64` leaf counts. A subtree is named by the half-open range of leaf indexes it covers.

/// A SHA-256 hash in the Merkle tree: a leaf hash, an interior node hash or a tree root.
///
/// The 32 bytes are held as four big-endian words, so a digest is copied and compared without touching the heap.
public struct MerkleDigest: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes in a digest.
    public static let byteCount = 32

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    /// Creates a digest from exactly 32 bytes, or returns `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else {
            return nil
        }
        let copied = bytes.withContiguousStorageIfAvailable { MerkleDigest(rawBytes: UnsafeRawBufferPointer($0)) }
        self = copied ?? Array(bytes).withUnsafeBytes { MerkleDigest(rawBytes: $0) }
    }

    /// Creates a digest from 64 hexadecimal digits (either case), or returns `nil` for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * Self.byteCount else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        for pairStart in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[pairStart]), let low = Self.nibble(digits[pairStart + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        self.init(bytes: bytes)
    }

    /// Creates a digest from 32 bytes in memory.
    fileprivate init(rawBytes: UnsafeRawBufferPointer) {
        precondition(rawBytes.count == Self.byteCount, "a Merkle digest is 32 bytes")
        word0 = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        word1 = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        word2 = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        word3 = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// The 32 bytes of the digest, in hash output order.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var description: String {
        withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: 2 * Self.byteCount) { buffer in
                for (offset, byte) in raw.enumerated() {
                    buffer[2 * offset] = Self.hexDigits[Int(byte >> 4)]
                    buffer[2 * offset + 1] = Self.hexDigits[Int(byte & 0x0f)]
                }
                return 2 * Self.byteCount
            }
        }
    }

    /// Calls `body` with the 32 bytes of the digest, without allocating.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var bigEndianWords = (word0.bigEndian, word1.bigEndian, word2.bigEndian, word3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bigEndianWords, body)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The RFC 6962 hash functions: SHA-256 with a one-byte prefix that keeps leaves and interior nodes apart.
public enum MerkleHash {
    /// The root of a tree with no leaves: SHA-256 of the empty string.
    public static let emptyTree = SHA256OneShot.hash(UnsafeRawBufferPointer(start: nil, count: 0))

    /// The hash of one record as a leaf: SHA-256(0x00 || record).
    public static func leaf(_ record: some Collection<UInt8>) -> MerkleDigest {
        let hashed = record.withContiguousStorageIfAvailable { leaf(UnsafeRawBufferPointer($0)) }
        if let hashed {
            return hashed
        }
        return Array(record).withUnsafeBytes { leaf($0) }
    }

    /// The hash of one record as a leaf, read in place from memory: SHA-256(0x00 || record).
    public static func leaf(_ record: UnsafeRawBufferPointer) -> MerkleDigest {
        var prefix: UInt8 = 0x00
        return withUnsafeBytes(of: &prefix) { SHA256OneShot.hash($0, record) }
    }

    /// The hash of one record as a leaf, from bytes in memory that are the 0x00 prefix followed by the record (the
    /// append path finds that zero byte in place, in front of the record, and hashes in one pass).
    static func leaf(zeroPrefixedRecord bytes: UnsafeRawBufferPointer) -> MerkleDigest {
        precondition(bytes.first == 0x00, "a leaf is hashed with the prefix 0x00")
        return SHA256OneShot.hash(bytes)
    }

    /// The hash of an interior node from its two children: SHA-256(0x01 || left || right).
    public static func node(_ left: MerkleDigest, _ right: MerkleDigest) -> MerkleDigest {
        // The 65 bytes are laid out on the stack and hashed in one call (the append path's frontier hashes about one
        // node per record).
        var input = NodeInput(left: left, right: right)
        return withUnsafeBytes(of: &input) { SHA256OneShot.hash(UnsafeRawBufferPointer(rebasing: $0[7..<72])) }
    }

    /// The input of a node hash at bytes 7 ..< 72: the prefix byte 0x01, then the two children's 32 bytes each.
    private struct NodeInput {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

        init(left: MerkleDigest, right: MerkleDigest) {
            words = (UInt64(1).bigEndian, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { raw in
                left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[8..<40]).copyMemory(from: $0) }
                right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[40..<72]).copyMemory(from: $0) }
            }
        }
    }
}

/// The frontier of a tree: the roots of the perfect subtrees that together cover leaves [0, size).
///
/// A tree of `size` leaves has one perfect subtree for each set bit of `size`, largest (leftmost) first, so the
/// frontier holds at most 64 hashes. It is enough to append further leaves and to compute the root, which makes it the
/// state a writer persists instead of the whole tree.
public struct MerkleFrontier: Sendable, Equatable {
    /// The number of leaves appended so far.
    public private(set) var size: UInt64

    /// The roots of the perfect subtrees covering [0, size), from the leftmost (largest) to the rightmost (smallest).
    public private(set) var hashes: [MerkleDigest]

    /// Creates the frontier of the empty tree.
    public init() {
        size = 0
        hashes = []
    }

    /// Restores a persisted frontier, or returns `nil` unless there is exactly one hash per set bit of `size`.
    public init?(size: UInt64, hashes: [MerkleDigest]) {
        guard hashes.count == size.nonzeroBitCount else {
            return nil
        }
        self.size = size
        self.hashes = hashes
    }

    /// Appends one leaf hash, merging the perfect subtrees it completes; amortized O(1) hashes.
    public mutating func append(leafHash: MerkleDigest) {
        precondition(size < UInt64.max, "a Merkle tree holds at most UInt64.max leaves")
        hashes.append(leafHash)
        // Each trailing one bit of the old size is a perfect subtree of the same height as the one just completed.
        var carries = (~size).trailingZeroBitCount
        while carries > 0 {
            let right = hashes.removeLast()
            let left = hashes.removeLast()
            hashes.append(MerkleHash.node(left, right))
            carries -= 1
        }
        size += 1
    }

    /// The RFC 6962 root of the leaves appended so far; `MerkleHash.emptyTree` when there are none.
    public var root: MerkleDigest {
        guard var root = hashes.last else {
            return MerkleHash.emptyTree
        }
        for subtree in hashes.dropLast().reversed() {
            root = MerkleHash.node(subtree, root)
        }
        return root
    }
}

/// A supplier of subtree hashes for proof generation, so that a store on disk need not hold every leaf in memory.
public protocol MerkleSubtreeSource {
    /// The RFC 6962 hash of the leaves in `range` (MTH(D[range])).
    ///
    /// The proof functions only ask for non-empty ranges that are subtrees of an RFC 6962 tree: the range's lower
    /// bound is a multiple of the smallest power of two not below its count. Throw if the range reaches past the
    /// leaves the source holds.
    func subtreeHash(_ range: Range<UInt64>) throws -> MerkleDigest
}

/// A Merkle tree held in memory: every leaf hash and every perfect interior node, so each subtree hash costs
/// O(log n) node hashes at most.
public struct InMemoryMerkleTree: MerkleSubtreeSource, Sendable {
    /// `levels[h][i]` is the root of the perfect subtree of 2^h leaves starting at leaf i * 2^h.
    private var levels: [[MerkleDigest]]

    /// Creates a tree from leaf hashes, in leaf order.
    public init(leafHashes: [MerkleDigest] = []) {
        levels = [[]]
        levels[0].reserveCapacity(leafHashes.count)
        for leafHash in leafHashes {
            append(leafHash: leafHash)
        }
    }

    /// The number of leaves in the tree.
    public var size: UInt64 {
        UInt64(levels[0].count)
    }

    /// Appends one leaf hash and the perfect interior nodes it completes; amortized O(1) hashes.
    public mutating func append(leafHash: MerkleDigest) {
        levels[0].append(leafHash)
        var level = 0
        while levels[level].count.isMultiple(of: 2) {
            let count = levels[level].count
            let parent = MerkleHash.node(levels[level][count - 2], levels[level][count - 1])
            if level + 1 == levels.count {
                levels.append([])
            }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    /// The RFC 6962 hash of the leaves in `range`; throws `MerkleProofError.subtreeOutOfRange` if the range is empty
    /// or reaches past the last leaf.
    public func subtreeHash(_ range: Range<UInt64>) throws -> MerkleDigest {
        guard !range.isEmpty, range.upperBound <= size else {
            throw MerkleProofError.subtreeOutOfRange(range: range, leafCount: size)
        }
        return hash(from: range.lowerBound, to: range.upperBound)
    }

    private func hash(from start: UInt64, to end: UInt64) -> MerkleDigest {
        let count = end - start
        if count.nonzeroBitCount == 1, start.isMultiple(of: count) {
            let height = count.trailingZeroBitCount
            return levels[height][Int(start >> height)]
        }
        let split = start + MerkleProof.largestPowerOfTwo(below: count)
        return MerkleHash.node(hash(from: start, to: split), hash(from: split, to: end))
    }
}

/// Why a Merkle root or proof could not be produced.
public enum MerkleProofError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The leaf index is not inside a tree of the given size.
    case leafIndexOutOfRange(leafIndex: UInt64, treeSize: UInt64)
    /// A consistency proof was asked from a tree larger than the one it should be consistent with.
    case oldSizeExceedsNewSize(oldSize: UInt64, newSize: UInt64)
    /// A subtree source was asked for an empty range or for leaves it does not hold.
    case subtreeOutOfRange(range: Range<UInt64>, leafCount: UInt64)

    /// One sentence naming the sizes involved.
    public var description: String {
        switch self {
        case .leafIndexOutOfRange(let leafIndex, let treeSize):
            "Leaf index \(leafIndex) is outside a Merkle tree of \(treeSize) leaves."
        case .oldSizeExceedsNewSize(let oldSize, let newSize):
            "Old tree size \(oldSize) is larger than new tree size \(newSize)."
        case .subtreeOutOfRange(let range, let leafCount):
            "Subtree [\(range.lowerBound), \(range.upperBound)) is empty or outside a tree of \(leafCount) leaves."
        }
    }
}

/// Roots, inclusion proofs and consistency proofs of RFC 6962 Merkle trees.
///
/// Proofs are generated exactly as RFC 6962 section 2.1 defines PATH and PROOF, asking a `MerkleSubtreeSource` for
/// the subtree hashes, and verified with the algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, which also reject a
/// path with one element too many or too few.
public enum MerkleProof {
    /// The RFC 6962 root of the first `size` leaves of `source`; `MerkleHash.emptyTree` when `size` is 0.
    public static func root(size: UInt64, source: some MerkleSubtreeSource) throws -> MerkleDigest {
        guard size > 0 else {
            return MerkleHash.emptyTree
        }
        return try source.subtreeHash(0..<size)
    }

    /// The audit path PATH(m, D[n]) of RFC 6962 proving that leaf `leafIndex` is in the tree of the first `treeSize`
    /// leaves, ordered from the leaf's sibling up to the child of the root.
    public static func inclusionPath(
        leafIndex: UInt64,
        treeSize: UInt64,
        source: some MerkleSubtreeSource
    ) throws -> [MerkleDigest] {
        guard leafIndex < treeSize else {
            throw MerkleProofError.leafIndexOutOfRange(leafIndex: leafIndex, treeSize: treeSize)
        }
        // Walk down from the root; each step records the sibling of the half that holds the leaf.
        var path: [MerkleDigest] = []
        var start: UInt64 = 0
        var end = treeSize
        while end - start > 1 {
            let split = start + largestPowerOfTwo(below: end - start)
            if leafIndex < split {
                path.append(try source.subtreeHash(split..<end))
                end = split
            } else {
                path.append(try source.subtreeHash(start..<split))
                start = split
            }
        }
        path.reverse()
        return path
    }

    /// The consistency proof PROOF(m, D[n]) of RFC 6962 that the tree of the first `oldSize` leaves is a prefix of
    /// the tree of the first `newSize` leaves.
    ///
    /// The proof is empty when `oldSize` is 0 or equal to `newSize`, as RFC 9162 section 2.1.4 specifies.
    public static func consistencyPath(
        oldSize: UInt64,
        newSize: UInt64,
        source: some MerkleSubtreeSource
    ) throws -> [MerkleDigest] {
        guard oldSize <= newSize else {
            throw MerkleProofError.oldSizeExceedsNewSize(oldSize: oldSize, newSize: newSize)
        }
        guard oldSize > 0, oldSize < newSize else {
            return []
        }
        // SUBPROOF(m, D[start:end], b) unrolled: walk down from the root, recording the sibling of the half that holds
        // the old tree's right edge, until that edge is the end of the current subtree.
        var path: [MerkleDigest] = []
        var start: UInt64 = 0
        var end = newSize
        var subtreeIsOldRoot = true
        while oldSize < end {
            let split = start + largestPowerOfTwo(below: end - start)
            if oldSize <= split {
                path.append(try source.subtreeHash(split..<end))
                end = split
            } else {
                path.append(try source.subtreeHash(start..<split))
                start = split
                subtreeIsOldRoot = false
            }
        }
        if !subtreeIsOldRoot {
            path.append(try source.subtreeHash(start..<end))
        }
        path.reverse()
        return path
    }

    /// Whether `path` proves that `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves whose root is `root`.
    ///
    /// Follows RFC 9162 section 2.1.3.2 step by step; a path of the wrong length never verifies.
    public static func verifyInclusion(
        leafHash: MerkleDigest,
        leafIndex: UInt64,
        treeSize: UInt64,
        path: [MerkleDigest],
        root: MerkleDigest
    ) -> Bool {
        guard leafIndex < treeSize else {
            return false
        }
        var fn = leafIndex
        var sn = treeSize - 1
        var computed = leafHash
        for sibling in path {
            guard sn > 0 else {
                return false
            }
            if fn & 1 == 1 || fn == sn {
                computed = MerkleHash.node(sibling, computed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                computed = MerkleHash.node(computed, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && computed == root
    }

    /// Whether `path` proves that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of
    /// `newSize` leaves with root `newRoot`.
    ///
    /// Follows RFC 9162 section 2.1.4.2 step by step; a path of the wrong length never verifies. Two cases need no
    /// proof and accept only an empty path: equal sizes, which also require equal roots, and an old size of 0, which
    /// RFC 9162 treats as consistent with every tree and which therefore does not look at either root.
    public static func verifyConsistency(
        oldSize: UInt64,
        newSize: UInt64,
        oldRoot: MerkleDigest,
        newRoot: MerkleDigest,
        path: [MerkleDigest]
    ) -> Bool {
        guard oldSize <= newSize else {
            return false
        }
        if oldSize == newSize {
            return path.isEmpty && oldRoot == newRoot
        }
        if oldSize == 0 {
            return path.isEmpty
        }
        guard let firstElement = path.first else {
            return false
        }
        // When the old tree is perfect its root is a node of the new tree and the path starts above it; otherwise the
        // path starts with the node from which both roots are rebuilt.
        let oldTreeIsPerfect = oldSize.nonzeroBitCount == 1
        let seed = oldTreeIsPerfect ? oldRoot : firstElement
        let rest = oldTreeIsPerfect ? path[...] : path.dropFirst()
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldComputed = seed
        var newComputed = seed
        for element in rest {
            guard sn > 0 else {
                return false
            }
            if fn & 1 == 1 || fn == sn {
                oldComputed = MerkleHash.node(element, oldComputed)
                newComputed = MerkleHash.node(element, newComputed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newComputed = MerkleHash.node(newComputed, element)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldComputed == oldRoot && newComputed == newRoot
    }

    /// The largest power of two strictly below `count`, the split point k of RFC 6962; `count` must be at least 2.
    static func largestPowerOfTwo(below count: UInt64) -> UInt64 {
        precondition(count >= 2, "only a tree of two or more leaves is split")
        return 1 << (63 - (count - 1).leadingZeroBitCount)
    }
}

/// SHA-256 (FIPS 180-4) in one call, allocating nothing: the `CSHA256` rounds, with the processor's SHA instructions
/// where there are some (x86-64 SHA extensions), else portable C; both give the same digests.
enum SHA256OneShot {
    /// Whether the SHA instructions are used.
    static let usesHardware = cliniclog_sha256_hardware_available() == 1

    /// The SHA-256 of the bytes of `first` followed by those of `second`; with the portable rounds when `portable` is
    /// set (the tests compare both paths).
    static func hash(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        portable: Bool = false
    ) -> MerkleDigest {
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digest) { output in
            cliniclog_sha256_concatenation(
                usesHardware && !portable ? 1 : 0, first.baseAddress, first.count, second.baseAddress, second.count,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return MerkleDigest(rawBytes: UnsafeRawBufferPointer(output))
        }
    }
}
