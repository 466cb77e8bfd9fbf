import ClinicEvents
import RecordLog

/// One disclosure as an accounting lists it (HIPAA 164.528(b)(2)): when, to whom (and their address when known),
/// what, and why or under what, with the event that recorded it.
public struct AccountingEntry: Sendable, Equatable {
    /// The disclosure as recorded.
    public var disclosure: DisclosureRecorded
    /// The event that recorded it.
    public var recordedBy: HistoryReference
    /// The staff member who recorded it.
    public var actor: StaffID
    /// When the log recorded it.
    public var recordedTimeMicroseconds: Int64
    /// The purpose, or the ground of the disclosure, in one sentence (164.528(b)(2)(iv)); for an entry left out of
    /// the accounting, why it is left out.
    public var statement: String
}

/// The accounting of a patient's disclosures over a period (HIPAA 164.528): the disclosures it must list, oldest
/// first, and, when asked, those it leaves out with the exemption that leaves each out.
public struct DisclosureAccounting: Sendable, Equatable {
    /// The patient.
    public var patientID: EventID
    /// The start of the period (inclusive), microseconds since 1970-01-01T00:00:00Z.
    public var fromMicroseconds: Int64
    /// The end of the period (exclusive).
    public var toMicroseconds: Int64
    /// The disclosures a 164.528 accounting lists: under a consent, or required or permitted by law (164.512).
    public var entries: [AccountingEntry]
    /// The disclosures of the period it leaves out (treatment, payment, operations, under an authorization, or an
    /// exempt category of 164.528(a)(1)); empty unless they were asked for.
    public var leftOut: [AccountingEntry]
}

extension AuditReader {
    /// The accounting of the disclosures of `patientID` made in the `years` years before `asOfMicroseconds` (164.528
    /// gives the patient up to six), from the patient's consent stream; `includingLeftOut` also lists the
    /// disclosures of the period that the accounting leaves out.
    public func disclosureAccounting(
        patient patientID: EventID, years: Int = 6, asOfMicroseconds now: Int64, includingLeftOut: Bool = false
    ) throws(AuditError) -> DisclosureAccounting {
        let events = try events(inStreams: [ConsentState.streamName(for: patientID)])
        var state = ConsentState(patientID: patientID)
        var recorders: [EventID: StoredEvent] = [:]
        for event in events {
            state = state.applying(event.event)
            if case .disclosureRecorded(let body) = event.event, recorders[body.disclosureID] == nil {
                recorders[body.disclosureID] = event
            }
        }
        let from = UTCTime.microseconds(now, minusYears: years)
        let to = now == Int64.max ? now : now + 1
        func entry(_ disclosure: DisclosureRecorded) -> AccountingEntry? {
            guard let event = recorders[disclosure.disclosureID] else { return nil }
            return AccountingEntry(
                disclosure: disclosure,
                recordedBy: HistoryReference(
                    position: event.position, eventID: event.envelope.eventID, eventType: event.envelope.eventType),
                actor: event.envelope.actorStaffID, recordedTimeMicroseconds: event.recordedTimeMicroseconds,
                statement: statement(for: disclosure))
        }
        let listed = state.accountableDisclosures(fromMicroseconds: from, toMicroseconds: to)
        let leftOut =
            includingLeftOut
            ? state.disclosures
                .filter {
                    !$0.legalBasis.isAccountable && from <= $0.disclosedAtMicroseconds
                        && $0.disclosedAtMicroseconds < to
                }
                .sorted {
                    ($0.disclosedAtMicroseconds, $0.disclosureID) < ($1.disclosedAtMicroseconds, $1.disclosureID)
                }
            : []
        return DisclosureAccounting(
            patientID: patientID, fromMicroseconds: from, toMicroseconds: to, entries: listed.compactMap(entry),
            leftOut: leftOut.compactMap(entry))
    }

    private func statement(for disclosure: DisclosureRecorded) -> String {
        let purpose = EventDescription.words(DisclosurePurpose.self, UInt64(disclosure.purpose.rawValue))
        switch disclosure.legalBasis {
        case .consent(let id): return "For \(purpose), under the patient's consent \(id)"
        case .requiredOrPermittedByLaw: return "For \(purpose), as required or permitted by law (164.512)"
        case .treatment: return "Left out: for treatment (164.528(a)(1)(i))"
        case .payment: return "Left out: for payment (164.528(a)(1)(i))"
        case .healthCareOperations: return "Left out: for health-care operations (164.528(a)(1)(i))"
        case .authorization(let id): return "Left out: under the patient's authorization \(id) (164.528(a)(1)(iv))"
        case .exempt(let category):
            let exemption = EventDescription.words(ExemptDisclosureCategory.self, UInt64(category.rawValue))
            return "Left out: \(exemption) (164.528(a)(1))"
        }
    }
}
