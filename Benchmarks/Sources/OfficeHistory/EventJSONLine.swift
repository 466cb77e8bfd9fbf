import ClinicEvents
import RecordLog

/// One event as a line of JSON, as an application that kept its events as JSON lines would write it; ClinicEvents has
/// no JSON form of its own, so this one is made from the decoded event's fields.
///
/// The line is one object: `position`, `stream`, `streamVersion`, `eventID`, `type`, `schemaVersion`,
/// `recordedTime`, `effectiveTime` (microseconds since 1970), `actor`, `role`, then `reason`, `correlationID` and
/// `causationID` when present, and `body`: the body's stored properties by name, read with Swift's `Mirror`. Values
/// map plainly: strings and numbers as themselves, ids as their text (`EventID.description`), an enumeration case
/// without values as its name, a case with values as `{"case": values}`, a struct inside the body with one property
/// (a code, an amount, a staff id) as that property's value, absent optionals left out (as Swift's synthesized
/// `Codable` does), no whitespace. Patient data is in clear: the event is decoded with the keyring.
public enum EventJSONLine {
    /// The JSON line of `decoded`, stored at `position` with `streamVersion` (without the line feed).
    public static func line(position: UInt64, streamVersion: UInt64, decoded: DecodedEvent) -> String {
        let envelope = decoded.envelope
        var line = "{\"position\":\(position),\"stream\":"
        appendString(envelope.stream, to: &line)
        line += ",\"streamVersion\":\(streamVersion),\"eventID\":\"\(envelope.eventID)\",\"type\":"
        appendString(envelope.eventType, to: &line)
        line += ",\"schemaVersion\":\(envelope.schemaVersion),\"recordedTime\":\(envelope.recordedTimeMicroseconds)"
        line += ",\"effectiveTime\":\(envelope.effectiveTimeMicroseconds),\"actor\":"
        appendString(envelope.actorStaffID.value, to: &line)
        line += ",\"role\":\"\(envelope.actorRole)\""
        if let reason = envelope.reason {
            line += ",\"reason\":"
            appendString(reason, to: &line)
        }
        if let correlation = envelope.correlationID { line += ",\"correlationID\":\"\(correlation)\"" }
        if let causation = envelope.causationID { line += ",\"causationID\":\"\(causation)\"" }
        line += ",\"body\":"
        if let body = Mirror(reflecting: decoded.event).children.first?.value {
            appendReflected(body, Mirror(reflecting: body), flattening: false, to: &line)
        } else {
            line += "{}"
        }
        line += "}"
        return line
    }

    private static func appendValue(_ value: Any, to line: inout String) {
        if appendScalar(value, to: &line) { return }
        appendReflected(value, Mirror(reflecting: value), to: &line)
    }

    private static let stringType = ObjectIdentifier(String.self)
    private static let boolType = ObjectIdentifier(Bool.self)
    private static let intType = ObjectIdentifier(Int.self)
    private static let int64Type = ObjectIdentifier(Int64.self)
    private static let int32Type = ObjectIdentifier(Int32.self)
    private static let uint64Type = ObjectIdentifier(UInt64.self)
    private static let uint32Type = ObjectIdentifier(UInt32.self)
    private static let uint16Type = ObjectIdentifier(UInt16.self)
    private static let uint8Type = ObjectIdentifier(UInt8.self)
    private static let eventIDType = ObjectIdentifier(EventID.self)

    /// Appends `value` when it is a string, a Boolean, an integer or an id (found by its type's identity, which is
    /// much cheaper than trying casts in turn) and returns true; returns false for anything else.
    private static func appendScalar(_ value: Any, to line: inout String) -> Bool {
        switch ObjectIdentifier(type(of: value)) {
        case stringType: appendString(value as? String ?? "", to: &line)
        case eventIDType: line += "\"\((value as? EventID).map(\.description) ?? "")\""
        case int64Type: line += String(value as? Int64 ?? 0)
        case uint32Type: line += String(value as? UInt32 ?? 0)
        case uint8Type: line += String(value as? UInt8 ?? 0)
        case boolType: line += (value as? Bool ?? false) ? "true" : "false"
        case intType: line += String(value as? Int ?? 0)
        case int32Type: line += String(value as? Int32 ?? 0)
        case uint64Type: line += String(value as? UInt64 ?? 0)
        case uint16Type: line += String(value as? UInt16 ?? 0)
        default: return false
        }
        return true
    }

    private static func isScalar(_ value: Any) -> Bool {
        switch ObjectIdentifier(type(of: value)) {
        case stringType, eventIDType, int64Type, uint32Type, uint8Type, boolType, intType, int32Type, uint64Type,
            uint16Type:
            true
        default: false
        }
    }

    /// Appends a value that is not a scalar; `flattening` lets a struct of one scalar property stand for that value.
    private static func appendReflected(
        _ value: Any, _ mirror: Mirror, flattening: Bool = true, to line: inout String
    ) {
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value { appendValue(wrapped, to: &line) } else { line += "null" }
        case .collection, .set:
            line += "["
            for (index, child) in mirror.children.enumerated() {
                if index > 0 { line += "," }
                appendValue(child.value, to: &line)
            }
            line += "]"
        case .enum:
            guard let payload = mirror.children.first else {
                appendString(String(describing: value), to: &line)
                return
            }
            line += "{"
            appendString(payload.label ?? "case", to: &line)
            line += ":"
            appendValue(payload.value, to: &line)
            line += "}"
        default:
            if flattening, mirror.children.count == 1, let only = mirror.children.first,
                appendScalar(only.value, to: &line)
            {
                return
            }
            line += "{"
            var first = true
            for (offset, child) in mirror.children.enumerated() {
                var childValue = child.value
                var childMirror: Mirror?
                if !isScalar(childValue) {
                    let reflected = Mirror(reflecting: childValue)
                    if reflected.displayStyle == .optional {
                        guard let wrapped = reflected.children.first?.value else { continue }
                        childValue = wrapped
                    } else {
                        childMirror = reflected
                    }
                }
                if !first { line += "," }
                first = false
                appendString(child.label ?? "_\(offset)", to: &line)
                line += ":"
                if let childMirror {
                    appendReflected(childValue, childMirror, to: &line)
                } else {
                    appendValue(childValue, to: &line)
                }
            }
            line += "}"
        }
    }

    /// Appends `string` as a JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendString(_ string: String, to line: inout String) {
        line += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
