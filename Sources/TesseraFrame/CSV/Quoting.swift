// RFC 4180 quoting, decided on bytes: a Swift `Character` can hide a delimiter, quote, CR or LF
// ("\r\n" is one Character, and so is "," followed by a combining accent), so a check over
// Characters lets such fields out unquoted.

/// `field` quoted for CSV when one of its UTF-8 bytes is the delimiter, the quote, CR or LF
/// (RFC 4180, quotes inside doubled), as is otherwise.
/// - Complexity: O(bytes of `field`).
public func csvQuote(_ field: String, delimiter: Character = ",", quote: Character = "\"") -> String {
    let d = delimiter.asciiValue ?? 44, q = quote.asciiValue ?? 34
    var out: [UInt8] = []
    var f = field
    f.withUTF8 { appendCSVField($0, to: &out, delimiter: d, quote: q) }
    return String(decoding: out, as: UTF8.self)
}

/// Whether a field of these bytes must be quoted: it holds the delimiter, the quote, CR or LF.
@inline(__always)
func csvNeedsQuote(_ b: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = 44, quote: UInt8 = 34) -> Bool {
    b.contains { $0 == delimiter || $0 == quote || $0 == 10 || $0 == 13 }
}

/// Appends a field's bytes to `out`, quoted when `csvNeedsQuote` says so; the bytes are copied
/// exactly (text that isn't UTF-8, kept with `InvalidUTF8.keepBytes`, goes out as it came in).
/// With `quoteBlank`, a non-empty field of only spaces and tabs is quoted too.
func appendCSVField(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], delimiter: UInt8 = 44, quote: UInt8 = 34,
                    quoteBlank: Bool = false) {
    let blank = quoteBlank && !b.isEmpty && b.allSatisfy { $0 == 32 || $0 == 9 }
    guard blank || csvNeedsQuote(b, delimiter: delimiter, quote: quote) else {
        out.append(contentsOf: b)
        return
    }
    out.append(quote)
    for c in b {
        if c == quote { out.append(quote) }
        out.append(c)
    }
    out.append(quote)
}
