import ClinicEvents
import RecordLog

extension DemoSimulation {
    /// Builds a value whose initializer validates it; a failure is a defect of the generator, reported as such.
    func valid<Value>(_ what: String, _ make: () throws -> Value) throws(StoreError) -> Value {
        do {
            return try make()
        } catch {
            throw StoreError(
                .usage, code: "demoValue",
                message: "The demo generator made an invalid \(what) (\(error)); this is a defect of the generator.")
        }
    }

    // MARK: Registration and coverage

    /// Registers a patient who calls for their first appointment in the history (new to the office, or one of its
    /// patients from before), with their coverage; now and then the clerk also registers them a second time by
    /// mistake (merged the next office day).
    func registerPatient(isNewToOffice: Bool, clerk: StaffActor) throws(StoreError) -> Int {
        let index = try registerPatient(clerk: clerk, isNewToOffice: isNewToOffice)
        if isNewToOffice {
            newPatientsRegistered += 1
        } else {
            establishedPatientsRegistered += 1
        }
        activePatientSlot[index] = activePatients.count
        activePatients.append(index)
        if happens(.duplicateRegistration, 0.005) { try registerDuplicate(of: index, clerk: clerk) }
        return index
    }

    /// Removes a patient from those who can book (deceased, merged away).
    func deactivate(_ index: Int) {
        guard let slot = activePatientSlot.removeValue(forKey: index) else { return }
        let last = activePatients.removeLast()
        if last != index {
            activePatients[slot] = last
            activePatientSlot[last] = slot
        }
    }

    private func registerPatient(clerk: StaffActor, isNewToOffice: Bool) throws(StoreError) -> Int {
        let ageRoll = random.unit()
        let age: Int64 =
            ageRoll < 0.30
            ? random.int64(in: 18...39) : ageRoll < 0.75 ? random.int64(in: 40...64) : random.int64(in: 65...92)
        let birthDay = today - age * 365 - age / 4 - random.int64(in: 0...364)
        let givenName = random.pick(DemoCatalogue.givenNames)
        let familyName = random.pick(DemoCatalogue.familyNames)
        let misspelled = happens(.misspelledName, 0.015, warmUp: 10) ? String(givenName.dropLast()) : nil
        let languageRoll = random.unit()
        let language: String? =
            languageRoll < 0.45
            ? "en" : languageRoll < 0.57 ? "es" : languageRoll < 0.59 ? "zh" : languageRoll < 0.60 ? "vi" : nil
        let patientID = random.eventID()
        let registration = try valid("registration") {
            try PatientRegistered(
                patientID: patientID, familyName: familyName, givenName: misspelled ?? givenName,
                birthDateDaysSince1970: birthDay, preferredLanguage: language)
        }
        try execute(.registerPatient(registration), as: clerk)
        let ageFactor = age < 40 ? 0.3 : age < 65 ? 1.0 : 1.6
        var conditions: [Int] = []
        for (condition, weight) in DemoCatalogue.chronicWeights.enumerated()
        where random.chance(min(0.9, weight / 100 * ageFactor)) {
            conditions.append(condition)
        }
        let heightThousandths = random.int64(in: 150_000...192_000)
        let bodyMassIndex = random.around(27, deviation: 4.5)
        let meters = Double(heightThousandths) / 100_000
        let weightThousandths = min(250_000, max(42_000, Int64(bodyMassIndex * meters * meters * 1000)))
        let isHypertensive = conditions.contains(0)
        var patient = DemoPatient(
            patientID: patientID, familyName: familyName, givenName: givenName, misspelledGivenName: misspelled,
            birthDay: birthDay, registeredDay: today, isNewToOffice: isNewToOffice, chronicConditions: conditions,
            weightThousandths: weightThousandths, heightThousandths: heightThousandths,
            systolicThousandths: random.int64(in: 105...132) * 1000 + (isHypertensive ? 14_000 : 0),
            diastolicThousandths: random.int64(in: 64...84) * 1000 + (isHypertensive ? 7_000 : 0))
        let yearStart = DemoCalendar.daysSince1970(
            year: DemoCalendar.civilDate(ofDaysSince1970: today).year, month: 1, day: 1)
        for (payerIndex, order) in coveragePlan(age: age) {
            patient.coverages.append(
                try addCoverage(
                    patientID: patientID, payerIndex: payerIndex, order: order, effectiveDay: yearStart, clerk: clerk))
        }
        patients.append(patient)
        return patients.count - 1
    }

    /// The payers and orders of a new patient's coverage: Medicare for most patients of 65 and over (some with a
    /// supplemental or Medicaid secondary), Medicaid or a commercial plan for most younger ones, some self-pay.
    private func coveragePlan(age: Int64) -> [(Int, CoverageOrder)] {
        let commercial = DemoCatalogue.commercialIndexes
        let weights = commercial.map { DemoCatalogue.payers[$0].weight }
        let roll = random.unit()
        if age >= 65 {
            guard roll < 0.92 else { return [(commercial[random.weightedIndex(weights)], .primary)] }
            let secondaryRoll = random.unit()
            if secondaryRoll < 0.30 { return [(DemoCatalogue.medicareIndex, .primary), (commercial[0], .secondary)] }
            if secondaryRoll < 0.40 {
                return [(DemoCatalogue.medicareIndex, .primary), (DemoCatalogue.medicaidIndex, .secondary)]
            }
            return [(DemoCatalogue.medicareIndex, .primary)]
        }
        if roll < 0.15 { return [(DemoCatalogue.medicaidIndex, .primary)] }
        if roll < 0.87 {
            let primary = commercial[random.weightedIndex(weights)]
            if random.chance(0.05) {
                let secondary = commercial.first { $0 != primary } ?? primary
                return [(primary, .primary), (secondary, .secondary)]
            }
            return [(primary, .primary)]
        }
        return []
    }

    /// Adds a coverage of the patient with the payer's member id format and one of its copays.
    private func addCoverage(
        patientID: EventID, payerIndex: Int, order: CoverageOrder, effectiveDay: Int64, clerk: StaffActor
    ) throws(StoreError) -> DemoPatient.Coverage {
        let template = DemoCatalogue.payers[payerIndex]
        let copay = order == .primary ? random.pick(template.copaysCents) : 0
        let coverageID = random.eventID()
        try execute(
            .coverage(
                patientID: patientID,
                .addCoverage(
                    coverageID: coverageID, payerID: payerIDs[payerIndex], memberID: memberID(for: template.type),
                    order: order, copayCents: copay, effectiveDaysSince1970: effectiveDay,
                    terminationDaysSince1970: nil)),
            as: clerk)
        return DemoPatient.Coverage(
            coverageID: coverageID, payerIndex: payerIndex, order: order, copayCents: copay, effectiveDay: effectiveDay)
    }

    /// A member id in the shape the payer type uses (a Medicare MBI, a Medicaid number, a commercial id).
    private func memberID(for type: PayerType) -> String {
        let letters = Array("ACDEFGHJKMNPQRTUVWXY")
        let digits = Array("0123456789")
        func draw(_ alphabet: [Character], _ count: Int) -> String {
            String((0..<count).map { _ in random.pick(alphabet) })
        }
        switch type {
        case .medicare:
            return draw(Array("123456789"), 1) + draw(letters, 1) + draw(letters + digits, 1) + draw(digits, 1)
                + draw(letters, 2) + draw(digits, 1) + draw(letters, 2) + draw(digits, 2)
        case .medicaid:
            return draw(digits, 10)
        default:
            return draw(letters, 3) + draw(digits, 9)
        }
    }

    /// Registers the same person again under a shortened given name; the office manager merges the duplicate into
    /// the original the next office day.
    private func registerDuplicate(of index: Int, clerk: StaffActor) throws(StoreError) {
        let original = patients[index]
        let duplicateID = random.eventID()
        let givenName = original.givenName.count > 3 ? String(original.givenName.prefix(3)) : original.givenName + "a"
        try execute(
            .registerPatient(
                try valid("registration") {
                    try PatientRegistered(
                        patientID: duplicateID, familyName: original.familyName, givenName: givenName,
                        birthDateDaysSince1970: original.birthDay)
                }),
            as: clerk)
        patients.append(
            DemoPatient(
                patientID: duplicateID, familyName: original.familyName, givenName: givenName,
                misspelledGivenName: nil, birthDay: original.birthDay, registeredDay: today,
                isNewToOffice: original.isNewToOffice, chronicConditions: [],
                weightThousandths: original.weightThousandths, heightThousandths: original.heightThousandths,
                systolicThousandths: original.systolicThousandths, diastolicThousandths: original.diastolicThousandths))
        let duplicateIndex = patients.count - 1
        schedule(officeDaysAfter: 1, at: 12 * 60) { () throws(StoreError) in
            try self.execute(
                .mergePatients(
                    duplicateID: duplicateID, survivorID: self.patients[index].patientID,
                    reason: "Duplicate registration found on the duplicate report"),
                as: self.manager)
            self.patients[duplicateIndex].status = .mergedAway
        }
    }

    /// Corrects a given name misspelled at registration, when the patient shows their ID card at check-in.
    func correctMisspelledName(of index: Int, clerk: StaffActor) throws(StoreError) {
        guard patients[index].misspelledGivenName != nil else { return }
        try execute(
            .patientRecord(
                patientID: patients[index].patientID,
                .correctDemographics(
                    familyName: nil, givenName: patients[index].givenName, birthDateDaysSince1970: nil,
                    dateOfDeathDaysSince1970: nil, reason: "Name spelling corrected from the patient's ID card")),
            as: clerk)
        patients[index].misspelledGivenName = nil
    }

    /// On the first office day of a year some patients change plans: a commercial plan for another, Medicare at
    /// 65, a commercial plan after Medicaid. The old coverage ends on December 31.
    func renewCoverages() throws(StoreError) {
        let year = DemoCalendar.civilDate(ofDaysSince1970: today).year
        let yearStart = DemoCalendar.daysSince1970(year: year, month: 1, day: 1)
        let clerk = frontDesk[0]
        for index in activePatients {
            guard let primary = patients[index].primaryCoverage, primary.effectiveDay < yearStart else { continue }
            let type = DemoCatalogue.payers[primary.payerIndex].type
            let age = DemoCalendar.age(bornOn: patients[index].birthDay, on: today)
            var newPayer: Int?
            if type == .commercial, age >= 65, random.chance(0.8) {
                newPayer = DemoCatalogue.medicareIndex
            } else if type == .commercial, random.chance(0.07) {
                newPayer = random.pick(DemoCatalogue.commercialIndexes.filter { $0 != primary.payerIndex })
            } else if type == .medicaid, age < 65, random.chance(0.1) {
                newPayer = random.pick(DemoCatalogue.commercialIndexes)
            }
            guard let newPayer else { continue }
            let patientID = patients[index].patientID
            try execute(
                .coverage(
                    patientID: patientID,
                    .endCoverage(coverageID: primary.coverageID, terminationDaysSince1970: yearStart - 1)),
                as: clerk)
            let coverage = try addCoverage(
                patientID: patientID, payerIndex: newPayer, order: .primary, effectiveDay: yearStart, clerk: clerk)
            patients[index].coverages.removeAll { $0.order == .primary }
            patients[index].coverages.insert(coverage, at: 0)
        }
    }

    // MARK: Deaths

    /// Now and then an elderly patient dies: the front desk cancels their appointments and a provider records the
    /// death (about 0.6% of the panel a year).
    func schedulePatientRecordUpkeep() {
        guard happens(.death, Double(activePatients.count) * 0.006 / 250, counting: false) else { return }
        schedule(at: 7 * 60 + 20) { () throws(StoreError) in try self.recordDeath() }
    }

    private func recordDeath() throws(StoreError) {
        guard !activePatients.isEmpty else { return }
        var chosen: Int?
        for _ in 0..<20 {
            let candidate = activePatients[random.int(in: 0...(activePatients.count - 1))]
            if DemoCalendar.age(bornOn: patients[candidate].birthDay, on: today) >= 70 {
                chosen = candidate
                break
            }
        }
        guard let index = chosen else { return }
        for appointmentIndex in patients[index].openAppointments where appointments[appointmentIndex].isPending {
            try cancel(appointmentIndex, reason: "Patient deceased")
        }
        let provider = providers[random.int(in: 0...(providers.count - 1))]
        try execute(
            .patientRecord(
                patientID: patients[index].patientID,
                .recordDeath(dateOfDeathDaysSince1970: today - random.int64(in: 1...4))),
            as: provider.actor)
        patients[index].status = .deceased
        deactivate(index)
        happened(.death)
    }
}
