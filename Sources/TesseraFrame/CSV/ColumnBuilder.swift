// Phase two of parsing a block: convert one column's fields into a typed buffer.
//
// The column's type is the narrowest that holds every value of the block. Conversion is
// speculative: parse every row as the type of the first value; when a value doesn't fit, join
// its type in and start the column again. The lattice is shallow (int64 → float64 → string,
// bool → string), so a column restarts at most twice, and the common case — a clean column —
// is a single pass with no separate inference scan.

/// Recognises pandas-style missing-value spellings with a cheap first-byte/length filter.
struct NAMatcher {
    /// For each first byte, a bit per length (< 64) of the NA spellings starting with it.
    private var lengthMask = [UInt64](repeating: 0, count: 256)
    private var values: [[UInt8]] = []
    let matchesEmpty: Bool

    init(_ set: Set<String>) {
        matchesEmpty = set.contains("")
        for s in set where !s.isEmpty && s.utf8.count < 64 {
            let b = Array(s.utf8)
            lengthMask[Int(b[0])] |= 1 << UInt64(b.count)
            values.append(b)
        }
    }

    /// Whether `p[0..<n]` is a missing-value spelling.
    @inline(__always)
    func isNA(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return matchesEmpty }
        if n >= 64 || (lengthMask[Int(p[0])] >> UInt64(n)) & 1 == 0 { return false }
        return slowMatch(p, n)
    }

    @inline(never)
    private func slowMatch(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for v in values where v.count == n {
            var same = true
            for j in 0..<n where v[j] != p[j] { same = false; break }
            if same { return true }
        }
        return false
    }
}

/// Interns byte strings into a dictionary: open addressing, the hash cached per entry.
struct DictionaryBuilder {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(expected: Int) {
        var cap = 64
        while cap < expected * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { offsets.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    /// The code of `p[0..<n]`, adding it when new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = DictionaryBuilder.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = slots[i]
            if c < 0 { return insert(p, n, h, at: i) }
            if hashes[Int(c)] == h && equal(Int(c), p, n) { return c }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ c: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = offsets[c]
        guard offsets[c + 1] - s == n else { return false }
        return bytes.withUnsafeBufferPointer { b in memcmpBytes(b.baseAddress! + s, p, n) }
    }

    private mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, at slot: Int) -> Int32 {
        let c = Int32(count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        hashes.append(h)
        slots[slot] = c
        if count * 2 > slots.count { rehash() }
        return c
    }

    private mutating func rehash() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for c in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[c]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(c)
        }
    }

    var buffer: StringBuffer { StringBuffer(offsets: offsets, bytes: bytes) }
}

@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n { if a[i] != b[i] { return false }; i += 1 }
    return true
}

/// One column to convert: where it is in the file and how to type it.
struct ColumnRequest {
    /// Position of the field in the file's rows.
    var field: Int
    var name: String
    /// An explicit dtype: values that don't fit are errors.
    var explicit: DataType?
    /// Listed in `parseDates`: timestamps when every value parses, else text.
    var parseDate: Bool
}

/// Everything phase two needs about the block.
struct BlockContext {
    let p: UnsafePointer<UInt8>
    let tokens: Tokens
    let na: NAMatcher
    let quote: UInt8
    let file: String
    let firstLine: Int
    let dictionaryRatio: Double

    /// The 1-based line of row `r` (counts newlines up to the row's start; only used for errors).
    func line(ofRow r: Int) -> Int {
        let end = Int(tokens.rowStarts.base[r])
        var l = firstLine
        for i in 0..<end where p[i] == 10 { l += 1 }
        return l
    }
}

/// Why a typed pass stopped: the row whose value didn't fit.
private struct Misfit: Error { let row: Int }

/// Converts one column of a tokenized block.
/// - Throws: `CSVError.badValue` when a value doesn't fit an explicit dtype.
func buildColumn(_ ctx: BlockContext, _ req: ColumnRequest) throws -> Column {
    let rows = ctx.tokens.rows
    var scratch: [UInt8] = []
    var type: DataType
    if let t = req.explicit { type = t } else {
        // The first non-missing value's type starts the speculation; all missing gives float64 (as pandas).
        type = .float64
        for r in 0..<rows {
            let (s, e, f) = ctx.tokens.field(r, req.field)
            let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: &scratch)
            if ctx.na.isNA(q, n) { continue }
            type = req.parseDate ? (parseTimestamp(q, n) != nil ? .timestamp : .string) : classify(q, n)
            break
        }
    }
    while true {
        do {
            return try convert(ctx, req.field, type)
        } catch let m as Misfit {
            let (s, e, f) = ctx.tokens.field(m.row, req.field)
            let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: &scratch)
            if let t = req.explicit {
                throw CSVError.badValue(file: ctx.file, line: ctx.line(ofRow: m.row), column: req.field + 1, name: req.name,
                                        value: String(decoding: UnsafeBufferPointer(start: q, count: n), as: UTF8.self), type: t)
            }
            let next = type == .timestamp ? DataType.string : inferenceJoin(type, classify(q, n))
            precondition(next != type, "type inference did not progress")
            type = next
        }
    }
}

/// Fills a typed buffer and a validity bitmap, or throws `Misfit` at the first value that doesn't parse.
private func convert(_ ctx: BlockContext, _ k: Int, _ type: DataType) throws -> Column {
    let rows = ctx.tokens.rows
    var words = [UInt64](repeating: 0, count: (rows + 63) >> 6)
    var missing = 0
    var scratch: [UInt8] = []
    let tokens = ctx.tokens, na = ctx.na, p = ctx.p, quote = ctx.quote

    func typed<T>(_ zero: T, _ parse: (UnsafePointer<UInt8>, Int) -> T?) throws -> [T] {
        var failed = -1
        let out = [T](unsafeUninitializedCapacity: rows) { buf, count in
            words.withUnsafeMutableBufferPointer { w in
                for r in 0..<rows {
                    let (s, e, f) = tokens.field(r, k)
                    let (q, n) = f == 0 ? (p + s, e - s) : fieldContent(p, s, e, f, quote: quote, scratch: &scratch)
                    if na.isNA(q, n) { buf[r] = zero; missing += 1; continue }
                    guard let v = parse(q, n) else { failed = r; count = 0; return }
                    buf[r] = v
                    w[r >> 6] |= 1 << UInt64(r & 63)
                }
            }
            if failed < 0 { count = rows }
        }
        if failed >= 0 { throw Misfit(row: failed) }
        return out
    }

    let values: Column.Values
    switch type {
    case .int64: values = .int64(try typed(0, parseInt64))
    case .bool: values = .bool(try typed(false, parseBool))
    case .timestamp: values = .timestamp(try typed(0, parseTimestamp))
    case .float64:
        let a = try typed(Double.nan, parseDouble)
        // A NaN spelling that isn't in naValues ("NAN", "+nan") still means missing, as in pandas.
        for r in 0..<rows where a[r].isNaN && words[r >> 6] & (1 << UInt64(r & 63)) != 0 {
            words[r >> 6] &= ~(1 << UInt64(r & 63))
            missing += 1
        }
        values = .float64(a)
    case .string:
        values = .string(buildStrings(ctx, k, &words, &missing))
    }
    let validity = missing == 0 ? nil : Bitmap(words: words, count: rows)
    return Column(values: values, validity: validity)
}

/// Text: dictionary-encoded while the distinct values stay few, plain otherwise.
private func buildStrings(_ ctx: BlockContext, _ k: Int, _ words: inout [UInt64], _ missing: inout Int) -> Column.StringValues {
    let rows = ctx.tokens.rows
    let limit = Swift.max(256, Int(Double(rows) * ctx.dictionaryRatio))
    var scratch: [UInt8] = []
    var dict = DictionaryBuilder(expected: 64)
    var codes = [Int32](repeating: -1, count: rows)
    var plain = false
    for r in 0..<rows {
        let (s, e, f) = ctx.tokens.field(r, k)
        let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: &scratch)
        if ctx.na.isNA(q, n) { missing += 1; continue }
        words[r >> 6] |= 1 << UInt64(r & 63)
        codes[r] = dict.code(q, n)
        if dict.count > limit { plain = true; break }
    }
    if !plain { return .dictionary(codes: codes, dictionary: dict.buffer) }
    // Too many distinct values: store each row's bytes.
    missing = 0
    for i in words.indices { words[i] = 0 }
    var buf = StringBuffer()
    buf.reserveCapacity(rows, bytes: Int(ctx.tokens.rowStarts.base[rows - 1]) / Swift.max(1, ctx.tokens.fieldCount))
    for r in 0..<rows {
        let (s, e, f) = ctx.tokens.field(r, k)
        let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: &scratch)
        if ctx.na.isNA(q, n) { missing += 1; buf.append(bytes: UnsafeBufferPointer(start: q, count: 0)); continue }
        words[r >> 6] |= 1 << UInt64(r & 63)
        buf.append(bytes: UnsafeBufferPointer(start: q, count: n))
    }
    return .plain(buf)
}
