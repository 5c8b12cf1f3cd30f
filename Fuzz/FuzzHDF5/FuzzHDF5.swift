// libFuzzer target for the HDF5 reader (`make fuzz`), and a replay runner over saved inputs.
//
// An input is a whole HDF5 file: it is written to a scratch path and its dataset `/x` (and
// `/g/x`, inside a group) is read with `fromHDF5` as Double at the dataset's own blocks, as
// Int64 at blocks of 3 and as Bool at blocks of 2, so every path runs: the chunk index from
// libhdf5, Tessera's own pread + inflate + unshuffle + fletcher32 of chunked datasets, pread of
// contiguous ones, and H5Dread for compact storage and filters Tessera leaves to the library.
// A damaged superblock, object header, chunk index or chunk must give an error, never a crash.
// What libhdf5 itself does with a damaged file is outside Tessera; what Tessera does with the
// addresses, sizes and shapes it reports is what this hunts (a chunk past the end of the file,
// a shape whose byte count overflows, a chunk that inflates to the wrong size).
// Seeds: Fuzz/corpus/hdf5, made by Fuzz/corpus/make_hdf5_seeds.py.
import Foundation
import FuzzDriver
import TesseraArray
import TesseraStorage

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-hdf5-\(getpid())")
let file = scratch.appendingPathComponent("input.h5").path

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    guard (try? Data(buffer: bytes).write(to: URL(fileURLWithPath: file))) != nil else { return }
    for dataset in ["/x", "/g/x"] {
        // Shapes of millions of elements are legal (missing chunks read as the fill value) and
        // would only measure filling memory: opening them is fuzzed, computing them is not.
        guard let x = try? ChunkedArray<Double>.fromHDF5(file, dataset: dataset) else { continue }
        let count = x.shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? .max : $0 * $1 })
        guard count <= 1 << 16 else { continue }
        _ = try? x.compute(scheduler: .synchronous)
        // Blocks of 3 and 2 elements open the file once per block (tens of thousands of opens
        // at 65,536 elements, each a libhdf5 cache set up and torn down: seconds under
        // AddressSanitizer, a timeout, not a finding); the small shapes exercise those paths.
        guard count <= 1 << 12 else { continue }
        _ = try? ChunkedArray<Int64>.fromHDF5(file, dataset: dataset, chunks: 3).compute(scheduler: .synchronous)
        _ = try? ChunkedArray<Bool>.fromHDF5(file, dataset: dataset, chunks: 2).compute(scheduler: .synchronous)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHDF5(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    readAllWays(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
enum Entry {
    static func main() throws {
        try fuzzMain(fuzzHDF5) { try? FileManager.default.removeItem(at: scratch) }
    }
}
