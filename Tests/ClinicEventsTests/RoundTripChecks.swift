import ClinicEvents
import XCTest

/// Generates `count` events with `generate`, and checks each one round-trips exactly through the codec (envelope and
/// body) and through its declared version-1 field layout; returns the event types seen.
func roundTripEveryEvent(
    seed: UInt64, count: Int = 3000, file: StaticString = #filePath, line: UInt = #line,
    _ generate: (inout EventGenerator) throws -> ClinicEvent
) throws -> Set<String> {
    let codec = try EventCodec()
    var generator = EventGenerator(seed: seed)
    var seenTypes: Set<String> = []
    for _ in 0..<count {
        let event = try generate(&generator)
        let envelope = try generator.envelope(for: event)
        let bytes = try codec.encode(event, envelope: envelope)
        XCTAssertEqual(try codec.decode(bytes), DecodedEvent(envelope: envelope, event: event), file: file, line: line)
        var body = BinaryEncoder()
        event.encode(into: &body)
        let layout = try XCTUnwrap(codec.registry.layout(of: event.eventType, version: 1), file: file, line: line)
        let fields = try BinaryDecoder.decode(body.bytes) { try EventFields.decode(layout: layout, from: &$0) }
        var again = BinaryEncoder()
        try fields.encode(layout: layout, into: &again)
        XCTAssertEqual(again.bytes, body.bytes, file: file, line: line)
        seenTypes.insert(event.eventType)
    }
    return seenTypes
}
