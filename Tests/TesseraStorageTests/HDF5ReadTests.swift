import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraStorage

@Suite struct HDF5ReadTests {
    static let datasets = [
        "contiguous_f8", "group/chunked_gzip_shuffle_f8", "group/chunked_plain_i4", "chunked_gzip_big_i2",
        "contiguous_u1", "chunked_fill_f8",
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
        for (name, says) in [("/compound", "compound"), ("/strings", "string"), ("/nope", "no such dataset"), ("/group", "not a dataset")] {
            let e = storageError { _ = try ChunkedArray<Double>.fromHDF5(file, dataset: name) }
            #expect(e?.reason.contains(says) == true, "\(name): \(String(describing: e))")
        }
        let e = storageError { _ = try ChunkedArray<Double>.fromHDF5("/nonexistent.h5", dataset: "/x") }
        #expect(e?.reason.contains("no such file") == true)
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
