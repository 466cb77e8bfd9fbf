import RecordLog

/// Where a patient's record stands in its lifecycle.
public enum PatientRecordStatus: Hashable, Sendable {
    /// No registration folded yet.
    case unregistered
    /// Registered and in use.
    case active
    /// Merged away into the surviving patient; its record lives on under that id.
    case mergedInto(EventID)
    /// Erased: the data key is destroyed and the record shows as erased.
    case erased
}

/// One patient's record lifecycle: registration, corrections, merges, death and erasure, a pure fold over the patient
/// stream. The registration is never edited: the current demographics are the registration with every correction
/// applied on top, in order.
public struct PatientRecordState: Equatable, Sendable {
    /// The patient whose record it is.
    public let patientID: EventID
    /// The version of the patient stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0
    /// Where the record stands.
    public private(set) var status: PatientRecordStatus = .unregistered
    /// The event id of the registration, when folded from an envelope (`applying(_:eventID:)`): corrections cite it.
    public private(set) var registrationEventID: EventID?
    /// The registration as written, once folded (kept as written even after corrections).
    public private(set) var registration: PatientRegistered?
    /// The current family name: the registration's, or the latest correction's.
    public private(set) var familyName: String?
    /// The current given name: the registration's, or the latest correction's.
    public private(set) var givenName: String?
    /// The current birth date, in days since 1970-01-01.
    public private(set) var birthDateDaysSince1970: Int64?
    /// The current date of death, in days since 1970-01-01, once a death is recorded.
    public private(set) var dateOfDeathDaysSince1970: Int64?
    /// The corrections folded, oldest first.
    public private(set) var corrections: [DemographicsCorrected] = []
    /// The patients merged into this one, oldest first.
    public private(set) var mergedPatientIDs: [EventID] = []

    /// The empty record of `patientID`.
    public init(patientID: EventID) {
        self.patientID = patientID
    }

    /// The name of the stream that holds every lifecycle event of `patientID`.
    public static func streamName(for patientID: EventID) -> String {
        "patient-\(patientID)"
    }

    /// The name of this patient's stream.
    public var streamName: String { Self.streamName(for: patientID) }

    /// Whether the patient's death is recorded.
    public var isDeceased: Bool { dateOfDeathDaysSince1970 != nil }

    /// The state after one more event of the patient stream; every event counts towards `streamVersion`.
    ///
    /// The fold is total: an event about another patient changes nothing but the version; after an erasure nothing
    /// changes but the version, and the demographics are dropped. A second registration or death is ignored (the
    /// first stands). Decisions never produce such events.
    public func applying(_ event: ClinicEvent) -> PatientRecordState {
        applying(event, eventID: nil)
    }

    /// The state after one decoded event of the patient stream, remembering the registration's event id.
    public func applying(_ decoded: DecodedEvent) -> PatientRecordState {
        applying(decoded.event, eventID: decoded.envelope.eventID)
    }

    /// The state after one more event whose envelope carries `eventID` (nil when unknown); see `applying(_:)`.
    public mutating func apply(_ event: ClinicEvent, eventID: EventID?) {
        streamVersion += 1
        guard status != .erased else { return }
        switch event {
        case .patientRegistered(let body) where body.patientID == patientID && status == .unregistered:
            status = .active
            registration = body
            registrationEventID = eventID
            familyName = body.familyName
            givenName = body.givenName
            birthDateDaysSince1970 = body.birthDateDaysSince1970
        case .demographicsCorrected(let body) where body.patientID == patientID && registration != nil:
            corrections.append(body)
            familyName = body.familyName ?? familyName
            givenName = body.givenName ?? givenName
            birthDateDaysSince1970 = body.birthDateDaysSince1970 ?? birthDateDaysSince1970
            if isDeceased { dateOfDeathDaysSince1970 = body.dateOfDeathDaysSince1970 ?? dateOfDeathDaysSince1970 }
        case .patientDeathRecorded(let body) where body.patientID == patientID && !isDeceased:
            dateOfDeathDaysSince1970 = body.dateOfDeathDaysSince1970
        case .patientsMerged(let body) where body.mergedPatientID == patientID && status == .active:
            status = .mergedInto(body.survivingPatientID)
        case .patientsMerged(let body) where body.survivingPatientID == patientID:
            mergedPatientIDs.append(body.mergedPatientID)
        case .patientErased(let body) where body.patientID == patientID:
            status = .erased
            registration = nil
            registrationEventID = nil
            familyName = nil
            givenName = nil
            birthDateDaysSince1970 = nil
            dateOfDeathDaysSince1970 = nil
            corrections = []
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent, eventID: EventID?) -> PatientRecordState {
        var next = self
        next.apply(event, eventID: eventID)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> PatientRecordState {
        var next = self
        for event in events { next.apply(event, eventID: nil) }
        return next
    }
}
