import Crypto
import RecordLogTesting
import XCTest

@testable import RecordLog

final class MerkleTreeTests: XCTestCase {
    // MARK: - Reference vectors
    //
    // The eight-leaf reference tree of certificate-transparency's merkle_tree_test.cc, also used by
    // transparency-dev/merkle (testonly/constants.go, proof/verify_test.go).

    private static let referenceInputs: [String] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]

    /// `referenceNodes[level][index]` is the root of the perfect subtree of 2^level leaves starting at
    /// leaf index * 2^level.
    private static let referenceNodes: [[MerkleDigest]] = [
        [
            digest("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            digest("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            digest("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
            digest("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
            digest("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            digest("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
            digest("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            digest("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
        ],
        [
            digest("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            digest("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            digest("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            digest("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        ],
        [
            digest("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            digest("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
        [
            digest("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        ],
    ]

    /// `referenceRoots[size]` is the root of the tree of the first `size` reference inputs.
    private static let referenceRoots: [MerkleDigest] = [
        digest("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        digest("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        digest("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        digest("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
        digest("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        digest("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
        digest("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
        digest("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
        digest("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ]

    private struct InclusionVector {
        let leafIndex: UInt64
        let treeSize: UInt64
        let path: [MerkleDigest]
    }

    /// The reference audit paths (kSHA256Paths), with leaf indexes made zero-based.
    private static let referenceInclusionVectors: [InclusionVector] = [
        InclusionVector(leafIndex: 0, treeSize: 1, path: []),
        InclusionVector(
            leafIndex: 0,
            treeSize: 8,
            path: [
                digest("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                digest("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                digest("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ]
        ),
        InclusionVector(
            leafIndex: 5,
            treeSize: 8,
            path: [
                digest("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                digest("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                digest("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ]
        ),
        InclusionVector(
            leafIndex: 2,
            treeSize: 3,
            path: [
                digest("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")
            ]
        ),
        InclusionVector(
            leafIndex: 1,
            treeSize: 5,
            path: [
                digest("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                digest("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                digest("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ]
        ),
    ]

    private struct ConsistencyVector {
        let oldSize: UInt64
        let newSize: UInt64
        let path: [MerkleDigest]
    }

    /// The reference consistency proofs (kSHA256Proofs, plus 6 -> 7 from transparency-dev/merkle).
    private static let referenceConsistencyVectors: [ConsistencyVector] = [
        ConsistencyVector(oldSize: 1, newSize: 1, path: []),
        ConsistencyVector(
            oldSize: 1,
            newSize: 8,
            path: [
                digest("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                digest("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                digest("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ]
        ),
        ConsistencyVector(
            oldSize: 6,
            newSize: 8,
            path: [
                digest("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                digest("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                digest("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ]
        ),
        ConsistencyVector(
            oldSize: 2,
            newSize: 5,
            path: [
                digest("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                digest("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ]
        ),
        ConsistencyVector(
            oldSize: 6,
            newSize: 7,
            path: [
                digest("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                digest("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
                digest("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ]
        ),
    ]

    private static let someHash = digest("abacaba000000000000000000000000000000000000000000060061e00123456")

    private static func digest(_ hex: String) -> MerkleDigest {
        guard let digest = MerkleDigest(hex: hex) else {
            preconditionFailure("test vector \(hex) is not 64 hex digits")
        }
        return digest
    }

    private static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { offset in
            guard let byte = UInt8(String(decoding: digits[offset..<offset + 2], as: UTF8.self), radix: 16) else {
                preconditionFailure("test input \(hex) is not hex")
            }
            return byte
        }
    }

    private static var referenceLeafHashes: [MerkleDigest] {
        referenceInputs.map { MerkleHash.leaf(bytes(hex: $0)) }
    }

    // MARK: - Digests and hashes

    func testDigestRoundTripsThroughBytesAndHex() throws {
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fff"
        XCTAssertNil(MerkleDigest(hex: hex), "66 digits")
        let bytes = Array(UInt8(0)...UInt8(31))
        let digest = try XCTUnwrap(MerkleDigest(bytes: bytes))
        XCTAssertEqual(digest.bytes, bytes)
        XCTAssertEqual(digest.description, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        XCTAssertEqual(MerkleDigest(hex: digest.description), digest)
        XCTAssertEqual(MerkleDigest(hex: digest.description.uppercased()), digest)
        XCTAssertEqual(MerkleDigest(bytes: bytes.reversed())?.bytes, bytes.reversed())
    }

    func testDigestRejectsMalformedInput() {
        XCTAssertNil(MerkleDigest(bytes: [UInt8](repeating: 0, count: 31)))
        XCTAssertNil(MerkleDigest(bytes: [UInt8](repeating: 0, count: 33)))
        XCTAssertNil(MerkleDigest(bytes: [UInt8]()))
        XCTAssertNil(MerkleDigest(hex: ""))
        XCTAssertNil(MerkleDigest(hex: String(repeating: "0", count: 63)))
        XCTAssertNil(MerkleDigest(hex: String(repeating: "0", count: 62) + "0g"))
        XCTAssertNil(MerkleDigest(hex: String(repeating: "0", count: 62) + " 0"))
        XCTAssertNil(MerkleDigest(hex: String(repeating: "é", count: 32)))
    }

    func testEmptyTreeIsHashOfEmptyString() {
        XCTAssertEqual(MerkleHash.emptyTree, Self.referenceRoots[0])
    }

    func testLeafHashesMatchReference() {
        XCTAssertEqual(Self.referenceLeafHashes, Self.referenceNodes[0])
        for (input, expected) in zip(Self.referenceInputs, Self.referenceNodes[0]) {
            let record = Self.bytes(hex: input)
            XCTAssertEqual(record.withUnsafeBytes { MerkleHash.leaf($0) }, expected, input)
            XCTAssertEqual(MerkleHash.leaf(record.reversed().reversed()), expected, "non-contiguous \(input)")
        }
    }

    func testNodeHashesMatchReference() {
        for level in 1..<Self.referenceNodes.count {
            for (index, expected) in Self.referenceNodes[level].enumerated() {
                let left = Self.referenceNodes[level - 1][2 * index]
                let right = Self.referenceNodes[level - 1][2 * index + 1]
                XCTAssertEqual(MerkleHash.node(left, right), expected, "level \(level) index \(index)")
            }
        }
    }

    // MARK: - Roots and the frontier on the reference tree

    func testReferenceRootsForEverySize() throws {
        let tree = InMemoryMerkleTree(leafHashes: Self.referenceLeafHashes)
        var frontier = MerkleFrontier()
        XCTAssertEqual(frontier.root, Self.referenceRoots[0])
        for size in 0...8 {
            XCTAssertEqual(try MerkleProof.root(size: UInt64(size), source: tree), Self.referenceRoots[size])
            let prefixTree = InMemoryMerkleTree(leafHashes: Array(Self.referenceLeafHashes.prefix(size)))
            XCTAssertEqual(try MerkleProof.root(size: UInt64(size), source: prefixTree), Self.referenceRoots[size])
            if size > 0 {
                frontier.append(leafHash: Self.referenceLeafHashes[size - 1])
            }
            XCTAssertEqual(frontier.size, UInt64(size))
            XCTAssertEqual(frontier.root, Self.referenceRoots[size], "size \(size)")
        }
    }

    func testSubtreeHashesMatchReferenceNodes() throws {
        let tree = InMemoryMerkleTree(leafHashes: Self.referenceLeafHashes)
        for (level, nodes) in Self.referenceNodes.enumerated() {
            for (index, expected) in nodes.enumerated() {
                let start = UInt64(index << level)
                XCTAssertEqual(try tree.subtreeHash(start..<start + UInt64(1 << level)), expected)
            }
        }
    }

    func testFrontierHashesMatchReferenceCompactRanges() {
        let nodes = Self.referenceNodes
        let expected: [[MerkleDigest]] = [
            [],
            [nodes[0][0]],
            [nodes[1][0]],
            [nodes[1][0], nodes[0][2]],
            [nodes[2][0]],
            [nodes[2][0], nodes[0][4]],
            [nodes[2][0], nodes[1][2]],
            [nodes[2][0], nodes[1][2], nodes[0][6]],
            [nodes[3][0]],
        ]
        var frontier = MerkleFrontier()
        for size in 0...8 {
            if size > 0 {
                frontier.append(leafHash: Self.referenceLeafHashes[size - 1])
            }
            XCTAssertEqual(frontier.hashes, expected[size], "size \(size)")
        }
    }

    // MARK: - Reference proofs

    func testReferenceInclusionPaths() throws {
        let tree = InMemoryMerkleTree(leafHashes: Self.referenceLeafHashes)
        for vector in Self.referenceInclusionVectors {
            let generated = try MerkleProof.inclusionPath(
                leafIndex: vector.leafIndex,
                treeSize: vector.treeSize,
                source: tree
            )
            XCTAssertEqual(generated, vector.path, "leaf \(vector.leafIndex) of \(vector.treeSize)")
            assertInclusionProofHolds(
                leafHash: Self.referenceLeafHashes[Int(vector.leafIndex)],
                leafIndex: vector.leafIndex,
                treeSize: vector.treeSize,
                path: vector.path,
                root: Self.referenceRoots[Int(vector.treeSize)]
            )
        }
    }

    func testReferenceConsistencyPaths() throws {
        let tree = InMemoryMerkleTree(leafHashes: Self.referenceLeafHashes)
        for vector in Self.referenceConsistencyVectors {
            let generated = try MerkleProof.consistencyPath(
                oldSize: vector.oldSize,
                newSize: vector.newSize,
                source: tree
            )
            XCTAssertEqual(generated, vector.path, "\(vector.oldSize) -> \(vector.newSize)")
            assertConsistencyProofHolds(
                oldSize: vector.oldSize,
                newSize: vector.newSize,
                oldRoot: Self.referenceRoots[Int(vector.oldSize)],
                newRoot: Self.referenceRoots[Int(vector.newSize)],
                path: vector.path
            )
        }
    }

    func testInclusionVerificationRejectsDegenerateInput() {
        let emptyRoot = MerkleHash.emptyTree
        for (leafIndex, treeSize) in [(0, 0), (0, 1), (1, 0), (2, 1)] as [(UInt64, UInt64)] {
            for (leafHash, root) in [(Self.someHash, emptyRoot), (emptyRoot, Self.someHash)] {
                XCTAssertFalse(
                    MerkleProof.verifyInclusion(
                        leafHash: leafHash,
                        leafIndex: leafIndex,
                        treeSize: treeSize,
                        path: [],
                        root: root
                    ),
                    "leaf \(leafIndex) of \(treeSize)"
                )
            }
        }
        // A leaf outside the tree never verifies, even when the hashes would line up.
        XCTAssertFalse(verifyInclusion(Self.someHash, 1, 1, [], Self.someHash))
        XCTAssertFalse(verifyInclusion(Self.someHash, 0, 0, [], Self.someHash))
        XCTAssertTrue(verifyInclusion(Self.someHash, 0, 1, [], Self.someHash))
    }

    func testConsistencyVerificationOfTrivialCases() {
        let rootA = Self.someHash
        let rootB = MerkleHash.emptyTree
        // Sizes that are always consistent, with an empty path.
        XCTAssertTrue(verifyConsistency(0, 0, rootA, rootA, []))
        XCTAssertTrue(verifyConsistency(0, 1, rootA, rootB, []))
        XCTAssertTrue(verifyConsistency(1, 1, rootB, rootB, []))
        XCTAssertTrue(verifyConsistency(0, UInt64.max, rootA, rootB, []))
        // Equal sizes with different roots.
        XCTAssertFalse(verifyConsistency(0, 0, rootA, rootB, []))
        XCTAssertFalse(verifyConsistency(1, 1, rootA, rootB, []))
        XCTAssertFalse(verifyConsistency(UInt64.max, UInt64.max, rootA, rootB, []))
        // Time travel to the past.
        XCTAssertFalse(verifyConsistency(1, 0, rootA, rootA, []))
        XCTAssertFalse(verifyConsistency(2, 1, rootA, rootA, []))
        // An empty path where one is needed.
        XCTAssertFalse(verifyConsistency(1, 2, rootA, rootB, []))
        // A non-empty path where none is needed.
        XCTAssertFalse(verifyConsistency(0, 0, rootB, rootB, [rootB]))
        XCTAssertFalse(verifyConsistency(0, 1, rootB, rootB, [rootB]))
        XCTAssertFalse(verifyConsistency(1, 1, rootB, rootB, [rootB]))
    }

    func testInclusionProofDoesNotAuthenticateTreeSizeOnItsOwn() throws {
        // RFC 6962 paths for the leftmost leaf combine the same way for tree sizes 5 to 8, so a path for size 8
        // verifies against the size-8 root under a claimed size of 5. The size must come from a signed tree head.
        let path = Self.referenceInclusionVectors[1].path
        let root = Self.referenceRoots[8]
        for claimedSize in UInt64(5)...8 {
            XCTAssertTrue(verifyInclusion(Self.referenceLeafHashes[0], 0, claimedSize, path, root))
        }
        XCTAssertFalse(verifyInclusion(Self.referenceLeafHashes[0], 0, 4, path, root))
        XCTAssertFalse(verifyInclusion(Self.referenceLeafHashes[0], 0, 9, path, root))
    }

    // MARK: - Errors

    func testProofGenerationRejectsOutOfRangeRequests() {
        let tree = InMemoryMerkleTree(leafHashes: Self.referenceLeafHashes)
        XCTAssertThrowsError(try MerkleProof.inclusionPath(leafIndex: 0, treeSize: 0, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .leafIndexOutOfRange(leafIndex: 0, treeSize: 0))
        }
        XCTAssertThrowsError(try MerkleProof.inclusionPath(leafIndex: 8, treeSize: 8, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .leafIndexOutOfRange(leafIndex: 8, treeSize: 8))
        }
        XCTAssertThrowsError(try MerkleProof.inclusionPath(leafIndex: 0, treeSize: 9, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .subtreeOutOfRange(range: 8..<9, leafCount: 8))
        }
        XCTAssertThrowsError(try MerkleProof.consistencyPath(oldSize: 9, newSize: 8, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .oldSizeExceedsNewSize(oldSize: 9, newSize: 8))
        }
        XCTAssertThrowsError(try MerkleProof.consistencyPath(oldSize: 3, newSize: 9, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .subtreeOutOfRange(range: 8..<9, leafCount: 8))
        }
        XCTAssertThrowsError(try MerkleProof.root(size: 9, source: tree)) {
            XCTAssertEqual($0 as? MerkleProofError, .subtreeOutOfRange(range: 0..<9, leafCount: 8))
        }
        XCTAssertThrowsError(try tree.subtreeHash(3..<3)) {
            XCTAssertEqual($0 as? MerkleProofError, .subtreeOutOfRange(range: 3..<3, leafCount: 8))
        }
        XCTAssertEqual(try MerkleProof.consistencyPath(oldSize: 0, newSize: 8, source: tree), [])
        XCTAssertEqual(try MerkleProof.consistencyPath(oldSize: 8, newSize: 8, source: tree), [])
        XCTAssertEqual(try MerkleProof.root(size: 0, source: InMemoryMerkleTree()), MerkleHash.emptyTree)
        XCTAssertEqual(
            MerkleProofError.leafIndexOutOfRange(leafIndex: 8, treeSize: 8).description,
            "Leaf index 8 is outside a Merkle tree of 8 leaves."
        )
    }

    func testFrontierRestoreRequiresOneHashPerSetBit() {
        let hash = Self.someHash
        XCTAssertEqual(MerkleFrontier(size: 0, hashes: []), MerkleFrontier())
        XCTAssertNil(MerkleFrontier(size: 0, hashes: [hash]))
        XCTAssertNil(MerkleFrontier(size: 5, hashes: [hash]))
        XCTAssertNil(MerkleFrontier(size: 5, hashes: [hash, hash, hash]))
        XCTAssertNotNil(MerkleFrontier(size: 5, hashes: [hash, hash]))
        XCTAssertNotNil(MerkleFrontier(size: UInt64.max, hashes: Array(repeating: hash, count: 64)))
        XCTAssertNil(MerkleFrontier(size: UInt64.max, hashes: Array(repeating: hash, count: 63)))
    }

    // MARK: - Hostile sizes

    func testVerificationSurvivesExtremeSizesAndLongPaths() {
        var generator = SeededRandomNumberGenerator(seed: 7)
        let leaf = Self.someHash
        let root = MerkleHash.emptyTree
        let sizes: [UInt64] = [0, 1, 2, 3, 1 << 63, (1 << 63) + 1, UInt64.max - 1, UInt64.max]
        for pathLength in [0, 1, 63, 64, 65, 1000] {
            let path = (0..<pathLength).map { _ in generator.nextDigest() }
            for treeSize in sizes {
                for leafIndex in [0, 1, treeSize / 2, treeSize &- 2, treeSize &- 1, treeSize] {
                    XCTAssertFalse(verifyInclusion(leaf, leafIndex, treeSize, path, root))
                }
                for oldSize in [0, 1, treeSize / 2, treeSize &- 1, treeSize, treeSize &+ 1] {
                    let expected = pathLength == 0 && oldSize == 0 && treeSize > 0
                    XCTAssertEqual(verifyConsistency(oldSize, treeSize, leaf, root, path), expected)
                }
            }
        }
    }

    func testProofsOverTheLargestPossibleTree() throws {
        let source = UniformLeavesSource(leafHash: Self.someHash)
        let maxSize = UInt64.max
        let sizes: [UInt64] = [1, 2, 3, 5, 1 << 32, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, maxSize - 1, maxSize]
        for treeSize in sizes {
            let root = try MerkleProof.root(size: treeSize, source: source)
            for leafIndex in Set([0, treeSize / 3, treeSize / 2, treeSize - 1]) {
                let path = try MerkleProof.inclusionPath(leafIndex: leafIndex, treeSize: treeSize, source: source)
                XCTAssertLessThanOrEqual(path.count, 64)
                XCTAssertTrue(verifyInclusion(Self.someHash, leafIndex, treeSize, path, root))
                if !path.isEmpty {
                    XCTAssertFalse(verifyInclusion(Self.someHash, leafIndex, treeSize, path.dropLast(), root))
                }
                XCTAssertFalse(verifyInclusion(Self.someHash, leafIndex, treeSize, path + [root], root))
            }
            for oldSize in Set([1, 2, treeSize / 2, treeSize - 1]) where oldSize > 0 && oldSize < treeSize {
                let oldRoot = try MerkleProof.root(size: oldSize, source: source)
                let path = try MerkleProof.consistencyPath(oldSize: oldSize, newSize: treeSize, source: source)
                XCTAssertLessThanOrEqual(path.count, 128)
                XCTAssertTrue(verifyConsistency(oldSize, treeSize, oldRoot, root, path), "\(oldSize) -> \(treeSize)")
                XCTAssertFalse(verifyConsistency(oldSize, treeSize, oldRoot, root, path.dropLast()))
                XCTAssertFalse(verifyConsistency(oldSize, treeSize, oldRoot, root, path + [root]))
            }
        }
        XCTAssertThrowsError(try MerkleProof.inclusionPath(leafIndex: maxSize, treeSize: maxSize, source: source))
    }

    // MARK: - Properties over seeded random trees

    func testGeneratedProofsMatchTheRFCDefinitionsForSmallTrees() throws {
        var generator = SeededRandomNumberGenerator(seed: 1)
        let leafHashes = (0..<64).map { _ in generator.nextDigest() }
        let tree = SubtreeCheckingSource(tree: InMemoryMerkleTree(leafHashes: leafHashes))
        for size in 0...leafHashes.count {
            let leaves = leafHashes[..<size]
            XCTAssertEqual(try MerkleProof.root(size: UInt64(size), source: tree), Reference.root(leaves))
            for leafIndex in 0..<size {
                let path = try MerkleProof.inclusionPath(
                    leafIndex: UInt64(leafIndex),
                    treeSize: UInt64(size),
                    source: tree
                )
                XCTAssertEqual(path, Reference.path(leafIndex, leaves), "leaf \(leafIndex) of \(size)")
            }
            for oldSize in 0...size {
                let path = try MerkleProof.consistencyPath(
                    oldSize: UInt64(oldSize),
                    newSize: UInt64(size),
                    source: tree
                )
                XCTAssertEqual(path, Reference.proof(oldSize, leaves), "\(oldSize) -> \(size)")
                XCTAssertTrue(
                    verifyConsistency(
                        UInt64(oldSize),
                        UInt64(size),
                        Reference.root(leaves.prefix(oldSize)),
                        Reference.root(leaves),
                        path
                    ),
                    "\(oldSize) -> \(size)"
                )
            }
        }
    }

    func testRandomInclusionProofsVerifyAndResistTampering() throws {
        var generator = SeededRandomNumberGenerator(seed: 2)
        let leafHashes = (0..<300).map { _ in generator.nextDigest() }
        let fullTree = InMemoryMerkleTree(leafHashes: leafHashes)
        let fixedSizes: [UInt64] = [1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 300]
        let randomSizes = (0..<12).map { _ in UInt64.random(in: 1...300, using: &generator) }
        for treeSize in fixedSizes + randomSizes {
            let tree = InMemoryMerkleTree(leafHashes: Array(leafHashes.prefix(Int(treeSize))))
            let root = try MerkleProof.root(size: treeSize, source: tree)
            XCTAssertEqual(root, Reference.root(leafHashes[..<Int(treeSize)]))
            for leafIndex in 0..<treeSize {
                let path = try MerkleProof.inclusionPath(leafIndex: leafIndex, treeSize: treeSize, source: tree)
                XCTAssertEqual(
                    path,
                    try MerkleProof.inclusionPath(leafIndex: leafIndex, treeSize: treeSize, source: fullTree)
                )
                XCTAssertTrue(verifyInclusion(leafHashes[Int(leafIndex)], leafIndex, treeSize, path, root))
            }
            let randomIndexes = (0..<3).map { _ in UInt64.random(in: 0..<treeSize, using: &generator) }
            let sampledIndexes = Set([0, treeSize - 1] + randomIndexes)
            for leafIndex in sampledIndexes {
                try assertInclusionProofResistsTampering(
                    leafHashes: leafHashes,
                    leafIndex: leafIndex,
                    treeSize: treeSize,
                    source: fullTree,
                    generator: &generator
                )
            }
        }
    }

    func testRandomConsistencyProofsVerifyAndResistTampering() throws {
        var generator = SeededRandomNumberGenerator(seed: 3)
        let leafHashes = (0..<300).map { _ in generator.nextDigest() }
        let tree = InMemoryMerkleTree(leafHashes: leafHashes)
        var pairs: [(UInt64, UInt64)] = [(1, 2), (2, 3), (3, 7), (4, 7), (4, 8), (7, 8), (255, 256), (256, 257)]
        for _ in 0..<60 {
            let newSize = UInt64.random(in: 1...300, using: &generator)
            pairs.append((UInt64.random(in: 1...newSize, using: &generator), newSize))
        }
        for (oldSize, newSize) in pairs {
            let oldRoot = try MerkleProof.root(size: oldSize, source: tree)
            let newRoot = try MerkleProof.root(size: newSize, source: tree)
            let path = try MerkleProof.consistencyPath(oldSize: oldSize, newSize: newSize, source: tree)
            XCTAssertTrue(verifyConsistency(oldSize, newSize, oldRoot, newRoot, path), "\(oldSize) -> \(newSize)")
            guard oldSize < newSize else {
                continue
            }
            try assertConsistencyProofResistsTampering(
                oldSize: oldSize,
                newSize: newSize,
                source: tree,
                generator: &generator
            )
        }
    }

    func testFrontierMatchesInMemoryTreeAtEverySize() throws {
        var generator = SeededRandomNumberGenerator(seed: 4)
        let leafHashes = (0..<300).map { _ in generator.nextDigest() }
        var tree = InMemoryMerkleTree()
        var frontier = MerkleFrontier()
        for size in 0...leafHashes.count {
            if size > 0 {
                tree.append(leafHash: leafHashes[size - 1])
                frontier.append(leafHash: leafHashes[size - 1])
            }
            XCTAssertEqual(tree.size, UInt64(size))
            XCTAssertEqual(frontier.size, UInt64(size))
            XCTAssertEqual(frontier.root, try MerkleProof.root(size: UInt64(size), source: tree), "size \(size)")
            XCTAssertEqual(frontier.hashes, try perfectSubtreeHashes(size: UInt64(size), source: tree))

            let restored = try XCTUnwrap(MerkleFrontier(size: frontier.size, hashes: frontier.hashes))
            XCTAssertEqual(restored, frontier)
            XCTAssertEqual(restored.root, frontier.root)
            var continued = restored
            continued.append(leafHash: Self.someHash)
            var expected = frontier
            expected.append(leafHash: Self.someHash)
            XCTAssertEqual(continued, expected)
        }
    }

    func testHundredThousandLeaves() throws {
        var generator = SeededRandomNumberGenerator(seed: 5)
        let leafCount: UInt64 = 100_000
        let leafHashes = (0..<leafCount).map { _ in generator.nextDigest() }
        let tree = InMemoryMerkleTree(leafHashes: leafHashes)
        var frontier = MerkleFrontier()
        for leafHash in leafHashes {
            frontier.append(leafHash: leafHash)
        }
        let root = try MerkleProof.root(size: leafCount, source: tree)
        XCTAssertEqual(frontier.root, root)
        XCTAssertEqual(frontier.hashes.count, leafCount.nonzeroBitCount)
        for _ in 0..<200 {
            let leafIndex = UInt64.random(in: 0..<leafCount, using: &generator)
            let path = try MerkleProof.inclusionPath(leafIndex: leafIndex, treeSize: leafCount, source: tree)
            XCTAssertTrue(verifyInclusion(leafHashes[Int(leafIndex)], leafIndex, leafCount, path, root))

            let oldSize = UInt64.random(in: 1...leafCount, using: &generator)
            let oldRoot = try MerkleProof.root(size: oldSize, source: tree)
            let proof = try MerkleProof.consistencyPath(oldSize: oldSize, newSize: leafCount, source: tree)
            XCTAssertTrue(verifyConsistency(oldSize, leafCount, oldRoot, root, proof))
        }
    }

    // MARK: - Helpers

    private func verifyInclusion(
        _ leafHash: MerkleDigest,
        _ leafIndex: UInt64,
        _ treeSize: UInt64,
        _ path: some Sequence<MerkleDigest>,
        _ root: MerkleDigest
    ) -> Bool {
        MerkleProof.verifyInclusion(
            leafHash: leafHash,
            leafIndex: leafIndex,
            treeSize: treeSize,
            path: Array(path),
            root: root
        )
    }

    private func verifyConsistency(
        _ oldSize: UInt64,
        _ newSize: UInt64,
        _ oldRoot: MerkleDigest,
        _ newRoot: MerkleDigest,
        _ path: some Sequence<MerkleDigest>
    ) -> Bool {
        MerkleProof.verifyConsistency(
            oldSize: oldSize,
            newSize: newSize,
            oldRoot: oldRoot,
            newRoot: newRoot,
            path: Array(path)
        )
    }

    /// Checks that a known-good inclusion proof verifies and that the corruptions of the reference verifier tests
    /// (wrong index, size, leaf, root; elements changed, added or removed) do not.
    private func assertInclusionProofHolds(
        leafHash: MerkleDigest,
        leafIndex: UInt64,
        treeSize: UInt64,
        path: [MerkleDigest],
        root: MerkleDigest,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let name = "leaf \(leafIndex) of \(treeSize)"
        XCTAssertTrue(verifyInclusion(leafHash, leafIndex, treeSize, path, root), name, file: file, line: line)
        var probes: [(String, Bool)] = [
            ("index - 1", verifyInclusion(leafHash, leafIndex &- 1, treeSize, path, root)),
            ("index + 1", verifyInclusion(leafHash, leafIndex + 1, treeSize, path, root)),
            ("index ^ 2", verifyInclusion(leafHash, leafIndex ^ 2, treeSize, path, root)),
            ("size * 2", verifyInclusion(leafHash, leafIndex, treeSize * 2, path, root)),
            ("size / 2", verifyInclusion(leafHash, leafIndex, treeSize / 2, path, root)),
            ("wrong leaf", verifyInclusion(Self.someHash, leafIndex, treeSize, path, root)),
            ("empty root", verifyInclusion(leafHash, leafIndex, treeSize, path, MerkleHash.emptyTree)),
            ("other root", verifyInclusion(leafHash, leafIndex, treeSize, path, Self.someHash)),
            ("trailing root", verifyInclusion(leafHash, leafIndex, treeSize, path + [root], root)),
            ("trailing zero", verifyInclusion(leafHash, leafIndex, treeSize, path + [Self.zeroDigest], root)),
            ("preceding root", verifyInclusion(leafHash, leafIndex, treeSize, [root] + path, root)),
            ("preceding zero", verifyInclusion(leafHash, leafIndex, treeSize, [Self.zeroDigest] + path, root)),
        ]
        if !path.isEmpty {
            probes.append(("removed last", verifyInclusion(leafHash, leafIndex, treeSize, path.dropLast(), root)))
            probes.append(("removed first", verifyInclusion(leafHash, leafIndex, treeSize, path.dropFirst(), root)))
        }
        for position in path.indices {
            var changed = path
            changed[position] = MerkleHash.emptyTree
            probes.append(("path[\(position)] empty", verifyInclusion(leafHash, leafIndex, treeSize, changed, root)))
            changed[position] = flippingBit(3, ofByte: 0, in: path[position])
            probes.append(("path[\(position)] bit", verifyInclusion(leafHash, leafIndex, treeSize, changed, root)))
        }
        for (probe, verified) in probes {
            XCTAssertFalse(verified, "\(name): \(probe)", file: file, line: line)
        }
    }

    /// Checks that a known-good consistency proof verifies and that the corruptions of the reference verifier tests
    /// (wrong sizes, roots; elements changed, added or removed) do not.
    private func assertConsistencyProofHolds(
        oldSize: UInt64,
        newSize: UInt64,
        oldRoot: MerkleDigest,
        newRoot: MerkleDigest,
        path: [MerkleDigest],
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let name = "\(oldSize) -> \(newSize)"
        XCTAssertTrue(verifyConsistency(oldSize, newSize, oldRoot, newRoot, path), name, file: file, line: line)
        guard let first = path.first, let last = path.last else {
            return
        }
        var probes: [(String, Bool)] = [
            ("old size - 1", verifyConsistency(oldSize - 1, newSize, oldRoot, newRoot, path)),
            ("old size + 1", verifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, path)),
            ("old size ^ 2", verifyConsistency(oldSize ^ 2, newSize, oldRoot, newRoot, path)),
            ("new size * 2", verifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, path)),
            ("new size / 2", verifyConsistency(oldSize, newSize / 2, oldRoot, newRoot, path)),
            ("wrong old root", verifyConsistency(oldSize, newSize, Self.someHash, newRoot, path)),
            ("wrong new root", verifyConsistency(oldSize, newSize, oldRoot, Self.someHash, path)),
            ("swapped roots", verifyConsistency(oldSize, newSize, newRoot, oldRoot, path)),
            ("empty path", verifyConsistency(oldSize, newSize, oldRoot, newRoot, [])),
            ("trailing zero", verifyConsistency(oldSize, newSize, oldRoot, newRoot, path + [Self.zeroDigest])),
            ("trailing old root", verifyConsistency(oldSize, newSize, oldRoot, newRoot, path + [oldRoot])),
            ("trailing new root", verifyConsistency(oldSize, newSize, oldRoot, newRoot, path + [newRoot])),
            ("trailing last", verifyConsistency(oldSize, newSize, oldRoot, newRoot, path + [last])),
            ("preceding zero", verifyConsistency(oldSize, newSize, oldRoot, newRoot, [Self.zeroDigest] + path)),
            ("preceding old root", verifyConsistency(oldSize, newSize, oldRoot, newRoot, [oldRoot] + path)),
            ("preceding new root", verifyConsistency(oldSize, newSize, oldRoot, newRoot, [newRoot] + path)),
            ("preceding first", verifyConsistency(oldSize, newSize, oldRoot, newRoot, [first] + path)),
            ("removed last", verifyConsistency(oldSize, newSize, oldRoot, newRoot, path.dropLast())),
        ]
        for position in path.indices {
            var changed = path
            changed[position] = MerkleHash.emptyTree
            probes.append(("path[\(position)] empty", verifyConsistency(oldSize, newSize, oldRoot, newRoot, changed)))
            changed[position] = flippingBit(4, ofByte: 0, in: path[position])
            probes.append(("path[\(position)] bit", verifyConsistency(oldSize, newSize, oldRoot, newRoot, changed)))
        }
        for (probe, verified) in probes {
            XCTAssertFalse(verified, "\(name): \(probe)", file: file, line: line)
        }
    }

    /// Every single-byte change, every other leaf index, every tree size whose path has another length, and every
    /// added or dropped element must make the proof fail.
    private func assertInclusionProofResistsTampering(
        leafHashes: [MerkleDigest],
        leafIndex: UInt64,
        treeSize: UInt64,
        source: InMemoryMerkleTree,
        generator: inout SeededRandomNumberGenerator
    ) throws {
        let leafHash = leafHashes[Int(leafIndex)]
        let root = try MerkleProof.root(size: treeSize, source: source)
        let path = try MerkleProof.inclusionPath(leafIndex: leafIndex, treeSize: treeSize, source: source)
        let name = "leaf \(leafIndex) of \(treeSize)"
        assertInclusionProofHolds(leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, path: path, root: root)

        for position in path.indices {
            for byteOffset in 0..<MerkleDigest.byteCount {
                var changed = path
                changed[position] = flippingByte(byteOffset, in: path[position], generator: &generator)
                XCTAssertFalse(
                    verifyInclusion(leafHash, leafIndex, treeSize, changed, root),
                    "\(name): path[\(position)] byte \(byteOffset)"
                )
            }
        }
        for otherIndex in 0..<treeSize where otherIndex != leafIndex {
            XCTAssertFalse(verifyInclusion(leafHash, otherIndex, treeSize, path, root), "\(name): as \(otherIndex)")
        }
        for otherSize in Set([treeSize - 1, treeSize + 1, treeSize * 2, treeSize / 2, treeSize + 300]) {
            let otherLength = Reference.pathLength(leafIndex: leafIndex, treeSize: otherSize)
            if otherSize != treeSize && otherLength != path.count {
                XCTAssertFalse(
                    verifyInclusion(leafHash, leafIndex, otherSize, path, root),
                    "\(name): size \(otherSize)"
                )
            }
        }
        for position in 0...path.count {
            var added = path
            added.insert(generator.nextDigest(), at: position)
            XCTAssertFalse(verifyInclusion(leafHash, leafIndex, treeSize, added, root), "\(name): added \(position)")
        }
        for position in path.indices {
            var dropped = path
            dropped.remove(at: position)
            XCTAssertFalse(
                verifyInclusion(leafHash, leafIndex, treeSize, dropped, root),
                "\(name): dropped \(position)"
            )
        }
    }

    /// Every single-byte change of the path or roots, every other old size and every other new size whose path has
    /// another length, and every added or dropped element must make the proof fail.
    private func assertConsistencyProofResistsTampering(
        oldSize: UInt64,
        newSize: UInt64,
        source: InMemoryMerkleTree,
        generator: inout SeededRandomNumberGenerator
    ) throws {
        let oldRoot = try MerkleProof.root(size: oldSize, source: source)
        let newRoot = try MerkleProof.root(size: newSize, source: source)
        let path = try MerkleProof.consistencyPath(oldSize: oldSize, newSize: newSize, source: source)
        let name = "\(oldSize) -> \(newSize)"
        assertConsistencyProofHolds(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, path: path)

        for byteOffset in 0..<MerkleDigest.byteCount {
            for position in path.indices {
                var changed = path
                changed[position] = flippingByte(byteOffset, in: path[position], generator: &generator)
                XCTAssertFalse(
                    verifyConsistency(oldSize, newSize, oldRoot, newRoot, changed),
                    "\(name): path[\(position)] byte \(byteOffset)"
                )
            }
            let changedOld = flippingByte(byteOffset, in: oldRoot, generator: &generator)
            let changedNew = flippingByte(byteOffset, in: newRoot, generator: &generator)
            XCTAssertFalse(verifyConsistency(oldSize, newSize, changedOld, newRoot, path), "\(name): old root")
            XCTAssertFalse(verifyConsistency(oldSize, newSize, oldRoot, changedNew, path), "\(name): new root")
        }
        for otherOld in 1..<newSize where otherOld != oldSize {
            XCTAssertFalse(verifyConsistency(otherOld, newSize, oldRoot, newRoot, path), "\(name): from \(otherOld)")
        }
        for otherNew in Set([newSize - 1, newSize + 1, newSize * 2, newSize / 2, newSize + 300]) {
            let otherLength = Reference.proofLength(oldSize: oldSize, newSize: otherNew)
            if otherNew != newSize && otherLength != path.count {
                XCTAssertFalse(verifyConsistency(oldSize, otherNew, oldRoot, newRoot, path), "\(name): to \(otherNew)")
            }
        }
        for position in 0...path.count {
            var added = path
            added.insert(generator.nextDigest(), at: position)
            XCTAssertFalse(verifyConsistency(oldSize, newSize, oldRoot, newRoot, added), "\(name): added \(position)")
        }
        for position in path.indices {
            var dropped = path
            dropped.remove(at: position)
            XCTAssertFalse(
                verifyConsistency(oldSize, newSize, oldRoot, newRoot, dropped),
                "\(name): dropped \(position)"
            )
        }
    }

    /// The roots of the perfect subtrees covering [0, size), largest first, asked of `source` one by one.
    private func perfectSubtreeHashes(size: UInt64, source: some MerkleSubtreeSource) throws -> [MerkleDigest] {
        var hashes: [MerkleDigest] = []
        var start: UInt64 = 0
        for bit in (0..<64).reversed() where size & (1 << bit) != 0 {
            hashes.append(try source.subtreeHash(start..<start + (1 << bit)))
            start += 1 << bit
        }
        return hashes
    }

    private static let zeroDigest = digest(String(repeating: "0", count: 64))

    private func flippingBit(_ bit: Int, ofByte offset: Int, in digest: MerkleDigest) -> MerkleDigest {
        var bytes = digest.bytes
        bytes[offset] ^= 1 << bit
        return MerkleDigest(bytes: bytes) ?? digest
    }

    private func flippingByte(_ offset: Int, in digest: MerkleDigest, generator: inout SeededRandomNumberGenerator)
        -> MerkleDigest
    {
        var bytes = digest.bytes
        bytes[offset] ^= UInt8.random(in: 1...255, using: &generator)
        return MerkleDigest(bytes: bytes) ?? digest
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator so property tests replay exactly.

/// RFC 6962 section 2.1 transcribed literally over arrays of leaf hashes: MTH, PATH and PROOF.
private enum Reference {
    static func split(_ count: Int) -> Int {
        var power = 1
        while power * 2 < count {
            power *= 2
        }
        return power
    }

    static func root(_ leaves: ArraySlice<MerkleDigest>) -> MerkleDigest {
        switch leaves.count {
        case 0:
            return MerkleHash.emptyTree
        case 1:
            return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            return MerkleHash.node(root(leaves.prefix(k)), root(leaves.dropFirst(k)))
        }
    }

    static func path(_ m: Int, _ leaves: ArraySlice<MerkleDigest>) -> [MerkleDigest] {
        guard leaves.count > 1 else {
            return []
        }
        let k = split(leaves.count)
        if m < k {
            return path(m, leaves.prefix(k)) + [root(leaves.dropFirst(k))]
        }
        return path(m - k, leaves.dropFirst(k)) + [root(leaves.prefix(k))]
    }

    static func proof(_ m: Int, _ leaves: ArraySlice<MerkleDigest>) -> [MerkleDigest] {
        guard m > 0 else {
            return []
        }
        return subproof(m, leaves, haveOldRoot: true)
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<MerkleDigest>, haveOldRoot: Bool) -> [MerkleDigest] {
        if m == leaves.count {
            return haveOldRoot ? [] : [root(leaves)]
        }
        let k = split(leaves.count)
        if m <= k {
            return subproof(m, leaves.prefix(k), haveOldRoot: haveOldRoot) + [root(leaves.dropFirst(k))]
        }
        return subproof(m - k, leaves.dropFirst(k), haveOldRoot: false) + [root(leaves.prefix(k))]
    }

    /// The length of PATH(m, D[n]), from the shape of the recursion alone.
    static func pathLength(leafIndex: UInt64, treeSize: UInt64) -> Int {
        guard leafIndex < treeSize else {
            return -1
        }
        var (m, n, length) = (leafIndex, treeSize, 0)
        while n > 1 {
            let k = UInt64(split(Int(n)))
            (m, n) = m < k ? (m, k) : (m - k, n - k)
            length += 1
        }
        return length
    }

    /// The length of PROOF(m, D[n]), from the shape of the recursion alone.
    static func proofLength(oldSize: UInt64, newSize: UInt64) -> Int {
        guard oldSize > 0, oldSize <= newSize else {
            return oldSize == 0 ? 0 : -1
        }
        var (m, n, haveOldRoot, length) = (oldSize, newSize, true, 0)
        while m < n {
            let k = UInt64(split(Int(n)))
            if m <= k {
                n = k
            } else {
                (m, n, haveOldRoot) = (m - k, n - k, false)
            }
            length += 1
        }
        return haveOldRoot ? length : length + 1
    }
}

/// Serves an `InMemoryMerkleTree` but fails any request that is not an RFC 6962 subtree, to hold the proof functions to
/// the promise `MerkleSubtreeSource` documents.
private struct SubtreeCheckingSource: MerkleSubtreeSource {
    struct NotASubtree: Error {
        let range: Range<UInt64>
    }

    let tree: InMemoryMerkleTree

    func subtreeHash(_ range: Range<UInt64>) throws -> MerkleDigest {
        let count = range.count
        var alignment: UInt64 = 1
        while alignment < count {
            alignment *= 2
        }
        guard count > 0, range.lowerBound.isMultiple(of: alignment) else {
            throw NotASubtree(range: range)
        }
        return try tree.subtreeHash(range)
    }
}

/// A tree of up to `UInt64.max` copies of one leaf: the hash of a subtree depends only on its leaf count, so every
/// subtree hash costs at most 64 node hashes and proofs can be made for sizes no memory could hold.
private struct UniformLeavesSource: MerkleSubtreeSource {
    /// `perfect[h]` is the root of 2^h copies of the leaf.
    private let perfect: [MerkleDigest]

    init(leafHash: MerkleDigest) {
        var perfect = [leafHash]
        for _ in 1..<64 {
            perfect.append(MerkleHash.node(perfect[perfect.count - 1], perfect[perfect.count - 1]))
        }
        self.perfect = perfect
    }

    func subtreeHash(_ range: Range<UInt64>) throws -> MerkleDigest {
        hash(count: range.upperBound - range.lowerBound)
    }

    private func hash(count: UInt64) -> MerkleDigest {
        if count.nonzeroBitCount == 1 {
            return perfect[count.trailingZeroBitCount]
        }
        let k = UInt64(1) << (63 - (count - 1).leadingZeroBitCount)
        return MerkleHash.node(perfect[k.trailingZeroBitCount], hash(count: count - k))
    }
}

extension SeededRandomNumberGenerator {
    /// The leaf hash of a random eight-byte record.
    fileprivate mutating func nextDigest() -> MerkleDigest {
        withUnsafeBytes(of: next()) { MerkleHash.leaf($0) }
    }
}

/// The SHA-256 under the Merkle tree (`SHA256OneShot`, the `CSHA256` target): the FIPS 180-4 example vectors, and the
/// digests of swift-crypto's SHA256, on the SHA-instruction path (where the processor has one) and the portable path.
final class SHA256OneShotTests: XCTestCase {
    /// The paths to check: the portable rounds always, the SHA instructions when this processor has them.
    private static let paths: [Bool] = SHA256OneShot.usesHardware ? [true, false] : [true]

    private static func hex(_ digest: MerkleDigest) -> String { digest.description }

    /// The digest of `bytes` cut in two at `split`, on the portable path or the default one.
    private static func hash(_ bytes: [UInt8], split: Int = 0, portable: Bool) -> MerkleDigest {
        bytes.withUnsafeBytes { raw in
            SHA256OneShot.hash(
                UnsafeRawBufferPointer(rebasing: raw[0..<split]), UnsafeRawBufferPointer(rebasing: raw[split...]),
                portable: portable)
        }
    }

    private static func swiftCrypto(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    func testTheFIPS180ExampleMessages() {
        let vectors: [(message: [UInt8], digest: String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                Array(
                    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
            (
                [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            ),
        ]
        for portable in Self.paths {
            for (message, digest) in vectors {
                XCTAssertEqual(
                    Self.hex(Self.hash(message, portable: portable)), digest,
                    "\(message.count) bytes, portable \(portable)")
                XCTAssertEqual(
                    Self.hex(Self.hash(message, split: message.count / 3, portable: portable)), digest,
                    "\(message.count) bytes in two parts, portable \(portable)")
            }
        }
    }

    /// Every length up to 300 crosses the one- and two-block paddings (55, 56, 63, 64, 119, 120 ... bytes) and the
    /// block boundaries between the two parts.
    func testEveryLengthUpTo300MatchesSwiftCrypto() {
        var generator = SeededGenerator(seed: 180)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Self.swiftCrypto(bytes)
            let split = Int.random(in: 0...length, using: &generator)
            for portable in Self.paths {
                XCTAssertEqual(Self.hex(Self.hash(bytes, portable: portable)), expected, "length \(length)")
                XCTAssertEqual(
                    Self.hex(Self.hash(bytes, split: split, portable: portable)), expected,
                    "length \(length) split at \(split), portable \(portable)")
            }
        }
    }

    func testLongInputsMatchSwiftCrypto() {
        var generator = SeededGenerator(seed: 4)
        for length in [1000, 4096 + 13, 65_536, 100_001, 1_048_579] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Self.swiftCrypto(bytes)
            for portable in Self.paths {
                for split in [0, 1, 64, 65, length / 2, length] {
                    XCTAssertEqual(
                        Self.hex(Self.hash(bytes, split: split, portable: portable)), expected,
                        "length \(length) split at \(split), portable \(portable)")
                }
            }
        }
    }

    func testLeafAndNodeHashesAreTheRFC6962Inputs() {
        var generator = SeededGenerator(seed: 6962)
        let record = (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertEqual(Self.hex(MerkleHash.leaf(record)), Self.swiftCrypto([0x00] + record))
        let zeroPrefixed = [0x00] + record
        XCTAssertEqual(
            zeroPrefixed.withUnsafeBytes { MerkleHash.leaf(zeroPrefixedRecord: $0) }, MerkleHash.leaf(record))
        let left = MerkleHash.leaf([1, 2, 3])
        let right = MerkleHash.leaf([4, 5])
        XCTAssertEqual(Self.hex(MerkleHash.node(left, right)), Self.swiftCrypto([0x01] + left.bytes + right.bytes))
        XCTAssertEqual(Self.hex(MerkleHash.emptyTree), Self.swiftCrypto([]))
    }
}
