import Foundation
import Testing
import TesseraArray
import TesseraStorage

/// The README's array-storage tour, compiled and run (`ReadmeTests.readmeMatchesTheTests` checks
/// the README holds the same lines).
@Suite struct ReadmeStorageTests {
    @Test func zarrTour() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/tessera-tour-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let days = try ChunkedArray<Double>.randomNormal(shape: [40, 18, 36], chunks: [10, 18, 36], seed: 7)
        try days.toZarr(dir + "/days.zarr", codec: .zstd(level: 3))     // one chunk per block, metadata last
        let t = try ChunkedArray<Double>.fromZarr(dir + "/days.zarr")     // one block per stored chunk
        let climatology = try t.mean(axis: 0)                             // lazy, 18×36
        try climatology.toZarr(dir + "/mean.zarr", format: .v2, codec: .blosc(cname: "lz4", level: 5, shuffle: .byte))
        let back = try ChunkedArray<Double>.fromZarr(dir + "/mean.zarr").compute()
        #expect(t.chunks == [[10, 10, 10, 10], [18], [36]] && back.shape == [18, 36])
        let all = try days.compute()                                      // the same mean, by a plain loop
        var naive = 0.0
        for d in 0..<40 { naive += all[d, 5, 7] / 40 }
        #expect(abs(back[5, 7] - naive) < 1e-12)
    }
}
