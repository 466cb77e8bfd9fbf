import ClinicEvents
import RecordLog

extension DemoSimulation {
    /// The diagnosis code `code` (the catalogue's codes are all well formed).
    func diagnosis(_ code: String) throws(StoreError) -> DiagnosisCode {
        try valid("diagnosis") { try DiagnosisCode(code) }
    }

    /// The chart work of a visit: the history at a first visit, then courses finished, problems resolved,
    /// medications started and stopped, allergies resolved or corrected, and now and then a new chronic condition.
    func updateChart(during index: Int, by provider: StaffActor) throws(StoreError) {
        let appointment = appointments[index]
        let patientIndex = appointment.patientIndex
        let patientID = patients[patientIndex].patientID
        func chart(_ command: ChartCommand) throws(StoreError) {
            try execute(.chart(patientID: patientID, command), as: provider)
        }
        if !patients[patientIndex].hasAllergyHistoryTaken {
            try takeHistory(of: patientIndex, by: provider)
        }
        for medication in patients[patientIndex].activeMedications where medication.condition == nil {
            try chart(.stopMedication(medicationID: medication.id, reason: "Course completed"))
        }
        patients[patientIndex].activeMedications.removeAll { $0.condition == nil }
        for problem in patients[patientIndex].activeProblems where !problem.isChronic {
            try chart(.resolveProblem(problemID: problem.id))
        }
        patients[patientIndex].activeProblems.removeAll { !$0.isChronic }
        switch appointment.kind {
        case .acute(let reason):
            let template = DemoCatalogue.acuteReasons[reason]
            if random.chance(0.25) {
                let problemID = random.eventID()
                try chart(
                    .addProblem(
                        problemID: problemID, diagnosis: try diagnosis(template.diagnoses[0]),
                        onsetDaysSince1970: today - random.int64(in: 1...10)))
                patients[patientIndex].activeProblems.append((problemID, false))
            }
            if let medication = DemoCatalogue.acuteMedicationOfReason[reason], random.chance(0.6) {
                try startMedication(
                    DemoCatalogue.acuteMedications[medication], reason: template.text, condition: nil,
                    patientIndex: patientIndex, by: provider)
            }
        case .chronicFollowUp(let condition):
            let options = DemoCatalogue.medications[condition]
            let active = patients[patientIndex].activeMedications.filter { $0.condition == condition }
            if random.chance(0.05), let stopped = active.first {
                try chart(.stopMedication(medicationID: stopped.id, reason: "Side effects; changed medication"))
                patients[patientIndex].activeMedications.removeAll { $0.id == stopped.id }
                try startMedication(
                    random.pick(options), reason: DemoCatalogue.conditionNames[condition], condition: condition,
                    patientIndex: patientIndex, by: provider)
            } else if active.count < options.count, random.chance(0.12) {
                try startMedication(
                    options[active.count], reason: DemoCatalogue.conditionNames[condition], condition: condition,
                    patientIndex: patientIndex, by: provider)
            }
        case .newPatient, .physical:
            break
        }
        if random.chance(0.02) {
            let candidates = DemoCatalogue.chronicReasons.indices.filter {
                !patients[patientIndex].chronicConditions.contains($0)
            }
            if !candidates.isEmpty {
                let condition = random.pick(candidates)
                try addChronicCondition(condition, patientIndex: patientIndex, by: provider, onset: today)
            }
        }
        if let allergy = patients[patientIndex].activeAllergies.first {
            if happens(.allergyResolved, 0.01) {
                try chart(.resolveAllergy(allergyID: allergy))
                patients[patientIndex].activeAllergies.removeFirst()
            } else if happens(.allergyEnteredInError, 0.003) {
                try chart(.enterAllergyInError(allergyID: allergy, reason: "Recorded in the wrong patient's chart"))
                patients[patientIndex].activeAllergies.removeFirst()
            }
        }
    }

    /// The first visit's history: allergies, and the patient's chronic conditions with their medications.
    private func takeHistory(of patientIndex: Int, by provider: StaffActor) throws(StoreError) {
        let patientID = patients[patientIndex].patientID
        let allergyCount = random.chance(0.3) ? (random.chance(0.25) ? 2 : 1) : 0
        var substances: [Int] = []
        while substances.count < allergyCount {
            let candidate = random.int(in: 0...(DemoCatalogue.allergies.count - 1))
            if !substances.contains(candidate) { substances.append(candidate) }
        }
        for substance in substances {
            let template = DemoCatalogue.allergies[substance]
            let allergyID = random.eventID()
            try execute(
                .chart(
                    patientID: patientID,
                    .recordAllergy(
                        allergyID: allergyID, substance: template.substance, reaction: template.reaction,
                        severity: template.severity, verification: random.chance(0.7) ? .confirmed : .unconfirmed)),
                as: provider)
            patients[patientIndex].activeAllergies.append(allergyID)
        }
        patients[patientIndex].hasAllergyHistoryTaken = true
        for condition in patients[patientIndex].chronicConditions {
            try addChronicCondition(
                condition, patientIndex: patientIndex, by: provider,
                onset: patients[patientIndex].registeredDay - random.int64(in: 60...3_000), isKnown: true)
        }
    }

    /// Puts a chronic condition on the problem list and (mostly) starts its first medication.
    private func addChronicCondition(
        _ condition: Int, patientIndex: Int, by provider: StaffActor, onset: Int64, isKnown: Bool = false
    ) throws(StoreError) {
        let problemID = random.eventID()
        try execute(
            .chart(
                patientID: patients[patientIndex].patientID,
                .addProblem(
                    problemID: problemID,
                    diagnosis: try diagnosis(DemoCatalogue.chronicReasons[condition].diagnoses[0]),
                    onsetDaysSince1970: onset)),
            as: provider)
        patients[patientIndex].activeProblems.append((problemID, true))
        if !isKnown { patients[patientIndex].chronicConditions.append(condition) }
        if random.chance(0.8) {
            try startMedication(
                DemoCatalogue.medications[condition][0], reason: DemoCatalogue.conditionNames[condition],
                condition: condition, patientIndex: patientIndex, by: provider)
        }
    }

    private func startMedication(
        _ template: DemoCatalogue.MedicationTemplate, reason: String, condition: Int?, patientIndex: Int,
        by provider: StaffActor
    ) throws(StoreError) {
        let medicationID = random.eventID()
        try execute(
            .chart(
                patientID: patients[patientIndex].patientID,
                .startMedication(
                    medicationID: medicationID, name: template.name, dose: template.dose, route: template.route,
                    frequency: template.frequency, reason: reason)),
            as: provider)
        patients[patientIndex].activeMedications.append((medicationID, condition))
    }

    // MARK: Amendments (HIPAA 164.526)

    /// A patient asks, some days after a visit, to amend their chart: an allergy's reaction (accepted: a corrected
    /// entry replaces it) or their last note (denied as accurate and complete, or accepted with an addendum).
    func scheduleAmendmentRequest(patientIndex: Int, providerIndex: Int) {
        schedule(officeDaysAfter: random.int64(in: 3...15), at: 10 * 60) { () throws(StoreError) in
            try self.requestAmendment(patientIndex: patientIndex, providerIndex: providerIndex)
        }
    }

    private func requestAmendment(patientIndex: Int, providerIndex: Int) throws(StoreError) {
        let patientID = patients[patientIndex].patientID
        let amendmentID = random.eventID()
        let allergy = patients[patientIndex].activeAllergies.first
        guard let entryID = allergy ?? patients[patientIndex].notes.last else { return }
        let request =
            allergy != nil
            ? "The patient states the reaction recorded for this allergy was a mild rash, not what is charted."
            : "The patient states the social history in this note is wrong: they quit smoking years ago."
        try execute(
            .chart(
                patientID: patientID,
                .requestAmendment(
                    amendmentID: amendmentID, amendedEntryIDs: [entryID], request: request,
                    requestedTimeMicroseconds: clock.nowMicroseconds())),
            as: frontDesk(for: providerIndex))
        let provider = providers[providerIndex].actor
        schedule(officeDaysAfter: random.int64(in: 5...20), at: 14 * 60) { () throws(StoreError) in
            if allergy != nil {
                try self.acceptAllergyAmendment(amendmentID, of: entryID, patientIndex: patientIndex, by: provider)
            } else {
                try self.decideNoteAmendment(amendmentID, of: entryID, patientIndex: patientIndex, by: provider)
            }
        }
    }

    private func acceptAllergyAmendment(
        _ amendmentID: EventID, of allergyID: EventID, patientIndex: Int, by provider: StaffActor
    ) throws(StoreError) {
        let patientID = patients[patientIndex].patientID
        let correctedID = random.eventID()
        try execute(
            .chart(
                patientID: patientID,
                .recordAllergy(
                    allergyID: correctedID, substance: "Reported drug allergy (amended)", reaction: "Mild rash",
                    severity: .mild, verification: .unconfirmed)),
            as: provider)
        if patients[patientIndex].activeAllergies.contains(allergyID) {
            try execute(
                .chart(
                    patientID: patientID,
                    .enterAllergyInError(allergyID: allergyID, reason: "Replaced at the patient's amendment request")),
                as: provider)
            patients[patientIndex].activeAllergies.removeAll { $0 == allergyID }
        }
        patients[patientIndex].activeAllergies.append(correctedID)
        happened(.amendmentAccepted)
        try execute(
            .chart(patientID: patientID, .acceptAmendment(amendmentID: amendmentID, correctingEntryIDs: [correctedID])),
            as: provider)
    }

    private func decideNoteAmendment(
        _ amendmentID: EventID, of noteID: EventID, patientIndex: Int, by provider: StaffActor
    ) throws(StoreError) {
        let patientID = patients[patientIndex].patientID
        let isDenied =
            featureCounts[.amendmentDenied, default: 0] == 0
            || (featureCounts[.amendmentAccepted, default: 0] > 0 && random.chance(0.5))
        if isDenied {
            happened(.amendmentDenied)
            try execute(
                .chart(
                    patientID: patientID,
                    .denyAmendment(
                        amendmentID: amendmentID, basis: .accurateAndComplete,
                        explanation: "The note records what the patient reported at the visit and is accurate.",
                        disagreementInstructions:
                            "You may send a written statement of disagreement to the privacy officer; it will be "
                            + "attached to your record and included with future disclosures of it.")),
                as: compliance)
            return
        }
        happened(.amendmentAccepted)
        let addendumID = random.eventID()
        try execute(
            .chart(
                patientID: patientID,
                .signAddendum(
                    addendumID: addendumID, noteID: noteID,
                    text: "Amendment at the patient's request: social history corrected to former smoker.")),
            as: provider)
        try execute(
            .chart(patientID: patientID, .acceptAmendment(amendmentID: amendmentID, correctingEntryIDs: [addendumID])),
            as: provider)
    }
}
