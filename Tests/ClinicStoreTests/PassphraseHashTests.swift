import ClinicEvents
import ClinicStore
import RecordLog
import RecordLogTesting
import XCTest

final class PassphraseHashTests: XCTestCase {
    private let random = RandomByteSource(SeededRandomNumberGenerator(seed: 3))

    func testAHashMatchesItsPassphraseOnlyAndTwoHashesOfOnePassphraseDiffer() throws {
        let cost = try XCTUnwrap(PassphraseHashCost(log2Rounds: 10, blockSize: 8, parallelism: 1))
        let passphrase = Array("correct horse battery".utf8)
        let first = try PassphraseHash.make(passphrase: passphrase, cost: cost, random: random)
        let second = try PassphraseHash.make(passphrase: passphrase, cost: cost, random: random)
        XCTAssertTrue(first.matches(passphrase))
        XCTAssertFalse(first.matches(Array("correct horse battery!".utf8)))
        XCTAssertFalse(first.matches([]))
        XCTAssertNotEqual(first.salt, second.salt)
        XCTAssertNotEqual(first.hash, second.hash)
        XCTAssertEqual(first.hash.count, 32)
    }

    func testTheStandardCostIsScryptN32768R8P1() throws {
        XCTAssertEqual(PassphraseHashCost.standard.log2Rounds, 15)
        XCTAssertEqual(PassphraseHashCost.standard.blockSize, 8)
        XCTAssertEqual(PassphraseHashCost.standard.parallelism, 1)
        let made = try PassphraseHash.make(
            passphrase: Array("standard cost phrase".utf8), cost: .standard, random: random)
        XCTAssertTrue(made.matches(Array("standard cost phrase".utf8)))
        XCTAssertNil(PassphraseHashCost(log2Rounds: 3, blockSize: 8, parallelism: 1))
    }
}
