/// Placeholder until the module lands.
enum ClinicProjectionsModule {}
