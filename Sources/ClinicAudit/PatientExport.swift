import ClinicEvents
import RecordLog

/// Everything the log holds about a patient, for a right-of-access request (HIPAA 164.524), with a proof of every
/// event against a signed checkpoint (`cliniclog.patient-export.v1`).
public struct PatientExport: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.patient-export.v1"

    /// The patient.
    public var patientID: EventID
    /// The patient's streams read.
    public var streams: [String]
    /// Every event of those streams, oldest first, with its summary and links.
    public var history: [HistoryEntry]
    /// The body of each event as named fields, in the order of ``history``.
    public var bodies: [EventFields]
    /// An inclusion proof of every event's record against one checkpoint.
    public var proofs: ProofBundle

    /// The document as JSON, its members in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("format", .string(Self.format)),
            JSONMember("patientId", .string(patientID.description)),
            JSONMember("streams", .array(streams.map { .string($0) })),
            JSONMember("events", .array(zip(history, bodies).map { Self.eventJSON($0, body: $1) })),
            JSONMember("proofBundle", proofs.json),
        ])
    }

    static func eventJSON(_ entry: HistoryEntry, body: EventFields) -> JSONValue {
        let envelope = entry.stored.envelope
        return .object([
            JSONMember("position", .number(entry.position)),
            JSONMember("stream", .string(entry.stream)),
            JSONMember("streamVersion", .number(entry.stored.streamVersion)),
            JSONMember("eventId", .string(entry.eventID.description)),
            JSONMember("eventType", .string(entry.eventType)),
            JSONMember("schemaVersion", .integer(Int64(envelope.schemaVersion))),
            JSONMember("recordedTimeMicroseconds", .integer(entry.recordedTimeMicroseconds)),
            JSONMember("recordedTime", .string(UTCTime.iso8601(microseconds: entry.recordedTimeMicroseconds))),
            JSONMember("effectiveTimeMicroseconds", .integer(entry.effectiveTimeMicroseconds)),
            JSONMember("effectiveTime", .string(UTCTime.iso8601(microseconds: entry.effectiveTimeMicroseconds))),
            JSONMember("actorStaffId", .string(entry.actor.value)),
            JSONMember("actorRole", .string(EventDescription.words(StaffRole.self, UInt64(entry.role.rawValue)))),
            JSONMember("reason", entry.reason.map { .string($0) } ?? .null),
            JSONMember("correlationId", envelope.correlationID.map { .string($0.description) } ?? .null),
            JSONMember("causationId", envelope.causationID.map { .string($0.description) } ?? .null),
            JSONMember("summary", .string(entry.summary)),
            JSONMember(
                "links",
                .array(
                    entry.links.map { link in
                        .object([
                            JSONMember("relation", .string(link.relation.rawValue)),
                            JSONMember("targetId", .string(link.targetID.description)),
                            JSONMember("targetPosition", link.target.map { .number($0.position) } ?? .null),
                        ])
                    })),
            JSONMember("body", fieldsJSON(body)),
        ])
    }

    private static func fieldsJSON(_ fields: EventFields) -> JSONValue {
        .object(fields.fields.map { JSONMember($0.name, valueJSON($0.value)) })
    }

    private static func valueJSON(_ value: FieldValue) -> JSONValue {
        switch value {
        case .unsigned(let number): .number(number)
        case .signed(let number): .integer(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .eventID(let id): .string(id.description)
        case .optional(let wrapped): wrapped.map(valueJSON) ?? .null
        case .array(let elements): .array(elements.map(valueJSON))
        case .record(let nested): fieldsJSON(nested)
        case .sealed(.clear(let inner)): valueJSON(inner)
        case .sealed(.sealedBytes): .string("[sealed]")
        }
    }
}

extension AuditReader {
    /// Everything the log holds about `patientID` (every event of ``patientStreams(for:)``, decoded, summarized and
    /// linked), with an inclusion proof of every event against `checkpoint`, or against the latest stored checkpoint
    /// when none is given. Throws ``AuditError/noCoveringCheckpoint(neededTreeSize:latestTreeSize:)`` when the
    /// checkpoint does not cover the patient's last event: take a checkpoint first.
    public func patientExport(
        patient patientID: EventID, checkpoint: SignedCheckpoint? = nil
    ) throws(AuditError) -> PatientExport {
        let history = try history(patient: patientID)
        let issuer = ProofIssuer(reader: reader)
        let needed = history.last.map { $0.position + 1 } ?? 0
        let against: SignedCheckpoint
        if let checkpoint { against = checkpoint } else { against = try issuer.latestCheckpoint(covering: needed) }
        guard against.treeSize >= needed else {
            throw .noCoveringCheckpoint(neededTreeSize: needed, latestTreeSize: against.treeSize)
        }
        return PatientExport(
            patientID: patientID, streams: Self.patientStreams(for: patientID), history: history,
            bodies: history.map { EventDescription.bodyFields(of: $0.stored.event, registry: codec.registry) },
            proofs: try issuer.bundle(positions: history.map(\.position), against: against))
    }
}
