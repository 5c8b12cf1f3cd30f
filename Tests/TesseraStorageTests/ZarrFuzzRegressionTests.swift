import Foundation
import Testing

/// Replays the fuzz seeds (Fuzz/corpus/zarr) and every crasher `make fuzz` found
/// (Fuzz/regressions/zarr) through the `fuzz-zarr` executable's replay mode, which reads each
/// input as a store every way the fuzzer does; it must exit normally. `swift build --build-tests`
/// builds that executable next to the test bundle.
@Suite struct ZarrFuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let replayer: String? = {
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [bin, bin.deletingLastPathComponent()].map { $0.appendingPathComponent("fuzz-zarr").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test(.enabled(if: replayer != nil, "fuzz-zarr is not built next to the tests (swift build --build-tests builds it)"))
    func seedsAndCrashersReadOrFailCleanly() throws {
        let inputs = ["Fuzz/corpus/zarr", "Fuzz/regressions/zarr"].flatMap { dir -> [String] in
            let path = Self.root.appendingPathComponent(dir).path
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
        }
        #expect(inputs.count >= 20)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.replayer))
        p.arguments = inputs
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(out)")
        #expect(out.contains("read \(inputs.count) inputs without crashing"))
    }
}
