// What the reader learns about each file before any partition runs: its size, its header, and
// where its data begins.

/// A file's header and data layout.
struct CSVFileInfo {
    var path: String
    var size: Int
    /// Column names as in the file (after `names` and de-duplication).
    var names: [String]
    /// Byte offset of the first data row.
    var dataStart: Int
    /// The 1-based line of the first data row.
    var dataFirstLine: Int
}

/// Splits one row of raw CSV (already isolated) into unescaped field strings.
/// Returns the fields and the offset just past the row's line end; nil when the row doesn't end
/// before `n` (read more).
func splitRow(_ p: UnsafePointer<UInt8>, _ n: Int, delimiter: UInt8, quote: UInt8) -> ([String], Int)? {
    var fields: [String] = []
    var cur: [UInt8] = []
    var i = 0
    var inQuotes = false
    var fieldStart = true
    while i < n {
        let c = p[i]
        if inQuotes {
            if c == quote {
                if i + 1 < n && p[i + 1] == quote { cur.append(quote); i += 2; continue }
                if i + 1 >= n { return nil }
                inQuotes = false
            } else { cur.append(c) }
            i += 1
            continue
        }
        if c == quote && fieldStart { inQuotes = true; fieldStart = false; i += 1; continue }
        if c == delimiter {
            fields.append(String(decoding: cur, as: UTF8.self))
            cur.removeAll()
            fieldStart = true
            i += 1
            continue
        }
        if c == 10 || c == 13 {
            fields.append(String(decoding: cur, as: UTF8.self))
            i += 1
            if c == 13 {
                if i >= n { return nil }
                if p[i] == 10 { i += 1 }
            }
            return (fields, i)
        }
        cur.append(c)
        fieldStart = false
        i += 1
    }
    return nil
}

/// Reads the start of a file: skips a UTF-8 BOM and `skipRows` lines, then reads the header
/// (or, without one, counts the first row's fields).
/// - Throws: `CSVError.unreadable`, `.emptyFile`, `.unterminatedQuote` (in the header).
func readFileInfo(_ path: String, _ options: CSVOptions, delimiter: UInt8, quote: UInt8) throws -> CSVFileInfo {
    let size = try fileSize(path)
    var want = Swift.min(size, 1 << 16)
    while true {
        let block = try readRange(path, offset: 0, length: want)
        let p = UnsafePointer(block.base)
        let atEOF = want == size
        var i = 0
        if want >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        var line = 1
        var skipped = 0
        var complete = true
        while skipped < options.skipRows {
            while i < want && p[i] != 10 { i += 1 }
            if i >= want { complete = atEOF; break }
            i += 1
            line += 1
            skipped += 1
        }
        if !complete { want = Swift.min(size, want * 4); continue }
        // Skip blank lines before the header, as pandas does.
        while i < want && (p[i] == 10 || p[i] == 13) {
            if p[i] == 10 { line += 1 }
            i += 1
        }
        if i >= want {
            if atEOF {
                if options.header || options.names == nil { throw CSVError.emptyFile(file: path) }
                return CSVFileInfo(path: path, size: size, names: options.names!, dataStart: size, dataFirstLine: line)
            }
            want = Swift.min(size, want * 4)
            continue
        }
        // Parse the first row; at end of file add a line end so a header without newline counts.
        var row: ([String], Int)?
        if atEOF {
            var copy = Array(UnsafeBufferPointer(start: p + i, count: want - i))
            copy.append(10)
            row = copy.withUnsafeBufferPointer { splitRow($0.baseAddress!, $0.count, delimiter: delimiter, quote: quote) }
            if let r = row { row = (r.0, Swift.min(r.1, want - i)) }
            if row == nil { throw CSVError.unterminatedQuote(file: path, line: line, column: 1) }
        } else {
            row = splitRow(p + i, want - i, delimiter: delimiter, quote: quote)
            if row == nil { want = Swift.min(size, want * 4); continue }
        }
        let (fields, used) = row!
        let headerLines = UnsafeBufferPointer(start: p + i, count: used).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        var names: [String]
        if options.header {
            // An empty header name becomes `Unnamed: N` (N its 0-based position), as in pandas.
            names = options.names ?? fields.enumerated().map { $1.isEmpty ? "Unnamed: \($0)" : $1 }
            return CSVFileInfo(path: path, size: size, names: dedupe(names), dataStart: i + used,
                               dataFirstLine: line + Swift.max(1, headerLines))
        }
        names = options.names ?? (0..<fields.count).map { String($0) }
        return CSVFileInfo(path: path, size: size, names: dedupe(names), dataStart: i, dataFirstLine: line)
    }
}

/// pandas' mangling of duplicate names: `a`, `a.1`, `a.2`.
func dedupe(_ names: [String]) -> [String] {
    var seen: [String: Int] = [:]
    var out: [String] = []
    let all = Set(names)
    for n in names {
        if let k = seen[n] {
            var j = k
            var candidate = "\(n).\(j)"
            while seen[candidate] != nil || all.contains(candidate) { j += 1; candidate = "\(n).\(j)" }
            seen[n] = j + 1
            seen[candidate] = 1
            out.append(candidate)
        } else {
            seen[n] = 1
            out.append(n)
        }
    }
    return out
}
