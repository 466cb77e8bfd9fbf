import ClinicEvents
import RecordLog

/// The limits a state decoder applies to counts, so that a damaged checkpoint cannot ask for absurd allocations
/// (the `BinaryDecoder` also refuses a count larger than the bytes left).
enum ViewStateLimits {
    /// The most elements of any one map or list in a view state.
    static let elementCountMax = 1 << 30
    /// The longest string a view state holds, in bytes.
    static let stringByteCountMax = 1 << 20
}

extension BinaryEncoder {
    /// Writes a staff id as a string.
    mutating func writeStaffID(_ staffID: StaffID) {
        writeString(staffID.value)
    }

    /// Writes a responsibility as its one-byte code (0 patient, 1 to 3 insurance level).
    mutating func writeResponsibilityCode(_ responsibility: Responsibility) {
        writeUInt8(responsibility.code)
    }

    /// Writes a payer: 0 for the patient, or 1, its payer id and its level.
    mutating func writePayer(_ payer: Payer) {
        switch payer {
        case .patient: writeUInt8(0)
        case .insurance(let payerID, let level):
            writeUInt8(1)
            writeString(payerID)
            writeUInt8(level)
        }
    }

    /// Writes amounts by responsibility: a count, then each code (ascending) and its cents.
    mutating func writeAmountsByResponsibility(_ amounts: [Responsibility: Int64]) {
        writeVarUInt(UInt64(amounts.count))
        for (responsibility, cents) in amounts.sorted(by: { $0.key.code < $1.key.code }) {
            writeResponsibilityCode(responsibility)
            writeVarInt(cents)
        }
    }

    /// Writes an optional signed integer.
    mutating func writeOptionalVarInt(_ value: Int64?) {
        writeOptional(value) { $0.writeVarInt($1) }
    }

    /// Writes an optional id.
    mutating func writeOptionalEventID(_ value: EventID?) {
        writeOptional(value) { $0.writeEventID($1) }
    }

    /// Writes an optional string.
    mutating func writeOptionalString(_ value: String?) {
        writeOptional(value) { $0.writeString($1) }
    }

    /// Writes a count, then each entry of `dictionary` in ascending key order.
    mutating func writeSorted<Key: Comparable, Value>(
        _ dictionary: [Key: Value], _ writeEntry: (inout BinaryEncoder, Key, Value) -> Void
    ) {
        writeVarUInt(UInt64(dictionary.count))
        for key in dictionary.keys.sorted() {
            // The key comes from the dictionary itself, so the look-up always succeeds.
            guard let value = dictionary[key] else { continue }
            writeEntry(&self, key, value)
        }
    }

    /// Writes the entries of `dictionary` under `keys` exactly as `writeSorted(_:_:)` writes a dictionary of only
    /// those entries: a count, then each entry in ascending key order. Every key must be in `dictionary`, once.
    mutating func writeSorted<Key: Comparable, Value>(
        keys: [Key], of dictionary: [Key: Value], _ writeEntry: (inout BinaryEncoder, Key, Value) -> Void
    ) {
        writeVarUInt(UInt64(keys.count))
        for key in keys.sorted() {
            guard let value = dictionary[key] else { preconditionFailure("a key written is in the dictionary") }
            writeEntry(&self, key, value)
        }
    }

    /// Writes a count, then each element of `set` in ascending order.
    mutating func writeSorted<Element: Comparable>(
        _ set: Set<Element>, _ writeElement: (inout BinaryEncoder, Element) -> Void
    ) {
        writeArray(set.sorted(), writeElement)
    }
}

extension BinaryDecoder {
    /// Reads a staff id.
    mutating func readStaffID(field: String) throws -> StaffID {
        let text = try readString(field: field, byteCountMax: 64)
        do { return try StaffID(text) } catch { throw ViewStateDecodingError.malformed(field: field) }
    }

    /// Reads a responsibility code.
    mutating func readResponsibilityCode(field: String) throws -> Responsibility {
        let code = try readUInt8(field: field)
        do { return try Responsibility(code: code) } catch { throw ViewStateDecodingError.malformed(field: field) }
    }

    /// Reads a payer.
    mutating func readPayer(field: String) throws -> Payer {
        switch try readUInt8(field: field) {
        case 0: return .patient
        case 1:
            let payerID = try readString(field: field, byteCountMax: Payer.payerIDByteCountMax)
            let level = try readUInt8(field: field)
            let payer = Payer.insurance(payerID: payerID, level: level)
            guard payer.isValid else { throw ViewStateDecodingError.malformed(field: field) }
            return payer
        default: throw ViewStateDecodingError.malformed(field: field)
        }
    }

    /// Reads an optional signed integer.
    mutating func readOptionalVarInt(field: String) throws -> Int64? {
        try readOptional(field: field) { try $0.readVarInt(field: field) }
    }

    /// Reads an optional id.
    mutating func readOptionalEventID(field: String) throws -> EventID? {
        try readOptional(field: field) { try $0.readEventID(field: field) }
    }

    /// Reads an optional string.
    mutating func readOptionalString(field: String) throws -> String? {
        try readOptional(field: field) {
            try $0.readString(field: field, byteCountMax: ViewStateLimits.stringByteCountMax)
        }
    }

    /// Reads a string of a view state.
    mutating func readViewString(field: String) throws -> String {
        try readString(field: field, byteCountMax: ViewStateLimits.stringByteCountMax)
    }

    /// Reads a count-prefixed list of a view state.
    mutating func readList<Element>(field: String, _ readElement: (inout BinaryDecoder) throws -> Element) throws
        -> [Element]
    {
        try readArray(field: field, countMax: ViewStateLimits.elementCountMax, readElement)
    }

    /// Reads entries written by `writeSorted(_:_:)`, refusing keys out of ascending order or repeated.
    mutating func readSortedMap<Key: Comparable & Hashable, Value>(
        field: String, _ readEntry: (inout BinaryDecoder) throws -> (Key, Value)
    ) throws -> [Key: Value] {
        let count = try readCount(field: field, limit: ViewStateLimits.elementCountMax)
        var result: [Key: Value] = [:]
        result.reserveCapacity(count)
        var previous: Key?
        for _ in 0..<count {
            let (key, value) = try readEntry(&self)
            if let previous, !(previous < key) { throw ViewStateDecodingError.malformed(field: field) }
            previous = key
            result[key] = value
        }
        return result
    }

    /// Reads a set written by `writeSorted(_:_:)`, refusing elements out of ascending order or repeated.
    mutating func readSortedSet<Element: Comparable & Hashable>(
        field: String, _ readElement: (inout BinaryDecoder) throws -> Element
    ) throws -> Set<Element> {
        let elements = try readList(field: field, readElement)
        for index in elements.indices.dropFirst() where !(elements[index - 1] < elements[index]) {
            throw ViewStateDecodingError.malformed(field: field)
        }
        return Set(elements)
    }

    /// Reads a state's stream version or count as a varuint.
    mutating func readCounter(field: String) throws -> UInt64 {
        try readVarUInt(field: field)
    }
}
