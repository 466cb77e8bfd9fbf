#include "cliniclog_sha256.h"

#include <string.h>

/*
 * SHA-256 as FIPS 180-4 defines it (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2): 64-byte blocks, the message padded
 * with a 1 bit, zeros and its length in bits as a 64-bit big-endian number, eight 32-bit working variables and 64
 * rounds per block. The two implementations of the rounds below process whole blocks; the padding and the split of
 * the input into blocks are shared.
 */

/* The round constants K0 ... K63 (section 4.2.2). */
static const uint32_t cliniclog_sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* The initial hash value H(0) (section 5.3.3). */
static const uint32_t cliniclog_sha256_initial[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static inline uint32_t cliniclog_rotate_right(uint32_t word, int count) {
    return (word >> count) | (word << (32 - count));
}

static inline uint32_t cliniclog_load_big_endian32(const unsigned char *bytes) {
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) | (uint32_t)bytes[3];
}

/* The portable rounds: section 6.2.2, steps 1 to 4, for each of `count` blocks. */
static void cliniclog_sha256_blocks_portable(uint32_t state[8], const unsigned char *blocks, size_t count) {
    uint32_t schedule[64];
    for (size_t block = 0; block < count; block++) {
        const unsigned char *bytes = blocks + 64 * block;
        for (int t = 0; t < 16; t++) {
            schedule[t] = cliniclog_load_big_endian32(bytes + 4 * t);
        }
        for (int t = 16; t < 64; t++) {
            uint32_t w2 = schedule[t - 2];
            uint32_t w15 = schedule[t - 15];
            uint32_t sigma1 = cliniclog_rotate_right(w2, 17) ^ cliniclog_rotate_right(w2, 19) ^ (w2 >> 10);
            uint32_t sigma0 = cliniclog_rotate_right(w15, 7) ^ cliniclog_rotate_right(w15, 18) ^ (w15 >> 3);
            schedule[t] = sigma1 + schedule[t - 7] + sigma0 + schedule[t - 16];
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t sum1 = cliniclog_rotate_right(e, 6) ^ cliniclog_rotate_right(e, 11) ^ cliniclog_rotate_right(e, 25);
            uint32_t choose = (e & f) ^ (~e & g);
            uint32_t t1 = h + sum1 + choose + cliniclog_sha256_k[t] + schedule[t];
            uint32_t sum0 = cliniclog_rotate_right(a, 2) ^ cliniclog_rotate_right(a, 13) ^ cliniclog_rotate_right(a, 22);
            uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = sum0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int cliniclog_sha256_hardware_available(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    if ((ecx & bit_SSSE3) == 0 || (ecx & bit_SSE4_1) == 0) {
        return 0;
    }
    if (__get_cpuid_max(0, NULL) < 7) {
        return 0;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & bit_SHA) != 0;
}

/*
 * The rounds with the SHA extensions. SHA256RNDS2 runs two rounds on the working variables held as two vectors,
 * (A, B, E, F) and (C, D, G, H) from the highest 32-bit lane down, and the two words W + K of those rounds in the low
 * lanes of a third; SHA256MSG1 and SHA256MSG2 compute four words of the message schedule (section 6.2.2, step 1)
 * from the sixteen before them.
 */
__attribute__((target("sha,sse4.1")))
static void cliniclog_sha256_blocks_hardware(uint32_t state[8], const unsigned char *blocks, size_t count) {
    /* Byte order within each 32-bit lane reversed: message words are big-endian. */
    const __m128i byte_swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
    for (size_t block = 0; block < count; block++) {
        const unsigned char *bytes = blocks + 64 * block;
        const __m128i abef_before = abef;
        const __m128i cdgh_before = cdgh;
        /* Each group of four rounds, g = 0 ... 15, adds K(4g) ... K(4g+3) to the four schedule words W(4g) ... W(4g+3)
         * (lowest lane first) and runs them as two double rounds. Two rounds make the old (A, B, E, F) the new
         * (C, D, G, H), so each call writes the vector that held it. */
#define CLINICLOG_SHA256_ROUNDS(words, group)                                                                     \
    do {                                                                                                          \
        __m128i with_constants =                                                                                  \
            _mm_add_epi32(words, _mm_loadu_si128((const __m128i *)&cliniclog_sha256_k[4 * (group)]));            \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, with_constants);                                                 \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(with_constants, 0x0e));                      \
    } while (0)
        /* W(t) = s1(W(t-2)) + W(t-7) + s0(W(t-15)) + W(t-16) for four t at once: `oldest` holds W(t-16) ...,
         * then `older`, `old` and `newest` the twelve words after them; the result replaces `oldest`. */
#define CLINICLOG_SHA256_SCHEDULE(oldest, older, old, newest)                                                     \
    do {                                                                                                          \
        __m128i partial = _mm_sha256msg1_epu32(oldest, older);                                                    \
        partial = _mm_add_epi32(partial, _mm_alignr_epi8(newest, old, 4));                                        \
        oldest = _mm_sha256msg2_epu32(partial, newest);                                                           \
    } while (0)
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(bytes + 0)), byte_swap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(bytes + 16)), byte_swap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(bytes + 32)), byte_swap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(bytes + 48)), byte_swap);
        CLINICLOG_SHA256_ROUNDS(w0, 0);
        CLINICLOG_SHA256_ROUNDS(w1, 1);
        CLINICLOG_SHA256_ROUNDS(w2, 2);
        CLINICLOG_SHA256_ROUNDS(w3, 3);
        for (int group = 4; group < 16; group += 4) {
            CLINICLOG_SHA256_SCHEDULE(w0, w1, w2, w3);
            CLINICLOG_SHA256_ROUNDS(w0, group);
            CLINICLOG_SHA256_SCHEDULE(w1, w2, w3, w0);
            CLINICLOG_SHA256_ROUNDS(w1, group + 1);
            CLINICLOG_SHA256_SCHEDULE(w2, w3, w0, w1);
            CLINICLOG_SHA256_ROUNDS(w2, group + 2);
            CLINICLOG_SHA256_SCHEDULE(w3, w0, w1, w2);
            CLINICLOG_SHA256_ROUNDS(w3, group + 3);
        }
#undef CLINICLOG_SHA256_ROUNDS
#undef CLINICLOG_SHA256_SCHEDULE
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xf0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

#else

int cliniclog_sha256_hardware_available(void) { return 0; }

static void cliniclog_sha256_blocks_hardware(uint32_t state[8], const unsigned char *blocks, size_t count) {
    cliniclog_sha256_blocks_portable(state, blocks, count);
}

#endif

static inline void cliniclog_sha256_blocks(
    int use_hardware, uint32_t state[8], const unsigned char *blocks, size_t count) {
    if (use_hardware) {
        cliniclog_sha256_blocks_hardware(state, blocks, count);
    } else {
        cliniclog_sha256_blocks_portable(state, blocks, count);
    }
}

void cliniclog_sha256_concatenation(
    int use_hardware, const void *first, size_t first_count, const void *second, size_t second_count,
    unsigned char digest[32]) {
    uint32_t state[8];
    memcpy(state, cliniclog_sha256_initial, sizeof state);
    /* The bytes of a block not yet whole: at most 63 from the input, then the padding (section 5.1.1). */
    unsigned char pending[128];
    size_t pending_count = 0;
    const unsigned char *parts[2] = {(const unsigned char *)first, (const unsigned char *)second};
    const size_t counts[2] = {first_count, second_count};
    for (int part = 0; part < 2; part++) {
        const unsigned char *next = parts[part];
        size_t left = counts[part];
        if (left == 0) {
            continue;
        }
        if (pending_count > 0) {
            size_t taken = 64 - pending_count < left ? 64 - pending_count : left;
            memcpy(pending + pending_count, next, taken);
            pending_count += taken;
            next += taken;
            left -= taken;
            if (pending_count < 64) {
                continue;
            }
            cliniclog_sha256_blocks(use_hardware, state, pending, 1);
            pending_count = 0;
        }
        size_t whole = left / 64;
        if (whole > 0) {
            cliniclog_sha256_blocks(use_hardware, state, next, whole);
            next += 64 * whole;
            left -= 64 * whole;
        }
        memcpy(pending, next, left);
        pending_count = left;
    }
    uint64_t bit_count = ((uint64_t)first_count + (uint64_t)second_count) * 8;
    pending[pending_count] = 0x80;
    /* The padded message ends in one block when the 1 bit and the 8-byte length fit after the bytes, else in two. */
    size_t padded_count = pending_count + 1 + 8 <= 64 ? 64 : 128;
    memset(pending + pending_count + 1, 0, padded_count - 8 - (pending_count + 1));
    for (int byte = 0; byte < 8; byte++) {
        pending[padded_count - 1 - byte] = (unsigned char)(bit_count >> (8 * byte));
    }
    cliniclog_sha256_blocks(use_hardware, state, pending, padded_count / 64);
    for (int word = 0; word < 8; word++) {
        digest[4 * word] = (unsigned char)(state[word] >> 24);
        digest[4 * word + 1] = (unsigned char)(state[word] >> 16);
        digest[4 * word + 2] = (unsigned char)(state[word] >> 8);
        digest[4 * word + 3] = (unsigned char)state[word];
    }
}
