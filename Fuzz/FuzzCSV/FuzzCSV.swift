// libFuzzer target for the CSV reader (`make fuzz`), and a regression runner over saved inputs.
//
// Each input is written to a file and read with several block sizes, so the quote-aware splitter,
// the tokenizer, type inference and the column builders all see it. Errors are the expected
// outcome for most inputs; a crash, hang or sanitizer report is a bug. Under libFuzzer (a debug
// build, so the reader's internal knobs are reachable) each input is also read through 64- and
// 100-byte windows and with the tokenizer's fast path off, and every way must give the same table
// or the same error: a difference stops the run like a crash.
import Foundation
import FuzzDriver
import Tessera
#if FUZZING
@testable import TesseraFrame
#else
import TesseraFrame
#endif

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-csv-\(getpid())")

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let file = scratch.appendingPathComponent("input.csv")
    guard (try? Data(buffer: bytes).write(to: file)) != nil else { return }
    for blocksize in [7, 64, 1 << 20] {
        var options = CSVOptions()
        options.blocksize = blocksize
        #if FUZZING
        options.minimumBlocksize = 1  // small blocks on purpose: many partitions
        #endif
        _ = try? readCSV(file.path, options: options).compute(scheduler: .synchronous)
    }
    var skipping = CSVOptions()
    skipping.onBadLines = .skip
    _ = try? readCSV(file.path, options: skipping).compute(scheduler: .synchronous)
    #if FUZZING
    for onBadLines in [OnBadLines.error, .skip] {
        var reference = CSVOptions()
        reference.onBadLines = onBadLines
        reference.fastTokenizer = false
        let expected = outcome(file.path, reference)
        for window in [64, 100] {
            var options = CSVOptions()
            options.onBadLines = onBadLines
            options.windowBytes = window
            let got = outcome(file.path, options)
            if got != expected {
                fatalError("window \(window), \(onBadLines): the fast path gave\n\(got)\nthe full tokenizer\n\(expected)")
            }
        }
    }
    #endif
}

#if FUZZING
/// The table (its names, types and values as text) or the error a read gives.
func outcome(_ path: String, _ options: CSVOptions) -> String {
    do {
        let t = try readCSV(path, options: options).compute(scheduler: .synchronous)
        return t.names.map { "\($0) \(t[$0]!.type) \(t[$0]!.elements)" }.joined(separator: "\n")
    } catch {
        // Only the reader's message: the failing task's name carries a serial number.
        let text = "\(error)"
        return "error: " + (text.range(of: " failed: ").map { String(text[$0.upperBound...]) } ?? text)
    }
}
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    readAllWays(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
enum Entry {
    static func main() throws {
        try fuzzMain(fuzzCSV)
    }
}
