import Foundation
import Testing
import TesseraArray
@testable import TesseraStorage

/// A Python with zarr-python 3, if this machine has one: `TESSERA_PYTHON`, the fixture venv
/// (`.build-py`), the benchmark peers' venv (`.build/peers`), then `python3` on the PATH.
enum ReferencePython {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let withZarr: String? = {
        let env = ProcessInfo.processInfo.environment["TESSERA_PYTHON"].map { [$0] } ?? []
        for python in env + [root + "/.build-py/bin/python", root + "/.build/peers/bin/python", "/usr/bin/python3"] {
            guard FileManager.default.isExecutableFile(atPath: python) else { continue }
            if (try? run(python, ["-c", "import zarr, numpy; assert int(zarr.__version__.split('.')[0]) >= 3"]))?.status == 0 { return python }
        }
        return nil
    }()

    static func run(_ python: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// zarr-python reads what Tessera writes. Skipped, and says so, when no Python with zarr 3 is
/// found (make one with `python3 -m venv .build-py && .build-py/bin/pip install zarr`).
@Suite(.enabled(if: ReferencePython.withZarr != nil, "no Python with zarr-python 3 found (set TESSERA_PYTHON or make .build-py); interop not checked"))
struct ZarrPythonInteropTests {
    static let layouts: [(ZarrFormat, ZarrCompression, ZarrSharding?, Bool)] = [
        (.v3, .zstd(level: 3), nil, false), (.v3, .gzip(level: 5), nil, true), (.v3, .blosc(cname: "lz4", level: 5, shuffle: .bit), nil, false),
        (.v3, .zstd(level: 1), ZarrSharding(innerChunks: [2, 3]), true), (.v3, .none, ZarrSharding(innerChunks: [4, 1], indexAtEnd: false), false),
        (.v2, .zstd(level: 3), nil, false), (.v2, .gzip(level: 1), nil, false), (.v2, .blosc(cname: "zstd", level: 3, shuffle: .byte), nil, false),
        (.v2, .none, nil, false),
    ]

    /// Every layout is written first, then one Python process reads them all (starting
    /// Python and importing zarr costs about a second).
    @Test func zarrPythonReadsWhatTesseraWrites() throws {
        let python = try #require(ReferencePython.withZarr)
        let dir = temporaryStore("interop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let values = try NDArray<Double>(shape: [11, 6], scalars: nastyDoubles(66, seed: 3))
        let x = try ChunkedArray<Double>(values, chunks: [4, 3])
        var stores: [String] = []
        for (i, (format, codec, shards, checksum)) in Self.layouts.enumerated() {
            stores.append("\(dir)/\(i).zarr")
            try x.toZarr(stores[i], format: format, codec: codec, shards: shards, checksum: checksum)
        }
        let ints: [Int32] = [.min, .max, 0, -1, 5, 6, 7]
        try ChunkedArray<Int32>(NDArray(ints), chunks: [3]).toZarr(dir + "/ints.zarr", codec: .blosc(cname: "zlib", level: 1, shuffle: .bit))
        // Fill values zarr-python must parse from our metadata: a deleted chunk reads as them.
        let fills: [(name: String, format: ZarrFormat, fill: Double)] = [("nan2", .v2, .nan), ("nan3", .v3, .nan), ("inf2", .v2, .infinity),
                                                                         ("neginf3", .v3, -.infinity), ("neg3", .v3, -2.5)]
        let column = try ChunkedArray<Double>(NDArray(nastyDoubles(10, seed: 4)), chunks: [4])
        for f in fills {
            try column.toZarr("\(dir)/\(f.name).zarr", format: f.format, fillValue: f.fill)
            try FileManager.default.removeItem(atPath: "\(dir)/\(f.name).zarr" + (f.format == .v3 ? "/c/1" : "/1"))
        }
        try ChunkedArray<Int32>(NDArray(ints), chunks: [3]).toZarr(dir + "/intfill.zarr", format: .v2, fillValue: -7)
        try FileManager.default.removeItem(atPath: dir + "/intfill.zarr/1")
        let script = """
            import sys, zarr, numpy as np
            d = sys.argv[1]
            for i in range(\(stores.count)):
                np.save(f"{d}/{i}.npy", zarr.open_array(f"{d}/{i}.zarr", mode="r")[...].astype("<f8"))
            a = zarr.open_array(f"{d}/ints.zarr", mode="r")
            assert a.dtype == np.int32, a.dtype
            np.save(f"{d}/ints.npy", a[...].astype("<i8"))
            for name in \(fills.map(\.name)):
                np.save(f"{d}/{name}.npy", zarr.open_array(f"{d}/{name}.zarr", mode="r")[...].astype("<f8"))
            np.save(f"{d}/intfill.npy", zarr.open_array(f"{d}/intfill.zarr", mode="r")[...].astype("<i8"))
            """
        let r = try ReferencePython.run(python, ["-c", script, dir])
        try #require(r.status == 0, "zarr-python failed: \(r.output)")
        for i in stores.indices {
            #expect(sameBits(try NDArray<Double>.readNPY("\(dir)/\(i).npy"), values), "layout \(i): \(Self.layouts[i])")
        }
        #expect(try NDArray<Int64>.readNPY(dir + "/ints.npy").scalars == ints.map(Int64.init))
        for f in fills {
            let expected = try column.compute().scalars.enumerated().map { (4..<8).contains($0.offset) ? f.fill : $0.element }
            #expect(sameBits(try NDArray<Double>.readNPY("\(dir)/\(f.name).npy"), try NDArray(shape: [10], scalars: expected)), "fill \(f)")
        }
        #expect(try NDArray<Int64>.readNPY(dir + "/intfill.npy").scalars == ints.enumerated().map { (3..<6).contains($0.offset) ? -7 : Int64($0.element) })
    }
}
