import RecordLog

/// The body of one event type: its name, its schema versions, and its encoding at the current version.
public protocol ClinicEventBody: Sendable, Equatable {
    /// The event type name written in the envelope.
    static var eventType: String { get }
    /// The schema version new events are written at.
    static var currentSchemaVersion: UInt32 { get }
    /// The layout of every version ever written, oldest first; the last one is the current version's.
    static var schemas: [EventSchema] { get }
    /// The upcasters from every older version to the next one.
    static var upcasters: [Upcaster] { get }
    /// The patient the event is about, whose data key seals its patient data; nil for an event of no patient, or one
    /// that names no patient and carries no patient data.
    var subjectPatientID: EventID? { get }

    /// Writes the body at the current schema version.
    func encode(into encoder: inout BinaryEncoder)

    /// Reads a body written at the current schema version, validating every value.
    static func decode(from decoder: inout BinaryDecoder) throws -> Self
}

extension ClinicEventBody {
    /// None, for event types that have only ever had one version.
    public static var upcasters: [Upcaster] { [] }
}

extension BinaryDecoder {
    /// Runs a validating initializer for `field`, turning its typed error into a `ruleViolated` decoding error that
    /// names the rule and the offset where the field began, never the value.
    func validated<Value>(field: String, offset: Int, _ make: () throws -> Value) throws -> Value {
        do {
            return try make()
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw EventDecodingError(.ruleViolated(rule: String(describing: error)), field: field, offset: offset)
        }
    }
}
