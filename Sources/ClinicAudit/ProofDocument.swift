import ClinicEvents
import RecordLog

/// Any audit document a third party may be handed, read from its JSON and checked by its `format`.
public enum ProofDocument: Sendable, Equatable {
    /// An exported checkpoint.
    case checkpoint(CheckpointDocument)
    /// An inclusion proof.
    case inclusion(InclusionProofDocument)
    /// A consistency proof.
    case consistency(ConsistencyProofDocument)
    /// A proof bundle.
    case bundle(ProofBundle)
    /// A patient export: the events it lists (position, stream, stream version, event id), its streams, and its
    /// proof bundle.
    case patientExport(PatientExportProofs)

    /// Reads a document of any kind from its JSON bytes.
    public init(jsonBytes: [UInt8]) throws(AuditError) {
        guard let value = JSONValue.parse(jsonBytes) else {
            throw .malformedDocument(field: "(document)", reason: "not JSON")
        }
        try self.init(json: value)
    }

    /// Reads a document of any kind from parsed JSON.
    public init(json value: JSONValue) throws(AuditError) {
        let fields = DocumentFields(value, path: "")
        switch try fields.string("format") {
        case CheckpointDocument.format: self = .checkpoint(try CheckpointDocument(fields: fields))
        case InclusionProofDocument.format: self = .inclusion(try InclusionProofDocument(fields: fields))
        case ConsistencyProofDocument.format: self = .consistency(try ConsistencyProofDocument(fields: fields))
        case ProofBundle.format: self = .bundle(try ProofBundle(fields: fields))
        case PatientExport.format: self = .patientExport(try PatientExportProofs(fields: fields))
        case let other: throw .malformedDocument(field: "format", reason: "unknown document format \"\(other)\"")
        }
    }

    /// Checks the document step by step; checkpoint signatures must be by one of `trustedPublicKeys` when it is not
    /// empty.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        switch self {
        case .checkpoint(let document): document.verify(trustedPublicKeys: trustedPublicKeys)
        case .inclusion(let document): document.verify(trustedPublicKeys: trustedPublicKeys)
        case .consistency(let document): document.verify(trustedPublicKeys: trustedPublicKeys)
        case .bundle(let document): document.verify(trustedPublicKeys: trustedPublicKeys)
        case .patientExport(let document): document.verify(trustedPublicKeys: trustedPublicKeys)
        }
    }
}

/// The parts of a patient export that its proofs cover: which events it lists and where, and its proof bundle.
public struct PatientExportProofs: Sendable, Equatable {
    /// One event as the export lists it.
    public struct ListedEvent: Sendable, Equatable {
        /// Its position.
        public var position: UInt64
        /// Its stream.
        public var stream: String
        /// Its version in the stream.
        public var streamVersion: UInt64
        /// Its event id, as a UUID.
        public var eventID: String
    }

    /// The patient id, as a UUID.
    public var patientID: String
    /// The streams the export says it read.
    public var streams: [String]
    /// The events it lists.
    public var events: [ListedEvent]
    /// The events as the document states them, every field.
    var eventsJSON: [JSONValue]
    /// The proofs of the events.
    public var proofs: ProofBundle

    init(fields: DocumentFields) throws(AuditError) {
        try fields.requireFormat(PatientExport.format)
        patientID = try fields.string("patientId")
        guard case .array(let names)? = fields.value["streams"] else {
            throw .malformedDocument(field: "streams", reason: "not an array")
        }
        streams = names.compactMap { if case .string(let name) = $0 { name } else { nil } }
        guard streams.count == names.count else {
            throw .malformedDocument(field: "streams", reason: "not an array of strings")
        }
        var events: [ListedEvent] = []
        let eventObjects = try fields.objects("events")
        eventsJSON = eventObjects.map(\.value)
        for event in eventObjects {
            events.append(
                ListedEvent(
                    position: try event.unsigned("position"), stream: try event.string("stream"),
                    streamVersion: try event.unsigned("streamVersion"), eventID: try event.string("eventId")))
        }
        self.events = events
        proofs = try ProofBundle(fields: fields.object("proofBundle"))
    }

    /// Checks the proof bundle, then that it proves exactly the events listed, each in one of the patient's streams,
    /// and that every field stated of each event (times, actor, role, reason, summary, links, body) is what its proved
    /// record decodes to.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        var result = ProofVerification()
        result.include(proofs.verify(trustedPublicKeys: trustedPublicKeys), prefix: "proof bundle: ")
        let expectedStreams = ["patient-", "chart-", "account-", "coverage-", "consent-"].map { $0 + patientID }
        result.check(
            streams == expectedStreams, "the streams read are the patient's five streams",
            failure: "the streams listed are not the patient's five streams")
        let proved = Dictionary(proofs.proofs.map { ($0.position, $0) }, uniquingKeysWith: { first, _ in first })
        result.check(
            proofs.proofs.count == events.count, "the bundle holds one proof per event (\(events.count))",
            failure: "the bundle holds \(proofs.proofs.count) proofs for \(events.count) events")
        for event in events {
            let fields = proved[event.position].flatMap { RecordFields(recordBytes: $0.record) }
            result.check(
                fields?.stream == event.stream && fields?.streamVersion == event.streamVersion
                    && fields?.eventID.description == event.eventID && streams.contains(event.stream),
                "event \(event.eventID) at position \(event.position) is proved, in stream \(event.stream)",
                failure: "event \(event.eventID) at position \(event.position) is not the record proved there")
        }
        guard result.isValid else { return result }
        checkDecodedEvents(proved: proved, into: &result)
        return result
    }

    /// Decodes every proved record and compares the event the export states with what the record holds.
    private func checkDecodedEvents(
        proved: [UInt64: ProofBundle.RecordProof], into result: inout ProofVerification
    ) {
        guard let codec = try? EventCodec() else {
            result.check(false, "the event catalogue loads", failure: "the event catalogue does not load")
            return
        }
        var stored: [StoredEvent] = []
        for event in events {
            guard let proof = proved[event.position], let fields = RecordFields(recordBytes: proof.record) else {
                return
            }
            let record = LogRecord(
                position: fields.position, recordedTimeMicroseconds: fields.recordedTimeMicroseconds,
                stream: fields.stream, streamVersion: fields.streamVersion, eventID: fields.eventID,
                payload: Array(proof.record.suffix(fields.payloadByteCount)))
            let decoded = try? codec.decodeStored(record)
            guard
                result.check(
                    decoded != nil, "the record at position \(event.position) decodes as a clinic event",
                    failure: "the record at position \(event.position) does not decode as a clinic event")
            else { return }
            if let decoded { stored.append(decoded) }
        }
        let history = AuditReader.makeHistory(stored, registry: codec.registry)
        for (number, (entry, stated)) in zip(history, eventsJSON).enumerated() {
            let expected = PatientExport.eventJSON(
                entry, body: EventDescription.bodyFields(of: entry.stored.event, registry: codec.registry))
            result.check(
                expected.normalized == stated.normalized,
                "event \(number) states exactly what its record holds: \(entry.summary)",
                failure: "event \(number) (position \(entry.position)) states fields its record does not hold")
        }
    }
}
