import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Faults between planning and running, and writes that cannot happen: each must give a clear
/// error, leave no partial file under a final name, and leave the process able to compute again.
@Suite struct FaultTests {
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-faults-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func writeFiles(_ dir: URL, count: Int = 3, rows: Int = 200) throws {
        for f in 0..<count {
            var text = "id,value\n"
            for r in 0..<rows { text += "\(f * rows + r),\(Double(r) * 0.25)\n" }
            try text.write(to: dir.appendingPathComponent("part\(f).csv"), atomically: true, encoding: .utf8)
        }
    }

    /// A directory no write can land in, whoever runs the tests: a read-only directory for
    /// ordinary users; for root (who may write anywhere on disk), a path under /proc.
    static func unwritableDirectory() throws -> String {
        if getuid() == 0 { return "/proc/tessera-faults-\(getpid())" }
        let dir = try scratch("readonly")
        chmod(dir.path, 0o555)
        return dir.path
    }

    static func computesNextGraph() throws {
        let v = try (Delayed(20) + 22).compute(scheduler: .threads(2))
        #expect(v == 42)
    }

    @Test(arguments: [Scheduler.synchronous, .threads(2)])
    func fileRemovedBetweenPlanningAndReading(scheduler: Scheduler) throws {
        let dir = try FaultTests.scratch("removed")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FaultTests.writeFiles(dir)
        let frame = try readCSV(dir.path)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("part1.csv"))
        do {
            _ = try frame.compute(scheduler: scheduler)
            Issue.record("reading a removed file must fail")
        } catch {
            #expect("\(error)".contains("part1.csv"), "\(error)")
        }
        try FaultTests.computesNextGraph()
    }

    @Test(arguments: [Scheduler.synchronous, .threads(2)])
    func fileTruncatedBetweenPlanningAndReading(scheduler: Scheduler) throws {
        let dir = try FaultTests.scratch("truncated")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FaultTests.writeFiles(dir, count: 1, rows: 5_000)
        let file = dir.appendingPathComponent("part0.csv")
        var options = CSVOptions()
        options.blocksize = 4_096   // several partitions planned from the full size
        options.minimumBlocksize = 1  // small blocks on purpose: many partitions
        let frame = try readCSV(file.path, options: options)
        #expect(frame.partitions.count > 4)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 10_000)
        try handle.close()
        do {
            _ = try frame.compute(scheduler: scheduler)
            Issue.record("reading past the end of a truncated file must fail")
        } catch {
            #expect("\(error)".contains("part0.csv"), "\(error)")
        }
        try FaultTests.computesNextGraph()
    }

    @Test func toCSVIntoAnUnwritableDirectory() throws {
        let src = try FaultTests.scratch("src")
        defer { try? FileManager.default.removeItem(at: src) }
        try FaultTests.writeFiles(src)
        let frame = try readCSV(src.path)
        let target = try FaultTests.unwritableDirectory()
        #expect(throws: (any Error).self) { _ = try frame.toCSV(target) }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        #expect(left.isEmpty, "files left behind: \(left)")
        try FaultTests.computesNextGraph()
    }

    @Test func toCSVUnderAFileInsteadOfADirectory() throws {
        let src = try FaultTests.scratch("src2")
        defer { try? FileManager.default.removeItem(at: src) }
        try FaultTests.writeFiles(src)
        let frame = try readCSV(src.path)
        let blocker = src.appendingPathComponent("part0.csv").path + "/out"
        do {
            _ = try frame.toCSV(blocker)
            Issue.record("writing under a regular file must fail")
        } catch {
            #expect("\(error)".contains(blocker), "\(error)")
        }
        try FaultTests.computesNextGraph()
    }

    @Test func failedWriteLeavesNoFileUnderAFinalName() throws {
        // A partition that fails to compute: its part file never appears, others are whole.
        let src = try FaultTests.scratch("src3")
        let out = try FaultTests.scratch("out3")
        defer { try? FileManager.default.removeItem(at: src); try? FileManager.default.removeItem(at: out) }
        try FaultTests.writeFiles(src)
        try "id,value\n1,2\n3,4,5\n".write(to: src.appendingPathComponent("part9.csv"), atomically: true, encoding: .utf8)
        let frame = try readCSV(src.path)
        #expect(throws: (any Error).self) { _ = try frame.toCSV(out.path, scheduler: .synchronous) }
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(written.allSatisfy { !$0.hasPrefix(".") }, "temporary files left: \(written)")
        for name in written {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("id,value\n") && text.hasSuffix("\n"))
        }
    }
}
