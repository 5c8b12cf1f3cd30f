import Foundation
import Testing
import Tessera
import TesseraArray

/// `.npy` writes that cannot happen: a clear error naming the path, nothing left behind, and the
/// process able to compute again.
@Suite struct NPYFaultTests {
    @Test func writeIntoAMissingDirectory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-missing-\(UUID().uuidString)/a.npy").path
        let a = try NDArray<Double>(shape: [3], scalars: [1, 2, 3])
        do {
            try a.writeNPY(path)
            Issue.record("writing into a missing directory must fail")
        } catch {
            #expect("\(error)".contains("a.npy"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try (Delayed(2) * 21).compute(scheduler: .threads(2)) == 42)
    }

    @Test func writeIntoAnUnwritableDirectory() throws {
        let dir: String
        if getuid() == 0 {
            dir = "/proc"   // root may write anywhere on disk, but not here
        } else {
            let d = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-ro-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            chmod(d.path, 0o555)
            dir = d.path
        }
        let a = try NDArray<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect(throws: (any Error).self) { try a.writeNPY(dir + "/b.npy") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.npy"))
        let chunked = try ChunkedArray(a, chunks: [1, 2])
        #expect(throws: (any Error).self) { try chunked.toNPYStack(dir + "/stack") }
        #expect(try (Delayed(2) * 21).compute(scheduler: .threads(2)) == 42)
    }
}
