// libFuzzer target for the CSV reader (`make fuzz`), and a regression runner over saved inputs.
//
// Each input is written to a file and read with several block sizes, so the quote-aware splitter,
// the tokenizer, type inference and the column builders all see it. Errors are the expected
// outcome for most inputs; a crash, hang or sanitizer report is a bug.
import Foundation
import Tessera
import TesseraFrame

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-csv-\(getpid())")

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let file = scratch.appendingPathComponent("input.csv")
    guard (try? Data(buffer: bytes).write(to: file)) != nil else { return }
    for blocksize in [7, 64, 1 << 20] {
        var options = CSVOptions()
        options.blocksize = blocksize
        _ = try? readCSV(file.path, options: options).compute(scheduler: .synchronous)
    }
    var skipping = CSVOptions()
    skipping.onBadLines = .skip
    _ = try? readCSV(file.path, options: skipping).compute(scheduler: .synchronous)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    readAllWays(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links an executable's `main` to its own entry point, so libFuzzer's `main` is never
/// used: under `-DFUZZING` the entry point hands over to libFuzzer's driver instead.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main
enum Entry {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzCSV))
        #else
        // Without libFuzzer: replay every file named on the command line (saved crashers, the corpus).
        for path in CommandLine.arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { readAllWays($0.bindMemory(to: UInt8.self)) }
        }
        print("read \(CommandLine.arguments.count - 1) inputs without crashing")
        #endif
    }
}
