import RecordLog

/// Every encounter (visit) opened at check-in, with its patient: a pure fold over the schedule streams that billing
/// consults so that a charge is posted only against an encounter of the charged patient.
///
/// An encounter is opened by `PatientCheckedIn`; its patient is the one booked on the appointment checked in
/// (`AppointmentBooked`, earlier in the same schedule stream). It stays chargeable after check-out, and stops being
/// chargeable when its appointment is entered in error (it should never have existed). Fold the events of every
/// `schedule-<provider>` stream in log order; events of other aggregates leave it unchanged.
public struct EncounterLedger: Equatable, Sendable {
    /// One encounter: the visit, its patient and the appointment it was opened for.
    public struct Encounter: Equatable, Sendable {
        /// The encounter's id, as `PatientCheckedIn` opened it.
        public let encounterID: EventID
        /// The patient seen.
        public let patientID: EventID
        /// The appointment checked in.
        public let appointmentID: EventID
        /// The date of service: the office-local day the appointment was booked (or last rescheduled) for when it was
        /// checked in, in days since 1970-01-01. A charge without an amount takes the fee in force on it.
        public let serviceDaySince1970: Int64
        /// Whether the appointment was later entered in error: no charge may then be posted against the encounter.
        public internal(set) var isEnteredInError: Bool

        /// Creates an encounter record.
        public init(
            encounterID: EventID, patientID: EventID, appointmentID: EventID, serviceDaySince1970: Int64,
            isEnteredInError: Bool = false
        ) {
            self.encounterID = encounterID
            self.patientID = patientID
            self.appointmentID = appointmentID
            self.serviceDaySince1970 = serviceDaySince1970
            self.isEnteredInError = isEnteredInError
        }
    }

    /// The encounters opened, by encounter id.
    public private(set) var encounters: [EventID: Encounter] = [:]
    /// The patient booked on each appointment seen, by appointment id.
    private var patientOfAppointment: [EventID: EventID] = [:]
    /// The office-local day each appointment seen is booked for (as last rescheduled), by appointment id.
    private var dayOfAppointment: [EventID: Int64] = [:]
    /// The encounter opened for each appointment checked in, by appointment id.
    private var encounterOfAppointment: [EventID: EventID] = [:]

    /// The ledger with no encounter.
    public init() {}

    /// The encounter `encounterID`, or nil when no check-in opened it.
    public func encounter(_ encounterID: EventID) -> Encounter? { encounters[encounterID] }

    /// The state after one more event: a booking records the appointment's patient and day, a reschedule its new day,
    /// a check-in opens an encounter on the appointment's day (the first check-in of an appointment and the first use
    /// of an encounter id win), and entering an appointment in error marks its encounter. Every other event leaves the
    /// ledger unchanged.
    public mutating func apply(_ event: ClinicEvent) {
        switch event {
        case .appointmentBooked(let booked) where patientOfAppointment[booked.appointmentID] == nil:
            patientOfAppointment[booked.appointmentID] = booked.patientID
            dayOfAppointment[booked.appointmentID] = Self.day(ofLocalMinutes: booked.startLocalMinutesSince1970)
        case .appointmentRescheduled(let moved) where dayOfAppointment[moved.appointmentID] != nil:
            dayOfAppointment[moved.appointmentID] = Self.day(ofLocalMinutes: moved.startLocalMinutesSince1970)
        case .patientCheckedIn(let checkIn)
        where encounters[checkIn.encounterID] == nil && encounterOfAppointment[checkIn.appointmentID] == nil:
            guard let patientID = patientOfAppointment[checkIn.appointmentID],
                let day = dayOfAppointment[checkIn.appointmentID]
            else { break }
            encounters[checkIn.encounterID] = Encounter(
                encounterID: checkIn.encounterID, patientID: patientID, appointmentID: checkIn.appointmentID,
                serviceDaySince1970: day)
            encounterOfAppointment[checkIn.appointmentID] = checkIn.encounterID
        case .appointmentEnteredInError(let voided):
            guard let encounterID = encounterOfAppointment[voided.appointmentID] else { break }
            encounters[encounterID]?.isEnteredInError = true
        default:
            break
        }
        return
    }

    /// The office-local day of a time in office-local minutes since 1970.
    private static func day(ofLocalMinutes minutes: Int64) -> Int64 {
        minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> EncounterLedger {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> EncounterLedger {
        var next = self
        for event in events { next.apply(event) }
        return next
    }
}
