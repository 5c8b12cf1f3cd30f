// Phase one of parsing: find every field's end, quote-aware, a batch of rows at a time.
//
// A block is parsed in batches of a few thousand rows: tokenize the batch, then convert each
// column's fields of that batch (ColumnSink), so the batch's bytes and field offsets are still in
// the L2 cache when converted. Converting a whole 64 MiB block column by column instead walks
// every cache line of the block once per column, which measured ten times slower.
//
// A batch stores one UInt32 per field (row-major): the offset of the byte that ends the field
// (delimiter, CR or LF) in the low 30 bits, and two flags in the top bits — the field was
// quoted, and the field needs unescaping (doubled quotes, or text after the closing quote). A
// field starts one byte after the previous field's end, or at its row's start.
//
// With `usecols`, only the ends the wanted fields need are stored: the fields before the first
// wanted one and after the last are skipped by counting delimiters eight bytes at a time (so a
// ragged row is still caught, with the same field count), unless a quote byte (or, for speed,
// any byte below 14) comes first — then that row is tokenized in full, exactly as without usecols.

/// Bit set in a field end when the field was quoted.
let quotedFlag: UInt32 = 1 << 31
/// Bit set in a field end when the field needs unescaping (doubled quotes, trailing text).
let escapedFlag: UInt32 = 1 << 30
/// Mask of the offset bits of a field end.
let offsetMask: UInt32 = (1 << 30) - 1
/// The largest block one task parses: offsets must fit in 30 bits.
let maxBlockBytes = 1 << 30
/// Rows per batch: small enough that a batch's bytes and field ends stay in the L1 cache
/// (≈ 256 × 70 bytes of flights rows + 256 × 23 × 4 bytes of ends ≈ 41 KB).
let batchRows = 256

/// A growable buffer of trivial values with unchecked appends, for hot loops.
struct GrowBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always) mutating func append(_ v: T) {
        if count == capacity { grow(count + 1) }
        base[count] = v
        count += 1
    }

    /// Makes room for `n` more values.
    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    @inline(never) mutating func grow(_ needed: Int) {
        var n = capacity * 2
        while n < needed { n *= 2 }
        let b = UnsafeMutablePointer<T>.allocate(capacity: n)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = n
    }

    /// The values as an array (a copy).
    func array() -> [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func free() { base.deallocate() }
}

/// The fields of one batch of rows.
struct TokenBatch {
    /// Field ends with flags, `rows × fieldCount`, row-major.
    let ends: UnsafeMutablePointer<UInt32>
    /// Offset of each row's first byte.
    let rowStarts: UnsafeMutablePointer<UInt32>
    /// Line (1-based) of each row, for error messages.
    let rowLines: UnsafeMutablePointer<Int>
    /// Scratch for the fast path: the offsets of the line feeds it found.
    let lineEnds: UnsafeMutablePointer<UInt32>
    let fieldCount: Int
    var rows = 0
    /// Set by the fast path: no field of the batch is quoted, so every field's flags are 0.
    var clean = false
    /// Room the fast path may write past a full batch (one 64-byte block of separators, written
    /// eight at a time).
    static let slack = 80

    init(fieldCount: Int) {
        self.fieldCount = fieldCount
        ends = .allocate(capacity: batchRows * Swift.max(1, fieldCount) + TokenBatch.slack)
        rowStarts = .allocate(capacity: batchRows)
        rowLines = .allocate(capacity: batchRows)
        lineEnds = .allocate(capacity: batchRows + TokenBatch.slack)
    }

    func free() {
        ends.deallocate()
        rowStarts.deallocate()
        rowLines.deallocate()
        lineEnds.deallocate()
    }

    /// Start offset, end offset and flags of field `k` of row `r`.
    @inline(__always)
    func field(_ r: Int, _ k: Int) -> (start: Int, end: Int, flags: UInt32) {
        let i = r &* fieldCount &+ k
        let raw = ends[i]
        let s = k == 0 ? Int(rowStarts[r]) : Int(ends[i &- 1] & offsetMask) &+ 1
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
    /// Fields a row needs tokenized (one past the last wanted field, with `usecols`); the rest of
    /// a row is skipped to its end, counting delimiters only, unless it holds a quote byte.
    var wantedFields: Int = .max
    /// The first wanted field (with `usecols`); the fields before it are skipped by counting
    /// delimiters, unless a quote byte or the row's end comes first.
    var firstWanted: Int = 0
}

/// Where a tokenizer is in its block.
struct TokenizerCursor {
    var pos = 0
    var line: Int
    var rows = 0
    var done = false
    /// Warnings for rows dropped by `onBadLines: .warn`.
    var warnings: [String] = []
}

/// The bytes that end or start a field, broadcast to eight lanes for `specialBytes`.
struct SpecialMasks {
    let delimiter: UInt64, quote: UInt64
    let quoteByte: UInt8
    /// The delimiter is below 14 (a tab): `rowStops` must then test CR and LF exactly.
    let controlDelimiter: Bool
    init(delimiter: UInt8, quote: UInt8) {
        quoteByte = quote
        controlDelimiter = delimiter < 14
        self.delimiter = UInt64(delimiter) &* 0x0101_0101_0101_0101
        self.quote = UInt64(quote) &* 0x0101_0101_0101_0101
    }
}

/// 0x80 in each byte of `w` that is the delimiter, the quote, CR or LF (exact, no false
/// positives: the classic has-zero-byte test in its carry-free form).
@inline(__always)
func specialBytes(_ w: UInt64, _ m: SpecialMasks) -> UInt64 {
    zeroByteMask(w ^ m.delimiter) | zeroByteMask(w ^ m.quote) | zeroByteMask(w ^ 0x0A0A_0A0A_0A0A_0A0A)
        | zeroByteMask(w ^ 0x0D0D_0D0D_0D0D_0D0D)
}

/// 0x80 in each byte of `w` that is the quote, CR or LF — and, unless the delimiter is a control
/// byte, in every other byte below 14 too (tab, NUL…: rare in text; the skips then fall back to
/// full tokenization). One less-than test in place of two equality tests.
@inline(__always)
func rowStops(_ w: UInt64, _ m: SpecialMasks) -> UInt64 {
    if m.controlDelimiter {
        return zeroByteMask(w ^ m.quote) | zeroByteMask(w ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroByteMask(w ^ 0x0D0D_0D0D_0D0D_0D0D)
    }
    // Byte b < 14 exactly: (b & 0x7F) + 0x72 keeps the high bit clear only below 14, and no
    // lane carries into the next (0x7F + 0x72 < 0x100); b's own high bit rules out b >= 0x80.
    let below14 = ~(((w & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7272_7272_7272_7272) | w) & 0x8080_8080_8080_8080
    return below14 | zeroByteMask(w ^ m.quote)
}

/// The number of bytes flagged in a mask that has only 0x80 bits (from `zeroByteMask`): one
/// multiply instead of `nonzeroBitCount`, which without a POPCNT target is a dozen instructions.
@inline(__always)
func byteMaskCount(_ m: UInt64) -> Int {
    Int(truncatingIfNeeded: ((m >> 7) &* 0x0101_0101_0101_0101) >> 56)
}

/// 0x80 in each zero byte of `x`, exactly (no carries between bytes).
@inline(__always)
func zeroByteMask(_ x: UInt64) -> UInt64 {
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((x & low) &+ low) | x | low)
}

/// The end (CR or LF) of the row that goes on at `from`, and the number of delimiters before it;
/// nil when a quote byte (or another control byte, see `rowStops`) comes first (the caller then tokenizes the rest of the row as usual, so
/// quoted fields with embedded newlines or delimiters stay exact). Eight bytes at a time; stops at
/// the block's LF sentinel at the latest.
@inline(__always)
func skipToRowEnd(_ p: UnsafePointer<UInt8>, from: Int, _ m: SpecialMasks) -> (Int, Int)? {
    var i = from
    var delimiters = 0
    while true {
        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        let d = zeroByteMask(w ^ m.delimiter)
        let stop = rowStops(w, m)
        if stop == 0 {
            delimiters &+= byteMaskCount(d)
            i &+= 8
            continue
        }
        let t = i &+ (stop.trailingZeroBitCount >> 3)
        if p[t] != 10 && p[t] != 13 { return nil }  // a quote (or another control byte)
        // Delimiters in the bytes before the stop byte (its own lane has no delimiter bit).
        delimiters &+= byteMaskCount(d & ((stop & (0 &- stop)) &- 1))
        return (t, delimiters)
    }
}

/// The offset of the `count`-th delimiter from `from` when no quote, CR or LF (or other control
/// byte, see `rowStops`) comes before it;
/// nil otherwise (the caller then tokenizes the row from its start as usual).
@inline(__always)
func skipLeadingFields(_ p: UnsafePointer<UInt8>, from: Int, count: Int, _ m: SpecialMasks) -> Int? {
    var i = from
    var left = count
    while true {
        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        var d = zeroByteMask(w ^ m.delimiter)
        let stop = rowStops(w, m)
        if stop != 0 { d &= (stop & (0 &- stop)) &- 1 }
        let k = byteMaskCount(d)
        if k >= left {
            while left > 1 { d &= d &- 1; left -= 1 }
            return i &+ (d.trailingZeroBitCount >> 3)
        }
        if stop != 0 { return nil }
        left -= k
        i &+= 8
    }
}

/// Byte classes for the unquoted-field scan: 1 for delimiter, CR and LF.
final class ByteClasses {
    let special: UnsafeMutablePointer<UInt8>
    init(delimiter: UInt8) {
        special = .allocate(capacity: 256)
        special.initialize(repeating: 0, count: 256)
        special[Int(delimiter)] = 1
        special[10] = 1
        special[13] = 1
    }
    deinit { special.deallocate() }
}

/// Tokenizes up to `batchRows` rows of `p[0..<n]` from the cursor into `batch`.
/// `p[n]` must be a LF and `p[n + 1]` a quote byte: sentinels that end the unquoted and quoted
/// scans without bounds checks.
///
/// - Throws: `CSVError.raggedRow` and `.unterminatedQuote` naming file, line and column.
/// - Complexity: O(bytes consumed).
func tokenizeBatch(_ p: UnsafePointer<UInt8>, _ n: Int, _ setup: TokenizerSetup, _ classes: ByteClasses,
                   _ cursor: inout TokenizerCursor, _ batch: inout TokenBatch) throws {
    let delim = setup.delimiter, quote = setup.quote, nf = setup.fieldCount
    // With usecols, fields from `skipFrom` on are never stored: skip them (see skipToRowEnd).
    let skipFrom = setup.wantedFields < nf ? setup.wantedFields : Int.max
    let rowEndMasks = SpecialMasks(delimiter: delim, quote: quote)
    let firstWanted = Swift.min(setup.firstWanted, nf &- 1)
    let isSpecial = classes.special
    let masks = SpecialMasks(delimiter: delim, quote: quote)
    let ends = batch.ends
    var pos = cursor.pos
    var line = cursor.line
    var rows = 0
    var fieldIndex = 0
    defer {
        cursor.pos = pos
        cursor.line = line
        cursor.rows += rows
        batch.rows = rows
        batch.clean = false
    }
    while rows < batchRows {
        if pos >= n || cursor.rows + rows >= setup.maxRows { cursor.done = true; return }
        let rowStart = pos
        let rowLine = line
        let c0 = p[pos]
        if c0 == 10 { pos += 1; line += 1; continue }  // blank line
        if c0 == 13 {
            pos += 1
            if pos < n && p[pos] == 10 { pos += 1 }
            line += 1
            continue
        }
        if c0 == 32 || c0 == 9 {
            // A line of spaces and tabs only is blank too (pandas' skip_blank_lines).
            var q = pos
            while q < n && (p[q] == 32 || p[q] == 9) { q += 1 }
            if q >= n && !setup.final { cursor.done = true; return }
            if q >= n || p[q] == 10 || p[q] == 13 {
                pos = q
                if pos < n && p[pos] == 13 { pos += 1 }
                if pos < n && p[pos] == 10 { pos += 1 }
                line += 1
                continue
            }
        }
        let base = fieldIndex
        var col = 0
        var fieldStart = pos
        if firstWanted > 0, let q = skipLeadingFields(p, from: pos, count: firstWanted, rowEndMasks) {
            // Only the end of the field before the first wanted one is ever read (as its start).
            ends[base &+ firstWanted &- 1] = UInt32(truncatingIfNeeded: q)
            fieldIndex = base &+ firstWanted
            col = firstWanted
            pos = q &+ 1
            fieldStart = pos
        }
        // Eight bytes at a time: a mask of the delimiter, CR, LF and quote bytes, visited in
        // order; most fields cost one mask bit. A quote at a field's start switches to the scalar
        // scan of a quoted field; a quote elsewhere is literal text, as in pandas.
        words: while true {
            var m = specialBytes(UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self), masks)
            while m != 0 {
                let q = pos &+ (m.trailingZeroBitCount >> 3)
                m &= m &- 1
                let c = p[q]
                if c == delim {
                    if col < nf { ends[fieldIndex] = UInt32(truncatingIfNeeded: q); fieldIndex += 1 }
                    col += 1
                    fieldStart = q + 1
                    if col == skipFrom, let (end, delimiters) = skipToRowEnd(p, from: q + 1, rowEndMasks) {
                        // The rest of the row holds no quote: its fields are only counted, so a
                        // ragged row is still reported with the same field count.
                        col += delimiters + 1
                        fieldIndex = base &+ nf  // the skipped fields' ends stay unwritten (never read)
                        pos = end
                        break words
                    }
                } else if c == quote {
                    if q != fieldStart { continue }
                    var flags = quotedFlag
                    let openLine = line
                    pos = q + 1
                    while true {
                        while p[pos] != quote {
                            if p[pos] == 10 { line += 1 }
                            pos += 1
                        }
                        if pos > n {  // reached the sentinel quote: the field never closes
                            if !setup.final { pos = rowStart; line = rowLine; cursor.done = true; return }
                            // As for a ragged row: the rows before this one convert first.
                            if rows > 0 { pos = rowStart; line = rowLine; return }
                            throw CSVError.unterminatedQuote(file: setup.file, line: openLine, column: col + 1)
                        }
                        pos += 1
                        if pos < n && p[pos] == quote { flags |= escapedFlag; pos += 1; continue }
                        break
                    }
                    // Text after the closing quote joins the field (pandas does the same).
                    while isSpecial[Int(p[pos])] == 0 { flags |= escapedFlag; pos += 1 }
                    if col < nf { ends[fieldIndex] = UInt32(truncatingIfNeeded: pos) | flags; fieldIndex += 1 }
                    col += 1
                    if p[pos] == delim {
                        pos += 1
                        fieldStart = pos
                        if col == skipFrom, let (end, delimiters) = skipToRowEnd(p, from: pos, rowEndMasks) {
                            col += delimiters + 1
                            fieldIndex = base &+ nf  // the skipped fields' ends stay unwritten (never read)
                            pos = end
                            break words
                        }
                        continue words
                    }
                    break words
                } else {
                    // CR or LF: the row ends.
                    if col < nf { ends[fieldIndex] = UInt32(truncatingIfNeeded: q); fieldIndex += 1 }
                    col += 1
                    pos = q
                    break words
                }
            }
            pos += 8
        }
        if pos >= n && !setup.final { pos = rowStart; line = rowLine; cursor.done = true; return }
        // p[pos] is CR or LF (possibly the sentinel at n).
        if p[pos] == 13 {
            pos += 1
            if pos < n && p[pos] == 10 { pos += 1 }
        } else {
            pos += 1
        }
        if pos > n { pos = n }
        line += 1
        if col < nf {
            // A short row is padded with missing values, as pandas does: its missing fields are
            // empty, each starting one byte after the previous one's end. (Empty fields are never
            // loaded from, so those positions need not hold the row's bytes.) Fields from
            // `skipFrom` on are never read.
            let stop = Swift.min(nf, skipFrom)
            if col < stop {
                var e = ends[base &+ col &- 1] & offsetMask
                for k in col..<stop { e &+= 1; ends[base &+ k] = e }
            }
            fieldIndex = base &+ nf
        } else if col > nf {
            fieldIndex = base
            switch setup.onBadLines {
            case .error:
                // End the batch before this row, so the rows before it are converted (and report
                // their own errors) first: errors come in file order, whatever the batch size.
                if rows > 0 { pos = rowStart; line = rowLine; fieldIndex = base; return }
                throw CSVError.raggedRow(file: setup.file, line: rowLine, expected: nf, found: col)
            case .skip: continue
            case .warn:
                cursor.warnings.append("\(setup.file):\(rowLine): skipping bad line: expected \(nf) fields, saw \(col)")
                continue
            }
        }
        batch.rowStarts[rows] = UInt32(truncatingIfNeeded: rowStart)
        batch.rowLines[rows] = rowLine
        rows += 1
    }
}

/// The content bytes of a field: quotes stripped and doubled quotes undone (into `scratch` when
/// unescaping is needed).
@inline(__always)
func fieldContent(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ flags: UInt32, quote: UInt8,
                  scratch: UnescapeBuffer) -> (UnsafePointer<UInt8>, Int) {
    if flags == 0 { return (p + s, e - s) }
    if flags & escapedFlag == 0 { return (p + s + 1, e - s - 2) }
    return scratch.unescape(p, s, e, quote: quote)
}

/// Scratch space for unescaped field contents (reused; valid until the next call).
final class UnescapeBuffer {
    private var buffer = GrowBuffer<UInt8>(capacity: 256)
    deinit { buffer.free() }

    @inline(never)
    func unescape(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, quote: UInt8) -> (UnsafePointer<UInt8>, Int) {
        buffer.count = 0
        buffer.reserve(e - s + 8)
        var i = s
        var inQuotes = false
        while i < e {
            let c = p[i]
            if c == quote {
                if inQuotes && i + 1 < e && p[i + 1] == quote { buffer.append(quote); i += 2; continue }
                inQuotes.toggle()
                i += 1
                continue
            }
            buffer.append(c)
            i += 1
        }
        // Zero padding so 8-byte loads past the content stay inside the allocation.
        let n = buffer.count
        buffer.reserve(8)
        for j in 0..<8 { buffer.base[n + j] = 0 }
        return (UnsafePointer(buffer.base), n)
    }
}
