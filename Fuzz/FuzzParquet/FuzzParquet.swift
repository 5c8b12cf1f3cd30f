// libFuzzer target for the Parquet reader (`make fuzz`), and a regression runner over saved inputs.
//
// Each input is written to a file and read whole, with a projection and with a filter; corrupt
// footers, page headers, compressed pages, levels and dictionary indices must give errors,
// never crashes. Seeds: the fixtures under Tests/TesseraParquetTests/Fixtures.
import Foundation
import Tessera
import TesseraFrame
import TesseraParquet

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-parquet-\(getpid())")

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let file = scratch.appendingPathComponent("input.parquet").path
    guard (try? Data(buffer: bytes).write(to: URL(fileURLWithPath: file))) != nil else { return }
    _ = try? readParquet(file).compute(scheduler: .synchronous)
    if let df = try? readParquet(file), let first = df.columns.first {
        _ = try? readParquet(file, columns: [first]).compute(scheduler: .synchronous)
        _ = try? readParquet(file, filter: Expr.col(first).notna()).compute(scheduler: .synchronous)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquet(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
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
        exit(runFuzzerDriver(&argc, &argv, fuzzParquet))
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
