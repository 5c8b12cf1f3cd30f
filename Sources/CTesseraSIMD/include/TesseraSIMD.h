// Byte classification for the CSV tokenizer, 64 bytes at a time.
//
// Why C: the tokenizer's fast path needs, for each 64 bytes, one bit per byte saying "this is a
// delimiter or newline". SSE2's compare + movemask gives that in five instructions per 16 bytes;
// Swift's SIMD types compare just as well but have no movemask, and the portable replacements
// (per-lane loops, multiply-gather of 0x80 bits) cost four to eight times as many instructions.
// Everything else of the reader stays in Swift; these functions are `static inline`, so they are
// compiled into, and inlined in, the Swift code that calls them.

#ifndef TESSERA_SIMD_H
#define TESSERA_SIMD_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The classes of 64 bytes: bit i of each mask describes `p[i]`.
typedef struct {
    /// Delimiters and line feeds: the bytes that end an unquoted field.
    uint64_t separators;
    /// Line feeds.
    uint64_t newlines;
    /// Quote bytes and carriage returns: the bytes the fast path leaves to the full tokenizer.
    uint64_t stops;
} tessera_byte_classes;

/// Classifies `p[0..<64]` (all 64 bytes must be readable).
static inline tessera_byte_classes tessera_classify64(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    tessera_byte_classes out = {0, 0, 0};
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter);
    const __m128i q = _mm_set1_epi8((char)quote);
    const __m128i lf = _mm_set1_epi8(10);
    const __m128i cr = _mm_set1_epi8(13);
    for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        const __m128i isLF = _mm_cmpeq_epi8(v, lf);
        const uint64_t sep = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, d), isLF));
        const uint64_t nl = (uint32_t)_mm_movemask_epi8(isLF);
        const uint64_t stop = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, cr)));
        out.separators |= sep << (16 * k);
        out.newlines |= nl << (16 * k);
        out.stops |= stop << (16 * k);
    }
#else
    for (int i = 0; i < 64; i++) {
        const uint8_t c = p[i];
        const uint64_t bit = (uint64_t)1 << i;
        if (c == delimiter || c == 10) out.separators |= bit;
        if (c == 10) out.newlines |= bit;
        if (c == quote || c == 13) out.stops |= bit;
    }
#endif
    return out;
}

/// Counts the bytes equal to `a` and to `b` in `p[0..<n]`.
/// Sixteen bytes at a time: each compare's -1 lanes are subtracted into byte counters, which are
/// summed (psadbw) every 255 steps, before any of them can overflow.
static inline void tessera_count2(const uint8_t *p, long n, uint8_t a, uint8_t b, long *countA, long *countB) {
    long ca = 0, cb = 0, i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i accA = zero, accB = zero;
        long stop = i + 255 * 16;
        if (stop > n - 15) stop = n - 15;
        for (; i < stop; i += 16) {
            const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            accA = _mm_sub_epi8(accA, _mm_cmpeq_epi8(v, va));
            accB = _mm_sub_epi8(accB, _mm_cmpeq_epi8(v, vb));
        }
        const __m128i sa = _mm_sad_epu8(accA, zero), sb = _mm_sad_epu8(accB, zero);
        ca += _mm_cvtsi128_si64(sa) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sa, sa));
        cb += _mm_cvtsi128_si64(sb) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sb, sb));
    }
#endif
    for (; i < n; i++) {
        ca += p[i] == a;
        cb += p[i] == b;
    }
    *countA = ca;
    *countB = cb;
}

/// Asks the CPU to start loading the cache line at `p` (a hint: no fault, no effect on results).
/// Interning a million distinct strings waits on a cache miss per lookup; asking for the table
/// slot of a string a few rows ahead overlaps those waits. Swift has no prefetch of its own.
static inline void tessera_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
