// readCSV: plan partitions from file headers and sizes, then parse each partition in its own task.
//
// Planning (eager, cheap): resolve the paths, read each file's header, check the columns agree,
// and cut files larger than `blocksize` into nominal byte ranges. No data row is read then: the
// types come from a sample when first needed (CSVSchemaInference.swift). Parsing (lazy, one task per
// partition): stream the partition's bytes through a small window (ByteWindow), tokenize, and
// convert the requested columns.
// A split file gets one extra task that scans it once, counting quotes and newlines, to move each
// nominal boundary to the next row start outside quotes (quote parity is exact for RFC 4180,
// where quotes inside a quoted field come doubled) and to learn the line number there.

import Foundation
import Tessera
import CTesseraSIMD
#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV files into a lazy frame, one or more partitions per file.
///
/// ```swift
/// let df = try readCSV("data/flights/")            // every *.csv there, sorted
/// let counts = try df.count()
/// ```
/// - Parameters:
///   - path: a file, a directory (its `*.csv` files, sorted) or a glob (`data/*.csv`).
///   - options: delimiter, quoting, `usecols`, `dtypes`, `naValues`, `blocksize`, … (`CSVOptions`).
/// - Returns: a frame whose partitions parse when computed. Headers are read now, and nothing
///   else: the column types are guessed from a sample of the data the first time something needs
///   them (`schema`, a check of a filter against text, computing), once for every frame over it.
/// - Throws: `CSVError` for missing files, an empty directory, a glob without matches, unreadable
///   or empty files, files whose columns differ, unknown `usecols`/`dtypes` names. Bad data
///   (rows longer than the header, unterminated quotes, values that don't fit a dtype, text that
///   isn't UTF-8) throws when computing, as a `TaskFailure` wrapping the `CSVError`.
///
/// Values are never changed silently, and leniency follows pandas:
/// - text must be UTF-8 (an error naming file:line:column), unless `invalidUTF8: .keepBytes`
///   keeps the bytes exactly;
/// - integers beyond Int64 keep their column as text (exact), unless `dtypes` asks for float64;
/// - timestamps that don't exist (`2020-02-30`, `23:59:60`) don't parse (an error with a
///   timestamp dtype); offsets convert to UTC; the precision is one microsecond (further digits
///   are truncated);
/// - short rows are padded with missing values; lines of only spaces are blank; spaces around a
///   number are ignored; `NAN` (not a missing-value spelling) is text; empty header names become
///   `Unnamed: N`; files with the same columns in another order are read by name.
public func readCSV(_ path: String, options: CSVOptions = CSVOptions()) throws -> ChunkedFrame {
    try readCSV(try resolveCSVPaths(path), options: options)
}

/// Reads CSV files at a URL (file, directory or glob); see `readCSV(_:options:)`.
public func readCSV(_ url: URL, options: CSVOptions = CSVOptions()) throws -> ChunkedFrame {
    try readCSV(url.path, options: options)
}

/// Reads the listed CSV files (each may also be a directory or a glob), in order; see `readCSV(_:options:)`.
public func readCSV(_ paths: [String], options: CSVOptions = CSVOptions()) throws -> ChunkedFrame {
    let files = try paths.flatMap { try resolveCSVPaths($0) }
    guard !files.isEmpty else { throw CSVError.noFiles(paths.joined(separator: ", ")) }
    return try CSVReadPlan(files: files, options: options).frame()
}

/// The partition plan of one `readCSV` call.
struct CSVReadPlan {
    private(set) var options: CSVOptions
    let delimiter: UInt8
    let quote: UInt8
    let infos: [CSVFileInfo]
    /// The frame's columns (the union in file order, or the common columns), before `usecols`.
    let allNames: [String]
    /// The frame's output columns, in order.
    private(set) var outputNames: [String]
    let na: NAMatcher
    /// Where the frame's column types come from (a sample, parsed once when first needed); nil
    /// for the plans that parse that sample, and for text-only re-reads.
    private(set) var inference: CSVSchemaInference?
    /// The frame's column types: a column with no value in a partition takes this type there,
    /// so an all-missing partition never decides a type (empty without `inference`).
    var schemaTypes: [String: DataType] { inference?.types ?? [:] }
    /// At most this many rows of each partition (a scan's row limit, from `head(n)`).
    private(set) var rowLimit: Int?
    /// The rows to keep (a scan's predicate), evaluated while parsing.
    private(set) var predicate: ScanPredicate?

    init(files: [String], options: CSVOptions) throws {
        self.options = options
        delimiter = try options.byte(options.delimiter, "delimiter")
        quote = try options.byte(options.quote, "quote")
        guard delimiter != quote else { throw CSVError.invalidOption("delimiter and quote must differ") }
        guard options.blocksize > 0 else { throw CSVError.invalidOption("blocksize must be positive, got \(options.blocksize)") }
        guard options.skipRows >= 0 else { throw CSVError.invalidOption("skipRows must not be negative") }
        if let n = options.nRows, n < 0 { throw CSVError.invalidOption("nRows must not be negative") }
        let (d, q) = (delimiter, quote)
        // Headers are small reads; read them in parallel for many files.
        let infos: [CSVFileInfo] = try files.parallelMap(scheduler: files.count > 8 ? nil : .synchronous) {
            try readFileInfo($0, options, delimiter: d, quote: q)
        }
        self.infos = infos
        var names = infos[0].names
        var known = Set(names)
        let firstSet = known
        for info in infos.dropFirst() where info.names != infos[0].names {
            // The same columns in another order are read by name (every file's columns are
            // found by name in `requests`), as pandas' concat of the files would.
            if info.names.count == infos[0].names.count && Set(info.names) == firstSet { continue }
            switch options.columnMismatch {
            case .error:
                throw CSVError.columnMismatch(file: infos[0].path, columns: infos[0].names, otherFile: info.path, otherColumns: info.names)
            case .union:
                for n in info.names where known.insert(n).inserted { names.append(n) }
            }
        }
        allNames = names
        let first = infos[0].path
        for n in options.usecols ?? [] where !known.contains(n) {
            throw CSVError.unknownColumn(file: first, name: n, available: names)
        }
        for n in options.dtypes.keys.sorted() where !known.contains(n) {
            throw CSVError.unknownColumn(file: first, name: n, available: names)
        }
        for n in options.parseDates where !known.contains(n) {
            throw CSVError.unknownColumn(file: first, name: n, available: names)
        }
        if let use = options.usecols.map(Set.init) { outputNames = names.filter { use.contains($0) } } else { outputNames = names }
        na = NAMatcher(options.naValues)
    }

    /// Nominal partitions of a file: the fewest byte ranges of at most `blocksize` bytes of data,
    /// of equal size (`rowStarts`). With a row
    /// limit (`head(n)`) a file is one partition: splitting it would scan the whole file for row
    /// starts, where the limit needs only its first rows.
    func blockCount(_ info: CSVFileInfo) -> Int {
        let data = info.size - info.dataStart
        let bs = options.effectiveBlocksize
        if options.nRows != nil || rowLimit != nil || data <= bs { return 1 }
        return (data + bs - 1) / bs
    }

    /// The lazy frame: a scan of these files. Only headers were read; the provisional types
    /// come from a sample when something first needs them (CSVSchemaInference.swift).
    func frame() -> ChunkedFrame {
        var typed = self
        typed.inference = CSVSchemaInference(self)
        return ChunkedFrame(source: CSVSource(plan: typed))
    }

    /// The plan that reads only `names` (in the frame's column order) and stops each partition
    /// after `rowLimit` rows: projection is a change of the requested columns, no I/O.
    /// With a `predicate`, each partition keeps only the rows where it holds, evaluated batch by
    /// batch while parsing (CSVRowFilter.swift).
    func projected(_ names: [String], rowLimit: Int?, predicate: Expr? = nil) -> CSVReadPlan {
        var p = self
        let wanted = Set(names)
        p.outputNames = outputNames.filter { wanted.contains($0) }
        p.rowLimit = rowLimit
        p.predicate = predicate.map {
            ScanPredicate(expression: $0, dtypes: options.dtypes, parseDates: Set(options.parseDates), typing: inference)
        }
        return p
    }

    /// One task per partition (a file, or a byte range of a large one, after the task that finds
    /// the row starts), each parsing its bytes into the output columns and applying `finish`.
    func partitionRefs(_ finish: @escaping @Sendable (Table) throws -> Table) -> [TaskRef] {
        var refs: [TaskRef] = []
        for info in infos {
            let n = blockCount(info)
            if n == 1 {
                let plan = self
                let layer = Layer(kind: "read-csv", count: 1) { _ in
                    TaskSpec { _ in
                        // With nRows a file isn't split; past 1 GiB (the offset limit) only its first
                        // GiB is read, which must then hold the nRows rows.
                        let end = Swift.min(info.size, info.dataStart + maxBlockBytes)
                        return try finish(plan.parse(info, start: info.dataStart, end: end, firstLine: info.dataFirstLine,
                                                     final: end == info.size)) as Any
                    }
                }
                refs.append(layer[0])
            } else {
                let plan = self
                let split = Layer(kind: "csv-split", count: 1) { _ in
                    TaskSpec { _ in try plan.rowStarts(info, blocks: n) as Any }
                }
                let splitRef = split[0]
                let layer = Layer(kind: "read-csv", count: n) { k in
                    TaskSpec(inputs: [splitRef]) { args in
                        let starts = args[0] as! [(Int, Int)]
                        return try finish(plan.parse(info, start: starts[k].0, end: starts[k + 1].0, firstLine: starts[k].1)) as Any
                    }
                }
                refs.append(contentsOf: layer.refs)
            }
        }
        return refs
    }

    /// The plan that reads only column `name`, as text: the original spelling of its values.
    func textOnly(_ name: String) -> CSVReadPlan {
        var p = self
        p.outputNames = [name]
        p.options.dtypes[name] = .string
        p.options.parseDates.removeAll { $0 == name }
        if p.options.onBadLines == .warn { p.options.onBadLines = .skip }  // warned once already
        p.inference = nil
        return p
    }

    /// The column requests of a file: the output columns it has, by position in its rows.
    func requests(_ info: CSVFileInfo) -> [ColumnRequest] {
        let position = NameIndex(info.names)
        let dates = Set(options.parseDates)
        return outputNames.compactMap { name in
            guard let f = position.position(of: name, in: info.names) else { return nil }
            return ColumnRequest(field: f, name: name, explicit: options.dtypes[name], parseDate: dates.contains(name))
        }
    }

    /// Parses `[start, end)` of a file into a table with the frame's output columns (only the
    /// rows the plan's predicate keeps, when it has one).
    func parse(_ info: CSVFileInfo, start: Int, end: Int, firstLine: Int, final: Bool = true) throws -> Table {
        guard let predicate else { return try parseRows(info, start: start, end: end, firstLine: firstLine, final: final, filter: nil) }
        do {
            let filter = CSVRowFilter(predicate, names: allNames, info: info)
            return try parseRows(info, start: start, end: end, firstLine: firstLine, final: final, filter: filter)
        } catch is PredicateFallback {
            // Every row, then the filter: what the plan computes without pushdown.
            var plain = self
            plain.predicate = nil
            let reads = Set(outputNames + predicate.expression.columns)
            plain.outputNames = allNames.filter { reads.contains($0) }
            let table = try plain.parseRows(info, start: start, end: end, firstLine: firstLine, final: final, filter: nil)
            return try table.filter(try predicate.expression.mask(on: table)).select(outputNames)
        }
    }

    /// `parse` with the rows `filter` keeps (every row when nil).
    private func parseRows(_ info: CSVFileInfo, start: Int, end: Int, firstLine: Int, final: Bool, filter: CSVRowFilter?) throws -> Table {
        let reqs = requests(info)
        let sinks = reqs.map(ColumnSink.init)
        let fields = reqs.map(\.field) + (filter?.fields ?? [])
        let setup = TokenizerSetup(delimiter: delimiter, quote: quote, fieldCount: info.names.count, file: info.path,
                                   firstLine: firstLine, onBadLines: options.onBadLines, final: final,
                                   maxRows: Swift.min(options.nRows ?? .max, rowLimit ?? .max),
                                   wantedFields: (fields.max() ?? 0) + 1,
                                   firstWanted: fields.min() ?? 0)
        var rowsBefore = 0
        var keptRows = 0
        var warnings: [String] = []
        let tokenized = try forEachBatch(info, start: start, end: end, setup: setup, warnings: &warnings) { ctx, all, consumed in
            let batch = try filter?.select(ctx, all, dictionaryRatio: options.dictionaryRatio) ?? all
            defer {
                rowsBefore += all.rows
                keptRows += batch.rows
            }
            // Columns convert one after another, each stopping at its first bad value: report the
            // first bad value of the batch in file order (line, then column), so the error does
            // not depend on where batches happen to end.
            var first: (line: Int, column: Int, error: CSVError)?
            for (j, sink) in sinks.enumerated() {
                do {
                    // Dropped rows still have their say in an inferred column's type.
                    if let filter, let wider = try filter.typeOfDropped(ctx, column: j, of: sink) {
                        try refeed(sink, ctx, info, start: start, end: end, setup, batch, to: wider, rowsBefore: rowsBefore, filter: filter)
                    } else if batch.rows > 0, let misfit = try sink.append(ctx, batch) {
                        try refeed(sink, ctx, info, start: start, end: end, setup, batch, to: try sink.widen(ctx, batch, misfit: misfit),
                                   rowsBefore: rowsBefore, filter: filter)
                    }
                } catch let error as CSVError {
                    guard let at = error.position else { throw error }
                    if first.map({ (at.line, at.column) < ($0.line, $0.column) }) ?? true { first = (at.line, at.column, error) }
                }
            }
            if let first { throw first.error }
            if keptRows == 0 && consumed > 0 && consumed < end - start {
                // After the first batch with rows, size every buffer for the whole partition
                // (the kept share of it, when a predicate drops rows).
                let estimate = Int(Double(batch.rows) * Double(end - start) / Double(consumed) * 1.05) + 64
                for sink in sinks { sink.reserve(rows: Swift.min(estimate, options.nRows ?? .max)) }
            }
            return true
        }
        let rows = filter == nil ? tokenized : keptRows
        for w in warnings { FileHandle.standardError.write(Data((w + "\n").utf8)) }
        let schemaTypes = self.schemaTypes
        let columns = zip(reqs, sinks).map { req, sink -> Column in
            let c = sink.finish(dictionaryRatio: options.dictionaryRatio)
            // No value here: the type is the frame's, not float64 (pandas' guess for nothing).
            if c.nullCount == c.count, let t = schemaTypes[req.name], t != c.type { return Column(missing: t, count: c.count) }
            // Parsed from text: keep a way back to that text, in case another partition makes
            // the column text and this one must follow (unification by promotion).
            guard c.type != .string, !schemaTypes.isEmpty else { return c }
            let reader = textOnly(req.name)
            return c.withOriginalText(OriginalText {
                try reader.parse(info, start: start, end: end, firstLine: firstLine, final: final).columns[0]
            })
        }
        let table = Table(unchecked: reqs.map(\.name), columns, rowCount: rows)
        if table.names == outputNames { return table }
        // A file without some of the union's columns: missing values there.
        let cols = outputNames.map { n in table[n] ?? Column(missing: schemaTypes[n] ?? options.dtypes[n] ?? .float64, count: rows) }
        return Table(unchecked: outputNames, cols, rowCount: rows)
    }

    /// Tokenizes `[start, end)` of a file batch by batch, streaming it through a `ByteWindow`,
    /// and hands each batch to `body` with a context for its window and the bytes of the window
    /// consumed so far. `body` returns false to stop early.
    /// - Returns: the number of rows tokenized.
    /// - Throws: `CSVError` for unreadable files and bad rows; whatever `body` throws.
    func forEachBatch(_ info: CSVFileInfo, start: Int, end: Int, setup: TokenizerSetup, warnings: inout [String],
                      _ body: (SinkContext, TokenBatch, Int) throws -> Bool) throws -> Int {
        let window = try ByteWindow(path: info.path, start: start, end: end, quote: quote, capacity: options.windowBytes)
        let classes = ByteClasses(delimiter: delimiter)
        var cursor = TokenizerCursor(line: setup.firstLine)
        var batch = TokenBatch(fieldCount: info.names.count)
        defer { batch.free() }
        var windowSetup = setup
        while true {
            windowSetup.final = setup.final && window.atEnd
            let ctx = SinkContext(p: window.base, na: na, quote: quote, file: info.path, dictionaryRatio: options.dictionaryRatio,
                                  validatesUTF8: options.invalidUTF8 == .error)
            repeat {
                if !options.fastTokenizer || tokenizeBatchFast(window.base, window.length, windowSetup, &cursor, &batch) == 0 {
                    try tokenizeBatch(window.base, window.length, windowSetup, classes, &cursor, &batch)
                }
                if batch.rows > 0, try !body(ctx, batch, cursor.pos) {
                    warnings += cursor.warnings
                    return cursor.rows
                }
            } while !cursor.done
            if window.atEnd || cursor.rows >= setup.maxRows { break }
            try window.advance(consumed: cursor.pos)
            cursor.pos = 0
            cursor.done = false
        }
        warnings += cursor.warnings
        return cursor.rows
    }

    /// A value of `batch` (or of a row the predicate dropped) needs the column in type `wider`:
    /// convert the column again from the partition's first row (reading and tokenizing the
    /// earlier rows again, keeping the rows `filter` kept), then this batch.
    private func refeed(_ sink: ColumnSink, _ ctx: SinkContext, _ info: CSVFileInfo, start: Int, end: Int,
                        _ setup: TokenizerSetup, _ batch: TokenBatch, to wider: DataType, rowsBefore: Int, filter: CSVRowFilter?) throws {
        var next = wider
        var quiet = setup
        quiet.onBadLines = .skip  // the rows were already checked (and warned about) once
        quiet.maxRows = rowsBefore
        var ignored: [String] = []
        while true {
            sink.reset(to: next)
            var misfit: DataType?
            if rowsBefore > 0 {
                var offset = 0
                _ = try forEachBatch(info, start: start, end: end, setup: quiet, warnings: &ignored) { c, all, _ in
                    let again = filter?.replay(all, offset: &offset) ?? all
                    guard let bad = try sink.append(c, again) else { return true }
                    misfit = try sink.widen(c, again, misfit: bad)
                    return false
                }
            }
            if misfit == nil, let bad = try sink.append(ctx, batch) { misfit = try sink.widen(ctx, batch, misfit: bad) }
            guard let wider = misfit else { return }
            next = wider
        }
    }

    /// Finds the true start (and its line number) of each of a file's `blocks` partitions, plus
    /// the end of the file: the first row start at or after each nominal boundary, outside quotes.
    /// The nominal boundaries cut the file's data into `blocks` equal ranges (at most `blocksize`
    /// each, as `blockCount` chose them): a 100 MB file in 64 MiB blocks is two partitions of
    /// 50 MB, not 64 and 36, so the largest partition a worker holds at once — what sets the peak
    /// memory — is as small as that many partitions allow, and the tasks take equal time.
    func rowStarts(_ info: CSVFileInfo, blocks: Int) throws -> [(Int, Int)] {
        let bs = (info.size - info.dataStart + blocks - 1) / blocks
        var out: [(Int, Int)] = [(info.dataStart, info.dataFirstLine)]
        var target = info.dataStart + bs
        var pos = info.dataStart
        var line = info.dataFirstLine
        var inQuotes = false
        let chunk = 1 << 22
        let q = quote
        scan: while pos < info.size && out.count < blocks {
            let len = Swift.min(chunk, info.size - pos)
            let block = try readRange(info.path, offset: pos, length: len)
            let p = block.base
            var i = 0
            while i < len {
                // No newline before target - 1 can end a partition: count quotes and newlines up
                // to there in bulk, then go byte by byte to the boundary (usually one row).
                let bulkEnd = Swift.min(len, Swift.max(i, target - 1 - pos))
                if bulkEnd > i {
                    var quotes = 0, newlines = 0
                    tessera_count2(p + i, bulkEnd - i, q, 10, &quotes, &newlines)
                    if quotes & 1 == 1 { inQuotes.toggle() }
                    line += newlines
                    i = bulkEnd
                    continue
                }
                let c = p[i]
                if c == q { inQuotes.toggle() } else if c == 10 {
                    line += 1
                    if !inQuotes && pos + i + 1 >= target {
                        out.append((pos + i + 1, line))
                        target = Swift.max(target + bs, pos + i + 1)
                        if out.count >= blocks { break }
                    }
                }
                i += 1
            }
            pos += len
            if out.count >= blocks { break scan }
        }
        while out.count < blocks { out.append((info.size, line)) }
        out.append((info.size, line))
        return out
    }
}
