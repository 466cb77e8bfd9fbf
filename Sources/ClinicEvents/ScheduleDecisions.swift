import RecordLog

/// A scheduling command: what staff ask of a provider's schedule. `ProviderSchedule.decide` turns it into events or
/// a refusal.
public enum SchedulingCommand: Hashable, Sendable {
    /// Define a window of bookable hours on a weekday or a date.
    case defineAvailability(
        day: AvailabilityDay, startMinuteOfDay: UInt32, endMinuteOfDay: UInt32, slotMinutes: UInt32)
    /// Book a patient; `overbookApproval` is used only when the time overlaps another appointment.
    case book(
        appointmentID: EventID, patientID: EventID, startLocalMinutesSince1970: Int64, durationMinutes: UInt32,
        reason: String, overbookApproval: OverbookApproval?)
    /// Move an appointment; `overbookApproval` is used only when the new time overlaps another appointment.
    case reschedule(
        appointmentID: EventID, startLocalMinutesSince1970: Int64, durationMinutes: UInt32,
        overbookApproval: OverbookApproval?)
    /// Record the patient's confirmation.
    case confirm(appointmentID: EventID)
    /// Record the patient's arrival.
    case markArrived(appointmentID: EventID)
    /// Check the patient in, opening the visit's encounter.
    case checkIn(appointmentID: EventID, encounterID: EventID)
    /// Put the patient in an exam room.
    case room(appointmentID: EventID, room: String)
    /// Check the patient out at the end of the visit.
    case checkOut(appointmentID: EventID)
    /// Cancel the appointment before check-in.
    case cancel(appointmentID: EventID, reason: String)
    /// Record that the patient did not come.
    case markNoShow(appointmentID: EventID)
    /// Void an appointment that should never have existed.
    case enterInError(appointmentID: EventID, reason: String)

    /// The staff roles that may issue the command (see `docs/events.md`).
    public var permittedRoles: Set<StaffRole> {
        let clinicalAndFrontOffice: Set<StaffRole> = [
            .frontDesk, .officeManager, .nurse, .medicalAssistant, .physician, .nursePractitioner, .physicianAssistant,
        ]
        switch self {
        case .defineAvailability:
            return [.officeManager, .frontDesk, .physician, .nursePractitioner, .physicianAssistant]
        case .markNoShow: return [.frontDesk, .officeManager, .system]
        case .enterInError: return [.frontDesk, .officeManager]
        case .book, .reschedule, .confirm, .markArrived, .checkIn, .room, .checkOut, .cancel:
            return clinicalAndFrontOffice
        }
    }

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .defineAvailability: "defineAvailability"
        case .book: "book"
        case .reschedule: "reschedule"
        case .confirm: "confirm"
        case .markArrived: "markArrived"
        case .checkIn: "checkIn"
        case .room: "room"
        case .checkOut: "checkOut"
        case .cancel: "cancel"
        case .markNoShow: "markNoShow"
        case .enterInError: "enterInError"
        }
    }
}

/// Why a scheduling command was refused. Every case names the rule; none carries patient data.
public enum SchedulingRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// A booking names an appointment id that is already booked.
    case appointmentAlreadyExists
    /// The command names an appointment this provider does not have.
    case appointmentNotFound
    /// The start is before now.
    case startInPast
    /// No availability window of the provider covers the whole appointment.
    case outsideAvailability
    /// The start is not on the slot grid of the window that covers it.
    case offSlotGrid
    /// The time overlaps another appointment of the provider and no overbook approval was given.
    case overlapsAnotherAppointment
    /// An overbook approval was given by a role not allowed to approve overbooks.
    case overbookApproverNotPermitted(role: StaffRole)
    /// A cancelled appointment cannot be checked in.
    case checkInOfCancelledAppointment
    /// An appointment cannot be checked out before it is checked in.
    case checkOutBeforeCheckIn
    /// A no-show cannot be recorded before the appointment's start.
    case noShowBeforeStart
    /// The state machine does not allow this status change.
    case transitionNotAllowed(from: AppointmentStatus, to: AppointmentStatus)

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command) appointments; ask a permitted staff member to do it."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .appointmentAlreadyExists:
            "This appointment id is already booked; make a new id for a new appointment or reschedule this one."
        case .appointmentNotFound:
            "No appointment with this id is booked with this provider; check the appointment and the provider."
        case .startInPast:
            "Appointments cannot be booked in the past; choose a start at or after now, or record a late entry."
        case .outsideAvailability:
            "The time is outside the provider's availability; pick a time inside their hours or define availability."
        case .offSlotGrid:
            "The start is not on the provider's slot grid; pick a start at a slot boundary."
        case .overlapsAnotherAppointment:
            "The time overlaps another appointment of the provider; pick a free slot or get an overbook approved."
        case .overbookApproverNotPermitted(let role):
            "The role \(role) may not approve overbooks; ask a provider or the office manager to approve."
        case .checkInOfCancelledAppointment:
            "A cancelled appointment cannot be checked in; book a new appointment for the patient."
        case .checkOutBeforeCheckIn:
            "An appointment cannot be checked out before check-in; check the patient in first."
        case .noShowBeforeStart:
            "A no-show cannot be recorded before the appointment starts; wait until its start time."
        case .transitionNotAllowed(let from, let to):
            "An appointment cannot go from \(from) to \(to); follow the appointment status rules in docs/events.md."
        }
    }

    /// The message.
    public var description: String { message }
}

/// A scheduling decision: the events for the provider's schedule stream.
public typealias SchedulingDecision = StreamDecision

extension ProviderSchedule {
    /// The minutes before the start under which a cancellation counts as late (24 hours).
    public static let lateCancellationMinutes: Int64 = 24 * 60

    /// Decides `command`, issued by `role` at `nowLocalMinutesSince1970` (the injected clock, office-local minutes),
    /// against this schedule: the events that record it, or the rule it breaks. Pure: nothing is appended here.
    public func decide(
        _ command: SchedulingCommand, by role: StaffRole, nowLocalMinutesSince1970 now: Int64
    ) throws(SchedulingRefusal) -> SchedulingDecision {
        guard command.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event = try event(for: command, now: now)
        return SchedulingDecision(stream: streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    private func event(for command: SchedulingCommand, now: Int64) throws(SchedulingRefusal) -> ClinicEvent {
        switch command {
        case .defineAvailability(let day, let start, let end, let slot):
            return .providerAvailabilityDefined(
                try Self.validated {
                    try ProviderAvailabilityDefined(
                        providerStaffID: providerStaffID, day: day, startMinuteOfDay: start, endMinuteOfDay: end,
                        slotMinutes: slot)
                })
        case .book(let id, let patientID, let start, let duration, let reason, let approval):
            guard appointment(id).status == .notBooked else { throw .appointmentAlreadyExists }
            let plain = try Self.validated {
                try AppointmentBooked(
                    appointmentID: id, patientID: patientID, providerStaffID: providerStaffID,
                    startLocalMinutesSince1970: start, durationMinutes: duration, reason: reason)
            }
            let used = try checkTime(start: start, duration: duration, excluding: id, approval: approval, now: now)
            guard let used else { return .appointmentBooked(plain) }
            return .appointmentBooked(
                try Self.validated {
                    try AppointmentBooked(
                        appointmentID: id, patientID: patientID, providerStaffID: providerStaffID,
                        startLocalMinutesSince1970: start, durationMinutes: duration, reason: reason,
                        overbookApproval: used)
                })
        case .reschedule(let id, let start, let duration, let approval):
            try checkMove(of: id, to: .booked)
            let plain = try Self.validated {
                try AppointmentRescheduled(
                    appointmentID: id, startLocalMinutesSince1970: start, durationMinutes: duration)
            }
            let used = try checkTime(start: start, duration: duration, excluding: id, approval: approval, now: now)
            guard let used else { return .appointmentRescheduled(plain) }
            return .appointmentRescheduled(
                try Self.validated {
                    try AppointmentRescheduled(
                        appointmentID: id, startLocalMinutesSince1970: start, durationMinutes: duration,
                        overbookApproval: used)
                })
        case .confirm(let id):
            try checkMove(of: id, to: .confirmed)
            return .appointmentConfirmed(AppointmentConfirmed(appointmentID: id))
        case .markArrived(let id):
            try checkMove(of: id, to: .arrived)
            return .patientArrived(PatientArrived(appointmentID: id))
        case .checkIn(let id, let encounterID):
            if appointment(id).status == .cancelled { throw .checkInOfCancelledAppointment }
            try checkMove(of: id, to: .checkedIn)
            return .patientCheckedIn(PatientCheckedIn(appointmentID: id, encounterID: encounterID))
        case .room(let id, let room):
            try checkMove(of: id, to: .roomed)
            return .patientRoomed(try Self.validated { try PatientRoomed(appointmentID: id, room: room) })
        case .checkOut(let id):
            let status = appointment(id).status
            if [.booked, .confirmed, .arrived].contains(status) { throw .checkOutBeforeCheckIn }
            try checkMove(of: id, to: .checkedOut)
            return .patientCheckedOut(PatientCheckedOut(appointmentID: id))
        case .cancel(let id, let reason):
            try checkMove(of: id, to: .cancelled)
            let isLate = appointment(id).startLocalMinutesSince1970 - now < Self.lateCancellationMinutes
            return .appointmentCancelled(
                try Self.validated {
                    try AppointmentCancelled(
                        appointmentID: id, patientID: appointment(id).patientID, reason: reason, isLate: isLate)
                })
        case .markNoShow(let id):
            try checkMove(of: id, to: .noShow)
            guard now >= appointment(id).startLocalMinutesSince1970 else { throw .noShowBeforeStart }
            return .appointmentNoShow(AppointmentNoShow(appointmentID: id))
        case .enterInError(let id, let reason):
            try checkMove(of: id, to: .enteredInError)
            return .appointmentEnteredInError(
                try Self.validated {
                    try AppointmentEnteredInError(
                        appointmentID: id, patientID: appointment(id).patientID, reason: reason)
                })
        }
    }

    /// Refuses a status change the state machine does not allow.
    private func checkMove(of id: EventID, to status: AppointmentStatus) throws(SchedulingRefusal) {
        let current = appointment(id).status
        guard current != .notBooked else { throw .appointmentNotFound }
        guard current.allowedNextStatuses.contains(status) else {
            throw .transitionNotAllowed(from: current, to: status)
        }
    }

    /// Checks the time rules of a booking or reschedule and returns the overbook approval to record, if any.
    private func checkTime(
        start: Int64, duration: UInt32, excluding id: EventID, approval: OverbookApproval?, now: Int64
    ) throws(SchedulingRefusal) -> OverbookApproval? {
        guard start >= now else { throw .startInPast }
        let day = Self.day(of: start)
        let minutesPerDay = Int64(ProviderAvailabilityDefined.minutesPerDay)
        let minuteOfDay = start - day * minutesPerDay
        let covering = availability(onDaysSince1970: day).filter {
            Int64($0.startMinuteOfDay) <= minuteOfDay && minuteOfDay + Int64(duration) <= Int64($0.endMinuteOfDay)
        }
        guard !covering.isEmpty else { throw .outsideAvailability }
        guard covering.contains(where: { (minuteOfDay - Int64($0.startMinuteOfDay)) % Int64($0.slotMinutes) == 0 })
        else { throw .offSlotGrid }
        let end = start + Int64(duration)
        guard !appointmentsHoldingTime(fromLocalMinute: start, toLocalMinute: end, excluding: id).isEmpty else {
            return nil
        }
        guard let approval else { throw .overlapsAnotherAppointment }
        guard OverbookApproval.approvingRoles.contains(approval.approverRole) else {
            throw .overbookApproverNotPermitted(role: approval.approverRole)
        }
        return approval
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(SchedulingRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
