import ArgumentParser
import TesseraFrame

/// How every CSV-reading command treats irregular input: `--on-bad-lines`, `--column-mismatch`,
/// `--invalid-utf8` (the `CSVOptions` of the same names).
struct CSVReadingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rows with more fields than the header: error, warn (skip with a message) or skip. Short rows are padded with missing values.",
                               valueName: "error|warn|skip"))
    var onBadLines: String = "error"

    @Option(help: ArgumentHelp("Files whose columns differ (the same columns in another order are always read by name): error, or union (missing values where a file lacks a column).",
                               valueName: "error|union"))
    var columnMismatch: String = "error"

    @Option(help: ArgumentHelp("Text that isn't valid UTF-8: error (naming file:line:column), or keep (the bytes as they are).",
                               valueName: "error|keep"))
    var invalidUTF8: String = "error"

    /// Sets the options on `options`. - Throws: a usage failure (exit 2) for an unknown value.
    func apply(to options: inout CSVOptions) throws {
        guard let b = OnBadLines(rawValue: onBadLines) else {
            throw usageFailure("--on-bad-lines must be error, warn or skip, got '\(onBadLines)'")
        }
        guard let m = ColumnMismatch(rawValue: columnMismatch) else {
            throw usageFailure("--column-mismatch must be error or union, got '\(columnMismatch)'")
        }
        guard let u = ["error": InvalidUTF8.error, "keep": .keepBytes][invalidUTF8] else {
            throw usageFailure("--invalid-utf8 must be error or keep, got '\(invalidUTF8)'")
        }
        options.onBadLines = b
        options.columnMismatch = m
        options.invalidUTF8 = u
    }
}
