/*
 * PBKDF2-HMAC-SHA256 (RFC 8018) on the x86 SHA extensions, for Qraft's password hashing.
 *
 * OpenSSL spends most of each iteration outside SHA-256 itself: copying HMAC contexts, buffering and padding the
 * 32-byte message, converting the digest to bytes and back. Here each iteration is exactly two compressions: the
 * HMAC key's inner and outer pad states are computed once per derived block, and the message of every iteration
 * after the first is the previous digest followed by fixed padding, so it stays in registers as 32-bit words and is
 * never serialised. The state stays in the SHA-NI register layout (ABEF, CDGH) across iterations.
 *
 * Built by Qraft.Functions.csproj with -msha -msse4.1; callers must check qraft_pbkdf2_sha256_supported() first,
 * since everything but that function executes SHA and SSE4.1 instructions. Links nothing beyond libc.
 */
#include <cpuid.h>
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define QRAFT_EXPORT __attribute__((visibility("default")))

enum { BLOCK_BYTES = 64, DIGEST_BYTES = 32 };

static const uint32_t ROUND_CONSTANTS[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t INITIAL_STATE[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* The SHA-NI register layout of a state: lanes 3..0 hold A B E F and C D G H. */
typedef struct {
    __m128i abef;
    __m128i cdgh;
} sha_state;

/* A state as the eight words A..H in lane order, which is also the message layout of a digest. */
typedef struct {
    __m128i abcd;
    __m128i efgh;
} sha_words;

typedef struct {
    sha_state state;
    uint8_t pending[BLOCK_BYTES];
    size_t pending_bytes;
    uint64_t total_bytes;
} sha_stream;

static inline __m128i big_endian_words(__m128i bytes) {
    const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(bytes, swap);
}

static inline sha_state state_from_words(sha_words w) {
    const __m128i badc = _mm_shuffle_epi32(w.abcd, 0xB1);
    const __m128i hgfe = _mm_shuffle_epi32(w.efgh, 0x1B);
    return (sha_state){_mm_alignr_epi8(badc, hgfe, 8), _mm_blend_epi16(hgfe, badc, 0xF0)};
}

static inline sha_words words_from_state(sha_state s) {
    const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    return (sha_words){_mm_blend_epi16(feba, dchg, 0xF0), _mm_alignr_epi8(dchg, feba, 8)};
}

static inline void four_rounds(sha_state *s, __m128i message, int quad) {
    const __m128i wk = _mm_add_epi32(message, _mm_load_si128((const __m128i *)&ROUND_CONSTANTS[4 * quad]));
    s->cdgh = _mm_sha256rnds2_epu32(s->cdgh, s->abef, wk);
    s->abef = _mm_sha256rnds2_epu32(s->abef, s->cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

/* Message words 4 apart from the sixteen before them: w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16]. */
static inline __m128i next_words(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
    const __m128i sum = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(sum, w3);
}

/* One SHA-256 compression of the block whose big-endian words are w0..w3. Inlined where w2 and w3 are constant,
   the compiler folds their round-constant additions. */
static inline __attribute__((always_inline)) sha_state compress(sha_state s, __m128i w0, __m128i w1, __m128i w2, __m128i w3) {
    const sha_state before = s;
    four_rounds(&s, w0, 0);
    four_rounds(&s, w1, 1);
    four_rounds(&s, w2, 2);
    four_rounds(&s, w3, 3);
#pragma GCC unroll 12
    for (int quad = 4; quad < 16; quad++) {
        const __m128i w4 = next_words(w0, w1, w2, w3);
        four_rounds(&s, w4, quad);
        w0 = w1;
        w1 = w2;
        w2 = w3;
        w3 = w4;
    }
    return (sha_state){_mm_add_epi32(s.abef, before.abef), _mm_add_epi32(s.cdgh, before.cdgh)};
}

static sha_state compress_bytes(sha_state s, const uint8_t block[BLOCK_BYTES]) {
    const __m128i *words = (const __m128i *)block;
    return compress(s,
                    big_endian_words(_mm_loadu_si128(words)), big_endian_words(_mm_loadu_si128(words + 1)),
                    big_endian_words(_mm_loadu_si128(words + 2)), big_endian_words(_mm_loadu_si128(words + 3)));
}

/* Compresses the block after an HMAC pad state: a 32-byte digest, 0x80, zeros, and the bit length 64 + 32 bytes. */
static inline __attribute__((always_inline)) sha_state compress_digest_block(sha_state s, sha_words digest) {
    const __m128i padding = _mm_set_epi32(0, 0, 0, (int)0x80000000);
    const __m128i length = _mm_set_epi32((BLOCK_BYTES + DIGEST_BYTES) * 8, 0, 0, 0);
    return compress(s, digest.abcd, digest.efgh, padding, length);
}

/* Overwrites secrets so no copy of the key outlives the call; the barrier keeps the compiler from dropping it. */
static void wipe(void *secret, size_t bytes) {
    memset(secret, 0, bytes);
    __asm__ __volatile__("" : : "r"(secret) : "memory");
}

static void stream_start(sha_stream *stream, sha_state state, uint64_t bytes_already_hashed) {
    stream->state = state;
    stream->pending_bytes = 0;
    stream->total_bytes = bytes_already_hashed;
}

static void stream_add(sha_stream *stream, const uint8_t *data, size_t bytes) {
    if (bytes == 0) {
        return; /* data may then be NULL, which memcpy must not see */
    }
    stream->total_bytes += bytes;
    if (stream->pending_bytes > 0) {
        const size_t taken = bytes < BLOCK_BYTES - stream->pending_bytes ? bytes : BLOCK_BYTES - stream->pending_bytes;
        memcpy(stream->pending + stream->pending_bytes, data, taken);
        stream->pending_bytes += taken;
        data += taken;
        bytes -= taken;
        if (stream->pending_bytes < BLOCK_BYTES) {
            return;
        }
        stream->state = compress_bytes(stream->state, stream->pending);
        stream->pending_bytes = 0;
    }
    for (; bytes >= BLOCK_BYTES; data += BLOCK_BYTES, bytes -= BLOCK_BYTES) {
        stream->state = compress_bytes(stream->state, data);
    }
    memcpy(stream->pending, data, bytes);
    stream->pending_bytes = bytes;
}

static sha_words stream_finish(sha_stream *stream) {
    const uint64_t bits = stream->total_bytes * 8;
    uint8_t *pending = stream->pending;
    pending[stream->pending_bytes++] = 0x80;
    if (stream->pending_bytes > BLOCK_BYTES - 8) {
        memset(pending + stream->pending_bytes, 0, BLOCK_BYTES - stream->pending_bytes);
        stream->state = compress_bytes(stream->state, pending);
        stream->pending_bytes = 0;
    }
    memset(pending + stream->pending_bytes, 0, BLOCK_BYTES - 8 - stream->pending_bytes);
    for (int i = 0; i < 8; i++) {
        pending[BLOCK_BYTES - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    stream->state = compress_bytes(stream->state, pending);
    return words_from_state(stream->state);
}

static void store_digest(uint8_t *out, size_t bytes, sha_words digest) {
    uint8_t full[DIGEST_BYTES];
    _mm_storeu_si128((__m128i *)full, big_endian_words(digest.abcd));
    _mm_storeu_si128((__m128i *)(full + 16), big_endian_words(digest.efgh));
    memcpy(out, full, bytes);
    wipe(full, sizeof full);
}

/* The state after one block of the key XOR-ed with pad (0x36 inner, 0x5c outer). */
static sha_state pad_state(const uint8_t key[BLOCK_BYTES], uint8_t pad) {
    uint8_t block[BLOCK_BYTES];
    for (int i = 0; i < BLOCK_BYTES; i++) {
        block[i] = key[i] ^ pad;
    }
    const sha_state state = compress_bytes(state_from_words((sha_words){_mm_loadu_si128((const __m128i *)INITIAL_STATE),
                                                                        _mm_loadu_si128((const __m128i *)(INITIAL_STATE + 4))}),
                                           block);
    wipe(block, sizeof block);
    return state;
}

QRAFT_EXPORT int qraft_pbkdf2_sha256_supported(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int ssse3_and_sse41 = (ecx & bit_SSSE3) && (ecx & bit_SSE4_1);
    if (!ssse3_and_sse41 || __get_cpuid_max(0, NULL) < 7) {
        return 0;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & bit_SHA) != 0;
}

/*
 * Writes out_bytes of PBKDF2-HMAC-SHA256(password, salt, iterations) to out. The caller guarantees iterations >= 1
 * and out_bytes <= 32 * (2^32 - 1), RFC 8018's limit; the managed wrapper checks both.
 */
QRAFT_EXPORT void qraft_pbkdf2_sha256(const uint8_t *password, size_t password_bytes, const uint8_t *salt,
                                      size_t salt_bytes, uint32_t iterations, uint8_t *out, size_t out_bytes) {
    /* HMAC's key: the password, or its digest when longer than a block, zero-padded to a block. */
    uint8_t key[BLOCK_BYTES] = {0};
    const sha_state initial = state_from_words(
        (sha_words){_mm_loadu_si128((const __m128i *)INITIAL_STATE), _mm_loadu_si128((const __m128i *)(INITIAL_STATE + 4))});
    sha_stream stream;
    if (password_bytes > BLOCK_BYTES) {
        stream_start(&stream, initial, 0);
        stream_add(&stream, password, password_bytes);
        store_digest(key, DIGEST_BYTES, stream_finish(&stream));
    } else if (password_bytes > 0) {
        memcpy(key, password, password_bytes);
    }
    const sha_state inner = pad_state(key, 0x36);
    const sha_state outer = pad_state(key, 0x5c);
    wipe(key, sizeof key);

    for (uint32_t block = 1; out_bytes > 0; block++) {
        /* U1 = HMAC(key, salt || INT(block)); then U(j+1) = HMAC(key, U(j)), and the block is their XOR. */
        const uint8_t index[4] = {(uint8_t)(block >> 24), (uint8_t)(block >> 16), (uint8_t)(block >> 8), (uint8_t)block};
        stream_start(&stream, inner, BLOCK_BYTES);
        stream_add(&stream, salt, salt_bytes);
        stream_add(&stream, index, sizeof index);
        sha_state u = compress_digest_block(outer, stream_finish(&stream));
        sha_state sum = u;
        for (uint32_t j = 1; j < iterations; j++) {
            u = compress_digest_block(outer, words_from_state(compress_digest_block(inner, words_from_state(u))));
            sum.abef = _mm_xor_si128(sum.abef, u.abef);
            sum.cdgh = _mm_xor_si128(sum.cdgh, u.cdgh);
        }

        const size_t bytes = out_bytes < DIGEST_BYTES ? out_bytes : DIGEST_BYTES;
        store_digest(out, bytes, words_from_state(sum));
        out += bytes;
        out_bytes -= bytes;
    }
    wipe(&stream, sizeof stream);
}
