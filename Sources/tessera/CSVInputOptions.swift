import ArgumentParser
import Foundation
import TesseraFrame
import TesseraParquet

/// The input every CSV-reading command takes: PATH and `--delimiter`.
struct CSVInputOptions: ParsableArguments {
    @Argument(help: "A CSV or Parquet file (by extension or magic bytes), a directory of them, or a glob.")
    var path: String

    @Option(help: "Field delimiter (one ASCII character).")
    var delimiter: String = ","

    @OptionGroup var reading: CSVReadingOptions

    /// The lazy frame over PATH. - Throws: a usage failure for a bad delimiter; CSV errors for
    /// missing or unreadable files.
    func frame() throws -> ChunkedFrame {
        if isParquetPath(path) { return try readParquet(path) }
        var options = try csvOptions(delimiter: delimiter)
        try reading.apply(to: &options)
        return try readCSV(path, options: options)
    }
}
