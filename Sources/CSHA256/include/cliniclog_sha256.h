#ifndef CLINICLOG_SHA256_H
#define CLINICLOG_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the SHA-256 instructions (x86-64 SHA extensions with SSSE3 and SSE4.1); 0 elsewhere.
int cliniclog_sha256_hardware_available(void);

/// Writes to `digest` the 32-byte SHA-256 (FIPS 180-4) of the `first_count` bytes at `first` followed by the
/// `second_count` bytes at `second`, allocating nothing. Uses the SHA instructions when `use_hardware` is 1 (only pass
/// 1 when cliniclog_sha256_hardware_available() returned 1), else the portable C rounds.
void cliniclog_sha256_concatenation(
    int use_hardware, const void *first, size_t first_count, const void *second, size_t second_count,
    unsigned char digest[32]);

#endif
