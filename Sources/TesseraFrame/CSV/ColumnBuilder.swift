// Phase two of parsing a block: convert one column's fields into a typed buffer.
//
// The column's type is the narrowest that holds every value of the block. Conversion is
// speculative: parse every row as the type of the first value; when a value doesn't fit, join
// its type in and start the column again. The lattice is shallow (int64 → float64 → string,
// bool → string), so a column restarts at most twice, and the common case — a clean column —
// is a single pass with no separate inference scan.

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

/// What every sink of a block shares.
struct SinkContext {
    let p: UnsafePointer<UInt8>
    let na: NAMatcher
    let quote: UInt8
    let file: String
    let dictionaryRatio: Double
    /// Whether text must be valid UTF-8 (`CSVOptions.invalidUTF8 == .error`).
    let validatesUTF8: Bool
    let scratch = UnescapeBuffer()
}

/// Static parsers, so `fill` is specialised per type with the parse inlined (a closure
/// parameter was not inlined and cost a call per field).
protocol FieldParser {
    associatedtype Output
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Output?
}
enum Int64Field: FieldParser {
    @inline(__always) static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? { parseInt64(p, n) }
}
enum Float64Field: FieldParser {
    /// Inferred float64: an integer beyond Int64 doesn't fit (the column becomes text).
    @inline(__always) static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        parseDouble(p, n, rejectingWideIntegers: true, allowingNaN: false)
    }
}
enum ExplicitFloat64Field: FieldParser {
    /// float64 asked for: every decimal number parses (NaN spellings are still left to the
    /// missing-value markers).
    @inline(__always) static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? { parseDouble(p, n, allowingNaN: false) }
}
enum BoolField: FieldParser {
    @inline(__always) static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? { parseBool(p, n) }
}
enum TimestampField: FieldParser {
    @inline(__always) static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? { parseTimestamp(p, n) }
}

/// `P.parse` of the field without the spaces and tabs around it (` 1`, `2 `, `"1" ` are numbers,
/// as in pandas); nil when there are none to drop or the rest doesn't parse. Only ever called
/// for a field that failed to parse as it is, so it costs nothing on clean data.
@inline(never)
func parseTrimmed<P: FieldParser>(_ parser: P.Type, _ p: UnsafePointer<UInt8>, _ n: Int) -> P.Output? {
    let (s, e) = trimmedRange(p, n)
    guard e > s, s > 0 || e < n else { return nil }
    return P.parse(p + s, e - s)
}

/// The field's bounds without leading and trailing spaces and tabs.
@inline(__always)
func trimmedRange(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int) {
    var s = 0, e = n
    while s < e && (p[s] == 32 || p[s] == 9) { s += 1 }
    while e > s && (p[e - 1] == 32 || p[e - 1] == 9) { e -= 1 }
    return (s, e)
}

/// Converts one column's fields, batch after batch, into a typed buffer and a validity bitmap.
///
/// The type starts as the explicit dtype, or the type of the first non-missing value; when a
/// value doesn't fit, `append` reports its row, the caller widens the type (`widen`) and feeds
/// the column again from the block's first row. The lattice is shallow (int64 → float64 →
/// string, bool → string, timestamp → string), so a column restarts at most twice, and a clean
/// column is converted in one pass with no separate inference scan.
///
/// A sink belongs to one partition's parse, on one thread, and its buffers are never handed out
/// while it fills them: its stored properties skip Swift's run-time exclusivity checks, which
/// otherwise cost about a quarter of the parse (measured with callgrind on `flights`).
final class ColumnSink {
    let request: ColumnRequest
    @exclusivity(unchecked) private(set) var type: DataType?
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var missing = 0
    @exclusivity(unchecked) private var words = ArrayBuilder<UInt64>(0)
    @exclusivity(unchecked) private var ints = ArrayBuilder<Int64>(0)
    @exclusivity(unchecked) private var doubles = ArrayBuilder<Double>(.nan)
    @exclusivity(unchecked) private var bools = ArrayBuilder<Bool>(false)
    @exclusivity(unchecked) private var codes = ArrayBuilder<Int32>(-1)
    @exclusivity(unchecked) private var dict = DictionaryBuilder(expected: 64)
    @exclusivity(unchecked) private var plainBytes: [UInt8] = []
    @exclusivity(unchecked) private var plainOffsets: [Int] = []
    @exclusivity(unchecked) private var isPlain = false
    /// The rows of a batch found missing (the fast conversion loop's scratch).
    private let missingScratch = UnsafeMutablePointer<Int32>.allocate(capacity: batchRows)

    init(_ request: ColumnRequest) {
        self.request = request
        type = request.explicit
    }

    deinit { missingScratch.deallocate() }

    /// Reserves room for `rows` rows in all (an estimate; buffers still grow past it).
    func reserve(rows: Int) {
        let more = rows - count
        guard more > 0, let t = type else { return }
        words.reserve((rows + 63) >> 6 - words.count)
        switch t {
        case .int64, .timestamp: ints.reserve(more)
        case .float64: doubles.reserve(more)
        case .bool: bools.reserve(more)
        case .string: if isPlain { plainOffsets.reserveCapacity(rows + 1) } else { codes.reserve(more) }
        }
    }

    /// Forgets every converted row (before feeding the block again in a wider type, or the next
    /// batch of a predicate column in the same type; nil while no value has given one).
    func reset(to newType: DataType?) {
        type = newType
        count = 0
        missing = 0
        words.removeAll()
        for i in words.storage.indices { words.storage[i] = 0 }
        ints.removeAll(); doubles.removeAll(); bools.removeAll(); codes.removeAll()
        dict = DictionaryBuilder(expected: 64)
        plainBytes.removeAll()
        plainOffsets.removeAll()
        isPlain = false
    }

    /// The type that holds the misfit value at row `r` of `batch` as well as the values so far.
    /// - Throws: `CSVError.badValue` when the column has an explicit dtype.
    func widen(_ ctx: SinkContext, _ batch: TokenBatch, misfit r: Int) throws -> DataType {
        let (s, e, f) = batch.field(r, request.field)
        let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: ctx.scratch)
        if let t = request.explicit {
            throw CSVError.badValue(file: ctx.file, line: batch.rowLines[r], column: request.field + 1, name: request.name,
                                    value: String(decoding: UnsafeBufferPointer(start: q, count: n), as: UTF8.self), type: t)
        }
        let current = type!
        let next = current == .timestamp ? DataType.string : inferenceJoin(current, classify(q, n))
        precondition(next != current, "type inference did not progress")
        return next
    }

    /// Converts the column's fields of `batch`; returns the batch row of the first value that
    /// doesn't fit the current type (nothing of the batch is kept then), or nil.
    /// - Throws: `CSVError.invalidUTF8` for text that isn't UTF-8 (unless the options keep bytes).
    func append(_ ctx: SinkContext, _ batch: TokenBatch) throws -> Int? {
        let rows = batch.rows
        if rows == 0 { return nil }
        if type == nil {
            // The first non-missing value's type starts the speculation.
            for r in 0..<rows {
                let (s, e, f) = batch.field(r, request.field)
                let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: ctx.scratch)
                if ctx.na.isNA(q, n) { continue }
                let isDate = request.parseDate && (parseTimestamp(q, n) ?? parseTrimmed(TimestampField.self, q, n)) != nil
                type = request.parseDate ? (isDate ? .timestamp : .string) : classify(q, n)
                break
            }
            if type == nil {
                // All missing so far: count the rows as missing, decide the type later.
                appendMissing(rows)
                return nil
            }
            // Rows before this batch were all missing: keep them, in the new type.
            appendPlaceholders(count)
        }
        let needWords = (count + rows + 63) >> 6
        if needWords > words.count { words.appendPlaceholders(needWords - words.count) }
        let result: Int?
        let naFirst = ctx.na.parses(as: type!)
        switch type! {
        case .int64: result = fill(ctx, batch, &ints, naFirst, Int64Field.self)
        case .float64:
            result = request.explicit == .float64 ? fill(ctx, batch, &doubles, naFirst, ExplicitFloat64Field.self)
                                                  : fill(ctx, batch, &doubles, naFirst, Float64Field.self)
        case .bool: result = fill(ctx, batch, &bools, naFirst, BoolField.self)
        case .timestamp: result = fill(ctx, batch, &ints, naFirst, TimestampField.self)
        case .string: result = try fillStrings(ctx, batch)
        }
        if result == nil { count += rows }
        return result
    }

    /// Counts `n` rows as missing while the type is still unknown (validity bits stay 0).
    private func appendMissing(_ n: Int) {
        count += n
        missing += n
        let need = (count + 63) >> 6
        if need > words.count { words.appendPlaceholders(need - words.count) }
    }

    /// Gives the `n` all-missing rows seen before the type was known their placeholders.
    private func appendPlaceholders(_ n: Int) {
        guard n > 0 else { return }
        switch type! {
        case .int64, .timestamp: ints.appendPlaceholders(n)
        case .float64: doubles.appendPlaceholders(n)
        case .bool: bools.appendPlaceholders(n)
        case .string: codes.appendPlaceholders(n)
        }
    }

    /// Parses the batch into `out`. `naFirst` checks the missing-value spellings before parsing;
    /// otherwise (no spelling parses as this type, the usual case) a value is parsed first and
    /// only a value that fails to parse is looked up, which keeps the lookup off the hot path.
    private func fill<P: FieldParser>(_ ctx: SinkContext, _ batch: TokenBatch, _ out: inout ArrayBuilder<P.Output>, _ naFirst: Bool,
                                      _ parser: P.Type) -> Int? {
        let rows = batch.rows, k = request.field, p = ctx.p, na = ctx.na, quote = ctx.quote, scratch = ctx.scratch
        let emptyIsNA = na.matchesEmpty
        out.reserve(rows)
        let start = out.count, first = count
        let placeholder = out.placeholder
        var nMissing = 0
        var failed = -1
        let ends = batch.ends, rowStarts = batch.rowStarts, nf = batch.fieldCount
        if batch.clean && !naFirst {
            // The common case, in a loop of its own with few live values: no quoted fields, and
            // no missing-value spelling that parses, so a value is parsed first and only a failure
            // is looked up. Missing rows are listed, and the validity bits are written after the
            // loop (all set, then the missing ones cleared): setting bits as rows go chains every
            // row through one read-modify-write.
            let missRows = missingScratch
            out.storage.withUnsafeMutableBufferPointer { ob in
                let dst = ob.baseAddress! + start
                for r in 0..<rows {
                    let i = r &* nf &+ k
                    let s = k == 0 ? Int(rowStarts[r]) : Int(ends[i &- 1]) &+ 1
                    let n = Int(ends[i]) &- s
                    if let v = P.parse(p + s, n) {
                        dst[r] = v
                    } else if n == 0 ? emptyIsNA : na.isNA(p + s, n) {
                        dst[r] = placeholder
                        missRows[nMissing] = Int32(truncatingIfNeeded: r)
                        nMissing &+= 1
                    } else if let v = parseTrimmed(P.self, p + s, n) {
                        dst[r] = v
                    } else {
                        failed = r
                        return
                    }
                }
            }
            if failed >= 0 { return failed }
            words.storage.withUnsafeMutableBufferPointer { wb in
                let w = wb.baseAddress!
                setBits(w, from: first, count: rows)
                for j in 0..<nMissing {
                    let b = first &+ Int(missRows[j])
                    w[b >> 6] &= ~(1 &<< UInt64(b & 63))
                }
            }
            out.count += rows
            missing += nMissing
            return nil
        }
        words.storage.withUnsafeMutableBufferPointer { wb in
            let w = wb.baseAddress!
            out.storage.withUnsafeMutableBufferPointer { ob in
                let dst = ob.baseAddress! + start
                // Validity bits gather in a register and are stored a word at a time: setting
                // them in memory one by one chains every row through a store and a reload.
                var bit = first
                var acc: UInt64 = 0
                for r in 0..<rows {
                    let i = r &* nf &+ k
                    let raw = ends[i]
                    let s = k == 0 ? Int(rowStarts[r]) : Int(ends[i &- 1] & offsetMask) &+ 1
                    let e = Int(raw & offsetMask), f = raw & (quotedFlag | escapedFlag)
                    let (q, n) = f == 0 ? (p + s, e &- s) : fieldContent(p, s, e, f, quote: quote, scratch: scratch)
                    if n == 0 && emptyIsNA {
                        dst[r] = placeholder
                        nMissing &+= 1
                    } else if naFirst && na.isNA(q, n) {
                        dst[r] = placeholder
                        nMissing &+= 1
                    } else if let v = P.parse(q, n) {
                        dst[r] = v
                        acc |= 1 &<< UInt64(bit & 63)
                    } else if !naFirst && na.isNA(q, n) {
                        dst[r] = placeholder
                        nMissing &+= 1
                    } else if let v = parseTrimmed(P.self, q, n) {
                        dst[r] = v
                        acc |= 1 &<< UInt64(bit & 63)
                    } else {
                        // Undo this batch's validity bits.
                        w[bit >> 6] |= acc
                        for b in first..<bit { w[b >> 6] &= ~(1 << UInt64(b & 63)) }
                        failed = r
                        return
                    }
                    bit &+= 1
                    if bit & 63 == 0 {
                        w[(bit >> 6) &- 1] |= acc
                        acc = 0
                    }
                }
                if bit & 63 != 0 { w[bit >> 6] |= acc }
            }
        }
        if failed >= 0 { return failed }
        out.count += rows
        missing += nMissing
        return nil
    }

    private func fillStrings(_ ctx: SinkContext, _ batch: TokenBatch) throws -> Int? {
        let rows = batch.rows, k = request.field
        var bit = count
        if !isPlain {
            // Only the dictionary's new entries need checking: each distinct value once.
            let known = dict.count
            codes.reserve(rows)
            let start = codes.count
            words.storage.withUnsafeMutableBufferPointer { wb in
                let w = wb.baseAddress!
                codes.storage.withUnsafeMutableBufferPointer { cb in
                    let dst = cb.baseAddress! + start
                    for r in 0..<rows {
                        let (s, e, f) = batch.field(r, k)
                        let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: ctx.scratch)
                        if ctx.na.isNA(q, n) {
                            dst[r] = -1
                            missing += 1
                        } else {
                            // (An empty field may lie past the window's end: a padded short row.)
                            dst[r] = n != 0 && n <= 7 ? dict.shortCode(q, n) : dict.code(q, n)
                            w[bit >> 6] |= 1 << UInt64(bit & 63)
                        }
                        bit += 1
                    }
                }
            }
            codes.count += rows
            if ctx.validatesUTF8 && dict.count > known && hasInvalidUTF8(codesFrom: known), let bad = invalidUTF8Error(ctx, batch) { throw bad }
            // Many distinct values: dictionary encoding would not pay; switch to plain storage.
            if dict.count > 4096 && Double(dict.count) > Double(count + rows) * ctx.dictionaryRatio { convertToPlain() }
            return nil
        }
        let firstByte = plainBytes.count
        words.storage.withUnsafeMutableBufferPointer { wb in
            let w = wb.baseAddress!
            for r in 0..<rows {
                let (s, e, f) = batch.field(r, k)
                let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: ctx.scratch)
                if ctx.na.isNA(q, n) {
                    missing += 1
                } else {
                    plainBytes.append(contentsOf: UnsafeBufferPointer(start: q, count: n))
                    w[bit >> 6] |= 1 << UInt64(bit & 63)
                }
                plainOffsets.append(plainBytes.count)
                bit += 1
            }
        }
        if ctx.validatesUTF8, plainBytes[firstByte...].withUnsafeBufferPointer({ firstInvalidUTF8($0) != nil }),
           let bad = invalidUTF8Error(ctx, batch) { throw bad }
        return nil
    }

    /// Whether a dictionary entry from `first` on isn't valid UTF-8.
    private func hasInvalidUTF8(codesFrom first: Int) -> Bool {
        dict.bytes.withUnsafeBufferPointer { b in
            (first..<dict.count).contains { c in firstInvalidUTF8(UnsafeBufferPointer(rebasing: b[dict.offsets[c]..<dict.offsets[c + 1]])) != nil }
        }
    }

    /// The error naming the first field of the column in `batch` that isn't valid UTF-8.
    private func invalidUTF8Error(_ ctx: SinkContext, _ batch: TokenBatch) -> CSVError? {
        for r in 0..<batch.rows {
            let (s, e, f) = batch.field(r, request.field)
            let (q, n) = fieldContent(ctx.p, s, e, f, quote: ctx.quote, scratch: ctx.scratch)
            let buffer = UnsafeBufferPointer(start: q, count: n)
            if let at = firstInvalidUTF8(buffer) {
                return CSVError.invalidUTF8(file: ctx.file, line: batch.rowLines[r], column: request.field + 1, name: request.name,
                                            byteOffset: at, value: String(decoding: buffer, as: UTF8.self))
            }
        }
        return nil
    }

    /// Rewrites the codes so far as plain strings.
    private func convertToPlain() {
        isPlain = true
        plainOffsets = [0]
        plainOffsets.reserveCapacity(codes.storage.count + 1)
        dict.bytes.withUnsafeBufferPointer { db in
            for i in 0..<codes.count {
                let c = Int(codes.storage[i])
                if c >= 0 { plainBytes.append(contentsOf: UnsafeBufferPointer(rebasing: db[dict.offsets[c]..<dict.offsets[c + 1]])) }
                plainOffsets.append(plainBytes.count)
            }
        }
        codes.removeAll()
    }

    /// The finished column.
    func finish(dictionaryRatio: Double) -> Column {
        if type == nil {
            type = request.explicit ?? .float64  // all missing: float64, as pandas
            appendPlaceholders(count)
        }
        let rows = count
        var wordsArray = words.take()
        if wordsArray.count > (rows + 63) >> 6 { wordsArray.removeLast(wordsArray.count - (rows + 63) >> 6) }
        let validity = missing == 0 ? nil : Bitmap(words: wordsArray, count: rows)
        let values: Column.Values
        switch type! {
        case .int64: values = .int64(ints.take())
        case .timestamp: values = .timestamp(ints.take())
        case .float64:
            // No NaN comes out of parsing: NaN spellings are missing-value markers, or text
            // (`NAN`, `+nan`) as in pandas.
            values = .float64(doubles.take())
        case .bool: values = .bool(bools.take())
        case .string:
            if !isPlain && dict.count > 256 && Double(dict.count) > Double(rows) * dictionaryRatio { convertToPlain() }
            if isPlain {
                if plainOffsets.isEmpty { plainOffsets = [0] }
                values = .string(.plain(StringBuffer(offsets: plainOffsets, bytes: plainBytes)))
            } else {
                values = .string(.dictionary(codes: codes.take(), dictionary: dict.buffer))
            }
        }
        return Column(values: values, validity: validity)
    }
}

/// Sets bits `from ..< from + count` of a bitmap, a word at a time.
@inline(__always)
func setBits(_ w: UnsafeMutablePointer<UInt64>, from: Int, count: Int) {
    var b = from
    let end = from &+ count
    while b < end {
        let offset = b & 63
        let take = Swift.min(64 &- offset, end &- b)
        let ones: UInt64 = take == 64 ? ~0 : ((1 &<< UInt64(take)) &- 1) &<< UInt64(offset)
        w[b >> 6] |= ones
        b &+= take
    }
}
