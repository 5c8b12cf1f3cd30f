import Foundation
import Testing
import TesseraArray

/// Replays the .npy fixtures and every crasher `make fuzz` ever found (Fuzz/regressions/npy)
/// through the reader as each element type: each must read or fail with an error, not crash.
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
    }
}
