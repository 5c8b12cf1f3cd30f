// A scan predicate evaluated batch by batch while a partition parses.
//
// The predicate's columns are converted for one tokenized batch (256 rows) at a time, into small
// sinks that are emptied after each batch; the predicate runs on that little table, and only the
// rows it keeps are handed on to the output columns' sinks (the batch's field offsets compacted,
// the bytes untouched). So a row the predicate rules out never becomes a value of an output
// column: it costs its tokenizing and the conversion of the predicate's own fields, nothing more.
// A value in a dropped row that would not fit an output column's dtype is no error, since it is
// never converted.
//
// Exactness. The predicate must see each value in the type the whole partition would give its
// column, or `Distance > 9007199254740992` could compare doubles in one batch and integers in the
// next. A predicate column's type is therefore fixed by the first batch that holds a value of it;
// if a later batch needs a wider type (an integer column meets `1.5`, a number column meets
// text), the partition is parsed again the plain way — every row, then the filter — which is
// exactly what the plan without pushdown computes. Clean columns (the common case) never do.
// An output column's type is the one the whole partition gives it, as without pushdown: while an
// inferred column is not yet text, its fields in dropped rows are parsed (into a scratch sink,
// emptied every batch) only to see whether they need a wider type — "02134" stays text when
// "K1A 0B1" was in a dropped row. A column with an explicit dtype, or already text, skips them.
//
// Which rows were kept is remembered (one byte per tokenized row), so a sink that must start its
// column again in a wider type (`refeed`) replays the same rows.

/// Raised inside a partition's parse when a predicate column needs a wider type after batches
/// were already judged in a narrower one: the partition is then parsed without pushdown.
struct PredicateFallback: Error {}

/// What a scan's predicate needs to be evaluated in a partition: the expression, and the type
/// rules of its columns as the frame's options give them (a text-only re-read of one output
/// column changes that column's rules for its own sink, never for the predicate's).
struct ScanPredicate: Sendable {
    let expression: Expr
    let dtypes: [String: DataType]
    let parseDates: Set<String>
    /// Where the frame's column types come from: an all-missing batch of a column not yet typed
    /// takes the frame's type, as an all-missing partition does.
    let typing: CSVSchemaInference?

    /// The columns the expression reads, in the frame's column order.
    func columns(in names: [String]) -> [String] {
        let reads = Set(expression.columns)
        return names.filter { reads.contains($0) }
    }
}

/// The per-batch state of a predicate in one partition's parse (one thread, one partition).
final class CSVRowFilter {
    let predicate: ScanPredicate
    /// The predicate's columns in the frame's order, and each one's sink (nil: not in this file).
    private let names: [String]
    private let sinks: [ColumnSink?]
    /// Per sink: a batch with a value was judged in the sink's current type, which is now fixed.
    private var fixed: [Bool]
    /// One entry per tokenized row of the partition: whether the predicate kept it.
    private(set) var kept: [Bool] = []
    /// The compacted batch handed on (its buffers reused batch after batch).
    private var scratch: TokenBatch
    private var replayScratch: TokenBatch
    /// Buffers for the rows of a batch the predicate dropped, and those rows of the last batch.
    private var droppedScratch: TokenBatch
    private var dropped: TokenBatch
    /// The frame's column types (resolved once per partition, not per batch).
    private let schemaTypes: [String: DataType]
    /// Per output column, a sink that parses dropped rows only to learn their type.
    private var checkers: [Int: ColumnSink] = [:]

    /// The fields of the file these sinks read (for the tokenizer's wanted range).
    var fields: [Int] { sinks.compactMap { $0?.request.field } }

    init(_ predicate: ScanPredicate, names: [String], info: CSVFileInfo) {
        self.predicate = predicate
        self.names = predicate.columns(in: names)
        schemaTypes = predicate.typing?.types ?? [:]
        let position = NameIndex(info.names)
        sinks = self.names.map { name in
            position.position(of: name, in: info.names).map { f in
                ColumnSink(ColumnRequest(field: f, name: name, explicit: predicate.dtypes[name],
                                         parseDate: predicate.parseDates.contains(name)))
            }
        }
        fixed = Array(repeating: false, count: sinks.count)
        scratch = TokenBatch(fieldCount: info.names.count)
        replayScratch = TokenBatch(fieldCount: info.names.count)
        droppedScratch = TokenBatch(fieldCount: info.names.count)
        dropped = droppedScratch
        dropped.rows = 0
    }

    deinit {
        scratch.free()
        replayScratch.free()
        droppedScratch.free()
    }

    /// The rows of `batch` the predicate keeps (the batch itself when it keeps all of them).
    /// - Throws: `CSVError` for a predicate value that doesn't fit its dtype or isn't UTF-8,
    ///   `FrameError` from evaluating the predicate, `PredicateFallback` (see the file's header).
    func select(_ ctx: SinkContext, _ batch: TokenBatch, dictionaryRatio: Double) throws -> TokenBatch {
        var columns: [Column] = []
        var texts: [BatchText] = []
        for (j, slot) in sinks.enumerated() {
            guard let sink = slot else {
                columns.append(Column(missing: schemaTypes[names[j]] ?? predicate.dtypes[names[j]] ?? .float64, count: batch.rows))
                continue
            }
            while let misfit = try sink.append(ctx, batch) {
                let wider = try sink.widen(ctx, batch, misfit: misfit)
                if fixed[j] { throw PredicateFallback() }
                sink.reset(to: wider)
            }
            let judged = sink.type
            let column = sink.finish(dictionaryRatio: dictionaryRatio)
            if judged == nil {
                // No value yet: the frame's type, as an all-missing partition gets.
                columns.append(Column(missing: schemaTypes[names[j]] ?? column.type, count: batch.rows))
            } else {
                fixed[j] = true
                // A number compared with text compares the text it was read from ("02134"), as
                // the partition's column would (OriginalText.swift): read it from this batch.
                let text = BatchText(ctx, batch, sink.request, dictionaryRatio: dictionaryRatio)
                texts.append(text)
                columns.append(judged == .string ? column : column.withOriginalText(OriginalText { try text.read() }))
            }
            sink.reset(to: judged)
        }
        let table = Table(unchecked: names, columns, rowCount: batch.rows)
        let mask = try predicate.expression.mask(on: table)
        for text in texts { text.expire() }
        let start = kept.count
        for r in 0..<batch.rows { kept.append(mask[r]) }
        dropped = compact(batch, from: start, keeping: false, into: &droppedScratch)
        return compact(batch, from: start, into: &scratch)
    }

    /// The type output column `column` (converted by `sink`) needs for the values of the rows
    /// the last batch dropped, when wider than the sink's; nil when its type holds them (or is
    /// explicit, or text: then dropped rows are not looked at).
    /// - Throws: `CSVError.invalidUTF8` for text that isn't UTF-8 in a dropped row.
    func typeOfDropped(_ ctx: SinkContext, column: Int, of sink: ColumnSink) throws -> DataType? {
        guard dropped.rows > 0, sink.request.explicit == nil, sink.type != .string else { return nil }
        let checker = checkers[column] ?? ColumnSink(sink.request)
        checkers[column] = checker
        checker.reset(to: sink.type)
        while let misfit = try checker.append(ctx, dropped) { checker.reset(to: try checker.widen(ctx, dropped, misfit: misfit)) }
        let type = checker.type
        checker.reset(to: nil)
        return type == sink.type ? nil : type
    }

    /// The rows of a batch tokenized again (from the partition's start, `offset` rows in) that
    /// the predicate kept the first time; `offset` moves past the batch.
    func replay(_ batch: TokenBatch, offset: inout Int) -> TokenBatch {
        defer { offset += batch.rows }
        return compact(batch, from: offset, into: &replayScratch)
    }

    /// The rows `r` of `batch` with `kept[from + r] == keeping`, copied to `out` (or `batch`
    /// itself when that is every row).
    private func compact(_ batch: TokenBatch, from: Int, keeping: Bool = true, into out: inout TokenBatch) -> TokenBatch {
        let n = batch.rows
        if kept[from..<(from + n)].allSatisfy({ $0 == keeping }) { return batch }
        let stride = batch.fieldCount
        var j = 0
        for r in 0..<n where kept[from + r] == keeping {
            (out.ends + j &* stride).update(from: batch.ends + r &* stride, count: stride)
            out.rowStarts[j] = batch.rowStarts[r]
            out.rowLines[j] = batch.rowLines[r]
            j += 1
        }
        out.rows = j
        out.clean = batch.clean
        return out
    }
}

/// The text of one predicate column in one batch, readable only while the batch is evaluated
/// (its bytes live in the tokenizer's window until then); afterwards reading fails, and a
/// promotion to text falls back to rendering the values.
private final class BatchText: @unchecked Sendable {
    private var source: (SinkContext, TokenBatch)?
    private let request: ColumnRequest
    private let dictionaryRatio: Double

    init(_ ctx: SinkContext, _ batch: TokenBatch, _ request: ColumnRequest, dictionaryRatio: Double) {
        source = (ctx, batch)
        var text = request
        text.explicit = .string
        text.parseDate = false
        self.request = text
        self.dictionaryRatio = dictionaryRatio
    }

    struct Expired: Error {}

    /// The batch's fields of the column as text (missing-value spellings missing).
    func read() throws -> Column {
        guard let (ctx, batch) = source else { throw Expired() }
        let sink = ColumnSink(request)
        _ = try sink.append(ctx, batch)
        return sink.finish(dictionaryRatio: dictionaryRatio)
    }

    func expire() { source = nil }
}
