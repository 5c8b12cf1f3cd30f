// Checking that text is UTF-8 without building Strings: the reader's text columns keep bytes, and
// Swift would silently replace invalid sequences by U+FFFD (merging distinct keys) when they
// become Strings.

/// The offset of the first byte of `b` that isn't part of a well-formed UTF-8 sequence (RFC 3629:
/// no overlong forms, no surrogates, nothing above U+10FFFF), nil when all of it is.
/// - Complexity: O(n); ASCII runs go eight bytes at a time.
func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let p = b.baseAddress else { return nil }
    let n = b.count
    var i = 0
    while i < n {
        if i &+ 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i &+= 8
            continue
        }
        let c = p[i]
        if c < 0x80 { i &+= 1; continue }
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return i
        }
        guard i &+ len <= n, p[i + 1] >= lo && p[i + 1] <= hi else { return i }
        for j in 2..<len where p[i + j] & 0xC0 != 0x80 { return i }
        i &+= len
    }
    return nil
}
