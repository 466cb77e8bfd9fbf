import ClinicEvents
import RecordLog

/// Random, valid appointment and visit events.
extension EventGenerator {
    mutating func staffID() throws -> StaffID { try StaffID("dr-\(int(1...99))") }

    mutating func overbookApproval() throws -> OverbookApproval? {
        bool() ? nil : OverbookApproval(approverStaffID: try staffID(), approverRole: pick(StaffRole.allCases))
    }

    /// A short visit reason: a code or a phrase, sometimes not in English.
    mutating func visitReason() -> String {
        pick(["Z00.00", "follow-up", "dolor de espalda", "annual physical", "血压复查", "flu shot 💉"])
    }

    mutating func appointmentEvent() throws -> ClinicEvent {
        let appointmentID = id()
        switch int(0...10) {
        case 0:
            let day: AvailabilityDay =
                bool() ? .weekday(UInt8(int(1...7))) : .date(daysSince1970: int64(-80_000...80_000))
            let slot = UInt32(pick([5, 10, 15, 20, 30, 60]))
            let start = UInt32(int(0...20)) * 60
            let end = start + slot * UInt32(int(1...(Int((1440 - start) / slot))))
            return .providerAvailabilityDefined(
                try ProviderAvailabilityDefined(
                    providerStaffID: try staffID(), day: day, startMinuteOfDay: start, endMinuteOfDay: end,
                    slotMinutes: slot))
        case 1:
            return .appointmentBooked(
                try AppointmentBooked(
                    appointmentID: appointmentID, patientID: id(), providerStaffID: try staffID(),
                    startLocalMinutesSince1970: int64(AppointmentLimits.startRange),
                    durationMinutes: UInt32(int(5...480)), reason: visitReason(),
                    overbookApproval: try overbookApproval()))
        case 2:
            return .appointmentRescheduled(
                try AppointmentRescheduled(
                    appointmentID: appointmentID, startLocalMinutesSince1970: int64(AppointmentLimits.startRange),
                    durationMinutes: UInt32(int(5...480)), overbookApproval: try overbookApproval()))
        case 3: return .appointmentConfirmed(AppointmentConfirmed(appointmentID: appointmentID))
        case 4: return .patientArrived(PatientArrived(appointmentID: appointmentID))
        case 5: return .patientCheckedIn(PatientCheckedIn(appointmentID: appointmentID, encounterID: id()))
        case 6:
            let room = pick(["Exam 1", "Sala 2", "检查室"])
            return .patientRoomed(try PatientRoomed(appointmentID: appointmentID, room: room))
        case 7: return .patientCheckedOut(PatientCheckedOut(appointmentID: appointmentID))
        case 8:
            return .appointmentCancelled(
                try AppointmentCancelled(
                    appointmentID: appointmentID, patientID: id(), reason: name(), isLate: bool()))
        case 9: return .appointmentNoShow(AppointmentNoShow(appointmentID: appointmentID))
        default:
            return .appointmentEnteredInError(
                try AppointmentEnteredInError(appointmentID: appointmentID, patientID: id(), reason: name()))
        }
    }
}
