import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraStorage

@Suite struct HDF5ReadTests {
    static let datasets = [
        "contiguous_f8", "group/chunked_gzip_shuffle_f8", "group/chunked_plain_i4", "chunked_gzip_big_i2",
        "contiguous_u1", "chunked_fill_f8", "group/chunked_fletcher_gzip_shuffle_f4",
    ]

    @Test(arguments: datasets)
    func readsDatasetAtEveryCut(_ name: String) throws {
        let expected = try NDArray<Double>.readNPY(fixture("h5_" + name.replacingOccurrences(of: "/", with: "_") + ".npy"))
        for cut in cuts(expected.shape) {
            let a = try ChunkedArray<Double>.fromHDF5(fixture("arrays.h5"), dataset: "/" + name, chunks: cut)
            #expect(a.shape == expected.shape)
            #expect(sameBits(try a.compute(), expected), "\(name) at \(cut)")
        }
    }

    @Test func integersReadExactly() throws {
        for name in ["group/chunked_plain_i4", "chunked_gzip_big_i2", "contiguous_u1"] {
            let expected = try NDArray<Int64>.readNPY(fixture("h5_" + name.replacingOccurrences(of: "/", with: "_") + ".i8.npy"))
            #expect(try ChunkedArray<Int64>.fromHDF5(fixture("arrays.h5"), dataset: name, chunks: [2]).compute() == expected)
        }
    }

    /// Read as the stored type, the last filter stage decodes straight into the block: the
    /// same values, bit for bit, as the converting path.
    @Test func storedTypeDecodesStraightIntoTheBlock() throws {
        let f4 = try ChunkedArray<Float>.fromHDF5(fixture("arrays.h5"), dataset: "/group/chunked_fletcher_gzip_shuffle_f4").compute()
        let f4expected = try NDArray<Double>.readNPY(fixture("h5_group_chunked_fletcher_gzip_shuffle_f4.npy"))
        #expect(f4.shape == f4expected.shape)
        #expect(zip(f4.scalars, f4expected.scalars).allSatisfy { Double($0).bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        let i4 = try ChunkedArray<Int32>.fromHDF5(fixture("arrays.h5"), dataset: "/group/chunked_plain_i4").compute()
        #expect(i4.scalars.map(Int64.init) == (try NDArray<Int64>.readNPY(fixture("h5_group_chunked_plain_i4.i8.npy"))).scalars)
    }

    @Test func blocksFollowTheDatasetChunks() throws {
        let a = try ChunkedArray<Double>.fromHDF5(fixture("arrays.h5"), dataset: "/group/chunked_gzip_shuffle_f8")
        #expect(a.chunks == [[4, 4, 1], [3, 3, 1]])
    }

    /// lzf is h5py's own filter, absent from libhdf5: the read goes through H5Dread and fails
    /// with an error naming the dataset, not a crash.
    @Test func aFilterLibhdf5LacksIsATypedError() throws {
        let a = try ChunkedArray<Double>.fromHDF5(fixture("arrays.h5"), dataset: "/chunked_lzf_f4")
        let e = storageError { _ = try a.compute() }
        #expect(e?.key == "/chunked_lzf_f4", "\(String(describing: e))")
    }

    @Test func unsupportedTypesAndMissingDatasetsAreTypedErrors() {
        let file = fixture("arrays.h5")
        for (name, says) in [("/compound", "compound"), ("/strings", "string"), ("/ragged", "variable-length"), ("/nope", "no such dataset"), ("/group", "not a dataset")] {
            let e = storageError { _ = try ChunkedArray<Double>.fromHDF5(file, dataset: name) }
            #expect(e?.reason.contains(says) == true, "\(name): \(String(describing: e))")
        }
        let e = storageError { _ = try ChunkedArray<Double>.fromHDF5("/nonexistent.h5", dataset: "/x") }
        #expect(e?.reason.contains("no such file") == true)
    }

    /// A slice computes from the chunks it touches: with every other chunk's deflate stream
    /// damaged, a slice inside chunk (0, 0) still reads, and the whole array does not.
    @Test func sliceReadsOnlyTheChunksItTouches() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-h5-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: fixture("arrays.h5"), toPath: copy)
        let ds = try HDF5Dataset.open(file: copy, dataset: "/group/chunked_gzip_shuffle_f8")
        guard case let .chunked(_, chunks, _) = ds.layout else { Issue.record("expected a chunked layout"); return }
        try rewrite(copy) { b in for (c, info) in chunks where c != [0, 0] { b[info.address] ^= 0xFF; b[info.address + 1] ^= 0xFF } }
        let a = try ChunkedArray<Double>.fromHDF5(copy, dataset: "/group/chunked_gzip_shuffle_f8")
        let expected = try NDArray<Double>.readNPY(fixture("h5_group_chunked_gzip_shuffle_f8.npy"))
        let part = try a[.slice(1, 3), .slice(0, 2)].compute()
        #expect(sameBits(part, try NDArray(shape: [2, 2], scalars: [expected[1, 0], expected[1, 1], expected[2, 0], expected[2, 1]])))
        #expect(storageError { _ = try a.compute() } != nil)
    }

    /// Chunk records the file cannot hold (past its end) are refused when the array is built,
    /// before any task trusts them.
    @Test func chunkPastTheEndOfTheFileIsATypedError() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-h5-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: fixture("arrays.h5"), toPath: copy)
        let ds = try HDF5Dataset.open(file: copy, dataset: "/group/chunked_plain_i4")
        guard case let .chunked(_, chunks, _) = ds.layout else { Issue.record("expected a chunked layout"); return }
        // The chunk B-tree (version 1, no checksum) stores each chunk's address as 8 bytes
        // little-endian: point one chunk far past the end of the file.
        let address = try #require(chunks.values.map(\.address).max())
        try rewrite(copy) { b in
            let needle = (0..<8).map { UInt8(truncatingIfNeeded: address >> (8 * $0)) }
            let at = (0...(b.count - 8)).filter { b[$0..<($0 + 8)].elementsEqual(needle) }
            #expect(at.count == 1, "the address \(address) occurs \(at.count) times")
            for i in at { b[i + 5] = 0x40 }
        }
        let e = storageError { _ = try ChunkedArray<Int64>.fromHDF5(copy, dataset: "/group/chunked_plain_i4") }
        #expect(e?.reason.contains("past the end of the file") == true, "\(String(describing: e))")
    }

    @Test func corruptChunkIsATypedError() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-h5-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: fixture("arrays.h5"), toPath: copy)
        let a = try ChunkedArray<Double>.fromHDF5(copy, dataset: "/group/chunked_gzip_shuffle_f8")
        // Damage every deflate stream's header after the chunk index was read.
        let ds = try HDF5Dataset.open(file: copy, dataset: "/group/chunked_gzip_shuffle_f8")
        guard case let .chunked(_, chunks, _) = ds.layout else { Issue.record("expected a chunked layout"); return }
        try rewrite(copy) { b in for c in chunks.values { b[c.address] ^= 0xFF; b[c.address + 1] ^= 0xFF } }
        let e = storageError { _ = try a.compute() }
        #expect(e?.reason.contains("chunk") == true, "\(String(describing: e))")
    }
}
