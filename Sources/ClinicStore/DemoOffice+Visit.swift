import ClinicEvents
import RecordLog

extension DemoSimulation {
    /// The next moment of the visit: `minutes` after now, and not before `earliest` (a minute of the day).
    private func next(after minutes: ClosedRange<Int>, notBefore earliest: Int = 0) -> Int {
        max(nowMinuteOfDay + random.int(in: minutes), earliest)
    }

    /// The medical assistant who works with the provider at `providerIndex`.
    private func assistant(for providerIndex: Int) -> StaffActor {
        assistants[providerIndex % assistants.count]
    }

    // MARK: The visit, step by step

    /// The patient arrives.
    func arrive(_ index: Int) throws(StoreError) {
        let appointment = appointments[index]
        guard appointment.isPending else { return }
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .markArrived(appointmentID: appointment.appointmentID)),
            as: frontDesk(for: appointment.providerIndex))
        appointments[index].status = .arrived
        schedule(at: next(after: 1...4)) { () throws(StoreError) in try self.checkIn(index) }
    }

    /// Check-in: the name is checked against the ID card, the privacy notice acknowledged when it is new to the
    /// patient, the encounter opened and the copay collected.
    private func checkIn(_ index: Int) throws(StoreError) {
        var appointment = appointments[index]
        let clerk = frontDesk(for: appointment.providerIndex)
        let patientIndex = appointment.patientIndex
        try correctMisspelledName(of: patientIndex, clerk: clerk)
        if let secondary = patients[patientIndex].secondaryCoverage, happens(.secondaryCoverageEnded, 0.004) {
            try execute(
                .coverage(
                    patientID: patients[patientIndex].patientID,
                    .endCoverage(
                        coverageID: secondary.coverageID,
                        terminationDaysSince1970: max(secondary.effectiveDay, today - 1))),
                as: clerk)
            patients[patientIndex].coverages.removeAll { $0.order == .secondary }
        }
        let noticeVersion = today < noticeVersionChangeDay ? Self.noticeVersions[0] : Self.noticeVersions[1]
        if patients[patientIndex].acknowledgedNoticeVersion != noticeVersion {
            try execute(
                .consent(
                    patientID: patients[patientIndex].patientID,
                    .acknowledgePrivacyNotice(
                        noticeVersion: noticeVersion, acknowledgedAtMicroseconds: clock.nowMicroseconds())),
                as: clerk)
            patients[patientIndex].acknowledgedNoticeVersion = noticeVersion
        }
        let encounterID = random.eventID()
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .checkIn(appointmentID: appointment.appointmentID, encounterID: encounterID)),
            as: clerk)
        appointment.status = .checkedIn
        appointment.encounterID = encounterID
        if let coverage = patients[patientIndex].primaryCoverage, coverage.copayCents > 0 {
            appointment.copayPaymentID = try collectCopay(
                appointmentIndex: index, amountCents: coverage.copayCents, clerk: clerk)
        }
        appointments[index] = appointment
        schedule(at: next(after: 3...10)) { () throws(StoreError) in try self.room(index) }
    }

    /// The medical assistant rooms the patient and takes the vital signs.
    private func room(_ index: Int) throws(StoreError) {
        let appointment = appointments[index]
        let assistant = assistant(for: appointment.providerIndex)
        let room = DemoCatalogue.rooms[
            (appointment.providerIndex * 2 + random.int(in: 0...1)) % DemoCatalogue.rooms.count]
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .room(appointmentID: appointment.appointmentID, room: room)),
            as: assistant)
        appointments[index].status = .roomed
        schedule(at: next(after: 1...3)) { () throws(StoreError) in
            try self.recordVitals(index, by: self.random.chance(0.15) ? self.nurse : assistant)
        }
    }

    /// Weight, blood pressure, pulse, temperature, oxygen saturation and respiratory rate (height at first visits
    /// and physicals), near the patient's usual values.
    private func recordVitals(_ index: Int, by actor: StaffActor) throws(StoreError) {
        let appointment = appointments[index]
        let patient = patients[appointment.patientIndex]
        guard let encounterID = appointment.encounterID else { return }
        let hasFever: Bool
        if case .acute = appointment.kind { hasFever = random.chance(0.2) } else { hasFever = false }
        var readings: [(VitalSignKind, Double)] = [
            (.bodyWeight, random.around(Double(patient.weightThousandths), deviation: 900)),
            (.systolicBloodPressure, random.around(Double(patient.systolicThousandths), deviation: 7_000)),
            (.diastolicBloodPressure, random.around(Double(patient.diastolicThousandths), deviation: 4_500)),
            (.heartRate, random.around(hasFever ? 92_000 : 74_000, deviation: 8_000)),
            (
                .bodyTemperature,
                hasFever ? random.around(38_400, deviation: 350) : random.around(36_800, deviation: 200)
            ),
            (.oxygenSaturation, min(100_000, random.around(97_500, deviation: 1_000))),
            (.respiratoryRate, random.around(15_000, deviation: 1_800)),
        ]
        if appointment.kind == .newPatient || appointment.kind == .physical {
            readings.insert((.bodyHeight, random.around(Double(patient.heightThousandths), deviation: 400)), at: 1)
        }
        var measurements: [VitalSign] = []
        for (kind, value) in readings {
            let thousandths = kind == .bodyTemperature ? Int64(value / 100) * 100 : Int64(value / 1000) * 1000
            let clamped = min(
                max(thousandths, kind.plausibleThousandths.lowerBound), kind.plausibleThousandths.upperBound)
            measurements.append(try valid("vital sign") { try VitalSign(kind: kind, valueThousandths: clamped) })
        }
        let vitals = try valid("vitals") {
            try VitalsRecorded(patientID: patient.patientID, encounterID: encounterID, measurements: measurements)
        }
        try execute(.recordVitals(vitals), as: actor)
        let provider = providers[appointment.providerIndex]
        schedule(at: next(after: 2...5, notBefore: appointment.startMinuteOfDay)) { () throws(StoreError) in
            try self.examine(index, by: provider.actor)
        }
    }

    /// The provider sees the patient and keeps the chart current.
    private func examine(_ index: Int, by provider: StaffActor) throws(StoreError) {
        try updateChart(during: index, by: provider)
        let end = appointments[index].startMinuteOfDay + appointments[index].durationMinutes
        schedule(at: next(after: 4...8, notBefore: end - 2)) { () throws(StoreError) in
            try self.finishVisit(index, by: provider)
        }
    }

    /// The provider signs the visit note (now and then the next office morning, as a late entry effective at the
    /// end of the visit) and posts the charges.
    private func finishVisit(_ index: Int, by provider: StaffActor) throws(StoreError) {
        let appointment = appointments[index]
        let patientIndex = appointment.patientIndex
        guard let encounterID = appointment.encounterID else { return }
        let noteID = random.eventID()
        let bill = visitBill(for: appointment)
        let note = OfficeCommand.chart(
            patientID: patients[patientIndex].patientID,
            .signNote(
                noteID: noteID, encounterID: encounterID,
                text: DemoCatalogue.noteText(
                    reason: visitReasonText(appointment.kind), diagnoses: bill.diagnoses,
                    isNewPatient: appointment.kind == .newPatient)))
        if happens(.lateNote, 0.03) {
            let visitEnd = clock.nowMicroseconds()
            schedule(officeDaysAfter: 1, at: 7 * 60 + 30 + random.int(in: 0...50)) { () throws(StoreError) in
                try self.execute(
                    note, as: provider, effectiveTimeMicroseconds: visitEnd,
                    reason: "Late entry: note completed after clinic hours")
            }
        } else {
            try execute(note, as: provider)
        }
        patients[patientIndex].notes.append(noteID)
        try postVisitCharges(index, bill: bill, by: provider)
        if happens(.addendum, 0.04) {
            schedule(officeDaysAfter: 1, at: random.int(in: (9 * 60)...(11 * 60))) { () throws(StoreError) in
                try self.execute(
                    .chart(
                        patientID: self.patients[patientIndex].patientID,
                        .signAddendum(
                            addendumID: self.random.eventID(), noteID: noteID,
                            text: "Addendum: laboratory results reviewed and discussed with the patient by phone.")),
                    as: provider)
            }
        }
        schedule(at: next(after: 2...6)) { () throws(StoreError) in try self.checkOut(index) }
    }

    /// Check-out: copay applied, self-pay visits paid, referrals sent, requests taken.
    private func checkOut(_ index: Int) throws(StoreError) {
        let appointment = appointments[index]
        let patientIndex = appointment.patientIndex
        let clerk = frontDesk(for: appointment.providerIndex)
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .checkOut(appointmentID: appointment.appointmentID)),
            as: clerk)
        appointments[index].status = .checkedOut
        closeOpenAppointment(index)
        patients[patientIndex].visitCount += 1
        try settleAtCheckOut(index, clerk: clerk)
        try handlePrivacyRequests(after: index, clerk: clerk)
        if happens(.amendment, 0.0025, minimum: 2) {
            scheduleAmendmentRequest(patientIndex: patientIndex, providerIndex: appointment.providerIndex)
        }
    }
}
