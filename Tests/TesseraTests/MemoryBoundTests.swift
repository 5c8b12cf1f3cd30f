import Foundation
import Testing

/// Peak resident memory of whole workloads, measured in a child process (the release
/// `tessera-bench`, which `make test` builds first; its harness reads the child's peak RSS from
/// `wait4`, the kernel's VmHWM). Bounds are workers × block size × a small factor plus the
/// runtime's own baseline, and far below the data's size.
@Suite(.serialized) struct MemoryBoundTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bench = root.appendingPathComponent(".build/release/tessera-bench")
    static let baseline = 100_000_000

    /// Runs `workload` once with 2 workers; returns (peak RSS bytes, result text).
    static func measure(_ workload: String) throws -> (Int, String) {
        guard FileManager.default.isExecutableFile(atPath: bench.path) else {
            Issue.record("\(bench.path) is missing: run `make test`, which builds it in release first")
            return (0, "")
        }
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(workload)-\(getpid()).json")
        let process = Process()
        process.executableURL = bench
        process.currentDirectoryURL = root
        process.arguments = [workload, "--runs", "1", "--no-warmup", "--workers", "2", "--json", json.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [[String: Any]]
        try? FileManager.default.removeItem(at: json)
        let row = rows[0]
        #expect(row["error"] == nil, "\(row["error"] ?? "")")
        return (row["peak_rss_bytes"] as? Int ?? .max, row["result"] as? String ?? "")
    }

    @Test func reductionOverAnEightGigabyteArray() throws {
        // 10⁹ doubles in 80 MB blocks, each materialised: bound 2 workers × 80 MB × 3 + baseline.
        let (peak, result) = try MemoryBoundTests.measure("memory-array")
        let bound = 2 * 80_000_000 * 3 + MemoryBoundTests.baseline
        #expect(peak < bound, "peak \(peak) bytes over the bound \(bound)")
        #expect(peak < 1_000_000_000)
        // The sum of 10⁹ uniforms on [0, 1) is 5e8 within a few ×1e4 (σ ≈ 9,100).
        let total = Double(result) ?? 0
        #expect(abs(total - 5e8) < 1e5, "sum \(result)")
    }

    @Test func groupbyOverACSVDirectoryFortyPartitionsLarge() throws {
        // ≈340 MB of CSV in 8 MiB partitions, all 23 columns parsed: bound 2 workers × 8 MiB × 10 + baseline.
        let (peak, result) = try MemoryBoundTests.measure("memory-groupby")
        let bound = 2 * (8 << 20) * 10 + MemoryBoundTests.baseline
        #expect(peak < bound, "peak \(peak) bytes over the bound \(bound)")
        for origin in ["EWR", "JFK", "LGA"] { #expect(result.contains(origin)) }
    }
}
