import RecordLog

/// Where an appointment stands, modelled on FHIR R4 `Appointment.status` and OpenEMR's appointment statuses.
public enum AppointmentStatus: UInt8, CaseIterable, Hashable, Sendable {
    /// No booking event seen yet.
    case notBooked = 0
    /// Booked (or rescheduled) and not yet confirmed.
    case booked = 1
    /// Confirmed by the patient.
    case confirmed = 2
    /// The patient is at the office.
    case arrived = 3
    /// Checked in: the visit (encounter) is open.
    case checkedIn = 4
    /// In an exam room.
    case roomed = 5
    /// The visit is over and the patient has left.
    case checkedOut = 6
    /// Cancelled before check-in.
    case cancelled = 7
    /// The patient did not come.
    case noShow = 8
    /// The appointment should never have existed.
    case enteredInError = 9

    /// The statuses this one may move to; every appointment event is one of these moves.
    ///
    /// booked → confirmed → arrived → checked in → roomed → checked out, with confirm optional, rooming optional,
    /// reschedule (back to booked) only before arrival, cancel only before check-in, no-show only before arrival,
    /// and entered-in-error from every status once booked.
    public var allowedNextStatuses: Set<AppointmentStatus> {
        switch self {
        case .notBooked: [.booked]
        case .booked: [.booked, .confirmed, .arrived, .cancelled, .noShow, .enteredInError]
        case .confirmed: [.booked, .arrived, .cancelled, .noShow, .enteredInError]
        case .arrived: [.checkedIn, .cancelled, .enteredInError]
        case .checkedIn: [.roomed, .checkedOut, .enteredInError]
        case .roomed: [.checkedOut, .enteredInError]
        case .checkedOut, .cancelled, .noShow: [.enteredInError]
        case .enteredInError: []
        }
    }

    /// Whether the appointment holds its provider's time (so another booking over it is an overbook).
    public var holdsProviderTime: Bool {
        switch self {
        case .booked, .confirmed, .arrived, .checkedIn, .roomed: true
        case .notBooked, .checkedOut, .cancelled, .noShow, .enteredInError: false
        }
    }

    /// The FHIR R4 `Appointment.status` code; nil before booking.
    public var fhirCode: String? {
        switch self {
        case .notBooked: nil
        case .booked, .confirmed: "booked"
        case .arrived: "arrived"
        case .checkedIn, .roomed: "checked-in"
        case .checkedOut: "fulfilled"
        case .cancelled: "cancelled"
        case .noShow: "noshow"
        case .enteredInError: "entered-in-error"
        }
    }

    /// The OpenEMR status character (`-` none, `*` reminder done, `@` arrived, `<` in exam room, `>` checked out,
    /// `x` canceled, `?` no show); a late cancellation shows `%` instead of `x` (see `AppointmentState.openEMRCode`).
    public var openEMRCode: String? {
        switch self {
        case .notBooked, .enteredInError: nil
        case .booked: "-"
        case .confirmed: "*"
        case .arrived, .checkedIn: "@"
        case .roomed: "<"
        case .checkedOut: ">"
        case .cancelled: "x"
        case .noShow: "?"
        }
    }
}

/// One appointment as its events have built it: a pure fold over the events of that appointment.
public struct AppointmentState: Hashable, Sendable {
    /// The appointment's id.
    public let appointmentID: EventID
    /// The current status.
    public private(set) var status: AppointmentStatus = .notBooked
    /// The patient booked; nil before booking.
    public private(set) var patientID: EventID?
    /// The provider; nil before booking.
    public private(set) var providerStaffID: StaffID?
    /// The start, in office-local minutes since 1970-01-01T00:00; 0 before booking.
    public private(set) var startLocalMinutesSince1970: Int64 = 0
    /// The length in minutes; 0 before booking.
    public private(set) var durationMinutes: UInt32 = 0
    /// The overbook approval of the latest booking or reschedule, if it was an overbook.
    public private(set) var overbookApproval: OverbookApproval?
    /// The encounter opened at check-in.
    public private(set) var encounterID: EventID?
    /// The exam room, once roomed.
    public private(set) var room: String?
    /// Whether the appointment was cancelled less than 24 hours before its start.
    public private(set) var wasCancelledLate = false
    /// Whether the appointment ever reached check-in (a visit took place).
    public private(set) var wasCheckedIn = false

    /// The end (exclusive), in office-local minutes since 1970-01-01T00:00.
    public var endLocalMinutesSince1970: Int64 { startLocalMinutesSince1970 + Int64(durationMinutes) }

    /// The OpenEMR status character, `%` for a late cancellation.
    public var openEMRCode: String? { status == .cancelled && wasCancelledLate ? "%" : status.openEMRCode }

    /// The state of an appointment no event has touched yet.
    public init(appointmentID: EventID) {
        self.appointmentID = appointmentID
    }

    /// The state after `event`: events of other appointments and other aggregates leave it unchanged, and so does a
    /// status change the state machine does not allow (`decide` never produces one; the fold stays total and
    /// deterministic on any log).
    public func applying(_ event: ClinicEvent) -> AppointmentState {
        guard let target = Self.appointmentID(of: event), target == appointmentID else { return self }
        var next = self
        switch event {
        case .appointmentBooked(let booked):
            guard next.move(to: .booked), status == .notBooked else { return self }
            next.patientID = booked.patientID
            next.providerStaffID = booked.providerStaffID
            next.startLocalMinutesSince1970 = booked.startLocalMinutesSince1970
            next.durationMinutes = booked.durationMinutes
            next.overbookApproval = booked.overbookApproval
        case .appointmentRescheduled(let moved):
            guard status != .notBooked, next.move(to: .booked) else { return self }
            next.startLocalMinutesSince1970 = moved.startLocalMinutesSince1970
            next.durationMinutes = moved.durationMinutes
            next.overbookApproval = moved.overbookApproval
        case .appointmentConfirmed: guard next.move(to: .confirmed) else { return self }
        case .patientArrived: guard next.move(to: .arrived) else { return self }
        case .patientCheckedIn(let checkIn):
            guard next.move(to: .checkedIn) else { return self }
            next.encounterID = checkIn.encounterID
            next.wasCheckedIn = true
        case .patientRoomed(let roomed):
            guard next.move(to: .roomed) else { return self }
            next.room = roomed.room
        case .patientCheckedOut: guard next.move(to: .checkedOut) else { return self }
        case .appointmentCancelled(let cancelled):
            guard next.move(to: .cancelled) else { return self }
            next.wasCancelledLate = cancelled.isLate
        case .appointmentNoShow: guard next.move(to: .noShow) else { return self }
        case .appointmentEnteredInError: guard next.move(to: .enteredInError) else { return self }
        default: return self
        }
        return next
    }

    private mutating func move(to newStatus: AppointmentStatus) -> Bool {
        guard status.allowedNextStatuses.contains(newStatus) else { return false }
        status = newStatus
        return true
    }

    /// The appointment an event is about; nil for events that are not appointment events.
    public static func appointmentID(of event: ClinicEvent) -> EventID? {
        switch event {
        case .appointmentBooked(let body): body.appointmentID
        case .appointmentRescheduled(let body): body.appointmentID
        case .appointmentConfirmed(let body): body.appointmentID
        case .patientArrived(let body): body.appointmentID
        case .patientCheckedIn(let body): body.appointmentID
        case .patientRoomed(let body): body.appointmentID
        case .patientCheckedOut(let body): body.appointmentID
        case .appointmentCancelled(let body): body.appointmentID
        case .appointmentNoShow(let body): body.appointmentID
        case .appointmentEnteredInError(let body): body.appointmentID
        case .patientRegistered, .vitalsRecorded, .chargePosted, .providerAvailabilityDefined: nil
        case .allergyRecorded, .allergyResolved, .allergyEnteredInError, .medicationStarted, .medicationStopped,
            .problemAdded, .problemResolved, .noteSigned, .noteAddendumSigned, .amendmentRequested,
            .amendmentAccepted, .amendmentDenied:
            nil
        case .paymentPosted, .paymentApplied, .adjustmentPosted, .refundIssued, .responsibilityTransferred,
            .chargeVoided, .paymentVoided, .dayClosed, .feeScheduled, .feeWithdrawn:
            nil
        case .privacyNoticeAcknowledged, .consentGranted, .consentRevoked, .authorizationRecorded,
            .restrictionRequested, .restrictionAgreed, .disclosureRecorded:
            nil
        case .demographicsCorrected, .patientsMerged, .patientDeathRecorded, .patientErased: nil
        case .payerDefined, .coverageAdded, .coverageEnded, .eligibilityChecked: nil
        case .staffMemberAdded, .staffRoleGranted, .staffRoleRevoked, .recordAccessed, .breakGlassUsed: nil
        case .accessDenied, .staffSignedIn, .signInFailed, .staffSignedOut, .passphraseSet, .masterKeyRotated,
            .retentionPolicySet:
            nil
        }
    }
}
