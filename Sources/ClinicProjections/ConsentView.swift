import ClinicEvents
import RecordLog

/// Consent and disclosure per patient: what is permitted to whom for what as of any time, the restrictions that bind,
/// every disclosure, and the HIPAA 164.528 accounting, each patient folded by `ConsentState` from the consent stream.
///
/// A `PatientErased` drops the patient's consents and disclosures: the view keeps only the opaque id, marked erased.
public struct ConsentView: Projection {
    /// `consent`.
    public static let viewName = "consent"
    /// The first state encoding.
    public static let stateFormatVersion: UInt32 = 1

    /// Every patient's consent fold, by patient id.
    public internal(set) var patients: [EventID: ConsentState] = [:]
    /// The patients erased.
    public internal(set) var erasedPatientIDs: Set<EventID> = []

    /// The empty view.
    public init() {}

    /// Folds one more event.
    public mutating func apply(_ stored: StoredEvent) {
        guard let (kind, patientID) = StreamRouting.patientStream(stored.envelope.stream),
            !erasedPatientIDs.contains(patientID)
        else { return }
        switch kind {
        case .consent:
            // Taken out of the map and put back, so the fold is applied to the only copy.
            var state = patients.removeValue(forKey: patientID) ?? ConsentState(patientID: patientID)
            state.apply(stored.event)
            patients[patientID] = state
        case .patient:
            if case .patientErased(let erased) = stored.event, erased.patientID == patientID {
                patients[patientID] = nil
                erasedPatientIDs.insert(patientID)
            }
        case .chart, .account, .coverage: break
        }
    }

    /// Whether the patient was erased.
    public func isErased(_ patientID: EventID) -> Bool { erasedPatientIDs.contains(patientID) }

    /// What is permitted to whom for what at `time` (UTC microseconds) for `patientID`: the consents and
    /// authorizations in force then.
    public func permissions(of patientID: EventID, atMicroseconds time: Int64) -> [DisclosurePermission] {
        patients[patientID]?.permissions(asOfMicroseconds: time) ?? []
    }

    /// The agreed restrictions binding at `time` for `patientID`.
    public func restrictions(of patientID: EventID, atMicroseconds time: Int64) -> [RestrictionRecord] {
        patients[patientID]?.restrictionsBinding(atMicroseconds: time) ?? []
    }

    /// Every disclosure of `patientID`, in log order.
    public func disclosures(of patientID: EventID) -> [DisclosureRecorded] {
        patients[patientID]?.disclosures ?? []
    }

    /// The 164.528 accounting of `patientID` for disclosures made in `[from, to)` (UTC microseconds), oldest first.
    public func accounting(of patientID: EventID, fromMicroseconds from: Int64, toMicroseconds to: Int64)
        -> [DisclosureRecorded]
    {
        patients[patientID]?.accountableDisclosures(fromMicroseconds: from, toMicroseconds: to) ?? []
    }

    /// Writes patients (by id, each fold canonically) and erased ids.
    public func encodeState(into encoder: inout BinaryEncoder) {
        encodeState(into: &encoder) { _ in }
    }

    /// Writes the state as `encodeState(into:)` does, flushing after each patient.
    public func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void) {
        encoder.writeSorted(patients) { encoder, _, state in
            state.encodeCanonical(into: &encoder)
            flush(&encoder)
        }
        encoder.writeSorted(erasedPatientIDs) { $0.writeEventID($1) }
        flush(&encoder)
    }

    /// Reads a state written by `encodeState(into:)`.
    public func decodingState(from decoder: inout BinaryDecoder) throws -> ConsentView {
        var view = ConsentView()
        view.patients = try decoder.readSortedMap(field: "patients") { decoder -> (EventID, ConsentState) in
            let state = try ConsentState.decodeCanonical(from: &decoder)
            return (state.patientID, state)
        }
        view.erasedPatientIDs = try decoder.readSortedSet(field: "erased") { try $0.readEventID(field: "erased") }
        return view
    }
}
