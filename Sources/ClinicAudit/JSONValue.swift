import RecordLog

/// A JSON value whose objects keep their keys in the order written: what every audit document is built from, so the
/// files read in the order `docs/audit.md` documents them.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number that fits in 64 signed bits.
    case integer(Int64)
    /// A whole number above `Int64.max`.
    case unsigned(UInt64)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, its members in order.
    case object([JSONMember])

    /// A whole number.
    static func number(_ value: UInt64) -> JSONValue {
        value <= UInt64(Int64.max) ? .integer(Int64(value)) : .unsigned(value)
    }

    /// The member called `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Two-space indented JSON text with a final line feed.
    public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

    /// The UTF-8 bytes of ``serialized()``.
    public func serializedBytes() -> [UInt8] {
        var text: [UInt8] = []
        write(into: &text, indent: 0)
        text.append(0x0A)
        return text
    }

    /// JSON text on one line, without spaces between tokens: one line of a JSON-lines file.
    public func compactBytes() -> [UInt8] {
        var text: [UInt8] = []
        write(into: &text, indent: nil)
        return text
    }

    /// Parses JSON text (RFC 8259, whole numbers only, no member named twice in an object); nil when it is not.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        var parser = JSONParser(bytes: bytes)
        guard let value = parser.parseValue(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.index == bytes.count ? value : nil
    }

    /// Writes the value; `indent` nil writes it compactly.
    private func write(into text: inout [UInt8], indent: Int?) {
        let inner = indent.map { $0 + 2 }
        switch self {
        case .null: text += Array("null".utf8)
        case .bool(let value): text += Array((value ? "true" : "false").utf8)
        case .integer(let value): text += Array(String(value).utf8)
        case .unsigned(let value): text += Array(String(value).utf8)
        case .string(let value): Self.writeString(value, into: &text)
        case .array(let elements):
            guard !elements.isEmpty else {
                text += Array("[]".utf8)
                return
            }
            text.append(UInt8(ascii: "["))
            for (number, element) in elements.enumerated() {
                if let inner { text += [0x0A] + repeatElement(0x20, count: inner) }
                element.write(into: &text, indent: inner)
                if number + 1 < elements.count { text.append(UInt8(ascii: ",")) }
            }
            if let indent { text += [0x0A] + repeatElement(0x20, count: indent) }
            text.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                text += Array("{}".utf8)
                return
            }
            text.append(UInt8(ascii: "{"))
            for (number, member) in members.enumerated() {
                if let inner { text += [0x0A] + repeatElement(0x20, count: inner) }
                Self.writeString(member.key, into: &text)
                text.append(UInt8(ascii: ":"))
                if indent != nil { text.append(0x20) }
                member.value.write(into: &text, indent: inner)
                if number + 1 < members.count { text.append(UInt8(ascii: ",")) }
            }
            if let indent { text += [0x0A] + repeatElement(0x20, count: indent) }
            text.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ value: String, into text: inout [UInt8]) {
        text.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): text += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: text += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: text += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: text += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                text += Array("\\u00".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            default: text.append(byte)
            }
        }
        text.append(UInt8(ascii: "\""))
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member's name.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A recursive-descent JSON parser that keeps object members in order.
private struct JSONParser {
    static let depthMax = 64

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func take(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            return false
        }
        index += expected.count
        return true
    }

    mutating func parseValue(depth: Int) -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count, depth < Self.depthMax else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return parseObject(depth: depth)
        case UInt8(ascii: "["): return parseArray(depth: depth)
        case UInt8(ascii: "\""): return parseString().map { .string($0) }
        case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return take("null") ? .null : nil
        default: return parseNumber()
        }
    }

    private mutating func parseObject(depth: Int) -> JSONValue? {
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if take("}") { return .object(members) }
        while true {
            skipWhitespace()
            guard let key = parseString() else { return nil }
            guard !members.contains(where: { $0.key == key }) else { return nil }
            skipWhitespace()
            guard take(":"), let value = parseValue(depth: depth + 1) else { return nil }
            members.append(JSONMember(key, value))
            skipWhitespace()
            if take("}") { return .object(members) }
            guard take(",") else { return nil }
        }
    }

    private mutating func parseArray(depth: Int) -> JSONValue? {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if take("]") { return .array(elements) }
        while true {
            guard let value = parseValue(depth: depth + 1) else { return nil }
            elements.append(value)
            skipWhitespace()
            if take("]") { return .array(elements) }
            guard take(",") else { return nil }
        }
    }

    private mutating func parseNumber() -> JSONValue? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        let digits = index - digitsStart
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let value = Int64(text) { return .integer(value) }
        if let value = UInt64(text) { return .unsigned(value) }
        return nil
    }

    private mutating func parseHex4() -> UInt32? {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { return nil }
        index += 4
        return value
    }

    private mutating func parseString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ parser: JSONParser, upTo end: Int) -> Bool {
            guard let text = String(validating: parser.bytes[run..<end], as: UTF8.self) else { return false }
            scalars.append(contentsOf: text.unicodeScalars)
            return true
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard flush(self, upTo: index) else { return nil }
                index += 1
                return String(scalars)
            }
            guard byte >= 0x20 else { return nil }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            guard flush(self, upTo: index), index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var code = parseHex4() else { return nil }
                if (0xD800..<0xDC00).contains(code) {
                    guard take("\\u"), let low = parseHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                scalars.append(scalar)
            default: return nil
            }
            run = index
        }
        return nil
    }
}

/// Reading typed fields of a parsed document, each failure naming the field.
struct DocumentFields {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    private func member(_ key: String) throws(AuditError) -> JSONValue {
        guard case .object = value else { throw .malformedDocument(field: path, reason: "not an object") }
        guard let member = value[key] else { throw .malformedDocument(field: name(key), reason: "missing") }
        return member
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func string(_ key: String) throws(AuditError) -> String {
        guard case .string(let text) = try member(key) else {
            throw .malformedDocument(field: name(key), reason: "not a string")
        }
        return text
    }

    func unsigned(_ key: String) throws(AuditError) -> UInt64 {
        switch try member(key) {
        case .integer(let value) where value >= 0: return UInt64(value)
        case .unsigned(let value): return value
        default: throw .malformedDocument(field: name(key), reason: "not a whole number at or above 0")
        }
    }

    func signed(_ key: String) throws(AuditError) -> Int64 {
        guard case .integer(let value) = try member(key) else {
            throw .malformedDocument(field: name(key), reason: "not a whole number")
        }
        return value
    }

    func hex(_ key: String, count: Int? = nil) throws(AuditError) -> [UInt8] {
        guard let bytes = Hex.decode(try string(key)) else {
            throw .malformedDocument(field: name(key), reason: "not lowercase hexadecimal")
        }
        if let count, bytes.count != count {
            throw .malformedDocument(field: name(key), reason: "\(bytes.count) bytes, not \(count)")
        }
        return bytes
    }

    func digest(_ key: String) throws(AuditError) -> MerkleDigest {
        let bytes = try hex(key, count: MerkleDigest.byteCount)
        guard let digest = MerkleDigest(bytes: bytes) else {
            throw .malformedDocument(field: name(key), reason: "not a digest")
        }
        return digest
    }

    func digests(_ key: String) throws(AuditError) -> [MerkleDigest] {
        guard case .array(let elements) = try member(key) else {
            throw .malformedDocument(field: name(key), reason: "not an array")
        }
        var digests: [MerkleDigest] = []
        for (number, element) in elements.enumerated() {
            guard case .string(let text) = element, let bytes = Hex.decode(text),
                let digest = MerkleDigest(bytes: bytes)
            else {
                throw .malformedDocument(field: name(key) + "[\(number)]", reason: "not 32 bytes of hexadecimal")
            }
            digests.append(digest)
        }
        return digests
    }

    func object(_ key: String) throws(AuditError) -> DocumentFields {
        let member = try member(key)
        guard case .object = member else { throw .malformedDocument(field: name(key), reason: "not an object") }
        return DocumentFields(member, path: name(key))
    }

    func objects(_ key: String) throws(AuditError) -> [DocumentFields] {
        guard case .array(let elements) = try member(key) else {
            throw .malformedDocument(field: name(key), reason: "not an array")
        }
        var objects: [DocumentFields] = []
        for (number, element) in elements.enumerated() {
            guard case .object = element else {
                throw .malformedDocument(field: name(key) + "[\(number)]", reason: "not an object")
            }
            objects.append(DocumentFields(element, path: name(key) + "[\(number)]"))
        }
        return objects
    }

    func requireFormat(_ format: String) throws(AuditError) {
        let stated = try string("format")
        guard stated == format else {
            throw .malformedDocument(field: name("format"), reason: "\"\(stated)\" where \"\(format)\" was expected")
        }
    }
}

extension JSONValue {
    /// The value with every object's members sorted by key, for comparing documents whatever their member order.
    public var normalized: JSONValue {
        switch self {
        case .array(let elements): .array(elements.map(\.normalized))
        case .object(let members):
            .object(members.sorted { $0.key < $1.key }.map { JSONMember($0.key, $0.value.normalized) })
        default: self
        }
    }
}
