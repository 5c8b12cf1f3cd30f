// Phase one of parsing a block: find every field's end, quote-aware, in one pass over the bytes.
//
// The output is one UInt32 per field (row-major): the offset of the byte that ends the field
// (delimiter, CR or LF) in the low 30 bits, and two flags in the top bits — the field was quoted,
// and the field needs unescaping (doubled quotes, or text after the closing quote). A field starts
// one byte after the previous field's end, or at its row's start, so starts needn't be stored.
// Phase two (ColumnBuilder) then converts one column at a time, so it can infer the type from
// every value and restart a column cheaply when a value forces a wider type.

/// Bit set in a field end when the field was quoted.
@usableFromInline let quotedFlag: UInt32 = 1 << 31
/// Bit set in a field end when the field needs unescaping (doubled quotes, trailing text).
@usableFromInline let escapedFlag: UInt32 = 1 << 30
/// Mask of the offset bits of a field end.
@usableFromInline let offsetMask: UInt32 = (1 << 30) - 1
/// The largest block one task parses: offsets must fit in 30 bits.
let maxBlockBytes = 1 << 30

/// A growable buffer of trivial values with unchecked appends, for the tokenizer's hot loop.
struct GrowBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always) mutating func append(_ v: T) {
        if count == capacity { grow() }
        base[count] = v
        count += 1
    }

    @inline(never) mutating func grow() {
        let n = capacity * 2
        let b = UnsafeMutablePointer<T>.allocate(capacity: n)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = n
    }

    func free() { base.deallocate() }
}

/// The tokenized fields of a block.
struct Tokens {
    /// Field ends with flags, `rows × fieldCount`, row-major.
    var ends: GrowBuffer<UInt32>
    /// Offset of each row's first byte.
    var rowStarts: GrowBuffer<UInt32>
    /// Fields per row.
    let fieldCount: Int
    /// Rows kept.
    var rows: Int { rowStarts.count }
    /// Offset just past the last complete row consumed.
    var consumed: Int = 0
    /// Warnings for rows dropped by `onBadLines: .warn`.
    var warnings: [String] = []

    func free() {
        ends.free()
        rowStarts.free()
    }

    /// Start offset, end offset and flags of field `k` of row `r`.
    @inline(__always)
    func field(_ r: Int, _ k: Int) -> (start: Int, end: Int, flags: UInt32) {
        let raw = ends.base[r &* fieldCount &+ k]
        let s = k == 0 ? Int(rowStarts.base[r]) : Int(ends.base[r &* fieldCount &+ k &- 1] & offsetMask) &+ 1
        return (s, Int(raw & offsetMask), raw & (quotedFlag | escapedFlag))
    }
}

/// What the tokenizer needs to know about the block and the file it came from.
struct TokenizerSetup {
    var delimiter: UInt8
    var quote: UInt8
    var fieldCount: Int
    var file: String
    /// Line number (1-based) of the block's first byte.
    var firstLine: Int
    var onBadLines: OnBadLines
    /// When false (sampling a prefix), stop quietly before a row that runs past the end.
    var final: Bool = true
    /// Stop after this many rows.
    var maxRows: Int = .max
}

/// Splits `p[0..<n]` into fields. `p[n]` must be a LF and `p[n + 1]` a quote byte: sentinels that
/// end the unquoted and quoted scans without bounds checks.
///
/// - Throws: `CSVError.raggedRow` and `.unterminatedQuote` naming file, line and column.
/// - Complexity: O(n), one pass.
func tokenize(_ p: UnsafePointer<UInt8>, _ n: Int, _ setup: TokenizerSetup) throws -> Tokens {
    let delim = setup.delimiter, quote = setup.quote, nf = setup.fieldCount
    var special = [Bool](repeating: false, count: 256)
    special[Int(delim)] = true
    special[10] = true
    special[13] = true
    let guessRows = Swift.max(64, n / Swift.max(8, nf * 4))
    var tokens = Tokens(ends: GrowBuffer(capacity: guessRows * nf), rowStarts: GrowBuffer(capacity: guessRows), fieldCount: nf)
    var pos = 0
    var line = setup.firstLine
    try special.withUnsafeBufferPointer { sp in
        let isSpecial = sp.baseAddress!
        rows: while pos < n {
            if tokens.rows >= setup.maxRows { break }
            let rowStart = pos
            let rowLine = line
            let c0 = p[pos]
            if c0 == 10 { pos += 1; line += 1; tokens.consumed = pos; continue }  // blank line
            if c0 == 13 {
                pos += 1
                if p[pos] == 10 && pos < n { pos += 1 }
                line += 1
                tokens.consumed = pos
                continue
            }
            let base = tokens.ends.count
            var col = 0
            while true {
                var flags: UInt32 = 0
                if p[pos] == quote {
                    flags = quotedFlag
                    let openLine = line
                    pos += 1
                    while true {
                        while p[pos] != quote {
                            if p[pos] == 10 { line += 1 }
                            pos += 1
                        }
                        if pos > n {  // hit the sentinel quote: the field never closes
                            if !setup.final { tokens.ends.count = base; return }
                            throw CSVError.unterminatedQuote(file: setup.file, line: openLine, column: col + 1)
                        }
                        pos += 1
                        if p[pos] == quote && pos < n { flags |= escapedFlag; pos += 1; continue }
                        break
                    }
                    // Text after the closing quote joins the field (pandas does the same).
                    while !isSpecial[Int(p[pos])] { flags |= escapedFlag; pos += 1 }
                } else {
                    while !isSpecial[Int(p[pos])] { pos += 1 }
                }
                if pos >= n && !setup.final { tokens.ends.count = base; return }
                if col < nf { tokens.ends.append(UInt32(truncatingIfNeeded: pos) | flags) }
                col += 1
                if p[pos] == delim { pos += 1; continue }
                break
            }
            // p[pos] is CR or LF (possibly the sentinel at n).
            if p[pos] == 13 { pos += 1; if pos < n && p[pos] == 10 { pos += 1 } } else { pos += 1 }
            line += 1
            tokens.consumed = Swift.min(pos, n)
            if col != nf {
                tokens.ends.count = base
                switch setup.onBadLines {
                case .error: throw CSVError.raggedRow(file: setup.file, line: rowLine, expected: nf, found: col)
                case .skip: continue rows
                case .warn:
                    tokens.warnings.append("\(setup.file):\(rowLine): skipping bad line: expected \(nf) fields, saw \(col)")
                    continue rows
                }
            }
            tokens.rowStarts.append(UInt32(truncatingIfNeeded: rowStart))
        }
    }
    return tokens
}

/// The content bytes of a field: quotes stripped and doubled quotes undone (into `scratch` when
/// unescaping is needed).
@inline(__always)
func fieldContent(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ flags: UInt32, quote: UInt8,
                  scratch: inout [UInt8]) -> (UnsafePointer<UInt8>, Int) {
    if flags == 0 { return (p + s, e - s) }
    if flags & escapedFlag == 0 { return (p + s + 1, e - s - 2) }
    return unescape(p, s, e, quote: quote, scratch: &scratch)
}

@inline(never)
func unescape(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, quote: UInt8, scratch: inout [UInt8]) -> (UnsafePointer<UInt8>, Int) {
    scratch.removeAll(keepingCapacity: true)
    var i = s
    var inQuotes = false
    while i < e {
        let c = p[i]
        if c == quote {
            if inQuotes && i + 1 < e && p[i + 1] == quote { scratch.append(quote); i += 2; continue }
            inQuotes.toggle()
            i += 1
            continue
        }
        scratch.append(c)
        i += 1
    }
    scratch.append(0)  // keep a valid pointer for empty content
    return scratch.withUnsafeBufferPointer { (UnsafePointer($0.baseAddress!), $0.count - 1) }
}
