import ClinicEvents
import RecordLog

/// The two kinds of ledger record staff name by id (or by the first digits of the id) in billing commands.
public enum LedgerRecordKind: Sendable, CaseIterable {
    /// A charge (`ChargePosted`).
    case charge
    /// A payment (`PaymentPosted`).
    case payment

    /// The number of groups records are indexed in: by the first hex digit of their id.
    public static let groupCount = 16

    /// The group of `id`: the first of its 32 hex digits.
    public static func group(of id: EventID) -> Int {
        Int(truncatingIfNeeded: id.high >> 60)
    }

    /// The ledger checkpoint's derived part listing every record of this kind in `group` with its patient:
    /// `index.charges.<x>` or `index.payments.<x>`, `x` the group's hex digit.
    public func indexPartKey(group: Int) -> String {
        precondition((0..<Self.groupCount).contains(group), "a group is one hex digit")
        let prefix =
            switch self {
            case .charge: "index.charges."
            case .payment: "index.payments."
            }
        return prefix + String(group, radix: 16)
    }

    /// Whether `key` is the key of an `index.charges.<x>` or `index.payments.<x>` part.
    static func isIndexPartKey(_ key: String) -> Bool {
        allCases.contains { kind in (0..<groupCount).contains { kind.indexPartKey(group: $0) == key } }
    }

    /// The groups of this kind that hold at least one record of `accounts`.
    func groups(in accounts: [EventID: LedgerView.AccountLedger]) -> [Int] {
        let full = UInt32(1) << UInt32(Self.groupCount) - 1
        var mask: UInt32 = 0
        for ledger in accounts.values where mask != full {
            switch self {
            case .charge: for id in ledger.account.charges.keys { mask |= 1 << UInt32(Self.group(of: id)) }
            case .payment: for id in ledger.account.payments.keys { mask |= 1 << UInt32(Self.group(of: id)) }
            }
        }
        return (0..<Self.groupCount).filter { mask & (1 << UInt32($0)) != 0 }
    }
}

/// The charges (or the payments) of a ledger, each with the patient whose account holds it: finds one by its id or
/// by the first hex digits of its id without the accounts themselves.
///
/// Built from a whole ledger (every record), or for one group (the records whose id starts with one hex digit) from
/// the ledger checkpoint's `index.charges.<x>` / `index.payments.<x>` part (32 bytes per record, in id order: the id's
/// 16 bytes, then the patient id's 16 bytes, each big-endian) with the accounts the log's tail changed taking the
/// place of their rows (`PartialViewReader.owners(of:group:calendar:)`); such a value answers only for ids of its
/// group.
public struct LedgerOwners: Sendable, Equatable {
    /// The index part's records, 32 bytes each, in ascending id order.
    private let indexed: [UInt8]
    /// Patients whose rows of `indexed` are superseded by `listed`.
    private let superseded: Set<EventID>
    /// Records by id, with their patient: a whole ledger's, or the accounts read whole beside the index.
    private let listed: [EventID: EventID]

    /// The bytes of one record of an index part.
    static let recordByteCount = 32

    /// Every record of `kind` in `ledger`'s accounts.
    public init(ledger: LedgerView, kind: LedgerRecordKind) {
        indexed = []
        superseded = []
        listed = Self.records(of: kind, in: ledger.accounts)
    }

    /// The records of an index part, with `accounts` (read whole) taking the place of their rows; nil when the bytes
    /// are not whole records in strictly ascending id order.
    init?(
        indexPart bytes: [UInt8], kind: LedgerRecordKind,
        replacingAccounts accounts: [EventID: LedgerView.AccountLedger]
    ) {
        guard bytes.count % Self.recordByteCount == 0 else { return nil }
        let count = bytes.count / Self.recordByteCount
        for index in stride(from: 1, to: count, by: 1)
        where !(Self.id(at: index - 1, in: bytes) < Self.id(at: index, in: bytes)) {
            return nil
        }
        indexed = bytes
        superseded = Set(accounts.keys)
        listed = Self.records(of: kind, in: accounts)
    }

    /// The patient whose account holds the record `id`, or nil when there is no such record.
    public func patient(of id: EventID) -> EventID? {
        if let patient = listed[id] { return patient }
        let index = firstIndexed(atOrAfter: id)
        guard index < indexedCount, Self.id(at: index, in: indexed) == id else { return nil }
        let patient = Self.id(at: index, in: indexed, byteOffset: 16)
        return superseded.contains(patient) ? nil : patient
    }

    /// The ids whose 32 hex digits start with `digits` (lowercase hex, no dashes), in ascending order; empty when
    /// `digits` is empty, longer than 32 or not lowercase hex.
    public func ids(startingWithHexDigits digits: String) -> [EventID] {
        let nibbles = digits.utf8.compactMap(Self.nibble)
        guard !nibbles.isEmpty, nibbles.count == digits.utf8.count, nibbles.count <= 32 else { return [] }
        let lowest = Self.id(nibbles: nibbles, padding: 0)
        let highest = Self.id(nibbles: nibbles, padding: 0xF)
        var found: [EventID] = []
        var index = firstIndexed(atOrAfter: lowest)
        while index < indexedCount {
            let id = Self.id(at: index, in: indexed)
            guard id <= highest else { break }
            if !superseded.contains(Self.id(at: index, in: indexed, byteOffset: 16)) { found.append(id) }
            index += 1
        }
        for id in listed.keys where lowest <= id && id <= highest { found.append(id) }
        return found.sorted()
    }

    private var indexedCount: Int { indexed.count / Self.recordByteCount }

    /// The first record of `indexed` whose id is `id` or greater (`indexedCount` when none is).
    private func firstIndexed(atOrAfter id: EventID) -> Int {
        var low = 0
        var high = indexedCount
        while low < high {
            let middle = (low + high) / 2
            if Self.id(at: middle, in: indexed) < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The id of 16 big-endian bytes at `byteOffset` in record `index`.
    private static func id(at index: Int, in bytes: [UInt8], byteOffset: Int = 0) -> EventID {
        bytes.withUnsafeBytes { raw in
            let start = index * recordByteCount + byteOffset
            return EventID(
                high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)),
                low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)))
        }
    }

    /// The id whose hex digits are `nibbles` followed by `padding` up to 32 digits.
    private static func id(nibbles: [UInt8], padding: UInt8) -> EventID {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<32 {
            let nibble = UInt64(position < nibbles.count ? nibbles[position] : padding)
            if position < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        }
        return EventID(high: high, low: low)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Every record of `kind` of `accounts`, with its patient.
    private static func records(
        of kind: LedgerRecordKind, in accounts: [EventID: LedgerView.AccountLedger]
    ) -> [EventID: EventID] {
        var records: [EventID: EventID] = [:]
        for (patientID, ledger) in accounts {
            switch kind {
            case .charge: for id in ledger.account.charges.keys { records[id] = patientID }
            case .payment: for id in ledger.account.payments.keys { records[id] = patientID }
            }
        }
        return records
    }

    /// The `index.charges.<x>` or `index.payments.<x>` part of `group` of `accounts`: 32 bytes per record in
    /// ascending id order, the id's 16 bytes, then its patient id's, each big-endian. Empty when the group has no
    /// record (the part is then not written).
    static func encodeIndexPart(
        of kind: LedgerRecordKind, group: Int, in accounts: [EventID: LedgerView.AccountLedger]
    ) -> [UInt8] {
        var records: [(id: EventID, patientID: EventID)] = []
        for (patientID, ledger) in accounts {
            switch kind {
            case .charge:
                for id in ledger.account.charges.keys where LedgerRecordKind.group(of: id) == group {
                    records.append((id, patientID))
                }
            case .payment:
                for id in ledger.account.payments.keys where LedgerRecordKind.group(of: id) == group {
                    records.append((id, patientID))
                }
            }
        }
        records.sort { $0.id < $1.id }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(recordByteCount * records.count)
        for record in records {
            for word in [record.id.high, record.id.low, record.patientID.high, record.patientID.low] {
                withUnsafeBytes(of: word.bigEndian) { bytes += $0 }
            }
        }
        return bytes
    }
}
