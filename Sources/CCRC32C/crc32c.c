#include "cliniclog_crc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <pthread.h>
#endif

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>

int cliniclog_crc32c_hardware_available(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return (ecx & bit_SSE4_2) != 0;
}

/*
 * Three independent CRC32 instruction streams over three adjacent blocks of a long input, combined by applying the
 * CRC of the block lengths' zeros (Mark Adler's method, crc32c.c in his answer on Stack Overflow 17645167): the
 * instruction has a latency of three cycles and a throughput of one, so three streams run about three times as fast
 * as one. The register is linear: crc(A || B) = zeros(crc(A), |B|) XOR crc(B) with B's started at 0.
 */
#define CLINICLOG_CRC32C_POLY 0x82f63b78u
#define CLINICLOG_CRC32C_LONG 8192
#define CLINICLOG_CRC32C_SHORT 256

static uint32_t cliniclog_crc32c_long_zeros[4][256];
static uint32_t cliniclog_crc32c_short_zeros[4][256];
static pthread_once_t cliniclog_crc32c_zeros_once = PTHREAD_ONCE_INIT;

static uint32_t cliniclog_gf2_matrix_times(const uint32_t *matrix, uint32_t vector) {
    uint32_t sum = 0;
    while (vector) {
        if (vector & 1) {
            sum ^= *matrix;
        }
        vector >>= 1;
        matrix++;
    }
    return sum;
}

static void cliniclog_gf2_matrix_square(uint32_t *square, const uint32_t *matrix) {
    for (int row = 0; row < 32; row++) {
        square[row] = cliniclog_gf2_matrix_times(matrix, matrix[row]);
    }
}

/* The operator that runs `count` zero bytes (a power of two) through a CRC-32C register. */
static void cliniclog_crc32c_zeros_operator(uint32_t *even, size_t count) {
    uint32_t odd[32];
    odd[0] = CLINICLOG_CRC32C_POLY; /* one zero bit */
    uint32_t row = 1;
    for (int bit = 1; bit < 32; bit++) {
        odd[bit] = row;
        row <<= 1;
    }
    cliniclog_gf2_matrix_square(even, odd); /* two zero bits */
    cliniclog_gf2_matrix_square(odd, even); /* four zero bits */
    do {
        cliniclog_gf2_matrix_square(even, odd); /* eight zero bits (one byte), then 4, 16 ... bytes */
        count >>= 1;
        if (count == 0) {
            return;
        }
        cliniclog_gf2_matrix_square(odd, even);
        count >>= 1;
    } while (count);
    for (int bit = 0; bit < 32; bit++) {
        even[bit] = odd[bit];
    }
}

/* Tables applying the zeros operator of `count` bytes one byte of the register at a time. */
static void cliniclog_crc32c_zeros_tables(uint32_t zeros[][256], size_t count) {
    uint32_t operator[32];
    cliniclog_crc32c_zeros_operator(operator, count);
    for (uint32_t byte = 0; byte < 256; byte++) {
        zeros[0][byte] = cliniclog_gf2_matrix_times(operator, byte);
        zeros[1][byte] = cliniclog_gf2_matrix_times(operator, byte << 8);
        zeros[2][byte] = cliniclog_gf2_matrix_times(operator, byte << 16);
        zeros[3][byte] = cliniclog_gf2_matrix_times(operator, byte << 24);
    }
}

static void cliniclog_crc32c_make_zeros_tables(void) {
    cliniclog_crc32c_zeros_tables(cliniclog_crc32c_long_zeros, CLINICLOG_CRC32C_LONG);
    cliniclog_crc32c_zeros_tables(cliniclog_crc32c_short_zeros, CLINICLOG_CRC32C_SHORT);
}

static inline uint32_t cliniclog_crc32c_shift(uint32_t zeros[][256], uint32_t crc) {
    return zeros[0][crc & 0xff] ^ zeros[1][(crc >> 8) & 0xff] ^ zeros[2][(crc >> 16) & 0xff] ^ zeros[3][crc >> 24];
}

static inline uint64_t cliniclog_load64(const unsigned char *bytes) {
    uint64_t word;
    memcpy(&word, bytes, sizeof word);
    return word;
}

__attribute__((target("sse4.2")))
static const unsigned char *cliniclog_crc32c_three_streams(
    uint64_t *crc, const unsigned char *next, size_t *count, size_t block, uint32_t zeros[][256]) {
    uint64_t crc0 = *crc;
    while (*count >= 3 * block) {
        uint64_t crc1 = 0;
        uint64_t crc2 = 0;
        const unsigned char *end = next + block;
        do {
            crc0 = _mm_crc32_u64(crc0, cliniclog_load64(next));
            crc1 = _mm_crc32_u64(crc1, cliniclog_load64(next + block));
            crc2 = _mm_crc32_u64(crc2, cliniclog_load64(next + 2 * block));
            next += 8;
        } while (next < end);
        crc0 = cliniclog_crc32c_shift(zeros, (uint32_t)crc0) ^ (uint32_t)crc1;
        crc0 = cliniclog_crc32c_shift(zeros, (uint32_t)crc0) ^ (uint32_t)crc2;
        next += 2 * block;
        *count -= 3 * block;
    }
    *crc = crc0;
    return next;
}

__attribute__((target("sse4.2")))
uint32_t cliniclog_crc32c_hardware(uint32_t state, const void *bytes, size_t count) {
    const unsigned char *next = (const unsigned char *)bytes;
    uint64_t wide = state;
    if (count >= 3 * CLINICLOG_CRC32C_SHORT) {
        pthread_once(&cliniclog_crc32c_zeros_once, cliniclog_crc32c_make_zeros_tables);
        next = cliniclog_crc32c_three_streams(
            &wide, next, &count, CLINICLOG_CRC32C_LONG, cliniclog_crc32c_long_zeros);
        next = cliniclog_crc32c_three_streams(
            &wide, next, &count, CLINICLOG_CRC32C_SHORT, cliniclog_crc32c_short_zeros);
    }
    while (count >= 8) {
        wide = _mm_crc32_u64(wide, cliniclog_load64(next));
        next += 8;
        count -= 8;
    }
    uint32_t narrow = (uint32_t)wide;
    while (count > 0) {
        narrow = _mm_crc32_u8(narrow, *next);
        next += 1;
        count -= 1;
    }
    return narrow;
}

#else

int cliniclog_crc32c_hardware_available(void) { return 0; }

uint32_t cliniclog_crc32c_hardware(uint32_t state, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return state;
}

#endif
