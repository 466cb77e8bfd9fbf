import ClinicEvents
import RecordLog

/// A patient's chart and the commands the chart tests issue, with made-up clinical content.
enum ChartFixture {
    static let patientID = id(1)

    static func id(_ low: UInt64) -> EventID { EventID(high: 0xC4A7_0000_0000_4000, low: 0x8000_0000_0000_0000 | low) }

    static func clinician() throws -> StaffID { try StaffID("dr-lee") }

    static func chart() -> ChartState { ChartState(patientID: patientID) }

    static func recordAllergy(_ allergy: UInt64) -> ChartCommand {
        .recordAllergy(
            allergyID: id(allergy), substance: "Penicillin Zoë", reaction: "hives", severity: .severe,
            verification: .confirmed)
    }

    static func startMedication(_ medication: UInt64) -> ChartCommand {
        .startMedication(
            medicationID: id(medication), name: "metformin", dose: "500 mg", route: .oral, frequency: "twice daily",
            reason: "diabetes")
    }

    static func addProblem(_ problem: UInt64, code: String = "E11.9") throws -> ChartCommand {
        .addProblem(problemID: id(problem), diagnosis: try DiagnosisCode(code), onsetDaysSince1970: 18_000)
    }

    static func signNote(_ note: UInt64) -> ChartCommand {
        .signNote(noteID: id(note), encounterID: id(900), text: "Zoë Ó Briain reports knee pain.")
    }

    static func signAddendum(_ addendum: UInt64, to note: UInt64) -> ChartCommand {
        .signAddendum(addendumID: id(addendum), noteID: id(note), text: "X-ray reviewed: no fracture.")
    }

    static func requestAmendment(_ amendment: UInt64, of entries: [UInt64]) -> ChartCommand {
        .requestAmendment(
            amendmentID: id(amendment), amendedEntryIDs: entries.map(id), request: "Zoë is not allergic.",
            requestedTimeMicroseconds: 1_764_320_400_000_000)
    }

    static func deny(_ amendment: UInt64) -> ChartCommand {
        .denyAmendment(
            amendmentID: id(amendment), basis: .accurateAndComplete, explanation: "Confirmed by testing.",
            disagreementInstructions: "Write to the privacy officer to file a statement of disagreement.")
    }
}

extension ChartState {
    /// Decides and applies `command`, as an append at the decided version would.
    func after(_ command: ChartCommand, by role: StaffRole = .physician) throws -> ChartState {
        applying(try decide(command, by: try ChartFixture.clinician(), role: role).events)
    }

    /// The refusal of `command`, or nil when it is accepted.
    func refusal(of command: ChartCommand, by role: StaffRole = .physician) -> ChartRefusal? {
        do {
            _ = try decide(command, by: try ChartFixture.clinician(), role: role)
            return nil
        } catch let refusal as ChartRefusal {
            return refusal
        } catch {
            return .detailsInvalid(rule: "fixture")
        }
    }
}
