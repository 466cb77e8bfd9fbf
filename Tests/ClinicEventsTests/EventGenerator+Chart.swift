import ClinicEvents
import RecordLog

/// Random, valid chart events.
extension EventGenerator {
    /// A short clinical phrase, sometimes not in English.
    mutating func clinicalText() -> String {
        pick(["hives", "penicillin", "anaphylaxis", "tos seca", "皮疹", "10 mg", "BID", "course completed"])
    }

    mutating func diagnosisCode() throws -> DiagnosisCode {
        try DiagnosisCode(pick(["E11.9", "I10", "J45.909", "Z00.00", "M54.5", "S72.001A"]))
    }

    mutating func entryIDs() -> [EventID] {
        (0..<int(1...ChartLimits.amendmentEntryCountMax)).map { _ in id() }
    }

    mutating func chartEvent() throws -> ClinicEvent {
        switch int(0...11) {
        case 0:
            return .allergyRecorded(
                try AllergyRecorded(
                    allergyID: id(), patientID: id(), substance: clinicalText(), reaction: name(),
                    severity: pick(AllergySeverity.allCases), verification: pick(AllergyVerification.allCases)))
        case 1: return .allergyResolved(AllergyResolved(allergyID: id()))
        case 2:
            return .allergyEnteredInError(try AllergyEnteredInError(allergyID: id(), patientID: id(), reason: name()))
        case 3:
            return .medicationStarted(
                try MedicationStarted(
                    medicationID: id(), patientID: id(), name: name(), dose: clinicalText(),
                    route: pick(MedicationRoute.allCases), frequency: clinicalText(), reason: name()))
        case 4:
            return .medicationStopped(
                try MedicationStopped(medicationID: id(), patientID: id(), reason: clinicalText()))
        case 5:
            return .problemAdded(
                try ProblemAdded(
                    problemID: id(), patientID: id(), diagnosis: try diagnosisCode(),
                    onsetDaysSince1970: bool() ? nil : int64(ChartLimits.onsetDaysRange)))
        case 6: return .problemResolved(ProblemResolved(problemID: id()))
        case 7:
            return .noteSigned(
                try NoteSigned(
                    noteID: id(), patientID: id(), encounterID: id(), authorStaffID: try staffID(),
                    text: String(repeating: name(), count: int(1...50))))
        case 8:
            return .noteAddendumSigned(
                try NoteAddendumSigned(
                    addendumID: id(), noteID: id(), patientID: id(), authorStaffID: try staffID(), text: name()))
        case 9:
            return .amendmentRequested(
                try AmendmentRequested(
                    amendmentID: id(), patientID: id(), amendedEntryIDs: entryIDs(), request: name(),
                    requestedTimeMicroseconds: int64(0...4_102_444_800_000_000)))
        case 10:
            return .amendmentAccepted(try AmendmentAccepted(amendmentID: id(), correctingEntryIDs: entryIDs()))
        default:
            return .amendmentDenied(
                try AmendmentDenied(
                    amendmentID: id(), patientID: id(), basis: pick(AmendmentDenialBasis.allCases), explanation: name(),
                    disagreementInstructions: name()))
        }
    }
}
