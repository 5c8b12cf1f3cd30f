import Foundation
import Testing
import Tessera
import TesseraArray

/// Replays the .npy fixtures and every crasher `make fuzz` ever found (Fuzz/regressions/npy)
/// through the eager and lazy readers as each element type: each must read or fail with an
/// error naming the file, not crash.
@Suite struct NPYFuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var inputs: [URL] {
        ["Tests/TesseraArrayTests/Fixtures", "Fuzz/regressions/npy"].flatMap { dir -> [URL] in
            let url = root.appendingPathComponent(dir)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".npy") || dir.hasPrefix("Fuzz") }.filter { !$0.hasPrefix(".") }
                .sorted().map { url.appendingPathComponent($0) }
        }
    }

    @Test(arguments: NPYFuzzRegressionTests.inputs)
    func readsOrFailsCleanly(input: URL) {
        func attempt<T>(_ read: () throws -> NDArray<T>) {
            do {
                let a = try read()
                #expect(a.shape.reduce(1, *) == a.count)
            } catch {
                #expect("\(error)".contains(input.lastPathComponent))
            }
        }
        attempt { try NDArray<Double>.readNPY(input.path) }
        attempt { try NDArray<Float>.readNPY(input.path) }
        attempt { try NDArray<Int64>.readNPY(input.path) }
        attempt { try NDArray<Int32>.readNPY(input.path) }
        attempt { try NDArray<Bool>.readNPY(input.path) }
        // The lazy reader too: its chunk grid comes from the header's shape.
        attempt { try ChunkedArray<Double>.fromNPY(input.path, chunks: 2).compute(scheduler: .synchronous) }
        attempt { try ChunkedArray<Int64>.fromNPY(input.path).compute(scheduler: .synchronous) }
    }
}
