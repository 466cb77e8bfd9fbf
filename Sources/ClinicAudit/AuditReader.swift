import ClinicEvents
import RecordLog

/// Reads a log for the compliance officer, read-only and without the writer lock: the history of a stream or of a
/// patient, the accounting of a patient's disclosures, and a patient's export with its proofs.
public struct AuditReader: Sendable {
    /// The reader of the log.
    public let reader: LogReader
    /// The codec that decodes events.
    public let codec: EventCodec
    /// The patients' keys, to read their sealed data; without it sealed fields read as `[withheld]`.
    public let keyring: PatientKeyring?

    /// Creates an audit reader over `reader`, opening patient data with `keyring` when given.
    public init(reader: LogReader, codec: EventCodec, keyring: PatientKeyring? = nil) {
        self.reader = reader
        self.codec = codec
        self.keyring = keyring
    }

    /// The streams that hold a patient's own events: lifecycle (`patient-`), chart (`chart-`), account (`account-`),
    /// coverage (`coverage-`) and consent and disclosures (`consent-`), each followed by the patient id.
    public static func patientStreams(for patientID: EventID) -> [String] {
        [
            PatientRecordState.streamName(for: patientID), ChartState.streamName(for: patientID),
            PatientAccount.streamName(for: patientID), CoverageState.streamName(for: patientID),
            ConsentState.streamName(for: patientID),
        ]
    }

    /// Every event of `stream`, oldest first, each linked to what it acts on within the stream; `recordedRange`, when
    /// given, keeps the events recorded in it (links are still resolved over the whole stream).
    public func history(stream: String, recordedRange: Range<Int64>? = nil) throws(AuditError) -> [HistoryEntry] {
        try history(streams: [stream], recordedRange: recordedRange)
    }

    /// Every event of the patient's streams (``patientStreams(for:)``) in log order, each linked to what it acts on.
    public func history(patient patientID: EventID, recordedRange: Range<Int64>? = nil) throws(AuditError)
        -> [HistoryEntry]
    {
        try history(streams: Self.patientStreams(for: patientID), recordedRange: recordedRange)
    }

    /// The decoded events of `streams`, merged in log order.
    public func events(inStreams streams: [String]) throws(AuditError) -> [StoredEvent] {
        var records: [LogRecord] = []
        do {
            for stream in streams { records += try reader.records(inStream: stream) }
        } catch { throw .log(error) }
        records.sort { $0.position < $1.position }
        var events: [StoredEvent] = []
        events.reserveCapacity(records.count)
        for record in records {
            do { events.append(try codec.decodeStored(record, opening: keyring)) } catch {
                throw .undecodableEvent(position: record.position, stream: record.stream, reason: "\(error)")
            }
        }
        return events
    }

    private func history(streams: [String], recordedRange: Range<Int64>?) throws(AuditError) -> [HistoryEntry] {
        let entries = Self.makeHistory(try events(inStreams: streams), registry: codec.registry)
        guard let recordedRange else { return entries }
        return entries.filter { recordedRange.contains($0.recordedTimeMicroseconds) }
    }

    /// The history entries of `events` (in log order): each summarized and linked to what it acts on among them.
    static func makeHistory(_ events: [StoredEvent], registry: SchemaRegistry) -> [HistoryEntry] {
        var creators: [EventID: HistoryReference] = [:]
        var byEventID: [EventID: HistoryReference] = [:]
        var entries: [HistoryEntry] = []
        var entryIndex: [UInt64: Int] = [:]
        for event in events {
            let fields = FieldReader(fields: EventDescription.bodyFields(of: event.event, registry: registry))
            let type = event.envelope.eventType
            let reference = HistoryReference(
                position: event.position, eventID: event.envelope.eventID, eventType: type)
            var links: [HistoryLink] = []
            for (field, relation) in EventDescription.referenceFields[type] ?? [] {
                let ids = fields.ids(field) + (fields.id(field).map { [$0] } ?? [])
                for id in ids {
                    let target = relation == .corrects ? byEventID[id] : creators[id]
                    links.append(HistoryLink(relation: relation, targetID: id, target: target))
                }
            }
            if let field = EventDescription.createdEntryField[type], let id = fields.id(field), creators[id] == nil {
                creators[id] = reference
            }
            byEventID[event.envelope.eventID] = reference
            for link in links {
                if let target = link.target, let index = entryIndex[target.position],
                    !entries[index].linkedFrom.contains(reference)
                {
                    entries[index].linkedFrom.append(reference)
                }
            }
            entryIndex[event.position] = entries.count
            let withholding: PatientDataWithholding? =
                event.patientDataErased ? .erased : event.patientDataWithheld ? .withheld : nil
            entries.append(
                HistoryEntry(
                    stored: event, summary: EventDescription.summary(of: type, fields, withholding: withholding),
                    links: links, linkedFrom: []))
        }
        return entries
    }
}
