// libFuzzer target for the Parquet reader (`make fuzz`), and a regression runner over saved inputs.
//
// Each input is written to a file and read whole, with a projection and with a filter; corrupt
// footers, page headers, compressed pages, levels and dictionary indices must give errors,
// never crashes. Seeds: the fixtures under Tests/TesseraParquetTests/Fixtures.
import Foundation
import FuzzDriver
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

@main
enum Entry {
    static func main() throws {
        try fuzzMain(fuzzParquet)
    }
}
