// libFuzzer target for the .npy reader (`make fuzz`), and a regression runner over saved inputs.
//
// Each input is written to a file and read as every element type, eagerly and lazily; malformed
// headers, truncated data, unsupported dtypes and shapes whose sizes overflow must give errors,
// never crashes. The seeds include such headers (Tests/TesseraArrayTests/Fixtures/overflow_*.npy).
import Foundation
import FuzzDriver
import TesseraArray

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-npy-\(getpid())")

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let file = scratch.appendingPathComponent("input.npy").path
    guard (try? Data(buffer: bytes).write(to: URL(fileURLWithPath: file))) != nil else { return }
    _ = try? NDArray<Double>.readNPY(file)
    _ = try? NDArray<Float>.readNPY(file)
    _ = try? NDArray<Int64>.readNPY(file)
    _ = try? NDArray<Int32>.readNPY(file)
    _ = try? NDArray<Bool>.readNPY(file)
    // The lazy reader resolves chunks from the header's shape before any data is read: a shape
    // whose sizes overflow must fail there too, and a readable file must compute.
    _ = try? ChunkedArray<Double>.fromNPY(file, chunks: 2).compute(scheduler: .synchronous)
    _ = try? ChunkedArray<Int64>.fromNPY(file).compute(scheduler: .synchronous)
    _ = try? ChunkedArray<Bool>.fromNPY(file, chunks: 3).compute(scheduler: .synchronous)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    readAllWays(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
enum Entry {
    static func main() throws {
        try fuzzMain(fuzzNPY)
    }
}
