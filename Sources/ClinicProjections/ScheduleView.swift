import ClinicEvents
import RecordLog

/// The schedule: every provider's availability and appointments with status, patient, room and reason, and the
/// patients' display names. Queries give a provider's day with free slots, the flow board, conflicts and overbooks.
///
/// Events of a provider's schedule stream (`schedule-<staff id>`) are folded as `ProviderSchedule` folds them (the
/// appointment itself by `AppointmentState`); patient streams give display names (`PatientRecordState`). Erasing a
/// patient drops their name and the reasons of their appointments; the appointments stay, with an opaque patient id,
/// because they held the provider's time. A registration whose patient data reads as erased (the patient's key is
/// destroyed) leaves the record erased at once rather than active with placeholders; the record then ends as the
/// erasure marker that follows in the log leaves it, merges into the patient included (`erasedRecord`).
public struct ScheduleView: Projection {
    /// `schedule`.
    public static let viewName = "schedule"
    /// The first state encoding.
    public static let stateFormatVersion: UInt32 = 1

    /// When (effective time, UTC microseconds) an appointment reached the steps of a visit.
    public struct Milestones: Equatable, Sendable {
        /// When the patient arrived.
        public internal(set) var arrivedMicroseconds: Int64?
        /// When the patient was checked in.
        public internal(set) var checkedInMicroseconds: Int64?
        /// When the patient was roomed.
        public internal(set) var roomedMicroseconds: Int64?
        /// When the patient was checked out.
        public internal(set) var checkedOutMicroseconds: Int64?
        /// When the status last changed (booking, reschedule, or any move).
        public internal(set) var statusChangedMicroseconds: Int64?
    }

    /// One appointment as the schedule shows it.
    public struct Appointment: Equatable, Sendable {
        /// The appointment's fold.
        public internal(set) var state: AppointmentState
        /// The booking's reason; nil once the patient is erased.
        public internal(set) var reason: String?
        /// When the visit's steps happened.
        public internal(set) var milestones = Milestones()
    }

    /// One provider's availability and appointments.
    public struct ProviderBook: Equatable, Sendable {
        /// The provider.
        public let providerStaffID: StaffID
        /// The availability windows, oldest first.
        public internal(set) var availability: [ProviderAvailabilityDefined] = []
        /// Every appointment, by id.
        public internal(set) var appointments: [EventID: Appointment] = [:]
        /// The appointments starting on each day (derived from `appointments`).
        var appointmentIDsByDay: [Int64: Set<EventID>] = [:]

        mutating func index(_ id: EventID, from oldDay: Int64?, to newDay: Int64?) {
            guard oldDay != newDay else { return }
            if let oldDay {
                appointmentIDsByDay[oldDay]?.remove(id)
                if appointmentIDsByDay[oldDay]?.isEmpty == true { appointmentIDsByDay[oldDay] = nil }
            }
            if let newDay { appointmentIDsByDay[newDay, default: []].insert(id) }
        }
    }

    /// Every provider with a schedule stream, by staff id.
    public internal(set) var providers: [String: ProviderBook] = [:]
    /// Every patient's record (for display names), by patient id.
    public internal(set) var patients: [EventID: PatientRecordState] = [:]

    /// The empty schedule.
    public init() {}

    /// Folds one more event.
    public mutating func apply(_ event: StoredEvent) {
        if let provider = StreamRouting.scheduleProvider(event.envelope.stream) {
            applySchedule(event, provider: provider)
        } else if let (kind, patientID) = StreamRouting.patientStream(event.envelope.stream), kind == .patient {
            applyPatient(event, patientID: patientID)
        }
    }

    private mutating func applySchedule(_ stored: StoredEvent, provider: StaffID) {
        var book = providers.removeValue(forKey: provider.value) ?? ProviderBook(providerStaffID: provider)
        defer { providers[provider.value] = book }
        let event = stored.event
        let time = stored.envelope.effectiveTimeMicroseconds
        switch event {
        case .providerAvailabilityDefined(let window) where window.providerStaffID == provider:
            book.availability.append(window)
        case .appointmentBooked(let booked) where booked.providerStaffID == provider:
            var appointment =
                book.appointments[booked.appointmentID]
                ?? Appointment(state: AppointmentState(appointmentID: booked.appointmentID))
            let before = appointment.state
            appointment.state = before.applying(event)
            if before.status == .notBooked, appointment.state.status == .booked {
                appointment.reason = booked.reason
                appointment.milestones.statusChangedMicroseconds = time
                book.index(
                    booked.appointmentID, from: nil, to: ProviderSchedule.day(of: booked.startLocalMinutesSince1970))
            }
            book.appointments[booked.appointmentID] = appointment
        default:
            guard let id = AppointmentState.appointmentID(of: event), var appointment = book.appointments[id] else {
                return
            }
            let before = appointment.state
            appointment.state = before.applying(event)
            guard appointment.state != before else { return }
            appointment.milestones.statusChangedMicroseconds = time
            switch appointment.state.status {
            case .arrived: appointment.milestones.arrivedMicroseconds = time
            case .checkedIn: appointment.milestones.checkedInMicroseconds = time
            case .roomed: appointment.milestones.roomedMicroseconds = time
            case .checkedOut: appointment.milestones.checkedOutMicroseconds = time
            default: break
            }
            book.index(
                id, from: ProviderSchedule.day(of: before.startLocalMinutesSince1970),
                to: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
            book.appointments[id] = appointment
        }
    }

    private mutating func applyPatient(_ stored: StoredEvent, patientID: EventID) {
        // Taken out of the map and put back, so the fold is applied to the only copy.
        var record = patients.removeValue(forKey: patientID) ?? PatientRecordState(patientID: patientID)
        if record.status == .unregistered, ChartView.erases(stored, patientID: patientID) {
            patients[patientID] = Self.erasedRecord(
                of: patientID, mergedPatientIDs: record.mergedPatientIDs, streamVersion: record.streamVersion + 1)
            return
        }
        record.apply(stored.event, eventID: stored.envelope.eventID)
        patients[patientID] = record
        switch stored.event {
        case .patientsMerged(let merged) where merged.mergedPatientID == patientID:
            // The survivor's fold learns of the merge from the duplicate's stream.
            let survivorID = merged.survivingPatientID
            let survivor = patients[survivorID] ?? PatientRecordState(patientID: survivorID)
            if survivor.status == .erased, survivorID != patientID {
                // Only a survivor whose unreadable registration erased it early meets a merge here: record the merge
                // as the fold did before the survivor's marker.
                patients[survivorID] = Self.erasedRecord(
                    of: survivorID, mergedPatientIDs: survivor.mergedPatientIDs + [patientID],
                    streamVersion: survivor.streamVersion + 1)
            } else {
                patients[survivorID] = survivor.applying(stored.event, eventID: stored.envelope.eventID)
            }
        case .patientErased(let erased) where erased.patientID == patientID:
            eraseReasons(of: patientID)
        default:
            break
        }
    }

    /// The record of an erased patient with `mergedPatientIDs` merged into them, at `streamVersion`: exactly what the
    /// fold holds after their `PatientErased` marker, whether the events before it were read or their patient data
    /// was already unreadable.
    static func erasedRecord(
        of patientID: EventID, mergedPatientIDs: [EventID], streamVersion: UInt64
    ) -> PatientRecordState {
        var record = PatientRecordState(patientID: patientID)
        for mergedID in mergedPatientIDs {
            guard
                let merge = try? PatientsMerged(
                    survivingPatientID: patientID, mergedPatientID: mergedID, reason: FoldRestoration.placeholderText)
            else { preconditionFailure("a fold never merges a patient into itself") }
            record.apply(.patientsMerged(merge), eventID: nil)
        }
        let erased = PatientErased(
            patientID: patientID, reason: .patientRequest, authorizingStaffID: FoldRestoration.placeholderStaffID)
        record.apply(.patientErased(erased), eventID: nil)
        while record.streamVersion < streamVersion { record.apply(FoldRestoration.filler, eventID: nil) }
        return record
    }

    /// Drops the booking reasons of every appointment of `patientID`.
    private mutating func eraseReasons(of patientID: EventID) {
        for key in providers.keys {
            guard var book = providers[key] else { continue }
            var changed = false
            for (id, appointment) in book.appointments
            where appointment.state.patientID == patientID && appointment.reason != nil {
                book.appointments[id]?.reason = nil
                changed = true
            }
            if changed { providers[key] = book }
        }
    }

    /// The display name of a patient.
    public func patientName(_ patientID: EventID) -> PatientDisplayName {
        guard let record = patients[patientID] else { return .unknown }
        if record.status == .erased { return .erased }
        return record.displayName.map { .name($0) } ?? .unknown
    }

    // MARK: State encoding

    /// Writes providers (by staff id) with availability and appointments (by id), then patients (by id).
    public func encodeState(into encoder: inout BinaryEncoder) {
        encodeState(into: &encoder) { _ in }
    }

    /// Writes the state as `encodeState(into:)` does, flushing after each appointment and each patient.
    public func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void) {
        encoder.writeSorted(providers) { encoder, key, book in
            encoder.writeString(key)
            encoder.writeArray(book.availability) { $1.encode(into: &$0) }
            encoder.writeSorted(book.appointments) { encoder, _, appointment in
                Self.encodeAppointment(appointment, into: &encoder)
                flush(&encoder)
            }
        }
        encoder.writeSorted(patients) { encoder, _, record in
            record.encodeCanonical(into: &encoder)
            flush(&encoder)
        }
        flush(&encoder)
    }

    /// Reads a state written by `encodeState(into:)`.
    public func decodingState(from decoder: inout BinaryDecoder) throws -> ScheduleView {
        var view = ScheduleView()
        view.providers = try decoder.readSortedMap(field: "providers") { decoder -> (String, ProviderBook) in
            let key = try decoder.readString(field: "provider", byteCountMax: 64)
            var book = ProviderBook(providerStaffID: try FoldRestoration.make("provider") { try StaffID(key) })
            book.availability = try decoder.readList(field: "availability") {
                try ProviderAvailabilityDefined.decode(from: &$0)
            }
            book.appointments = try decoder.readSortedMap(field: "appointments") { decoder -> (EventID, Appointment) in
                let appointment = try Self.decodeAppointment(from: &decoder)
                return (appointment.state.appointmentID, appointment)
            }
            for (id, appointment) in book.appointments where appointment.state.status != .notBooked {
                book.index(id, from: nil, to: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
            }
            return (key, book)
        }
        view.patients = try decoder.readSortedMap(field: "patients") { decoder -> (EventID, PatientRecordState) in
            let record = try PatientRecordState.decodeCanonical(from: &decoder)
            return (record.patientID, record)
        }
        return view
    }
}

/// How a patient is named in a view: by name, or a marker when the name is not known or was erased.
public enum PatientDisplayName: Hashable, Sendable, CustomStringConvertible {
    /// `Family, Given` (or the placeholder the codec put there when patient data was withheld).
    case name(String)
    /// The patient was erased.
    case erased
    /// No registration was folded for this patient.
    case unknown

    /// The name, `[erased]` or `[unknown]`.
    public var description: String {
        switch self {
        case .name(let name): name
        case .erased: "[erased]"
        case .unknown: "[unknown]"
        }
    }
}
