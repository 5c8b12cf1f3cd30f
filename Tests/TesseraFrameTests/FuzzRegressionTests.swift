import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Replays the fuzzing corpus and every crasher `make fuzz` ever found (Fuzz/regressions/csv)
/// through the reader with several block sizes: each must read or fail with an error, not crash.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var inputs: [URL] {
        ["Fuzz/corpus/csv", "Fuzz/regressions/csv"].flatMap { dir -> [URL] in
            let url = root.appendingPathComponent(dir)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
        }
    }

    @Test func corpusIsPresent() {
        #expect(FuzzRegressionTests.inputs.count >= 7)
    }

    @Test(arguments: FuzzRegressionTests.inputs)
    func readsOrFailsCleanly(input: URL) {
        for blocksize in [7, 64, 1 << 20] {
            var options = CSVOptions()
            options.blocksize = blocksize
            options.minimumBlocksize = 1  // small blocks on purpose: many partitions
            do {
                let table = try readCSV(input.path, options: options).compute(scheduler: .threads(2))
                // Whatever was read is rectangular.
                for column in table.columns { #expect(column.count == table.rowCount) }
            } catch {
                // A clear error names the file it is about.
                #expect("\(error)".contains(input.lastPathComponent), "\(error)")
            }
        }
    }

    /// What `make fuzz` checks on every input, replayed: the full tokenizer with the default
    /// window, and the fast path with 64- and 100-byte windows, give the same table or the same
    /// first error (errors in file order: a ragged row after a bad value reports the value).
    @Test(arguments: FuzzRegressionTests.inputs)
    func readsTheSameEveryWay(input: URL) {
        func outcome(_ options: CSVOptions) -> String {
            do {
                let t = try readCSV(input.path, options: options).compute(scheduler: .synchronous)
                return t.names.map { "\($0) \(t[$0]!.type) \(t[$0]!.elements)" }.joined(separator: "\n")
            } catch {
                let text = "\(error)"
                return "error: " + (text.range(of: " failed: ").map { String(text[$0.upperBound...]) } ?? text)
            }
        }
        for onBadLines in [OnBadLines.error, .skip] {
            var reference = CSVOptions()
            reference.onBadLines = onBadLines
            reference.fastTokenizer = false
            let expected = outcome(reference)
            for window in [64, 100] {
                var options = CSVOptions()
                options.onBadLines = onBadLines
                options.windowBytes = window
                #expect(outcome(options) == expected, "window \(window), \(onBadLines)")
            }
        }
    }
}
