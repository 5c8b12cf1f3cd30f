import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraStorage

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// Equal element by element, NaN equal to NaN and -0.0 told apart from 0.0 (bit patterns).
func sameBits(_ a: NDArray<Double>, _ b: NDArray<Double>) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
}

/// The `StorageError` a body throws, directly or as the underlying error of a failed task.
func storageError(_ body: () throws -> Void) -> StorageError? {
    do { try body(); return nil } catch let e as StorageError { return e } catch let f as TaskFailure { return f.underlying as? StorageError } catch { return nil }
}

extension StorageError {
    var key: String? {
        switch self {
        case .zarr(_, let k, _): return k
        case .hdf5(_, let d, _): return d
        }
    }
    var reason: String {
        switch self {
        case .zarr(_, _, let r), .hdf5(_, _, let r): return r
        }
    }
}

/// The block cuts every fixture is read at: the store's own chunks, odd blocks that split
/// chunks, and one block.
func cuts(_ shape: [Int]) -> [Chunks] {
    [.auto, .blockShape(shape.map { Swift.max(1, ($0 + 1) / 3) }), .blockShape(shape.map { _ in -1 })]
}

@Suite struct ZarrReadTests {
    static let floatStores = [
        "v3_f8_zstd_missing", "v3_f8_fill_inf", "v3_f8_fill_neginf_v2keys", "v3_i4_big_gzip", "v3_u2_blosc_bitshuffle",
        "v3_i8_blosc_zstd_shuffle", "v3_f8_blosc_blosclz", "v3_i2_blosc_zlib", "v3_f4_transpose_crc", "v3_u8_huge",
        "v3_i1_bigchunks", "v3_u1_zstd_crc", "v3_f8_sharded_end", "v3_i4_sharded_start", "v3_f8_scalar",
        "v2_f8_blosc_lz4_nan", "v2_i8_big_zlib", "v2_f4_order_f_gzip", "v2_u1_zstd_slash", "v2_i2_none",
        "v2_u4_big_blosc_bitshuffle",
    ]

    @Test(arguments: floatStores)
    func readsStoreAsDoubleAtEveryCut(_ name: String) throws {
        let expected = try NDArray<Double>.readNPY(fixture(name + ".npy"))
        for cut in cuts(expected.shape) {
            let a = try ChunkedArray<Double>.fromZarr(fixture(name + ".zarr"), chunks: cut)
            #expect(a.shape == expected.shape)
            let got = try a.compute()
            #expect(sameBits(got, expected), "\(name) at \(cut)")
        }
    }

    static let integerStores = [
        "v3_i4_big_gzip", "v3_u2_blosc_bitshuffle", "v3_i8_blosc_zstd_shuffle", "v3_i2_blosc_zlib", "v3_u8_huge",
        "v3_i1_bigchunks", "v3_u1_zstd_crc", "v3_i4_sharded_start", "v2_i8_big_zlib", "v2_u1_zstd_slash", "v2_i2_none",
        "v2_u4_big_blosc_bitshuffle",
    ]

    /// Integer stores read exactly as Int64 (uint64 wrapping, as NumPy's astype does).
    @Test(arguments: integerStores)
    func readsIntegerStoreAsInt64(_ name: String) throws {
        let expected = try NDArray<Int64>.readNPY(fixture(name + ".i8.npy"))
        let got = try ChunkedArray<Int64>.fromZarr(fixture(name + ".zarr"), chunks: cuts(expected.shape)[1]).compute()
        #expect(got == expected)
    }

    @Test(arguments: ["v3_bool", "v2_bool"])
    func readsBoolStores(_ name: String) throws {
        let expected = try NDArray<Bool>.readNPY(fixture(name + ".npy"))
        for cut in cuts(expected.shape) {
            #expect(try ChunkedArray<Bool>.fromZarr(fixture(name + ".zarr"), chunks: cut).compute() == expected)
        }
    }

    @Test func opensArraysInsideGroupsByPath() throws {
        let t = try ChunkedArray<Double>.fromZarr(fixture("v3_group.zarr"), array: "surface/temperature")
        #expect(sameBits(try t.compute(), try NDArray<Double>.readNPY(fixture("v3_group_surface_temperature.npy"))))
        let v = try ChunkedArray<Int64>.fromZarr(fixture("v2_group.zarr"), array: "g/values")
        #expect(try v.compute() == NDArray<Int64>.readNPY(fixture("v2_group_g_values.i8.npy")))
        #expect(throws: StorageError.self) { try ChunkedArray<Double>.fromZarr(fixture("v3_group.zarr"), array: "surface") }
        #expect(throws: StorageError.self) { try ChunkedArray<Double>.fromZarr(fixture("v2_group.zarr")) }
    }

    @Test func blocksFollowTheStoredChunksOrShards() throws {
        let a = try ChunkedArray<Double>.fromZarr(fixture("v3_f8_zstd_missing.zarr"))
        #expect(a.chunks == [[3, 3, 1], [2, 2, 1]])
        let s = try ChunkedArray<Double>.fromZarr(fixture("v3_f8_sharded_end.zarr"))
        #expect(s.chunks == [[4, 4, 2], [6, 3]])
    }

    /// Blocks asked bigger than the stored chunks, as whole multiples of them: each block is
    /// assembled from the chunks (shards) it covers, at every multiple, with missing chunks
    /// reading as the fill value.
    @Test func biggerBlocksAsWholeMultiplesOfTheChunks() throws {
        for (name, chunks, grid) in [("v3_f8_zstd_missing", [6, 4], [[6, 1], [4, 1]]), ("v3_f8_sharded_end", [8, 6], [[8, 2], [6, 3]]),
                                     ("v2_f8_blosc_lz4_nan", [6, 8], [[6, 1], [6]])] {
            let a = try ChunkedArray<Double>.fromZarr(fixture(name + ".zarr"), chunks: .blockShape(chunks))
            #expect(a.chunks == grid, "\(name)")
            #expect(sameBits(try a.compute(), try NDArray<Double>.readNPY(fixture(name + ".npy"))), "\(name)")
        }
    }

    /// In a sharded array, a block reads only the byte ranges of the inner chunks it covers:
    /// with every other inner chunk of shard c/0/0 damaged, blocks of one inner chunk over
    /// chunk (0, 0) still read.
    @Test func blocksReadOnlyTheShardRangesTheyCover() throws {
        let dir = temporaryStore("shard-ranges")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixture("v3_f8_sharded_end.zarr"), toPath: dir)
        let meta = try ZarrMetadata.read(dir)
        let sharding = try #require(meta.sharding)
        let shard = dir + "/c/0/0"
        let size = try #require(try StoreFiles.size(shard))
        let fd = open(shard, O_RDONLY)
        let index = try ShardIndex.read(fd: fd, fileSize: size, sharding: sharding, shardShape: meta.chunkShape, path: shard)
        close(fd)
        try rewrite(shard) { b in
            for local in [[0, 1], [1, 0], [1, 1]] {
                let (offset, count) = index.range(local)!
                for j in offset..<(offset + count) { b[j] ^= 0x5A }
            }
        }
        let a = try ChunkedArray<Double>.fromZarr(dir, chunks: [2, 3])
        let expected = try NDArray<Double>.readNPY(fixture("v3_f8_sharded_end.npy"))
        #expect(sameBits(try a[.slice(0, 2), .slice(0, 3)].compute(), try expected.slice([.slice(0, 2), .slice(0, 3)])))
        let e = storageError { _ = try a[.slice(2, 4), .slice(0, 3)].compute() }
        #expect(e?.key == "c/0/0" && e?.reason.contains("inner chunk [1, 0]") == true, "\(String(describing: e))")
    }

    /// A slice computes from the blocks it touches: deleting every other chunk file leaves it
    /// readable.
    @Test func sliceReadsOnlyTheChunksItTouches() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-zarr-slice-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixture("v3_i4_big_gzip.zarr"), toPath: dir)
        // Chunks (4, 3) of a (6, 7) array: corrupt everything outside block row 0, column 0.
        for key in ["c/0/1", "c/0/2", "c/1/0", "c/1/1", "c/1/2"] {
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: dir + "/" + key))
        }
        let a = try ChunkedArray<Int64>.fromZarr(dir)
        let expected = try NDArray<Int64>.readNPY(fixture("v3_i4_big_gzip.i8.npy"))
        let part = try a[.slice(1, 3), .slice(0, 2)].compute()
        #expect(part.scalars == [expected[1, 0], expected[1, 1], expected[2, 0], expected[2, 1]])
        let e = storageError { _ = try a.compute() }
        #expect(e?.key == "c/0/1" || e?.key?.hasPrefix("c/1") == true, "\(String(describing: e))")
    }

    /// Blocks of several chunks decode a chunk straight into the block when its elements are one
    /// run there (1-d chunks, chunks of whole rows, chunks of one plane), and apart otherwise;
    /// missing chunks read as the fill value either way. Checked against the written values
    /// with the deleted chunks' elements set to the fill value by a naive loop, at cuts that
    /// are whole multiples of the chunks, cuts that split them, and one block.
    @Test func blocksOfManyChunksDecodeInPlaceOrApart() throws {
        let cases: [(shape: [Int], chunks: [Int], missing: [[Int]], cuts: [[Int]])] = [
            ([23], [4], [[2], [5]], [[8], [6], [23], [12]]),
            ([7, 6], [2, 6], [[1, 0]], [[4, 6], [3, 6], [4, 3], [7, 6]]),
            ([5, 3, 4], [1, 3, 4], [[0, 0, 0], [3, 0, 0]], [[2, 3, 4], [3, 3, 4], [5, 2, 4], [5, 3, 4]]),
            ([6, 6], [3, 2], [[1, 2]], [[6, 6], [3, 6], [6, 4]]),
        ]
        for (n, c) in cases.enumerated() {
            let dir = temporaryStore("in-place-\(n)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let count = c.shape.reduce(1, *)
            let values = try NDArray<Double>(shape: c.shape, scalars: nastyDoubles(count, seed: UInt64(n + 11)))
            try ChunkedArray<Double>(values, chunks: .blockShape(c.chunks)).toZarr(dir, fillValue: -2.5)
            for key in c.missing { try FileManager.default.removeItem(atPath: dir + "/c/" + key.map(String.init).joined(separator: "/")) }
            var expected = values.scalars
            let strides = (0..<c.shape.count).map { k in c.shape[(k + 1)...].reduce(1, *) }
            for flat in 0..<count {
                let chunk = (0..<c.shape.count).map { k in flat / strides[k] % c.shape[k] / c.chunks[k] }
                if c.missing.contains(chunk) { expected[flat] = -2.5 }
            }
            let want = try NDArray<Double>(shape: c.shape, scalars: expected)
            for cut in c.cuts {
                #expect(sameBits(try ChunkedArray<Double>.fromZarr(dir, chunks: .blockShape(cut)).compute(), want), "\(c.shape) at \(cut)")
            }
        }
    }
}
