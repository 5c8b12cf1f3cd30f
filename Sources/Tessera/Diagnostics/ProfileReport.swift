import Foundation

/// Writes everything the profilers recorded into one folder, the files the `--profile DIR`
/// option of the `tessera` commands produces.
public enum ProfileReport {
    /// The file names `write(to:tasks:resources:)` produces.
    public static let fileNames = ["trace.json", "tasks.svg", "resources.csv", "resources.svg"]

    /// Writes, into `directory` (created if missing):
    /// - `trace.json` — Chrome trace events of the tasks and resource counters (open it in
    ///   https://ui.perfetto.dev or chrome://tracing);
    /// - `tasks.svg` — the task stream;
    /// - `resources.csv` and `resources.svg` — CPU % and resident memory over time
    ///   (only when `resources` is given).
    ///
    /// - Returns: the files written.
    /// - Throws: the file system's error when the folder or a file cannot be written.
    @discardableResult
    public static func write(to directory: URL, tasks: Profiler, resources: ResourceProfiler? = nil) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        func put(_ name: String, _ text: String) throws {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            written.append(url)
        }
        try put("trace.json", tasks.chromeTrace(resources: resources))
        try put("tasks.svg", tasks.taskStreamSVG())
        if let resources {
            try put("resources.csv", resources.csv())
            try put("resources.svg", resources.svg())
        }
        return written
    }
}
