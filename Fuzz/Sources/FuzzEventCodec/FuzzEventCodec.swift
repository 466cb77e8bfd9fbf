// libFuzzer target: the event codec (`EventCodec.decode`: envelope, every event body of the catalogue, and the
// upcasters of old schema versions).
//
// Input: a record payload. An event that decodes must encode (at its current schema version) into bytes that decode
// to the same event, and encoding it again must give the same bytes; an event at its current version whose patient
// data is not withheld (sealed events are decoded without a keyring) must encode back to exactly its bytes.
import ClinicEvents

private let codec: EventCodec? = try? EventCodec()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventCodec(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard let codec else { preconditionFailure("the standard catalogue's registry is valid") }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let decoded = try? codec.decode(bytes) else { return 0 }
    let inPlace = try? bytes.withUnsafeBytes { try codec.decode($0) }
    precondition(inPlace == decoded, "decoding from an array and in place agree")
    let old = decoded.envelope
    guard
        let envelope = try? EventEnvelope(
            stream: old.stream, eventID: old.eventID, eventType: old.eventType,
            schemaVersion: decoded.event.schemaVersion, recordedTimeMicroseconds: old.recordedTimeMicroseconds,
            effectiveTimeMicroseconds: old.effectiveTimeMicroseconds, actorStaffID: old.actorStaffID,
            actorRole: old.actorRole, reason: old.reason, correlationID: old.correlationID,
            causationID: old.causationID)
    else { preconditionFailure("a decoded envelope's fields make a valid envelope") }
    guard let encoded = try? codec.encode(decoded.event, envelope: envelope) else {
        preconditionFailure("a decoded event encodes at its current version")
    }
    guard let again = try? codec.decode(encoded) else { preconditionFailure("an encoded event decodes") }
    precondition(again == DecodedEvent(envelope: envelope, event: decoded.event), "an event survives encoding")
    guard let encodedAgain = try? codec.encode(again.event, envelope: again.envelope) else {
        preconditionFailure("a decoded event encodes again")
    }
    precondition(encodedAgain == encoded, "encoding is deterministic")
    // A sealed event decoded without the patient's key is a placeholder (`patientDataWithheld`): it encodes, but
    // without the key and the nonce it cannot give back the sealed bytes it was read from.
    if old.schemaVersion == decoded.event.schemaVersion, !decoded.patientDataWithheld {
        precondition(encoded == bytes, "an event at its current version encodes back to exactly its bytes")
    }
    return 0
}
