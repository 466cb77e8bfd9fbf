import ClinicEvents
import RecordLog

/// The charts: per patient, demographics (`PatientRecordState`), coverage (`CoverageState`), allergies, medications,
/// problems, notes with addenda and amendments (`ChartState`), consents (`ConsentState`) and the vitals history.
///
/// Each fold reads the patient's own stream of its kind; vitals are taken from any of the patient's streams (the chart
/// stream in practice). A `PatientErased` drops the patient's whole chart: the view keeps only the opaque id, marked
/// erased, and ignores anything later recorded for that id. A registration whose patient data reads as erased (the
/// patient's key is destroyed) does the same: the patient's marker follows it in the log, and a chart of placeholders
/// (born 1970-01-01, active) is never shown.
public struct ChartView: Projection {
    /// `chart`.
    public static let viewName = "chart"
    /// The first state encoding.
    public static let stateFormatVersion: UInt32 = 1

    /// When and by whom an entry or a set of vitals was recorded.
    public struct Recording: Hashable, Sendable {
        /// The event's log position.
        public let position: UInt64
        /// When it happened, as staff stated it (UTC microseconds).
        public let effectiveTimeMicroseconds: Int64
        /// When the log recorded it (UTC microseconds).
        public let recordedTimeMicroseconds: Int64
        /// Who recorded it.
        public let staffID: StaffID
    }

    /// One set of vital signs.
    public struct VitalsEntry: Equatable, Sendable {
        /// The event as recorded.
        public let recorded: VitalsRecorded
        /// When and by whom.
        public let recording: Recording
    }

    /// One patient's chart.
    public struct PatientChart: Equatable, Sendable {
        /// Registration, corrections, merges, death.
        public internal(set) var record: PatientRecordState
        /// Allergies, medications, problems, notes with addenda, amendments.
        public internal(set) var chart: ChartState
        /// Insurance coverages and eligibility.
        public internal(set) var coverage: CoverageState
        /// Consents, authorizations, restrictions and disclosures.
        public internal(set) var consents: ConsentState
        /// Every set of vitals, in log order.
        public internal(set) var vitals: [VitalsEntry] = []
        /// When each chart entry (allergy, medication, problem, note, addendum, amendment request) was recorded, by id.
        public internal(set) var recordings: [EventID: Recording] = [:]

        /// An empty chart of `patientID`.
        init(patientID: EventID) {
            record = PatientRecordState(patientID: patientID)
            chart = ChartState(patientID: patientID)
            coverage = CoverageState(patientID: patientID)
            consents = ConsentState(patientID: patientID)
        }
    }

    /// One encounter as the chart shows it: the notes and vitals recorded for it.
    public struct Encounter: Equatable, Sendable {
        /// The encounter.
        public let encounterID: EventID
        /// The earliest effective time of its notes and vitals.
        public let firstTimeMicroseconds: Int64
        /// Its signed notes with addenda, in signing order.
        public let notes: [NoteEntry]
        /// Its vitals, in log order.
        public let vitals: [VitalsEntry]
    }

    /// Every patient's chart, by patient id.
    public internal(set) var patients: [EventID: PatientChart] = [:]
    /// The patients erased.
    public internal(set) var erasedPatientIDs: Set<EventID> = []
    /// The names of payers defined, by payer id.
    public internal(set) var payerNames: [EventID: String] = [:]

    /// The empty view.
    public init() {}

    /// Folds one more event.
    public mutating func apply(_ stored: StoredEvent) {
        if case .payerDefined(let payer) = stored.event {
            payerNames[payer.payerID] = payer.name
            return
        }
        guard let (kind, patientID) = StreamRouting.patientStream(stored.envelope.stream),
            !erasedPatientIDs.contains(patientID)
        else { return }
        if kind == .patient, Self.erases(stored, patientID: patientID) {
            patients[patientID] = nil
            erasedPatientIDs.insert(patientID)
            return
        }
        let event = stored.event
        let recording = Recording(
            position: stored.position, effectiveTimeMicroseconds: stored.envelope.effectiveTimeMicroseconds,
            recordedTimeMicroseconds: stored.recordedTimeMicroseconds, staffID: stored.envelope.actorStaffID)
        if kind == .account {
            // The chart keeps no billing: an account event only makes the patient's chart exist, and adds vitals
            // recorded there. The chart is changed where it lies in the map, not taken out and put back.
            if case .vitalsRecorded(let vitals) = event, vitals.patientID == patientID {
                patients[patientID, default: PatientChart(patientID: patientID)].vitals.append(
                    VitalsEntry(recorded: vitals, recording: recording))
            } else if patients.index(forKey: patientID) == nil {
                patients[patientID] = PatientChart(patientID: patientID)
            }
            return
        }
        var chart = patients.removeValue(forKey: patientID) ?? PatientChart(patientID: patientID)
        defer { patients[patientID] = chart }
        if case .vitalsRecorded(let vitals) = event, vitals.patientID == patientID {
            chart.vitals.append(VitalsEntry(recorded: vitals, recording: recording))
        }
        switch kind {
        case .patient:
            // Each fold is applied in place: `chart` is this view's only copy, so nothing of it is copied per event.
            chart.record.apply(event, eventID: stored.envelope.eventID)
            if case .patientsMerged(let merged) = event, merged.mergedPatientID == patientID,
                merged.survivingPatientID != patientID, !erasedPatientIDs.contains(merged.survivingPatientID)
            {
                // The survivor's fold learns of the merge from the duplicate's stream.
                var survivor =
                    patients[merged.survivingPatientID] ?? PatientChart(patientID: merged.survivingPatientID)
                survivor.record = survivor.record.applying(event, eventID: stored.envelope.eventID)
                patients[merged.survivingPatientID] = survivor
            }
        case .chart:
            let created = Self.createdEntryID(event)
            let existed = created.map { chart.chart.kind(of: $0) != nil } ?? true
            chart.chart.apply(event)
            if let id = created, !existed, chart.chart.kind(of: id) != nil {
                chart.recordings[id] = recording
            }
        case .coverage: chart.coverage.apply(event)
        case .consent: chart.consents.apply(event)
        case .account: break  // Folded above.
        }
    }

    /// Whether an event of the patient's own stream erases them: their `PatientErased` marker, or a registration whose
    /// patient data reads as erased.
    static func erases(_ stored: StoredEvent, patientID: EventID) -> Bool {
        switch stored.event {
        case .patientErased(let erased): erased.patientID == patientID
        case .patientRegistered(let registered): registered.patientID == patientID && stored.patientDataErased
        default: false
        }
    }

    /// The entry an event creates, if it creates one.
    private static func createdEntryID(_ event: ClinicEvent) -> EventID? {
        switch event {
        case .allergyRecorded(let body): body.allergyID
        case .medicationStarted(let body): body.medicationID
        case .problemAdded(let body): body.problemID
        case .noteSigned(let body): body.noteID
        case .noteAddendumSigned(let body): body.addendumID
        case .amendmentRequested(let body): body.amendmentID
        default: nil
        }
    }

    /// What the view knows of `patientID`: the chart, erased, or nothing.
    public func lookUp(_ patientID: EventID) -> ChartLookUp {
        if erasedPatientIDs.contains(patientID) { return .erased }
        guard let chart = patients[patientID] else { return .unknown }
        return .chart(chart)
    }

    /// The encounters of `patientID` with their notes and vitals, earliest first.
    public func encounters(of patientID: EventID) -> [Encounter] {
        guard let chart = patients[patientID] else { return [] }
        var notesByEncounter: [EventID: [NoteEntry]] = [:]
        for note in chart.chart.notesInSigningOrder {
            notesByEncounter[note.signed.encounterID, default: []].append(note)
        }
        var vitalsByEncounter: [EventID: [VitalsEntry]] = [:]
        for vitals in chart.vitals { vitalsByEncounter[vitals.recorded.encounterID, default: []].append(vitals) }
        let ids = Set(notesByEncounter.keys).union(vitalsByEncounter.keys)
        return ids.map { id in
            let notes = notesByEncounter[id] ?? []
            let vitals = vitalsByEncounter[id] ?? []
            let times =
                notes.compactMap { chart.recordings[$0.signed.noteID]?.effectiveTimeMicroseconds }
                + vitals.map(\.recording.effectiveTimeMicroseconds)
            return Encounter(encounterID: id, firstTimeMicroseconds: times.min() ?? 0, notes: notes, vitals: vitals)
        }.sorted { ($0.firstTimeMicroseconds, $0.encounterID) < ($1.firstTimeMicroseconds, $1.encounterID) }
    }

    // MARK: State encoding

    /// Writes patients (by id, each fold canonically, then vitals and recordings), erased ids and payer names.
    public func encodeState(into encoder: inout BinaryEncoder) {
        encodeState(into: &encoder) { _ in }
    }

    /// Writes the state as `encodeState(into:)` does, flushing after each patient's chart.
    public func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void) {
        encoder.writeSorted(patients) { encoder, patientID, chart in
            Self.encodePatient(patientID, chart, into: &encoder)
            flush(&encoder)
        }
        encoder.writeSorted(erasedPatientIDs) { $0.writeEventID($1) }
        encoder.writeSorted(payerNames) { encoder, id, name in
            encoder.writeEventID(id)
            encoder.writeString(name)
        }
        flush(&encoder)
    }

    /// Reads a state written by `encodeState(into:)`.
    public func decodingState(from decoder: inout BinaryDecoder) throws -> ChartView {
        var view = ChartView()
        view.patients = try decoder.readSortedMap(field: "patients") { try Self.decodePatient(from: &$0) }
        view.erasedPatientIDs = try decoder.readSortedSet(field: "erased") { try $0.readEventID(field: "erased") }
        view.payerNames = try decoder.readSortedMap(field: "payerNames") { decoder -> (EventID, String) in
            (try decoder.readEventID(field: "payerNames"), try decoder.readViewString(field: "payerNames"))
        }
        return view
    }

    /// Writes one patient's chart: the id, each fold canonically, then vitals and recordings.
    static func encodePatient(_ patientID: EventID, _ chart: PatientChart, into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        chart.record.encodeCanonical(into: &encoder)
        chart.chart.encodeCanonical(into: &encoder)
        chart.coverage.encodeCanonical(into: &encoder)
        chart.consents.encodeCanonical(into: &encoder)
        encoder.writeArray(chart.vitals) { encoder, vitals in
            vitals.recorded.encode(into: &encoder)
            vitals.recording.encode(into: &encoder)
        }
        encoder.writeSorted(chart.recordings) { encoder, id, recording in
            encoder.writeEventID(id)
            recording.encode(into: &encoder)
        }
    }

    /// Reads one patient's chart written by `encodePatient(_:_:into:)`.
    static func decodePatient(from decoder: inout BinaryDecoder) throws -> (EventID, PatientChart) {
        let patientID = try decoder.readEventID(field: "patients")
        var chart = PatientChart(patientID: patientID)
        chart.record = try PatientRecordState.decodeCanonical(from: &decoder)
        chart.chart = try ChartState.decodeCanonical(from: &decoder)
        chart.coverage = try CoverageState.decodeCanonical(from: &decoder)
        chart.consents = try ConsentState.decodeCanonical(from: &decoder)
        chart.vitals = try decoder.readList(field: "vitals") { decoder in
            VitalsEntry(
                recorded: try VitalsRecorded.decode(from: &decoder), recording: try Recording.decode(from: &decoder)
            )
        }
        chart.recordings = try decoder.readSortedMap(field: "recordings") { decoder -> (EventID, Recording) in
            (try decoder.readEventID(field: "recordings"), try Recording.decode(from: &decoder))
        }
        guard
            [chart.record.patientID, chart.chart.patientID, chart.coverage.patientID, chart.consents.patientID]
                .allSatisfy({ $0 == patientID })
        else { throw ViewStateDecodingError.malformed(field: "patients") }
        return (patientID, chart)
    }
}

/// What a view knows of a patient.
public enum ChartLookUp: Equatable, Sendable {
    /// The patient's chart.
    case chart(ChartView.PatientChart)
    /// The patient was erased: nothing of them is kept.
    case erased
    /// Nothing was recorded for this id.
    case unknown
}

extension ChartView.Recording {
    func encode(into encoder: inout BinaryEncoder) {
        encoder.writeVarUInt(position)
        encoder.writeVarInt(effectiveTimeMicroseconds)
        encoder.writeVarInt(recordedTimeMicroseconds)
        encoder.writeStaffID(staffID)
    }

    static func decode(from decoder: inout BinaryDecoder) throws -> ChartView.Recording {
        let field = "recording"
        return ChartView.Recording(
            position: try decoder.readVarUInt(field: field),
            effectiveTimeMicroseconds: try decoder.readVarInt(field: field),
            recordedTimeMicroseconds: try decoder.readVarInt(field: field),
            staffID: try decoder.readStaffID(field: field))
    }
}
