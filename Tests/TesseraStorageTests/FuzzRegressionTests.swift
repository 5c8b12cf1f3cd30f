import Foundation
import Testing

/// Replays the fuzz seeds (Fuzz/corpus/NAME) and every crasher `make fuzz` found
/// (Fuzz/regressions/NAME) through the `fuzz-zarr` and `fuzz-hdf5` executables' replay mode,
/// which reads each input every way the fuzzer does; it must exit normally. `swift build
/// --build-tests` builds those executables next to the test bundle.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func replayer(_ name: String) -> String? {
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [bin, bin.deletingLastPathComponent()].map { $0.appendingPathComponent(name).path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: replayer("fuzz-zarr") != nil, "fuzz-zarr is not built next to the tests (swift build --build-tests builds it)"))
    func zarrSeedsAndCrashersReadOrFailCleanly() throws {
        try replay("fuzz-zarr", corpus: "zarr", atLeast: 20)
    }

    @Test(.enabled(if: replayer("fuzz-hdf5") != nil, "fuzz-hdf5 is not built next to the tests (swift build --build-tests builds it)"))
    func hdf5SeedsAndCrashersReadOrFailCleanly() throws {
        try replay("fuzz-hdf5", corpus: "hdf5", atLeast: 10)
    }

    /// Runs `executable` over every file of Fuzz/corpus/`corpus` and Fuzz/regressions/`corpus`.
    func replay(_ executable: String, corpus: String, atLeast: Int) throws {
        let inputs = ["Fuzz/corpus/" + corpus, "Fuzz/regressions/" + corpus].flatMap { dir -> [String] in
            let path = Self.root.appendingPathComponent(dir).path
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
        }
        #expect(inputs.count >= atLeast)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.replayer(executable)))
        p.arguments = inputs
        // One HDF5 regression makes libhdf5 ask for 383 GB; it copes with the NULL that glibc
        // returns, but a sanitizer's allocator (this test under `make tsan`) aborts instead.
        var environment = ProcessInfo.processInfo.environment
        for key in ["TSAN_OPTIONS", "ASAN_OPTIONS"] {
            environment[key] = (environment[key].map { $0 + ":" } ?? "") + "allocator_may_return_null=1"
        }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(executable): \(out)")
        #expect(out.contains("read \(inputs.count) inputs without crashing"), "\(executable): \(out)")
    }
}
