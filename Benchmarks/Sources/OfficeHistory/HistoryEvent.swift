import ClinicEvents
import RecordLog

/// One event of a generated office history, encoded and ready for either store.
///
/// The payload is `EventCodec.encode(_:envelope:sealingWith:)` of the event, with the patient data sealed under the
/// patient's own key, exactly as `ClinicStore` writes it to the log.
public struct HistoryEvent: Sendable {
    /// The stream the event belongs to (`patient-…`, `chart-…`, `account-…`, `schedule-…`, `daybook` …).
    public let stream: String
    /// The event's version in its stream, from 1, gapless.
    public let streamVersion: UInt64
    /// The event's id, also the envelope's.
    public let eventID: EventID
    /// The envelope's event type name.
    public let eventType: String
    /// The envelope's recorded time, in microseconds since 1970; never decreases along the history.
    public let recordedTimeMicroseconds: Int64
    /// The envelope's effective time, in microseconds since 1970.
    public let effectiveTimeMicroseconds: Int64
    /// The patient whose history holds the event (nil for office events: staff, payers, day close, and the
    /// appointment events of a provider's schedule stream).
    public let patientID: EventID?
    /// The record payload: envelope and body, patient data sealed.
    public let payload: [UInt8]

    /// Creates an event of the history.
    public init(
        stream: String, streamVersion: UInt64, eventID: EventID, eventType: String, recordedTimeMicroseconds: Int64,
        effectiveTimeMicroseconds: Int64, patientID: EventID?, payload: [UInt8]
    ) {
        self.stream = stream
        self.streamVersion = streamVersion
        self.eventID = eventID
        self.eventType = eventType
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.effectiveTimeMicroseconds = effectiveTimeMicroseconds
        self.patientID = patientID
        self.payload = payload
    }

    /// The version the stream is at before this event, as an append states it.
    public var expectedVersion: ExpectedVersion {
        streamVersion == 1 ? .noStream : .exactly(streamVersion - 1)
    }
}

extension Array where Element == HistoryEvent {
    /// The events as one atomic log append: consecutive events of the same stream share one `StreamAppend`, each
    /// stating the version its stream is at before it.
    public func streamAppends() -> [StreamAppend] {
        var appends: [StreamAppend] = []
        for event in self {
            let appendEvent = AppendEvent(eventID: event.eventID, payload: event.payload)
            if let last = appends.last, last.stream == event.stream {
                appends[appends.count - 1].events.append(appendEvent)
            } else {
                appends.append(
                    StreamAppend(stream: event.stream, expectedVersion: event.expectedVersion, events: [appendEvent]))
            }
        }
        return appends
    }
}

extension ArraySlice where Element == HistoryEvent {
    /// The events as one atomic log append (see `Array.streamAppends()`).
    public func streamAppends() -> [StreamAppend] { Array(self).streamAppends() }
}

/// The names of a patient's own streams, as `ClinicStore` names them: registration, consents and disclosures,
/// coverage, chart, and account. Appointments live in the providers' schedule streams.
public func patientStreams(of patientID: EventID) -> [String] {
    [
        PatientRecordState.streamName(for: patientID), ConsentState.streamName(for: patientID),
        CoverageState.streamName(for: patientID), ChartState.streamName(for: patientID),
        PatientAccount.streamName(for: patientID),
    ]
}
