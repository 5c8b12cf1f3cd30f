// The text a parsed column was read from, for when its partition must become text after all.
//
// A CSV column is typed per partition: one file's zip codes (`02134`) parse as integers while
// another file's (`K1A 0B1`) make the column text. Unifying the two turns the integers back into
// text, and rendering a parsed number (`2134`) is not the text of the file. So a column parsed
// from a file as a number, bool or timestamp carries a way to read its original text again;
// promotion to text (`Column.promoted(to:)`) uses it, and the common case — partitions that
// agree — never reads anything twice. Row selections (`take`, `slice`) compose onto it, so text
// filtered before the partitions meet keeps its spelling too.

/// How to read a column's values again as the text they were parsed from.
struct OriginalText: Sendable {
    /// Reads the text column: same rows, same missing values, type `.string`.
    let read: @Sendable () throws -> Column

    /// The text of the rows at `indices` (in that order).
    func taking(_ indices: [Int]) -> OriginalText {
        let base = read
        return OriginalText { try base().take(indices) }
    }

    /// The text of rows `range`.
    func slicing(_ range: Range<Int>) -> OriginalText {
        let base = read
        return OriginalText { try base().slice(range) }
    }
}

extension Column {
    /// The column with `source` as the way to read its original text again.
    func withOriginalText(_ source: OriginalText?) -> Column {
        var c = self
        c.originalText = source
        return c
    }

    /// The original text of the values when it can be read again, nil otherwise (values that
    /// were computed, or a file that is gone or changed length).
    func rereadText() -> Column? {
        guard let source = originalText, let text = try? source.read(), text.count == count, text.type == .string else {
            return nil
        }
        return Column(values: text.values, validity: validity)
    }
}
