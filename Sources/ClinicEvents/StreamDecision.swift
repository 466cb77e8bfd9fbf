/// What a decision produced: the events to append to one stream and the stream version they were decided on.
///
/// Append them with that version as the expected version, so that two staff deciding on the same state at once get
/// one success and one clear conflict.
public struct StreamDecision: Equatable, Sendable {
    /// The stream the events go to.
    public let stream: String
    /// The version of `stream` the decision was made on; append with this as the expected version.
    public let decidedOnStreamVersion: UInt64
    /// The events to append, in order.
    public let events: [ClinicEvent]

    /// Creates a decision.
    public init(stream: String, decidedOnStreamVersion: UInt64, events: [ClinicEvent]) {
        self.stream = stream
        self.decidedOnStreamVersion = decidedOnStreamVersion
        self.events = events
    }
}
