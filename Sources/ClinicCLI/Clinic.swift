import ArgumentParser

/// `clinic`: the staff command line of ClinicLog.
@main
struct Clinic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic",
        abstract: "ClinicLog: the records of a medical office, as an append-only, verifiable log.",
        discussion:
            "Every command works on one store (--store PATH, or $CLINIC_STORE, or the per-user default). "
            + "Staff sign in first (clinic signin --as STAFF-ID); commands that read or change records then act as "
            + "a signed-in staff member (--as STAFF-ID, or $CLINIC_STAFF, or the only one signed in) in one of "
            + "their roles (--role, or $CLINIC_ROLE), as docs/security.md allows. Read commands print aligned "
            + "tables, or JSON with --json. Exit codes: 0 done, 64 usage error, 65 refused by a rule, 66 not found, "
            + "74 storage failure, 75 conflict (retry), 77 permission denied or not signed in. See docs/cli.md.",
        subcommands: [
            InitCommand.self, StatusCommand.self, SignInCommand.self, SignOutCommand.self, KeysCommand.self,
            DemoCommand.self,
            StaffCommand.self, PatientCommand.self,
            AvailabilityCommand.self, BookCommand.self, RescheduleCommand.self, AppointmentStatusCommand.self,
            CancelCommand.self, ScheduleCommand.self, FreeSlotsCommand.self,
            ChartShowCommand.self, VitalsCommand.self, AllergyCommand.self, MedicationCommand.self, ProblemCommand.self,
            NoteCommand.self, AmendmentCommand.self,
            ChargeCommand.self, PaymentCommand.self, ApplyCommand.self, AdjustCommand.self, RefundCommand.self,
            TransferCommand.self, VoidCommand.self, LedgerCommand.self, DayCommand.self,
            PayerCommand.self, CoverageGroup.self, EligibilityCommand.self,
            ConsentGroup.self, DisclosureCommand.self,
            RetentionCommand.self, RebuildCommand.self, AuditCommand.self,
        ]
    )
}
