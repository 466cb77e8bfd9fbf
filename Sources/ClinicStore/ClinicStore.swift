enum ClinicStoreModule {}
