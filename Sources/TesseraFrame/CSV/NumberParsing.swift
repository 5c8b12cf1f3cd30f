// Parsing numbers and booleans straight from CSV bytes.
//
// Integers accept an optional sign and up to the 64-bit limits. Floats take a fast path that is
// exact by Clinger's argument: a mantissa of at most 19 digits that fits in 53 bits, scaled by a
// power of ten up to 10^22 (itself exact in a double), needs one correctly rounded IEEE multiply
// or divide of two exact operands, so the result is the correctly rounded value. Everything else
// (long mantissas, large exponents) goes to the C library's strtod on a NUL-terminated copy,
// which glibc implements with correct rounding. The syntax is validated here either way, so
// strtod's extras (hex floats, leading spaces) are never accepted.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Parses `[+-]digits` into an Int64; nil on anything else or overflow.
/// `p` must have 8 readable bytes from the first digit on (the reader's blocks are padded).
@inline(__always)
func parseInt64(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
    guard n > 0 else { return nil }
    let c0 = p[0]
    // '+' (43) and '-' (45) differ only in bit 1: one test, no branch on the sign.
    var i = (c0 &- 43) & 0xFD == 0 ? 1 : 0
    let digits = n &- i
    if UInt(bitPattern: digits &- 1) < 4 {
        // Up to four digits (most counts, times and codes), the same in one 32-bit word with
        // two multiplies.
        let pad = UInt32(truncatingIfNeeded: (4 &- digits) &* 8)
        var x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self) &<< pad
        x |= 0x3030_3030 & ~(~0 &<< pad)
        guard (x & 0xF0F0_F0F0) | (((x &+ 0x0606_0606) & 0xF0F0_F0F0) >> 4) == 0x3333_3333 else { return nil }
        var v = x & 0x0F0F_0F0F
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF) &* 6_553_601) >> 16
        let value = Int64(v)
        return c0 == 45 ? 0 &- value : value
    }
    if UInt(bitPattern: digits &- 1) < 8 {
        // Branch-free for the common short integers: one unaligned load (callers guarantee 8
        // readable bytes at any field start), a validity test and three multiplies — no loop
        // whose exit mispredicts with every change of length. The digits move to the top bytes
        // and the bottom ones fill with ASCII '0' (masking shifts: `pad` is 0...56).
        let pad = UInt64(truncatingIfNeeded: (8 &- digits) &* 8)
        var x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) &<< pad
        x |= 0x3030_3030_3030_3030 & ~(~0 &<< pad)
        guard (x & 0xF0F0_F0F0_F0F0_F0F0) | (((x &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4) == 0x3333_3333_3333_3333 else {
            return nil
        }
        var v = x & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
        let value = Int64(bitPattern: v)
        return c0 == 45 ? 0 &- value : value
    }
    guard digits > 0 else { return nil }
    let neg = c0 == 45
    if n - i <= 18 {
        // Up to 18 digits cannot overflow: no checks in the loop.
        var v: Int64 = 0
        while i < n {
            let d = Int64(p[i]) &- 48
            guard d >= 0 && d < 10 else { return nil }
            v = v &* 10 &+ d
            i += 1
        }
        return neg ? -v : v
    }
    guard n - i <= 19 || isLongIntCandidate(p + i, n - i) else { return nil }
    var v: UInt64 = 0
    while i < n {
        let d = UInt64(p[i]) &- 48
        guard d < 10 else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { return nil }
        v = s
        i += 1
    }
    if neg {
        if v > UInt64(Int64.max) + 1 { return nil }
        return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
    }
    return v > UInt64(Int64.max) ? nil : Int64(v)
}

/// More than 19 characters can still be an Int64 when they start with zeros.
@inline(never)
func isLongIntCandidate(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var z = 0
    while z < n && p[z] == 48 { z += 1 }
    return n - z <= 19
}

/// Parses `true`/`false` in the spellings pandas accepts: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`.
@inline(__always)
func parseBool(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
    if n == 4 {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)
        // "true", "True", "TRUE" as little-endian words.
        if w == 0x6575_7274 || w == 0x6575_7254 || w == 0x4555_5254 { return true }
    } else if n == 5 {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)
        // "fals" + "e", "Fals" + "e", "FALS" + "E".
        if (w == 0x736C_6166 || w == 0x736C_6146) && p[4] == 101 { return false }
        if w == 0x534C_4146 && p[4] == 69 { return false }
    }
    return nil
}

/// Parses a decimal float (`[+-]digits[.digits][e[+-]digits]`, `.5`, `5.`), or `inf`,
/// `infinity`, `nan` in any case with an optional sign; correctly rounded. nil otherwise.
/// With `rejectingWideIntegers`, an integer too wide for Int64 (`18446744073709551615`) is not a
/// float either: inference keeps such a column as text, exactly, as pandas keeps it as objects
/// (an explicit float64 dtype still parses it).
@inline(__always)
/// With `allowingNaN` false, no spelling of NaN parses: the reader leaves NaN spellings to the
/// missing-value markers, and one that isn't a marker (`NAN`, `+nan`) is text, as in pandas.
func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int, rejectingWideIntegers: Bool = false, allowingNaN: Bool = true) -> Double? {
    guard n > 0 else { return nil }
    var i = 0
    var neg = false
    if p[0] == 45 { neg = true; i = 1 } else if p[0] == 43 { i = 1 }
    guard i < n else { return nil }
    var mant: UInt64 = 0
    var digits = 0
    var exp10 = 0
    var truncated = false
    var sawDigit = false
    while i < n {
        let d = UInt64(p[i]) &- 48
        guard d < 10 else { break }
        sawDigit = true
        if digits < 19 {
            mant = mant &* 10 &+ d
            if mant != 0 { digits += 1 }
        } else {
            exp10 += 1
            if d != 0 { truncated = true }
        }
        i += 1
    }
    if i < n && p[i] == 46 {
        i += 1
        while i < n {
            let d = UInt64(p[i]) &- 48
            guard d < 10 else { break }
            sawDigit = true
            if digits < 19 {
                mant = mant &* 10 &+ d
                exp10 -= 1
                if mant != 0 { digits += 1 }
            } else if d != 0 {
                truncated = true
            }
            i += 1
        }
    }
    if !sawDigit { return parseSpecialDouble(p, n, neg: neg, at: i, allowingNaN: allowingNaN) }
    if i < n && (p[i] | 0x20) == 101 {
        i += 1
        var eneg = false
        if i < n && (p[i] == 45 || p[i] == 43) { eneg = p[i] == 45; i += 1 }
        guard i < n else { return nil }
        var e = 0
        while i < n {
            let d = Int(p[i]) &- 48
            guard d >= 0 && d < 10 else { return nil }
            if e < 100_000 { e = e * 10 + d }
            i += 1
        }
        exp10 += eneg ? -e : e
    }
    guard i == n else { return nil }
    if mant == 0 { return neg ? -0.0 : 0.0 }
    if !truncated && mant <= 1 << 53 && exp10 >= -22 && exp10 <= 22 {
        let m = Double(mant)
        let v = exp10 < 0 ? m / exactPowersOfTen[-exp10] : m * exactPowersOfTen[exp10]
        return neg ? -v : v
    }
    // Every integer beyond Int64 is above 2^53 or longer than 19 digits, so it reaches this slow
    // path (as do integers between 2^53 and Int64.max, which stay floats in a float column).
    if rejectingWideIntegers && isIntegerToken(p, n) && parseInt64(p, n) == nil { return nil }
    return strtodCopy(p, n)
}

/// Whether the bytes are `[+-]digits` and nothing else.
@inline(never)
func isIntegerToken(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = n > 0 && (p[0] == 43 || p[0] == 45) ? 1 : 0
    guard i < n else { return false }
    while i < n {
        guard p[i] >= 48 && p[i] <= 57 else { return false }
        i += 1
    }
    return true
}

/// The slow, exact path: glibc's correctly rounded strtod on a NUL-terminated copy.
@inline(never)
func strtodCopy(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
        for j in 0..<n { buf[j] = CChar(bitPattern: p[j]) }
        buf[n] = 0
        return strtod(buf.baseAddress!, nil)
    }
}

@inline(never)
func parseSpecialDouble(_ p: UnsafePointer<UInt8>, _ n: Int, neg: Bool, at start: Int, allowingNaN: Bool = true) -> Double? {
    let rest = n - start
    func matches(_ word: StaticString) -> Bool {
        guard rest == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for j in 0..<rest where (p[start + j] | 0x20) != w[j] { return false }
        return true
    }
    if matches("inf") || matches("infinity") { return neg ? -.infinity : .infinity }
    if allowingNaN && matches("nan") { return .nan }
    return nil
}

/// The narrowest type that parses `value` (not a missing marker): bool, int64, float64 or string.
/// Spaces and tabs around the value are ignored (` 1 ` is an int64), as `parseTrimmed` does.
@inline(never)
func classify(_ p0: UnsafePointer<UInt8>, _ n0: Int) -> DataType {
    let (s, e) = trimmedRange(p0, n0)
    if e == s { return .string }
    let p = p0 + s, n = e - s
    if parseBool(p, n) != nil { return .bool }
    if parseInt64(p, n) != nil { return .int64 }
    if parseDouble(p, n, rejectingWideIntegers: true, allowingNaN: false) != nil { return .float64 }
    return .string
}

/// Joins the type inferred so far with a value's type. Unlike `DataType.unified`, booleans and
/// numbers give string here: "True" and "5" in one column is text, as in pandas.
@inline(__always)
func inferenceJoin(_ a: DataType, _ b: DataType) -> DataType {
    if a == b { return a }
    switch (a, b) {
    case (.int64, .float64), (.float64, .int64): return .float64
    default: return .string
    }
}
