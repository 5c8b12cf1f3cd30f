import Foundation
import Testing

/// `mpirun -np N tessera …`: the command line run on several ranks prints what it prints as one
/// process (rank 0 alone prints), fails once with the same message, counts every rank's tasks in
/// its progress bar and writes one profile with every rank's tasks.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TESSERA_SANITIZER"] == nil))
struct CLIJobTests {
    static func tessera(_ arguments: [String], np: Int?, environment: [String: String] = [:]) throws -> MPIJobTests.Job {
        try MPIJobTests.launch(np: np, [try MPIJobTests.program("tessera")] + arguments, environment: environment,
                               limit: 120, separateErrors: true)
    }

    /// Three of data/'s files in partitions of 64 KiB (about 18 partitions), to keep debug runs short.
    static let files = "data/199[0-2].csv"
    static let commands: [[String]] = [
        ["groupby", "data/1990.csv", "data/1991.csv", "data/1992.csv", "--blocksize", "64K", "--by", "Origin,Dest",
         "--agg", "DepDelay:mean,ArrDelay:max,TailNum:nunique,Distance:median"],
        ["head", files, "-n", "9"],
        ["schema", files],
        ["describe", files],
    ]

    @Test(arguments: [2, 3])
    func everyCommandPrintsWhatOneProcessPrints(np: Int) throws {
        for command in np == 2 ? Self.commands : [Self.commands[0]] {
            let single = try Self.tessera(command, np: nil)
            #expect(single.status == 0, "\(command): \(single.errors)")
            let job = try Self.tessera(command, np: np)
            #expect(job.status == 0, "\(command) on \(np) ranks: \(job.errors)")
            #expect(!single.output.isEmpty)
            #expect(job.output == single.output, "\(command) on \(np) ranks printed\n\(job.output)\ninstead of\n\(single.output)")
        }
    }

    /// `--mpi` without mpirun: a job of one rank (MPI's singleton start), same output.
    @Test func theMPIFlagAloneRunsAJobOfOneRank() throws {
        let command = Self.commands[0]
        let single = try Self.tessera(command, np: nil)
        let job = try Self.tessera(command + ["--mpi"], np: nil)
        #expect(job.status == 0, "\(job.errors)")
        #expect(job.output == single.output)
    }

    /// Three small files, the last with a bad row deep inside (so schema inference at planning,
    /// which samples the first file, passes and a task fails while reading it).
    static func badData() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-cli-mpi-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in 0..<3 {
            var text = "Origin,DepDelay\n"
            for i in 0..<200 { text += (f == 2 && i == 150) ? "JFK,1,surplus\n" : "\(["EWR", "JFK", "LGA"][i % 3]),\(i * 7 % 23 - 5)\n" }
            try text.write(to: dir.appendingPathComponent("part-\(f).csv"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func aFailingTaskExitsOneWithItsMessageOnceFromRankZero() throws {
        let dir = try Self.badData()
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = ["groupby", dir.path, "--by", "Origin", "--agg", "DepDelay:sum"]
        let single = try Self.tessera(command, np: nil)
        #expect(single.status == 1)
        let message = try #require(single.errors.split(separator: "\n").first.map(String.init))
        #expect(message.contains("part-2.csv:152"), "\(message)")
        let job = try Self.tessera(command, np: 2)
        #expect(job.status == 1, "\(job.errors)")
        #expect(job.output.isEmpty)
        #expect(job.errors.components(separatedBy: message).count == 2, "the message once in\n\(job.errors)")
    }

    /// The bar on rank 0 ends at every task of the plan (its total), and the profile holds one
    /// event per task, as one process's does, on tracks of both ranks.
    @Test func progressAndProfileCoverEveryRank() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-cli-profile-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = Self.commands[0] + ["--progress", "--workers", "2"]
        let single = try Self.tessera(command + ["--profile", dir.path + "-1"], np: nil)
        defer { try? FileManager.default.removeItem(atPath: dir.path + "-1") }
        let job = try Self.tessera(command + ["--profile", dir.path], np: 2)
        #expect(job.status == 0, "\(job.errors)")
        func finalLine(_ s: String) -> String? {
            s.split(separator: "\r").map(String.init).last { $0.contains("completed in") }.map { $0.components(separatedBy: " | ")[2] }
        }
        let tasks = try #require(finalLine(single.errors))
        #expect(finalLine(job.errors) == tasks, "\(job.errors)")
        // One bar only: rank 1 draws nothing.
        #expect(job.errors.components(separatedBy: "completed in").count == 2)

        func events(_ path: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("trace.json"))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return (json["traceEvents"] as? [[String: Any]] ?? []).filter { $0["ph"] as? String == "X" }
        }
        let one = try events(dir.path + "-1"), both = try events(dir.path)
        #expect(both.count == one.count && !one.isEmpty, "\(both.count) task events against \(one.count)")
        #expect(Set(both.compactMap { $0["pid"] as? Int }) == [1, 2])
        #expect(Set(both.compactMap { ($0["name"] as? String) }) == Set(one.compactMap { $0["name"] as? String }))
    }

    /// The commands that write files — `generate-h2o`, `generate-flights`, `convert` to Parquet,
    /// into Hive folders and back to CSV — write on 2 ranks the bytes one process writes, under
    /// the same names, no temporary file left, with one task per file as one process runs them,
    /// spread over both ranks (their profile), and print what one process prints.
    @Test func commandsThatWriteFilesWriteWhatOneProcessWrites() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-cli-write-\(getpid())")
        try? FileManager.default.removeItem(at: base)
        defer { try? FileManager.default.removeItem(at: base) }
        let one = base.appendingPathComponent("one").path, two = base.appendingPathComponent("two").path
        // Each with the kind of its tasks that write files (every rank also plans a CSV input,
        // with tasks of its own).
        let commands: [(name: String, writer: String, arguments: (String) -> [String])] = [
            ("h2o", "map", { ["generate-h2o", $0, "--rows", "3000", "--files", "3"] }),
            ("flights", "map", { ["generate-flights", $0, "--files", "3", "--rows", "400"] }),
            ("parquet", "to-parquet", { ["convert", Self.files, $0] }),
            ("hive", "to-parquet-hive", { ["convert", Self.files, $0, "--partition-by", "Origin"] }),
            // The input is what one process wrote.
            ("csv", "to-csv", { ["convert", one + "/parquet", $0] }),
        ]
        for (name, writer, arguments) in commands {
            let single = try Self.tessera(arguments(one + "/" + name) + ["--profile", base.path + "/profile-one-" + name], np: nil)
            #expect(single.status == 0, "\(name): \(single.errors)")
            let job = try Self.tessera(arguments(two + "/" + name) + ["--profile", base.path + "/profile-two-" + name], np: 2)
            #expect(job.status == 0, "\(name) on 2 ranks: \(job.errors)")
            #expect(job.output.replacingOccurrences(of: two, with: one) == single.output, "\(name): \(job.output)")

            let written = try Self.files(under: one + "/" + name), jobWritten = try Self.files(under: two + "/" + name)
            #expect(!written.isEmpty && jobWritten.keys.sorted() == written.keys.sorted(), "\(name): \(jobWritten.keys.sorted())")
            #expect(!jobWritten.keys.contains { $0.contains(".tmp-") }, "\(name): \(jobWritten.keys.sorted())")
            for (path, bytes) in written { #expect(jobWritten[path] == bytes, "\(name): \(path) differs") }

            // Keys `(KIND-N, I)`.
            func writes(_ events: [[String: Any]]) -> [(name: String, rank: Int)] {
                events.compactMap { e in
                    guard let key = e["name"] as? String, let pid = e["pid"] as? Int, key.hasPrefix("(\(writer)-"),
                          key.dropFirst(writer.count + 2).first?.isNumber == true else { return nil }
                    return (key, pid - 1)
                }
            }
            let tasks = writes(try Self.taskEvents(base.path + "/profile-one-" + name))
            let jobTasks = writes(try Self.taskEvents(base.path + "/profile-two-" + name))
            #expect(!tasks.isEmpty && jobTasks.map(\.name).sorted() == tasks.map(\.name).sorted(),
                    "\(name): tasks \(jobTasks.map(\.name).sorted()) against \(tasks.map(\.name).sorted())")
            #expect(Set(jobTasks.map(\.rank)) == [0, 1], "\(name): the files were written by ranks \(jobTasks)")
        }
    }

    /// Every file under `directory` (hidden ones too), by path relative to it.
    static func files(under directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))
            }
        }
        return out
    }

    /// The task events (`ph` X) of the Chrome trace a `--profile` directory holds.
    static func taskEvents(_ directory: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("trace.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json["traceEvents"] as? [[String: Any]] ?? []).filter { $0["ph"] as? String == "X" }
    }
}
