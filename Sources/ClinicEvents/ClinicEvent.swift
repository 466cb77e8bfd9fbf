/// Every event the catalogue knows, as one closed enumeration.
public enum ClinicEvent: Equatable, Sendable {
    /// A patient was registered.
    case patientRegistered(PatientRegistered)
    /// Vital signs were recorded.
    case vitalsRecorded(VitalsRecorded)
    /// A charge was posted.
    case chargePosted(ChargePosted)

    /// The body types of the catalogue, each registered in `EventCodec.makeStandardRegistry()`.
    public static let bodyTypes: [any ClinicEventBody.Type] = [
        PatientRegistered.self, VitalsRecorded.self, ChargePosted.self,
    ]

    /// The event type name written in the envelope.
    public var eventType: String {
        switch self {
        case .patientRegistered: PatientRegistered.eventType
        case .vitalsRecorded: VitalsRecorded.eventType
        case .chargePosted: ChargePosted.eventType
        }
    }

    /// The schema version the body is written at: always the current one.
    public var schemaVersion: UInt32 {
        switch self {
        case .patientRegistered: PatientRegistered.currentSchemaVersion
        case .vitalsRecorded: VitalsRecorded.currentSchemaVersion
        case .chargePosted: ChargePosted.currentSchemaVersion
        }
    }

    /// Writes the body at its current schema version.
    public func encode(into encoder: inout BinaryEncoder) {
        switch self {
        case .patientRegistered(let body): body.encode(into: &encoder)
        case .vitalsRecorded(let body): body.encode(into: &encoder)
        case .chargePosted(let body): body.encode(into: &encoder)
        }
    }

    /// Reads a body of `eventType` written at that type's current schema version; nil for an unknown type.
    static func decodeCurrent(eventType: String, from decoder: inout BinaryDecoder) throws -> ClinicEvent? {
        switch eventType {
        case PatientRegistered.eventType: .patientRegistered(try PatientRegistered.decode(from: &decoder))
        case VitalsRecorded.eventType: .vitalsRecorded(try VitalsRecorded.decode(from: &decoder))
        case ChargePosted.eventType: .chargePosted(try ChargePosted.decode(from: &decoder))
        default: nil
        }
    }
}

/// An event as read back from its bytes: the envelope as written and the body upcast to its current version.
public struct DecodedEvent: Equatable, Sendable {
    /// The envelope, with the schema version the body was written at.
    public let envelope: EventEnvelope
    /// The body, at its type's current schema version.
    public let event: ClinicEvent

    /// Creates a decoded event.
    public init(envelope: EventEnvelope, event: ClinicEvent) {
        self.envelope = envelope
        self.event = event
    }
}

/// A refusal to encode an event.
public enum EventEncodingError: Error, Equatable, Sendable {
    /// The envelope's event type is not the body's.
    case eventTypeMismatch
    /// The envelope's schema version is not the body's current version: new events are written at the current one.
    case schemaVersionNotCurrent
}

/// Encodes events into record payloads and decodes them back, upcasting old schema versions on the way.
///
/// A record payload is the envelope immediately followed by the body; the body runs to the end of the payload.
public struct EventCodec: Sendable {
    /// The validated registry of the catalogue.
    public let registry: SchemaRegistry

    /// Creates a codec over `registry`, validating it first.
    public init(registry: SchemaRegistry) throws(SchemaRegistryError) {
        try registry.validate()
        self.registry = registry
    }

    /// Creates a codec over the standard catalogue.
    public init() throws(SchemaRegistryError) {
        try self.init(registry: Self.makeStandardRegistry())
    }

    /// Makes the registry of every event type in `ClinicEvent.bodyTypes`, with all their schemas and upcasters.
    public static func makeStandardRegistry() -> SchemaRegistry {
        var registry = SchemaRegistry()
        for bodyType in ClinicEvent.bodyTypes {
            registry.declare(eventType: bodyType.eventType, currentVersion: bodyType.currentSchemaVersion)
            for schema in bodyType.schemas { registry.register(schema) }
            for upcaster in bodyType.upcasters { registry.register(upcaster) }
        }
        return registry
    }

    /// Encodes `envelope` and `event` into one record payload.
    public func encode(_ event: ClinicEvent, envelope: EventEnvelope) throws(EventEncodingError) -> [UInt8] {
        guard envelope.eventType == event.eventType else { throw .eventTypeMismatch }
        guard envelope.schemaVersion == event.schemaVersion else { throw .schemaVersionNotCurrent }
        var encoder = BinaryEncoder()
        envelope.encode(into: &encoder)
        event.encode(into: &encoder)
        return encoder.bytes
    }

    /// Decodes a record payload, upcasting an old body to the current version.
    public func decode(_ bytes: [UInt8]) throws -> DecodedEvent {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    /// Decodes a record payload in place, upcasting an old body to the current version.
    ///
    /// Error offsets count from the start of the payload; for a body that had to be upcast, a fault found after
    /// upcasting is reported at the start of the body.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws -> DecodedEvent {
        let (envelope, bodyStart) = try BinaryDecoder.decodePrefix(buffer) { try EventEnvelope.decode(from: &$0) }
        let body = UnsafeRawBufferPointer(rebasing: buffer[bodyStart...])
        let eventType = envelope.eventType
        guard let current = registry.currentVersion(of: eventType) else {
            throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
        }
        let event: ClinicEvent?
        do {
            if envelope.schemaVersion == current {
                event = try BinaryDecoder.decode(body) {
                    try ClinicEvent.decodeCurrent(eventType: eventType, from: &$0)
                }
            } else {
                let upcast = try registry.upcastBody(eventType: eventType, version: envelope.schemaVersion, body: body)
                do {
                    event = try BinaryDecoder.decode(upcast) {
                        try ClinicEvent.decodeCurrent(eventType: eventType, from: &$0)
                    }
                } catch var error as EventDecodingError {
                    error.offset = 0
                    throw error
                }
            }
        } catch var error as EventDecodingError {
            if error.field != "envelope.schemaVersion" && error.field != "envelope.eventType" {
                error.offset += bodyStart
            }
            throw error
        }
        guard let event else {
            throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
        }
        return DecodedEvent(envelope: envelope, event: event)
    }
}
