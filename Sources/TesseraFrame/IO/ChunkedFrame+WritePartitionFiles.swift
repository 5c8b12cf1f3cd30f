// One file per partition, written in parallel, each through a temporary name and a rename so
// that a failure never leaves a half-written file under its final name. Every format's writer
// (CSV, Parquet) is this with its own encoder.

import Foundation
import Tessera
#if canImport(Glibc)
import Glibc
#endif

extension ChunkedFrame {
    /// Writes one file per partition into `directory` (created if missing), named
    /// `part-00000.EXT`, `part-00001.EXT`, …, each encoded by `encode` on a worker thread.
    /// - Parameters:
    ///   - directory: where the files go.
    ///   - fileExtension: the files' extension, without the dot (`csv`, `parquet`).
    ///   - kind: the tasks' name in keys and diagnostics (`to-csv`).
    ///   - scheduler: where to run (the default scheduler when nil).
    ///   - encode: a partition's complete file contents.
    /// - Returns: the paths written, in partition order.
    /// - Throws: `FrameError.io` naming the path that couldn't be written (as a `TaskFailure`
    ///   when it happens in a partition's task), or what `encode` throws.
    /// - Complexity: one pass over each partition plus `encode`'s work; partitions in parallel.
    @discardableResult
    public func writePartitionFiles(_ directory: String, fileExtension: String, kind: String, scheduler: Scheduler? = nil,
                                    encode: @escaping @Sendable (Table) throws -> [UInt8]) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FrameError.io(path: directory, message: "cannot create directory: \(error.localizedDescription)")
        }
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let parts = partitions
        let layer = Layer(kind: kind, count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in
                let t = args[0] as! Table
                let name = "part-" + String(repeating: "0", count: Swift.max(0, 5 - String(i).count)) + String(i) + "." + fileExtension
                try writeFileAtomically(try encode(t), to: dir + name)
                return (dir + name) as Any
            }
        }
        return try TaskGraph(layer.refs).compute(scheduler: scheduler).map { $0 as! String }
    }
}

/// Writes `bytes` to a temporary name beside `path`, then renames it into place, so `path` is
/// either absent or complete.
/// - Throws: `FrameError.io` naming `path`; the temporary file is removed.
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp-\(getpid())").path
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: tmp))
    } catch {
        try? FileManager.default.removeItem(atPath: tmp)
        throw FrameError.io(path: path, message: "cannot write: \(error.localizedDescription)")
    }
    guard Glibc.rename(tmp, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: tmp)
        throw FrameError.io(path: path, message: "cannot rename into place: \(reason)")
    }
}
