// libFuzzer target for the Zarr reader (`make fuzz`), and a replay runner over saved inputs.
//
// An input is a metadata document, a zero byte, then the bytes of a chunk: the document becomes
// `.zarray` when it has a v2 `"chunks"` key, `zarr.json` otherwise, and the chunk bytes are
// stored under the keys of the first chunks of a 1-, 2- and 3-d array in either key encoding.
// The array is then read as Double, Int64 and Bool at two block cuts. Malformed JSON, unknown
// codecs, corrupt or wrongly sized chunks and broken shard indexes must give errors, never
// crashes. Seeds: Fuzz/corpus/zarr, made from the test fixtures by Fuzz/corpus/make_zarr_seeds.sh.
import Foundation
import FuzzDriver
import TesseraArray
import TesseraStorage

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-fuzz-zarr-\(getpid())")
let chunkKeys = ["c/0", "c/1", "c/0/0", "c/0/1", "c/1/0", "c/0/0/0", "0", "1", "0.0", "0.1", "1.0", "0.0.0", "0/0", "0/1"]

func readAllWays(_ bytes: UnsafeBufferPointer<UInt8>) {
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let meta = Data(bytes[0..<split])
    let chunk = split < bytes.count ? Data(bytes[(split + 1)...]) : Data()
    // Shapes and chunk shapes in the millions are legal and would only measure allocation:
    // inputs with a number of seven or more digits are skipped.
    var run = 0
    for b in meta {
        run = (b >= 0x30 && b <= 0x39) ? run + 1 : 0
        if run > 6 { return }
    }
    let store = scratch.appendingPathComponent("store").path
    try? FileManager.default.removeItem(atPath: store)
    try? FileManager.default.createDirectory(atPath: store + "/c/0", withIntermediateDirectories: true)
    try? FileManager.default.createDirectory(atPath: store + "/c/1", withIntermediateDirectories: true)
    try? FileManager.default.createDirectory(atPath: store + "/0", withIntermediateDirectories: true)
    let isV2 = String(decoding: meta, as: UTF8.self).contains("\"chunks\"")
    try? meta.write(to: URL(fileURLWithPath: store + (isV2 ? "/.zarray" : "/zarr.json")))
    for key in chunkKeys where !FileManager.default.fileExists(atPath: store + "/" + key) {
        try? chunk.write(to: URL(fileURLWithPath: store + "/" + key))
    }
    _ = try? ChunkedArray<Double>.fromZarr(store).compute(scheduler: .synchronous)
    _ = try? ChunkedArray<Int64>.fromZarr(store, chunks: 3).compute(scheduler: .synchronous)
    _ = try? ChunkedArray<Bool>.fromZarr(store, chunks: 2).compute(scheduler: .synchronous)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZarr(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    readAllWays(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
enum Entry {
    static func main() throws {
        try fuzzMain(fuzzZarr) { try? FileManager.default.removeItem(at: scratch) }
    }
}
