#ifndef CLINICLOG_CRC32C_H
#define CLINICLOG_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the CRC32 instruction (x86-64 SSE4.2); 0 elsewhere.
int cliniclog_crc32c_hardware_available(void);

/// Runs the CRC-32C register `state` (not inverted) over `count` bytes with the CRC32 instruction.
/// Only call when cliniclog_crc32c_hardware_available() returned 1.
uint32_t cliniclog_crc32c_hardware(uint32_t state, const void *bytes, size_t count);

#endif
