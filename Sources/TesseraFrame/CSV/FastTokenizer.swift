// The tokenizer's fast path: rows without quotes or carriage returns.
//
// Most CSV data has neither. For such rows every field ends at the next delimiter or line feed,
// so a batch's field ends are just the positions of those bytes, in order. The fast path finds
// them 64 bytes at a time (one bit per byte from `tessera_classify64`) and writes the positions
// of the set bits straight into the batch's row-major `ends`, eight at a time without a branch
// per field. The line feeds' positions go to a second list, and one comparison per row then
// proves the structure: row r is well formed exactly when its last separator — separator
// number (r + 1)·fieldCount − 1 — is its line feed (the r-th one), because separators are in
// order and every line feed is a separator, so exactly fieldCount − 1 delimiters lie between
// consecutive line feeds.
//
// Anything else — a quote or CR in the next 64 bytes, a ragged row, a blank line, the last
// 64 bytes of the window — ends the fast batch early; the caller then runs the full tokenizer
// for one batch, which handles (and reports) it exactly as before, and comes back here.

import CTesseraSIMD

/// Writes `base + i` for each set bit i of `mask` to `out[count...]`, in order, and adds the
/// number of bits to `count`. Writes in groups of eight: up to seven values past the new count
/// are scratch (the batch buffers have `TokenBatch.slack` room for them).
@inline(__always)
func flattenBits(_ mask: UInt64, _ base: UInt32, _ out: UnsafeMutablePointer<UInt32>, _ count: inout Int) {
    var m = mask
    let c = m.nonzeroBitCount
    var o = out + count
    var i = 0
    while i < c {
        o[0] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[1] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[2] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[3] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[4] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[5] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[6] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o[7] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount); m &= m &- 1
        o += 8
        i += 8
    }
    count += c
}

/// Tokenizes up to `batchRows` rows from the cursor when they hold no quote and no CR and have
/// exactly `fieldCount` fields each; stops early at the first row that doesn't (or that comes
/// within 64 bytes of `n`).
/// - Returns: the number of rows tokenized into `batch` (0: the next row needs `tokenizeBatch`).
/// - Complexity: O(bytes scanned); about one instruction per byte plus a few per field.
func tokenizeBatchFast(_ p: UnsafePointer<UInt8>, _ n: Int, _ setup: TokenizerSetup,
                       _ cursor: inout TokenizerCursor, _ batch: inout TokenBatch) -> Int {
    let nf = setup.fieldCount
    let wantRows = Swift.min(batchRows, setup.maxRows &- cursor.rows)
    guard nf > 0, wantRows > 0 else { return 0 }
    let wantSeparators = wantRows &* nf
    let ends = batch.ends, lineEnds = batch.lineEnds
    let start = cursor.pos
    var scan = start
    var separators = 0, newlines = 0
    while newlines < wantRows && separators < wantSeparators && scan &+ 64 <= n {
        let c = tessera_classify64(p + scan, setup.delimiter, setup.quote)
        if c.stops != 0 {
            // Keep the rows that end before the quote or CR.
            let before = (c.stops & (0 &- c.stops)) &- 1
            flattenBits(c.separators & before, UInt32(truncatingIfNeeded: scan), ends, &separators)
            flattenBits(c.newlines & before, UInt32(truncatingIfNeeded: scan), lineEnds, &newlines)
            break
        }
        flattenBits(c.separators, UInt32(truncatingIfNeeded: scan), ends, &separators)
        flattenBits(c.newlines, UInt32(truncatingIfNeeded: scan), lineEnds, &newlines)
        scan &+= 64
    }
    let candidates = Swift.min(newlines, wantRows, separators / nf)
    var rows = 0
    var rowStart = UInt32(truncatingIfNeeded: start)
    let line = cursor.line
    while rows < candidates {
        let lf = lineEnds[rows]
        // A blank line (its LF at its start) is skipped by the full tokenizer; leave it to it.
        guard ends[rows &* nf &+ nf &- 1] == lf, lf != rowStart else { break }
        // With one column, a line of spaces (blank, skipped) looks like a row: leave it too.
        if nf == 1, p[Int(rowStart)] == 32 || p[Int(rowStart)] == 9 { break }
        batch.rowStarts[rows] = rowStart
        batch.rowLines[rows] = line &+ rows
        rowStart = lf &+ 1
        rows &+= 1
    }
    batch.rows = rows
    batch.clean = true
    cursor.pos = Int(rowStart)
    cursor.line = line &+ rows
    cursor.rows &+= rows
    return rows
}
