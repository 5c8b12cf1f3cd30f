import Foundation

// Rendering DOT through Graphviz's `dot` program, found on PATH. Tessera links no Graphviz
// library: pictures are an occasional need and the program is one package away everywhere.

/// Why a graph picture could not be written.
public enum GraphvizError: Error, CustomStringConvertible, Equatable {
    /// `dot` is not on PATH; `path` is the PATH that was searched.
    case dotNotFound(path: String)
    /// The file extension names no format `visualize` writes.
    case unsupportedFormat(file: String)
    /// `dot` ran and failed.
    case dotFailed(file: String, status: Int32, message: String)

    /// What went wrong, and what to do about it (install Graphviz, or use another file extension).
    public var description: String {
        switch self {
        case .dotNotFound(let path):
            return "Graphviz's `dot` program was not found on PATH (\(path)); install Graphviz "
                + "(apt-get install graphviz, brew install graphviz) or write a .dot file instead"
        case .unsupportedFormat(let file):
            return "cannot write a graph to \(file): use a file ending in .dot, .gv, .svg, .png or .pdf"
        case .dotFailed(let file, let status, let message):
            return "Graphviz `dot` failed with status \(status) writing \(file): \(message)"
        }
    }
}

/// Finds Graphviz's `dot` and writes DOT text as a file or a rendered picture.
public enum Graphviz {
    /// The path of the `dot` executable on PATH, or nil.
    public static func dotExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "").split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writes `dot` text to `url`, as DOT text or rendered by Graphviz, chosen by the extension:
    /// `.dot`/`.gv` as text; `.svg`, `.png`, `.pdf` through `dot -T<format>`. Missing parent
    /// folders are created.
    ///
    /// - Throws: `GraphvizError.unsupportedFormat` for other extensions,
    ///   `GraphvizError.dotNotFound` when rendering is needed and `dot` is not on PATH,
    ///   `GraphvizError.dotFailed` when it fails; file-system errors when writing fails.
    public static func write(dot text: String, to url: URL,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let ext = url.pathExtension.lowercased()
        guard ["dot", "gv", "svg", "png", "pdf"].contains(ext) else { throw GraphvizError.unsupportedFormat(file: url.path) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        switch ext {
        case "dot", "gv":
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        case "svg", "png", "pdf":
            break
        default:
            throw GraphvizError.unsupportedFormat(file: url.path)
        }
        guard let executable = dotExecutable(environment: environment) else {
            throw GraphvizError.dotNotFound(path: environment["PATH"] ?? "")
        }
        // Through a temporary file rather than a pipe: dot reads all input before writing, and a
        // large graph would fill the pipe while we wait. Output goes to a temporary name and is
        // renamed, so a failure never leaves a half-written picture under the final name.
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-\(UUID().uuidString).dot")
        try text.write(to: temp, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: temp) }
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-T\(ext)", temp.path, "-o", partial.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw GraphvizError.dotFailed(file: url.path, status: process.terminationStatus,
                                          message: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: partial, to: url)
    }
}

extension TaskGraph {
    /// Writes a picture of the graph to `url`: DOT text for `.dot`/`.gv`, rendered by Graphviz
    /// for `.svg`, `.png` and `.pdf` (Dask's `visualize(filename=...)`).
    /// - Throws: `GraphvizError` (no `dot` on PATH, unknown extension, `dot` failed) or a
    ///   file-system error.
    public func visualize(to url: URL, _ options: VisualizeOptions = VisualizeOptions()) throws {
        try Graphviz.write(dot: dot(options), to: url)
    }
}

extension Computable {
    /// Writes a picture of the collection's graph to `url`; see `TaskGraph.visualize(to:_:)`.
    /// - Throws: `GraphvizError` or a file-system error.
    public func visualize(to url: URL, _ options: VisualizeOptions = VisualizeOptions()) throws {
        try graph.visualize(to: url, options)
    }
}

/// Writes one picture of several collections' shared graph (Dask's `dask.visualize(a, b)`).
/// - Throws: `GraphvizError` or a file-system error.
public func visualize<each C: Computable>(_ items: repeat each C, to url: URL,
                                          options: VisualizeOptions = VisualizeOptions()) throws {
    try TaskGraph(jointOutputs(repeat each items).refs).visualize(to: url, options)
}
