import ClinicEvents
import RecordLog

// The ClinicEvents folds (`AppointmentState`, `ChartState`, `ConsentState`, `CoverageState`, `PatientRecordState`,
// `DayBook`) are built only by folding events: they have no initializer for an arbitrary state. A view that holds
// them writes every field in its checkpoint and, on load, rebuilds each one by folding a short canonical sequence of
// events regenerated from those fields, padded with events the fold ignores so that its stream version matches. The
// checkpoint store then re-encodes the restored view and uses it only when the bytes are identical to the stored
// ones, so a fold whose state no canonical sequence reproduces falls back to a rebuild from the log, never to a
// different state.

/// Restoring ClinicEvents folds from their encoded fields.
enum FoldRestoration {
    /// An event every restored fold ignores except for counting it in its stream version.
    static let filler = ClinicEvent.dayClosed(DayClosed(dateDaysSince1970: 0, totals: .zero))
    /// The text put in required text fields that the fold does not keep.
    static let placeholderText = "restored"
    /// The staff id put in required staff fields that the fold does not keep.
    static let placeholderStaffID: StaffID = {
        guard let staffID = try? StaffID("restored") else { preconditionFailure("`restored` is a valid staff id") }
        return staffID
    }()

    /// Folds `events`, then fillers up to `streamVersion`; throws when the events alone exceed it.
    static func fold<State>(
        _ initial: State, _ events: [ClinicEvent], streamVersion: UInt64, field: String,
        _ apply: (inout State, ClinicEvent) -> Void
    ) throws -> State {
        guard UInt64(events.count) <= streamVersion else { throw ViewStateDecodingError.malformed(field: field) }
        // In place: a state rebuilt as `state = state.applying(event)` copies its dictionaries at every event.
        var state = initial
        for event in events { apply(&state, event) }
        for _ in 0..<(streamVersion - UInt64(events.count)) { apply(&state, filler) }
        return state
    }

    /// Runs a validating initializer of a restoring event, turning its error into a decoding error.
    static func make<Value>(_ field: String, _ build: () throws -> Value) throws -> Value {
        do { return try build() } catch { throw ViewStateDecodingError.malformed(field: field) }
    }
}

// MARK: - AppointmentState

extension AppointmentState {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeUInt8(status.rawValue)
        encoder.writeOptionalEventID(patientID)
        encoder.writeOptional(providerStaffID) { $0.writeStaffID($1) }
        encoder.writeVarInt(startLocalMinutesSince1970)
        encoder.writeVarUInt(UInt64(durationMinutes))
        encoder.writeOptional(overbookApproval) {
            $0.writeStaffID($1.approverStaffID)
            $0.writeUInt8($1.approverRole.rawValue)
        }
        encoder.writeOptionalEventID(encounterID)
        encoder.writeOptionalString(room)
        encoder.writeBool(wasCancelledLate)
        encoder.writeBool(wasCheckedIn)
    }

    /// Reads the fields and folds the appointment's canonical path to them.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> AppointmentState {
        let field = "appointment"
        let id = try decoder.readEventID(field: field)
        guard let status = AppointmentStatus(rawValue: try decoder.readUInt8(field: field)) else {
            throw ViewStateDecodingError.malformed(field: field)
        }
        let patientID = try decoder.readOptionalEventID(field: field)
        let provider = try decoder.readOptional(field: field) { try $0.readStaffID(field: field) }
        let start = try decoder.readVarInt(field: field)
        let duration = try decoder.readVarUInt32(field: field)
        let approval = try decoder.readOptional(field: field) { decoder -> OverbookApproval in
            let approver = try decoder.readStaffID(field: field)
            guard let role = StaffRole(rawValue: try decoder.readUInt8(field: field)) else {
                throw ViewStateDecodingError.malformed(field: field)
            }
            return OverbookApproval(approverStaffID: approver, approverRole: role)
        }
        let encounterID = try decoder.readOptionalEventID(field: field)
        let room = try decoder.readOptionalString(field: field)
        let wasCancelledLate = try decoder.readBool(field: field)
        let wasCheckedIn = try decoder.readBool(field: field)

        var state = AppointmentState(appointmentID: id)
        guard status != .notBooked else { return state }
        guard let patientID, let provider else { throw ViewStateDecodingError.malformed(field: field) }
        var path: [ClinicEvent] = [
            .appointmentBooked(
                try FoldRestoration.make(field) {
                    try AppointmentBooked(
                        appointmentID: id, patientID: patientID, providerStaffID: provider,
                        startLocalMinutesSince1970: start, durationMinutes: duration,
                        reason: FoldRestoration.placeholderText, overbookApproval: approval)
                })
        ]
        func visit() throws {
            path.append(.patientArrived(PatientArrived(appointmentID: id)))
            guard let encounterID else { throw ViewStateDecodingError.malformed(field: field) }
            path.append(.patientCheckedIn(PatientCheckedIn(appointmentID: id, encounterID: encounterID)))
            if let room {
                path.append(
                    .patientRoomed(try FoldRestoration.make(field) { try PatientRoomed(appointmentID: id, room: room) })
                )
            }
        }
        func cancel(late: Bool) throws {
            path.append(
                .appointmentCancelled(
                    try FoldRestoration.make(field) {
                        try AppointmentCancelled(
                            appointmentID: id, patientID: nil, reason: FoldRestoration.placeholderText, isLate: late)
                    }))
        }
        switch status {
        case .notBooked, .booked: break
        case .confirmed: path.append(.appointmentConfirmed(AppointmentConfirmed(appointmentID: id)))
        case .arrived: path.append(.patientArrived(PatientArrived(appointmentID: id)))
        case .checkedIn, .roomed: try visit()
        case .checkedOut:
            try visit()
            path.append(.patientCheckedOut(PatientCheckedOut(appointmentID: id)))
        case .cancelled: try cancel(late: wasCancelledLate)
        case .noShow: path.append(.appointmentNoShow(AppointmentNoShow(appointmentID: id)))
        case .enteredInError:
            if wasCheckedIn { try visit() } else if wasCancelledLate { try cancel(late: true) }
            path.append(
                .appointmentEnteredInError(
                    try FoldRestoration.make(field) {
                        try AppointmentEnteredInError(
                            appointmentID: id, patientID: nil, reason: FoldRestoration.placeholderText)
                    }))
        }
        for event in path { state = state.applying(event) }
        return state
    }
}

// MARK: - PatientRecordState

extension PatientRecordState {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(streamVersion)
        switch status {
        case .unregistered: encoder.writeUInt8(0)
        case .active: encoder.writeUInt8(1)
        case .mergedInto(let survivor):
            encoder.writeUInt8(2)
            encoder.writeEventID(survivor)
        case .erased: encoder.writeUInt8(3)
        }
        encoder.writeOptionalEventID(registrationEventID)
        encoder.writeOptional(registration) { $1.encode(into: &$0) }
        encoder.writeOptionalString(familyName)
        encoder.writeOptionalString(givenName)
        encoder.writeOptionalVarInt(birthDateDaysSince1970)
        encoder.writeOptionalVarInt(dateOfDeathDaysSince1970)
        encoder.writeArray(corrections) { $1.encode(into: &$0) }
        encoder.writeArray(mergedPatientIDs) { $0.writeEventID($1) }
    }

    /// Reads the fields and folds the record's canonical events.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> PatientRecordState {
        let field = "patientRecord"
        let patientID = try decoder.readEventID(field: field)
        let streamVersion = try decoder.readCounter(field: field)
        let statusCode = try decoder.readUInt8(field: field)
        let survivor = statusCode == 2 ? try decoder.readEventID(field: field) : nil
        guard statusCode <= 3 else { throw ViewStateDecodingError.malformed(field: field) }
        let registrationEventID = try decoder.readOptionalEventID(field: field)
        let registration = try decoder.readOptional(field: field) { try PatientRegistered.decode(from: &$0) }
        _ = try decoder.readOptionalString(field: field)
        _ = try decoder.readOptionalString(field: field)
        _ = try decoder.readOptionalVarInt(field: field)
        let dateOfDeath = try decoder.readOptionalVarInt(field: field)
        let corrections = try decoder.readList(field: field) { try DemographicsCorrected.decode(from: &$0) }
        let merged = try decoder.readList(field: field) { try $0.readEventID(field: field) }

        var events: [(ClinicEvent, EventID?)] = []
        if statusCode != 3 {
            if let registration { events.append((.patientRegistered(registration), registrationEventID)) }
            events += corrections.map { (.demographicsCorrected($0), nil) }
            if let dateOfDeath {
                let death = try FoldRestoration.make(field) {
                    try PatientDeathRecorded(patientID: patientID, dateOfDeathDaysSince1970: dateOfDeath)
                }
                events.append((.patientDeathRecorded(death), nil))
            }
            if let survivor {
                let merge = try FoldRestoration.make(field) {
                    try PatientsMerged(
                        survivingPatientID: survivor, mergedPatientID: patientID,
                        reason: FoldRestoration.placeholderText)
                }
                events.append((.patientsMerged(merge), nil))
            }
        }
        for mergedID in merged {
            let merge = try FoldRestoration.make(field) {
                try PatientsMerged(
                    survivingPatientID: patientID, mergedPatientID: mergedID, reason: FoldRestoration.placeholderText)
            }
            events.append((.patientsMerged(merge), nil))
        }
        if statusCode == 3 {
            let erased = PatientErased(
                patientID: patientID, reason: .patientRequest, authorizingStaffID: FoldRestoration.placeholderStaffID)
            events.append((.patientErased(erased), nil))
        }
        guard UInt64(events.count) <= streamVersion else { throw ViewStateDecodingError.malformed(field: field) }
        var state = PatientRecordState(patientID: patientID)
        for (event, eventID) in events { state.apply(event, eventID: eventID) }
        for _ in 0..<(streamVersion - UInt64(events.count)) { state.apply(FoldRestoration.filler, eventID: nil) }
        return state
    }

    /// The patient's display name, `Family, Given`; nil when not registered or erased.
    var displayName: String? {
        guard status != .erased, let familyName, let givenName else { return nil }
        return familyName + ", " + givenName
    }
}

// MARK: - CoverageState

extension CoverageState {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(streamVersion)
        encoder.writeSorted(coverages) { encoder, _, entry in
            entry.added.encode(into: &encoder)
            encoder.writeOptionalVarInt(entry.terminationDaysSince1970)
            encoder.writeBool(entry.isEnded)
            encoder.writeOptional(entry.latestEligibility) { $1.encode(into: &$0) }
        }
    }

    /// Reads the fields and folds the coverages' canonical events.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> CoverageState {
        let field = "coverage"
        let patientID = try decoder.readEventID(field: field)
        let streamVersion = try decoder.readCounter(field: field)
        var events: [ClinicEvent] = []
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let added = try CoverageAdded.decode(from: &decoder)
            let termination = try decoder.readOptionalVarInt(field: field)
            let isEnded = try decoder.readBool(field: field)
            let eligibility = try decoder.readOptional(field: field) { try EligibilityChecked.decode(from: &$0) }
            events.append(.coverageAdded(added))
            if isEnded {
                guard let termination else { throw ViewStateDecodingError.malformed(field: field) }
                let ended = try FoldRestoration.make(field) {
                    try CoverageEnded(coverageID: added.coverageID, terminationDaysSince1970: termination)
                }
                events.append(.coverageEnded(ended))
            }
            if let eligibility { events.append(.eligibilityChecked(eligibility)) }
            return (added.coverageID, true)
        }
        return try FoldRestoration.fold(
            CoverageState(patientID: patientID), events, streamVersion: streamVersion, field: field
        ) { $0.apply($1) }
    }
}

// MARK: - ConsentState

extension ConsentState {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(streamVersion)
        encoder.writeArray(noticeAcknowledgements) { $1.encode(into: &$0) }
        encoder.writeSorted(consents) { encoder, _, record in
            record.granted.encode(into: &encoder)
            encoder.writeOptionalVarInt(record.revokedFromMicroseconds)
        }
        encoder.writeSorted(authorizations) { encoder, _, record in
            record.recorded.encode(into: &encoder)
            encoder.writeOptionalVarInt(record.revokedFromMicroseconds)
        }
        encoder.writeSorted(restrictions) { encoder, _, record in
            record.requested.encode(into: &encoder)
            encoder.writeOptionalVarInt(record.agreedFromMicroseconds)
        }
        encoder.writeArray(disclosures) { $1.encode(into: &$0) }
    }

    /// Reads the fields and folds the consent stream's canonical events.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> ConsentState {
        let field = "consent"
        let patientID = try decoder.readEventID(field: field)
        let streamVersion = try decoder.readCounter(field: field)
        var events: [ClinicEvent] = []
        var later: [ClinicEvent] = []
        func revocation(_ id: EventID, _ time: Int64?) throws {
            guard let time else { return }
            later.append(
                .consentRevoked(
                    try FoldRestoration.make(field) {
                        try ConsentRevoked(consentID: id, patientID: patientID, effectiveFromMicroseconds: time)
                    }))
        }
        events += try decoder.readList(field: field) {
            ClinicEvent.privacyNoticeAcknowledged(try PrivacyNoticeAcknowledged.decode(from: &$0))
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let granted = try ConsentGranted.decode(from: &decoder)
            events.append(.consentGranted(granted))
            try revocation(granted.consentID, try decoder.readOptionalVarInt(field: field))
            return (granted.consentID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let recorded = try AuthorizationRecorded.decode(from: &decoder)
            events.append(.authorizationRecorded(recorded))
            try revocation(recorded.authorizationID, try decoder.readOptionalVarInt(field: field))
            return (recorded.authorizationID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let requested = try RestrictionRequested.decode(from: &decoder)
            events.append(.restrictionRequested(requested))
            if let agreed = try decoder.readOptionalVarInt(field: field) {
                later.append(
                    .restrictionAgreed(
                        try FoldRestoration.make(field) {
                            try RestrictionAgreed(
                                restrictionID: requested.restrictionID, patientID: patientID,
                                effectiveFromMicroseconds: agreed)
                        }))
            }
            return (requested.restrictionID, true)
        }
        events += try decoder.readList(field: field) {
            ClinicEvent.disclosureRecorded(try DisclosureRecorded.decode(from: &$0))
        }
        return try FoldRestoration.fold(
            ConsentState(patientID: patientID), events + later, streamVersion: streamVersion, field: field
        ) { $0.apply($1) }
    }
}

// MARK: - DayBook

extension DayBook {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeVarUInt(streamVersion)
        encoder.writeSorted(closedDays) { encoder, day, totals in
            DayClosed(dateDaysSince1970: day, totals: totals).encode(into: &encoder)
        }
    }

    /// Reads the fields and folds one `DayClosed` per closed day.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> DayBook {
        let field = "dayBook"
        let streamVersion = try decoder.readCounter(field: field)
        var events: [ClinicEvent] = []
        _ = try decoder.readSortedMap(field: field) { decoder -> (Int64, Bool) in
            let closed = try DayClosed.decode(from: &decoder)
            events.append(.dayClosed(closed))
            return (closed.dateDaysSince1970, true)
        }
        // Fillers must not be `DayClosed` events here: the day book counts its own stream only, so pad with an event
        // of another kind.
        guard UInt64(events.count) <= streamVersion else { throw ViewStateDecodingError.malformed(field: field) }
        var book = DayBook()
        for event in events { book.apply(event) }
        let pad = ClinicEvent.appointmentConfirmed(AppointmentConfirmed(appointmentID: EventID(high: 0, low: 0)))
        for _ in 0..<(streamVersion - UInt64(events.count)) { book.apply(pad) }
        return book
    }
}

// MARK: - PatientAccount

extension PatientAccount {
    /// Writes every field (the ledger rebuilds the account from its entries; this encoding makes it part of the
    /// state hash and of the re-encoding check).
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(streamVersion)
        encoder.writeSorted(charges) { encoder, id, charge in
            encoder.writeEventID(id)
            encoder.writeVarInt(charge.amountCents)
            encoder.writeAmountsByResponsibility(charge.owedCents)
            encoder.writeVarInt(charge.appliedCents)
            encoder.writeVarInt(charge.adjustedCents)
            encoder.writeBool(charge.hasCredit)
            encoder.writeBool(charge.isVoided)
        }
        encoder.writeSorted(payments) { encoder, id, payment in
            encoder.writeEventID(id)
            encoder.writePayer(payment.payer)
            encoder.writeVarInt(payment.amountCents)
            encoder.writeArray(payment.applications) { encoder, application in
                encoder.writeEventID(application.chargeID)
                encoder.writeResponsibilityCode(application.responsibility)
                encoder.writeVarInt(application.cents)
            }
            encoder.writeVarInt(payment.refundedCents)
            encoder.writeBool(payment.isVoided)
        }
        encoder.writeSorted(adjustmentIDs) { $0.writeEventID($1) }
        encoder.writeVarInt(chargesCents)
        encoder.writeVarInt(paymentsCents)
        encoder.writeVarInt(adjustmentsCents)
        encoder.writeVarInt(refundsCents)
    }
}

// MARK: - ChartState

extension ChartState {
    /// Writes every field.
    func encodeCanonical(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(streamVersion)
        encoder.writeSorted(allergies) { encoder, _, entry in
            entry.recorded.encode(into: &encoder)
            encoder.writeVarUInt(entry.sequence)
            let statusCode: UInt8 =
                switch entry.status {
                case .active: 0
                case .resolved: 1
                case .enteredInError: 2
                }
            encoder.writeUInt8(statusCode)
        }
        encoder.writeSorted(medications) { encoder, _, entry in
            entry.started.encode(into: &encoder)
            encoder.writeVarUInt(entry.sequence)
            encoder.writeBool(entry.status == .past)
            encoder.writeOptional(entry.stopped) { $1.encode(into: &$0) }
        }
        encoder.writeSorted(problems) { encoder, _, entry in
            entry.added.encode(into: &encoder)
            encoder.writeVarUInt(entry.sequence)
            encoder.writeBool(entry.status == .past)
        }
        encoder.writeSorted(notes) { encoder, _, entry in
            entry.signed.encode(into: &encoder)
            encoder.writeVarUInt(entry.sequence)
            encoder.writeArray(entry.addenda) { $1.encode(into: &$0) }
        }
        encoder.writeSorted(amendments) { encoder, _, entry in
            entry.requested.encode(into: &encoder)
            encoder.writeVarUInt(entry.sequence)
            encoder.writeOptional(entry.accepted) { $1.encode(into: &$0) }
            encoder.writeOptional(entry.denied) { $1.encode(into: &$0) }
        }
    }

    /// Reads the fields and folds the chart's canonical events: each entry at its own stream version, and every later
    /// change of an entry (resolution, stop, addendum, decision) in a free version after it.
    static func decodeCanonical(from decoder: inout BinaryDecoder) throws -> ChartState {
        let field = "chart"
        let patientID = try decoder.readEventID(field: field)
        let streamVersion = try decoder.readCounter(field: field)
        var entries: [UInt64: ClinicEvent] = [:]
        var followUps: [(release: UInt64, events: [ClinicEvent])] = []
        func place(_ sequence: UInt64, _ event: ClinicEvent, then later: [ClinicEvent]) throws {
            guard sequence >= 1, sequence <= streamVersion, entries[sequence] == nil else {
                throw ViewStateDecodingError.malformed(field: field)
            }
            entries[sequence] = event
            if !later.isEmpty { followUps.append((sequence, later)) }
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let recorded = try AllergyRecorded.decode(from: &decoder)
            let sequence = try decoder.readCounter(field: field)
            let later: [ClinicEvent]
            switch try decoder.readUInt8(field: field) {
            case 0: later = []
            case 1: later = [.allergyResolved(AllergyResolved(allergyID: recorded.allergyID))]
            case 2:
                later = [
                    .allergyEnteredInError(
                        try FoldRestoration.make(field) {
                            try AllergyEnteredInError(
                                allergyID: recorded.allergyID, patientID: nil, reason: FoldRestoration.placeholderText)
                        })
                ]
            default: throw ViewStateDecodingError.malformed(field: field)
            }
            try place(sequence, .allergyRecorded(recorded), then: later)
            return (recorded.allergyID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let started = try MedicationStarted.decode(from: &decoder)
            let sequence = try decoder.readCounter(field: field)
            let isPast = try decoder.readBool(field: field)
            let stopped = try decoder.readOptional(field: field) { try MedicationStopped.decode(from: &$0) }
            guard isPast == (stopped != nil) else { throw ViewStateDecodingError.malformed(field: field) }
            try place(sequence, .medicationStarted(started), then: stopped.map { [.medicationStopped($0)] } ?? [])
            return (started.medicationID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let added = try ProblemAdded.decode(from: &decoder)
            let sequence = try decoder.readCounter(field: field)
            let isPast = try decoder.readBool(field: field)
            try place(
                sequence, .problemAdded(added),
                then: isPast ? [.problemResolved(ProblemResolved(problemID: added.problemID))] : [])
            return (added.problemID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let signed = try NoteSigned.decode(from: &decoder)
            let sequence = try decoder.readCounter(field: field)
            let addenda = try decoder.readList(field: field) { try NoteAddendumSigned.decode(from: &$0) }
            try place(sequence, .noteSigned(signed), then: addenda.map { .noteAddendumSigned($0) })
            return (signed.noteID, true)
        }
        _ = try decoder.readSortedMap(field: field) { decoder -> (EventID, Bool) in
            let requested = try AmendmentRequested.decode(from: &decoder)
            let sequence = try decoder.readCounter(field: field)
            let accepted = try decoder.readOptional(field: field) { try AmendmentAccepted.decode(from: &$0) }
            let denied = try decoder.readOptional(field: field) { try AmendmentDenied.decode(from: &$0) }
            var later: [ClinicEvent] = []
            if let accepted { later.append(.amendmentAccepted(accepted)) }
            if let denied { later.append(.amendmentDenied(denied)) }
            guard later.count <= 1 else { throw ViewStateDecodingError.malformed(field: field) }
            try place(sequence, .amendmentRequested(requested), then: later)
            return (requested.amendmentID, true)
        }

        // Every version is either an entry's own or a free one; a free version takes the next follow-up whose entry
        // came before it (any such order is what some valid history did), otherwise a filler.
        followUps.sort { $0.release < $1.release }
        var nextFollowUp = 0
        var available: [(events: [ClinicEvent], next: Int)] = []
        var chart = ChartState(patientID: patientID)
        var version: UInt64 = 0
        while version < streamVersion {
            version += 1
            if let entry = entries[version] {
                chart.apply(entry)
                continue
            }
            while nextFollowUp < followUps.count, followUps[nextFollowUp].release < version {
                available.append((followUps[nextFollowUp].events, 0))
                nextFollowUp += 1
            }
            if var queue = available.popLast() {
                chart.apply(queue.events[queue.next])
                queue.next += 1
                if queue.next < queue.events.count { available.append(queue) }
            } else {
                chart.apply(FoldRestoration.filler)
            }
        }
        guard available.isEmpty, nextFollowUp == followUps.count else {
            throw ViewStateDecodingError.malformed(field: field)
        }
        return chart
    }
}
