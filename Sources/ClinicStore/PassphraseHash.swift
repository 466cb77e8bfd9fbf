import ClinicEvents
import Crypto
import _CryptoExtras

/// The cost of hashing a passphrase with scrypt (RFC 7914): N = 2^`log2Rounds`, r = `blockSize`, p = `parallelism`.
///
/// The memory used is 128 × N × r bytes: 32 MiB for the standard cost, which makes each guess cost an attacker that
/// much memory as well as time.
public struct PassphraseHashCost: Hashable, Sendable, CustomStringConvertible {
    /// The standard cost: N = 2^15, r = 8, p = 1 (32 MiB per hash).
    public static let standard = PassphraseHashCost(uncheckedLog2Rounds: 15, blockSize: 8, parallelism: 1)
    /// The smallest N accepted, as a power of two; lower costs exist for tests only.
    public static let log2RoundsRange: ClosedRange<Int> = 4...20
    /// The block sizes accepted.
    public static let blockSizeRange: ClosedRange<Int> = 1...16
    /// The parallelism factors accepted.
    public static let parallelismRange: ClosedRange<Int> = 1...4

    /// N as a power of two.
    public let log2Rounds: Int
    /// r, the block size factor.
    public let blockSize: Int
    /// p, the parallelism factor.
    public let parallelism: Int

    /// Creates a cost, or nil when a parameter is outside its accepted range.
    public init?(log2Rounds: Int, blockSize: Int, parallelism: Int) {
        guard Self.log2RoundsRange.contains(log2Rounds), Self.blockSizeRange.contains(blockSize),
            Self.parallelismRange.contains(parallelism)
        else { return nil }
        self.init(uncheckedLog2Rounds: log2Rounds, blockSize: blockSize, parallelism: parallelism)
    }

    private init(uncheckedLog2Rounds: Int, blockSize: Int, parallelism: Int) {
        log2Rounds = uncheckedLog2Rounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// N × r × p: the work and memory a hash costs, to compare costs.
    public var work: Int { (1 << log2Rounds) * blockSize * parallelism }

    /// `N=2^15 r=8 p=1`.
    public var description: String { "N=2^\(log2Rounds) r=\(blockSize) p=\(parallelism)" }
}

/// A passphrase's scrypt hash with its salt and cost, as the credentials file keeps it; never the passphrase.
public struct PassphraseHash: Equatable, Sendable {
    /// The length of a salt, in bytes.
    public static let saltByteCount = 16
    /// The length of a hash, in bytes.
    public static let hashByteCount = 32
    /// The shortest passphrase accepted, in bytes.
    public static let passphraseByteCountMin = 10
    /// The longest passphrase accepted, in bytes.
    public static let passphraseByteCountMax = 1024

    /// The cost it was made with.
    public let cost: PassphraseHashCost
    /// The random salt.
    public let salt: [UInt8]
    /// scrypt(passphrase, salt, cost), 32 bytes.
    public let hash: [UInt8]

    /// Creates a hash from its stored parts (checked for length).
    init?(cost: PassphraseHashCost, salt: [UInt8], hash: [UInt8]) {
        guard salt.count == Self.saltByteCount, hash.count == Self.hashByteCount else { return nil }
        self.cost = cost
        self.salt = salt
        self.hash = hash
    }

    /// Hashes `passphrase` with a new random salt, after checking it against the passphrase rules.
    public static func make(
        passphrase: [UInt8], cost: PassphraseHashCost, random: RandomByteSource
    ) throws(StoreError) -> PassphraseHash {
        try checkRules(passphrase)
        let salt = random.bytes(count: saltByteCount)
        guard let made = PassphraseHash(cost: cost, salt: salt, hash: try derive(passphrase, salt: salt, cost: cost))
        else { preconditionFailure("scrypt gives the length asked for") }
        return made
    }

    /// Refuses a passphrase shorter than 10 or longer than 1024 bytes, or made only of white space.
    public static func checkRules(_ passphrase: [UInt8]) throws(StoreError) {
        guard (passphraseByteCountMin...passphraseByteCountMax).contains(passphrase.count) else {
            throw StoreError(
                .usage, code: "passphraseLength",
                message: "A passphrase must be \(passphraseByteCountMin) to \(passphraseByteCountMax) bytes long; "
                    + "choose a longer one (several words are easiest to remember).")
        }
        guard passphrase.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
            throw StoreError(
                .usage, code: "passphraseBlank", message: "A passphrase cannot be only spaces; choose another one.")
        }
    }

    /// Whether `passphrase` hashes to this hash (compared in constant time).
    public func matches(_ passphrase: [UInt8]) -> Bool {
        guard let derived = try? Self.derive(passphrase, salt: salt, cost: cost) else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(derived, hash) { difference |= left ^ right }
        return difference == 0 && derived.count == hash.count
    }

    private static func derive(
        _ passphrase: [UInt8], salt: [UInt8], cost: PassphraseHashCost
    ) throws(StoreError) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: passphrase, salt: salt, outputByteCount: hashByteCount, rounds: 1 << cost.log2Rounds,
                blockSize: cost.blockSize, parallelism: cost.parallelism)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw StoreError(
                .storage, code: "passphraseHashing",
                message: "The passphrase could not be hashed (scrypt \(cost) failed); check the machine's free memory.")
        }
    }
}
