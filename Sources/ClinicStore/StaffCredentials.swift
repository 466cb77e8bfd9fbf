import ClinicEvents
import RecordLog

/// The staff's passphrase hashes, as `keys/staff-credentials` holds them: plain text lines, mode 0600, never in the
/// log and never a passphrase.
///
/// ```
/// format=1
/// fd-1 scrypt 15 8 1 <salt: 32 hex digits> <hash: 64 hex digits>
/// ```
///
/// The fields after `scrypt` are log2(N), r and p of the hash (`PassphraseHashCost`).
struct StaffCredentials: Equatable, Sendable {
    /// Every staff member's hash, by id.
    var hashes: [StaffID: PassphraseHash] = [:]

    /// Reads the credentials file; no file means no passphrase is set yet. Refuses a file others may read.
    static func load(location: StoreLocation, fileSystem: any FileSystem) throws(StoreError) -> StaffCredentials {
        let path = location.credentialsPath
        guard fileSystem.exists(path) else { return StaffCredentials() }
        try StoreKeys.checkPrivate(path, what: "staff credentials file", fileSystem: fileSystem)
        let lines = try readLines(path, fileSystem: fileSystem)
        var credentials = StaffCredentials()
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 7, fields[1] == "scrypt", let staffID = try? StaffID(fields[0]),
                let log2Rounds = Int(fields[2]), let blockSize = Int(fields[3]), let parallelism = Int(fields[4]),
                let cost = PassphraseHashCost(log2Rounds: log2Rounds, blockSize: blockSize, parallelism: parallelism),
                let salt = decodeHex(fields[5]), let hash = decodeHex(fields[6]),
                let made = PassphraseHash(cost: cost, salt: salt, hash: hash)
            else { throw damaged(path) }
            credentials.hashes[staffID] = made
        }
        return credentials
    }

    /// The file's bytes, staff in id order.
    func serialized() -> [UInt8] {
        var text = "format=1\n"
        for (staffID, made) in hashes.sorted(by: { $0.key.value < $1.key.value }) {
            let cost = made.cost
            text +=
                "\(staffID.value) scrypt \(cost.log2Rounds) \(cost.blockSize) \(cost.parallelism) "
                + "\(hex(made.salt)) \(hex(made.hash))\n"
        }
        return Array(text.utf8)
    }

    /// Writes the file atomically and durably (mode 0600, in the 0700 keys directory).
    func save(location: StoreLocation, fileSystem: any FileSystem) throws(StoreError) {
        do {
            try fileSystem.writeAtomically(serialized(), to: location.credentialsPath)
        } catch {
            throw StoreError(
                .storage, code: "credentialsWrite", message: "The staff credentials could not be written: \(error).")
        }
    }

    /// The lines of a `format=1` file.
    static func readLines(_ path: String, fileSystem: any FileSystem) throws(StoreError) -> [Substring] {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readWholeFile(path)
        } catch {
            throw StoreError(
                .storage, code: "credentialsRead", message: "The file \(path) could not be read: \(error).")
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == "format=1" else { throw damaged(path) }
        return lines
    }

    static func damaged(_ path: String) -> StoreError {
        StoreError(
            .storage, code: "credentialsDamaged",
            message: "The file \(path) is damaged; restore it from a backup, or set the passphrases again.")
    }
}

/// Failed sign-ins in a row per staff id, as `keys/sign-in-failures` holds them, and the waiting time they impose.
///
/// ```
/// format=1
/// fd-1 3 1764579600000000
/// ```
///
/// (staff id, failures in a row, time of the last failure in microseconds since 1970). After n failures in a row the
/// next attempt must wait min(2^(n−1), 900) seconds from the last one; a success clears the count.
public struct SignInThrottle: Sendable {
    /// The longest wait, in seconds.
    public static let waitSecondsMax: Int64 = 900

    /// Failures in a row and the time of the last, by staff id.
    var failures: [StaffID: (count: UInt32, lastMicroseconds: Int64)] = [:]

    /// The wait after `failures` failures in a row, in seconds: 0, 1, 2, 4, 8 … up to 900.
    public static func waitSeconds(afterFailures failures: UInt32) -> Int64 {
        guard failures > 0 else { return 0 }
        guard failures < 12 else { return waitSecondsMax }
        return min(Int64(1) << Int64(failures - 1), waitSecondsMax)
    }

    /// The seconds `staffID` must still wait at `now`, or 0.
    func remainingWaitSeconds(of staffID: StaffID, now: Int64) -> Int64 {
        guard let entry = failures[staffID] else { return 0 }
        let until = entry.lastMicroseconds + Self.waitSeconds(afterFailures: entry.count) * 1_000_000
        guard now < until else { return 0 }
        return (until - now + 999_999) / 1_000_000
    }

    static func load(location: StoreLocation, fileSystem: any FileSystem) throws(StoreError) -> SignInThrottle {
        let path = location.signInFailuresPath
        guard fileSystem.exists(path) else { return SignInThrottle() }
        var throttle = SignInThrottle()
        for line in try StaffCredentials.readLines(path, fileSystem: fileSystem).dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let staffID = try? StaffID(String(fields[0])), let count = UInt32(fields[1]),
                let last = Int64(fields[2])
            else { throw StaffCredentials.damaged(path) }
            throttle.failures[staffID] = (count, last)
        }
        return throttle
    }

    func save(location: StoreLocation, fileSystem: any FileSystem) throws(StoreError) {
        var text = "format=1\n"
        for (staffID, entry) in failures.sorted(by: { $0.key.value < $1.key.value }) {
            text += "\(staffID.value) \(entry.count) \(entry.lastMicroseconds)\n"
        }
        do {
            try fileSystem.writeAtomically(Array(text.utf8), to: location.signInFailuresPath)
        } catch {
            throw StoreError(
                .storage, code: "throttleWrite", message: "The sign-in failure count could not be written: \(error).")
        }
    }
}
