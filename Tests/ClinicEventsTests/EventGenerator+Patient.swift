import ClinicEvents
import RecordLog

/// Random, valid patient lifecycle, insurance, staff and access events.
extension EventGenerator {
    mutating func patientDay() -> Int64 { int64(PatientRegistered.birthDateDaysSince1970Range) }

    mutating func patientEvent() throws -> ClinicEvent {
        switch int(0...3) {
        case 0:
            var fields = (0..<4).map { _ in bool() }
            if !fields.contains(true) { fields[int(0...3)] = true }
            return .demographicsCorrected(
                try DemographicsCorrected(
                    patientID: id(), registrationEventID: id(), familyName: fields[0] ? name() : nil,
                    givenName: fields[1] ? name() : nil, birthDateDaysSince1970: fields[2] ? patientDay() : nil,
                    dateOfDeathDaysSince1970: fields[3] ? patientDay() : nil, reason: name()))
        case 1:
            return .patientsMerged(try PatientsMerged(survivingPatientID: id(), mergedPatientID: id(), reason: name()))
        case 2:
            return .patientDeathRecorded(
                try PatientDeathRecorded(patientID: id(), dateOfDeathDaysSince1970: patientDay()))
        default:
            return .patientErased(
                PatientErased(
                    patientID: id(), reason: pick(ErasureReason.allCases), authorizingStaffID: try staffID()))
        }
    }

    mutating func insuranceEvent() throws -> ClinicEvent {
        switch int(0...3) {
        case 0:
            return .payerDefined(try PayerDefined(payerID: id(), name: name(), type: pick(PayerType.allCases)))
        case 1:
            let effective = int64(-40_000...40_000)
            return .coverageAdded(
                try CoverageAdded(
                    coverageID: id(), patientID: id(), payerID: id(), memberID: "M\(int(0...999_999_999))",
                    order: pick(CoverageOrder.allCases), copayCents: int64(0...InsuranceLimits.copayCentsMax),
                    effectiveDaysSince1970: effective,
                    terminationDaysSince1970: bool() ? nil : effective + int64(0...3_000)))
        case 2:
            return .coverageEnded(try CoverageEnded(coverageID: id(), terminationDaysSince1970: patientDay()))
        default:
            return .eligibilityChecked(
                EligibilityChecked(
                    coverageID: id(), result: pick(EligibilityResult.allCases),
                    checkedAtMicroseconds: int64(0...4_102_444_800_000_000)))
        }
    }

    mutating func staffAccessEvent() throws -> ClinicEvent {
        switch int(0...10) {
        case 0:
            let count = int(1...StaffAccessLimits.roleCountMax)
            let roles = Array(StaffRole.allCases.shuffled(using: &random).prefix(count))
            return .staffMemberAdded(try StaffMemberAdded(staffID: try staffID(), displayName: name(), roles: roles))
        case 1: return .staffRoleGranted(StaffRoleGranted(staffID: try staffID(), role: pick(StaffRole.allCases)))
        case 2: return .staffRoleRevoked(StaffRoleRevoked(staffID: try staffID(), role: pick(StaffRole.allCases)))
        case 3:
            return .recordAccessed(
                RecordAccessed(
                    staffID: try staffID(), patientID: id(), area: pick(RecordArea.allCases),
                    purpose: pick(AccessPurpose.allCases)))
        case 4: return .breakGlassUsed(try BreakGlassUsed(staffID: try staffID(), patientID: id(), reason: name()))
        case 5:
            return .accessDenied(
                try AccessDenied(
                    staffID: try staffID(), role: pick(StaffRole.allCases),
                    action: pick(["viewChart", "book", "postCharge", "rotateKeys"]), patientID: bool() ? nil : id(),
                    cause: pick(AccessDenialCause.allCases)))
        case 6: return .staffSignedIn(StaffSignedIn(staffID: try staffID(), sessionID: id()))
        case 7:
            return .signInFailed(
                SignInFailed(
                    staffID: try staffID(), cause: pick(SignInFailureCause.allCases),
                    consecutiveFailures: UInt32(int(0...1_000))))
        case 8:
            return .staffSignedOut(
                StaffSignedOut(staffID: try staffID(), sessionID: id(), cause: pick(SessionEndCause.allCases)))
        case 9: return .passphraseSet(PassphraseSet(staffID: try staffID()))
        default:
            var hex: [String] = []
            for count in [16, 16, 64, 64] {
                var digits = ""
                for _ in 0..<count { digits += String(int(0...15), radix: 16) }
                hex.append(digits)
            }
            return .masterKeyRotated(
                try MasterKeyRotated(
                    previousMasterKeyID: hex[0], newMasterKeyID: hex[1], previousCheckpointPublicKey: hex[2],
                    newCheckpointPublicKey: hex[3], rewrappedKeyCount: UInt64(int(0...100_000))))
        }
    }
}
