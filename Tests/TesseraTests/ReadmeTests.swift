import Foundation
import Testing
import Tessera

/// The README's tour, compiled and run. `readmeMatchesTheTests` keeps the two in step: every
/// ```swift block of README.md must appear, line for line, in this file or in the array and
/// frame tours (ReadmeArrayTests.swift, ReadmeFrameTests.swift) or the dashboard examples
/// (ReadmeDashboardTests.swift, and the MPI one in Tests/MPICheck/main.swift).
@Suite struct ReadmeTests {
    @Test func delayedTasks() throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let total = add(inc(Delayed(1)), inc(Delayed(2)))   // builds a graph; nothing runs yet
        #expect(try total.compute() == 5)                    // runs it on all cores
        #expect(total.key.name.hasPrefix("add-"))
    }

    @Test func lazyOperations() throws {
        let data = Delayed([3, 1, 2], name: "data")
        let sorted = data.map(name: "sort") { $0.sorted() }
        let (smallest, count) = try compute(sorted.first, sorted.count)
        #expect(smallest == 1 && count == 3)
        #expect(try (Delayed(6) * 7 > Delayed(40)).compute())
    }

    @Test func schedulers() throws {
        let x = Delayed(20) + 1
        #expect(try x.compute(scheduler: .synchronous) == 21)   // calling thread: for debugging
        #expect(try x.compute(scheduler: .threads(2)) == 21)    // a pool of 2 workers
        let squares = try (1...4).parallelMap { $0 * $0 }       // Python's Pool.map
        #expect(squares == [1, 4, 9, 16])
    }

    @Test func asyncCompute() async throws {
        let y = Delayed(20) + 1
        let viaAsync = try await y.compute()   // suspends; never blocks the cooperative pool
        #expect(viaAsync == 21)
    }

    @Test func failures() throws {
        let failing = delayed(name: "parse") { (s: String) throws -> Int in
            guard let v = Int(s) else { throw CocoaError(.formatting) }
            return v
        }
        #expect(throws: TaskFailure.self) { try failing(Delayed("x")).compute() }
    }

    @Test func readmeMatchesTheTests() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try [here.path, root.path + "/Tests/TesseraArrayTests/ReadmeArrayTests.swift",
                          root.path + "/Tests/TesseraFrameTests/ReadmeFrameTests.swift",
                          root.path + "/Tests/TesseraParquetTests/ReadmeParquetTests.swift",
                          root.path + "/Tests/TesseraStorageTests/ReadmeStorageTests.swift",
                          root.path + "/Tests/TesseraDashboardTests/ReadmeDashboardTests.swift",
                          root.path + "/Tests/MPICheck/main.swift"]
            .map { try String(contentsOfFile: $0, encoding: .utf8) }.joined(separator: "\n")
        let sourceLines = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let blocks = readme.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 6)
        for block in blocks {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // The block's lines must appear consecutively in this file.
            let found = sourceLines.indices.contains { start in
                start + lines.count <= sourceLines.count && Array(sourceLines[start..<start + lines.count]) == lines
            }
            #expect(found, "README block not in the Readme*Tests.swift files:\n\(block)")
        }
    }
}
