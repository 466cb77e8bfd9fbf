/// Placeholder until the module lands.
enum ClinicAuditModule {}
