import Foundation
import Testing
@testable import TesseraFrame

/// `tessera groupby` run as a child process: the binary built next to this test bundle.
@Suite struct GroupbyCommandTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("tessera")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Exit status, standard output and standard error of `tessera ARGS`.
    /// A missing binary is a failure, not a skip: `swift test` builds every product first.
    static func run(_ args: [String]) throws -> (Int32, String, String) {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "\(executable.path) is missing: `swift build` (or `make test`) builds it")
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// `--progress` asked for explicitly shows the bar even for work far shorter than the half
    /// second after which it appears on its own; without it, a pipe gets no bar.
    @Test
    func explicitProgressShowsForShortWork() throws {
        let args = ["groupby", "data/1990.csv", "--by", "Origin", "--agg", "DepDelay:mean"]
        let (status, out, err) = try Self.run(args + ["--progress"])
        #expect(status == 0)
        #expect(out.hasPrefix("Origin,DepDelay_mean\n"))
        #expect(err.contains("| 100% |") && err.contains("completed in"), "\(err)")
        let (quiet, _, none) = try Self.run(args)
        #expect(quiet == 0)
        #expect(!none.contains("tasks |"))
    }

    @Test
    func groupbyCommand() throws {
        // The answer, the same as the library's, as CSV with shortest round-trip floats.
        let (status, out, _) = try Self.run(["groupby", "data", "--by", "Origin", "--agg", "DepDelay:mean,DepDelay:count", "--workers", "2"])
        #expect(status == 0)
        var options = CSVOptions()
        options.usecols = ["Origin", "DepDelay"]
        let t = try readCSV(Self.root.appendingPathComponent("data").path, options: options)
            .groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .count]).compute()
        var expected = "Origin,DepDelay_mean,DepDelay_count\n"
        for r in 0..<t.rowCount { expected += "\(t.columns[0][r]),\(t.columns[1][r]),\(t.columns[2][r])\n" }
        #expect(out == expected)

        // --output writes the same text; sync scheduler and a small blocksize change nothing.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("groupby-\(getpid()).csv")
        let (s2, _, _) = try Self.run(["groupby", "data/1990.csv", "data/1991.csv", "data/199[2-9].csv", "--by", "Origin",
                                       "--agg", "DepDelay:mean,DepDelay:count", "--scheduler", "sync", "--blocksize", "64K", "--output", file.path])
        #expect(s2 == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == expected)
        try? FileManager.default.removeItem(at: file)

        // Bad usage exits with 2, bad data with 1 and a file:line:column message.
        #expect(try Self.run(["groupby", "data", "--by", "Origin", "--agg", "DepDelay:avg2"]).0 == 2)
        #expect(try Self.run(["groupby", "data", "--by", "Nope", "--agg", "DepDelay:mean"]).0 == 2)
        #expect(try Self.run(["groupby", "data", "--by", "Origin"]).0 == 2)
        #expect(try Self.run(["groupby", "/no/such/dir", "--by", "a", "--agg", "b:sum"]).0 == 2)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("groupby-bad-\(getpid()).csv")
        try Data("k,v\na,1\nb,x\n".utf8).write(to: bad)
        let (s3, _, err) = try Self.run(["groupby", bad.path, "--by", "k", "--agg", "v:sum", "--dtypes", "v:int64"])
        #expect(s3 == 1)
        #expect(err.contains("\(bad.path):3:2:"))  // line 3, column 2
        try? FileManager.default.removeItem(at: bad)
    }
}

/// `--help` paragraphs are single lines in the source, so argument-parser's own wrapping is the
/// only wrapping: at any terminal width no line ends mid-sentence before the width is used.
@Suite struct CommandHelpTests {
    @Test(arguments: ["groupby", "head", "describe", "schema"])
    func helpParagraphsAreWrappedOnlyByTheParser(command: String) throws {
        let (status, out, _) = try GroupbyCommandTests.run([command, "--help"])
        #expect(status == 0)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("OVERVIEW:") }),
              let end = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }) else {
            Issue.record("no OVERVIEW/USAGE in \(out)")
            return
        }
        // Within a paragraph, a line followed by more text must be nearly full: argument-parser
        // wraps at 80 columns when not on a terminal, so a ragged line well under that is a hard break.
        let paragraph = lines[start..<end]
        for (line, next) in zip(paragraph, paragraph.dropFirst()) where !line.isEmpty && !next.isEmpty
            && !next.hasPrefix("Exit status") && !line.hasPrefix("  Example") && !line.hasPrefix("Example") {
            let firstWord = next.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            #expect(line.count + 1 + firstWord.count >= 80, "hard line break: \"\(line)\" / \"\(next)\"")
        }
    }
}
