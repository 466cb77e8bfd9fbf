import ClinicEvents
import RecordLog
import RecordLogTesting
import XCTest

/// Generates `count` events with `generate`, and checks for each one that it round-trips exactly through the codec in
/// clear and sealed, and through its declared current field layout (clear and sealed bytes alike); that decoded
/// without a keyring, and after its patient's erasure, its clear fields are unchanged, every sealed text reads as the
/// placeholder and the event says so; and that no sealed text of 4 bytes or more appears in the sealed payload.
/// Returns the event types seen.
func roundTripEveryEvent(
    seed: UInt64, count: Int = 3000, file: StaticString = #filePath, line: UInt = #line,
    _ generate: (inout EventGenerator) throws -> ClinicEvent
) throws -> Set<String> {
    let codec = try EventCodec()
    var generator = EventGenerator(seed: seed)
    let random = RandomByteSource(SeededRandomNumberGenerator(seed: seed ^ 0x5EA1))
    let keyring = PatientKeyring(masterKey: MasterKey.make(using: random), random: random)
    let sealer = PatientDataSealer(keyring: keyring, random: random)
    var seenTypes: Set<String> = []
    for _ in 0..<count {
        let event = try generate(&generator)
        let envelope = try generator.envelope(for: event)
        let layout = try XCTUnwrap(
            codec.registry.layout(of: event.eventType, version: event.schemaVersion), file: file, line: line)
        let sealsSomething = layout.contains { if case .sealed = $0.kind { true } else { false } }

        let clear = try codec.encode(event, envelope: envelope)
        XCTAssertEqual(try codec.decode(clear), DecodedEvent(envelope: envelope, event: event), file: file, line: line)
        let clearFields = try bodyFields(of: clear, layout: layout)
        try checkLayoutRoundTrip(clear, layout: layout, file: file, line: line)

        if let patientID = event.subjectPatientID, keyring.wrappedKey(for: patientID) == nil {
            try keyring.createKey(for: patientID)
        }
        let sealed = try codec.encode(event, envelope: envelope, sealingWith: sealer)
        XCTAssertEqual(
            try codec.decode(sealed, opening: keyring), DecodedEvent(envelope: envelope, event: event), file: file,
            line: line)
        try checkLayoutRoundTrip(sealed, layout: layout, file: file, line: line)
        XCTAssertEqual(sealed == clear, !sealsSomething, event.eventType, file: file, line: line)
        for text in sealedTexts(clearFields) where text.utf8.count >= 4 {
            XCTAssertFalse(
                contains(sealed, Array(text.utf8)), "\(event.eventType) leaks a sealed text", file: file, line: line)
        }

        let withheld = try codec.decode(sealed)
        try checkPlaceholders(
            withheld, of: event, envelope: envelope, clearFields: clearFields, sealsSomething: sealsSomething,
            reason: .withheld, codec: codec, layout: layout, file: file, line: line)
        if let patientID = event.subjectPatientID, sealsSomething {
            keyring.destroyKey(for: patientID)
            let erased = try codec.decode(sealed, opening: keyring)
            try checkPlaceholders(
                erased, of: event, envelope: envelope, clearFields: clearFields, sealsSomething: true, reason: .erased,
                codec: codec, layout: layout, file: file, line: line)
        }
        seenTypes.insert(event.eventType)
    }
    return seenTypes
}

/// Checks that a payload's body reads with `layout` into fields that write back to the same bytes.
private func checkLayoutRoundTrip(
    _ payload: [UInt8], layout: [FieldSpec], file: StaticString, line: UInt
) throws {
    let body = try bodyBytes(of: payload)
    let fields = try BinaryDecoder.decode(body) { try EventFields.decode(layout: layout, from: &$0) }
    var again = BinaryEncoder()
    try fields.encode(layout: layout, into: &again)
    XCTAssertEqual(again.bytes, body, file: file, line: line)
}

/// Checks a decoding with placeholders: flagged as such, the envelope and every clear field as written, every sealed
/// text the placeholder (or, for a problem, the placeholder diagnosis).
private func checkPlaceholders(
    _ decoded: DecodedEvent, of event: ClinicEvent, envelope: EventEnvelope, clearFields: EventFields,
    sealsSomething: Bool, reason: PatientDataWithholding, codec: EventCodec, layout: [FieldSpec], file: StaticString,
    line: UInt
) throws {
    XCTAssertEqual(decoded.envelope, envelope, file: file, line: line)
    XCTAssertEqual(decoded.patientDataWithheld, sealsSomething, event.eventType, file: file, line: line)
    XCTAssertEqual(decoded.patientDataErased, reason == .erased && sealsSomething, file: file, line: line)
    guard sealsSomething else {
        XCTAssertEqual(decoded.event, event, file: file, line: line)
        return
    }
    let placeholderFields = try bodyFields(of: try codec.encode(decoded.event, envelope: envelope), layout: layout)
    XCTAssertEqual(
        placeholderFields.fields.filter { !$0.value.isSealed }, clearFields.fields.filter { !$0.value.isSealed },
        "\(event.eventType): clear fields changed", file: file, line: line)
    for text in sealedTexts(placeholderFields) {
        XCTAssertTrue(
            text == reason.placeholderText || text == ProblemAdded.placeholderDiagnosisCode,
            "\(event.eventType): a sealed text is not the placeholder", file: file, line: line)
    }
}

/// The body of a payload: the bytes after the envelope.
func bodyBytes(of payload: [UInt8]) throws -> [UInt8] {
    let envelopeCount = try payload.withUnsafeBytes { buffer in
        try BinaryDecoder.decodePrefix(buffer) { try EventEnvelope.decode(from: &$0) }.byteCount
    }
    return Array(payload[envelopeCount...])
}

/// The fields of a payload's body, read with `layout`.
func bodyFields(of payload: [UInt8], layout: [FieldSpec]) throws -> EventFields {
    try BinaryDecoder.decode(try bodyBytes(of: payload)) { try EventFields.decode(layout: layout, from: &$0) }
}

/// Every string held in clear inside the sealed fields of `fields`.
func sealedTexts(_ fields: EventFields) -> [String] {
    fields.fields.flatMap { field -> [String] in
        guard case .sealed(.clear(let value)) = field.value else { return [] }
        return strings(in: value)
    }
}

private func strings(in value: FieldValue) -> [String] {
    switch value {
    case .string(let text): [text]
    case .optional(let inner?): strings(in: inner)
    case .array(let elements): elements.flatMap(strings(in:))
    case .record(let nested): nested.fields.flatMap { strings(in: $0.value) }
    case .sealed(.clear(let inner)): strings(in: inner)
    default: []
    }
}

/// Whether `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}

extension FieldValue {
    /// Whether the value is that of a `sealed` field.
    var isSealed: Bool {
        if case .sealed = self { true } else { false }
    }
}
