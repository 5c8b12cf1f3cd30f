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
}
