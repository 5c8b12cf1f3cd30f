import Foundation
import Tessera
import TesseraArray
import TesseraMPI

// `tessera-bench W --mpi N`: the harness starts the child under `mpirun -np N` (TCP over the
// loopback interface, as between machines); every rank runs the workload with `.mpi()`, rank 0
// times it and prints the JSON line, with each rank's peak memory and the bytes it sent in the
// last run, which the other ranks send it as side messages.

/// The `mpirun` command line in front of the child's.
enum MPILaunch {
    static func arguments(ranks: Int) -> [String] {
        var args = ["mpirun", "--oversubscribe", "-np", String(ranks),
                    "--mca", "pml", "ob1", "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "lo"]
        if getuid() == 0 { args.insert("--allow-run-as-root", at: 1) }
        return args
    }
}

/// The child side under MPI: every rank runs; rank 0 reports.
enum MPIChildRun {
    static let channel: UInt64 = 9

    static func run(workload: Workload, context: BenchContext, runs: Int, warmup: Bool) throws {
        let world = MPIWorld.shared
        var result = warmup ? try workload.run(context) : ""
        var times: [Double] = []
        var sentInRun = 0
        for _ in 0..<runs {
            let before = world.traffic.sent
            let start = DispatchTime.now().uptimeNanoseconds
            result = try workload.run(context)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            sentInRun = world.traffic.sent - before
        }
        let peak = peakResidentBytes() ?? 0
        if world.rank != 0 {
            var w = BlockWriter()
            w.write(Int64(world.rank))
            w.write(Int64(peak))
            w.write(Int64(sentInRun))
            world.sendSideMessage(w.bytes, to: 0, channel: channel)
        } else {
            let lines = LockedLines()
            let arrived = DispatchSemaphore(value: 0)
            world.setSideMessageHandler(channel: channel) { _, bytes in
                bytes.withUnsafeBytes { raw in
                    var r = BlockReader(raw)
                    if let rank = try? r.read(Int64.self), let p = try? r.read(Int64.self), let s = try? r.read(Int64.self) {
                        lines.add(Int(rank), p, s)
                    }
                }
                arrived.signal()
            }
            for _ in 1..<max(world.size, 1) { _ = arrived.wait(timeout: .now() + 30) }
            lines.add(0, Int64(peak), Int64(sentInRun))
            times.sort()
            let obj: [String: Any] = ["seconds": times[times.count / 2], "result": result, "peak_rss_bytes": peak,
                                      "ranks": lines.text]
            print(String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
        }
        world.finalize()
    }
}

/// Per-rank figures as they arrive.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [Int: (Int64, Int64)] = [:]
    func add(_ rank: Int, _ peak: Int64, _ sent: Int64) { lock.lock(); rows[rank] = (peak, sent); lock.unlock() }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return "per rank (peak RSS, bytes sent in one run): " + rows.sorted { $0.key < $1.key }.map {
            String(format: "rank %d %.0f MB, %.1f MB", $0.key, Double($0.value.0) / 1e6, Double($0.value.1) / 1e6)
        }.joined(separator: "; ")
    }
}

extension Workload {
    /// The dask.distributed runs of this workload's dask peers (their scripts with `--distributed`).
    func distributedPeers(workers: Int) -> [Peer] {
        peers.filter { $0.name == "dask" || $0.name == "dask.dataframe" }.map {
            Peer(name: "dask.distributed", script: $0.script, arguments: $0.arguments + ["--distributed"] + distributedPeerArguments)
        }
    }
}

/// The 64 MiB block `mpi-bandwidth` sends (made once per process, outside the timed runs).
let bandwidthBlock = NDArray<Double>(shape: [8 << 20], repeating: 1.5)

/// `mpi-bandwidth`: eight leaf tasks each return the same 64 MiB block of doubles (an `NDArray`,
/// as a chunked array's tasks do) and one task on rank 0 takes them all. With `--mpi 2` the four
/// leaves placed on rank 1 travel to rank 0: 256 MiB through Tessera's whole path (encode, the
/// communication threads, decode) per run, to set beside Benchmarks/mpi/p2p_bandwidth.c, raw MPI
/// on the same machine (`Benchmarks/mpi/bandwidth-rounds.sh` interleaves the two).
let mpiBandwidthWorkload = Workload(
    name: "mpi-bandwidth",
    summary: "8 tasks of 64 MiB blocks gathered on rank 0 (with --mpi 2: 4 blocks cross ranks)",
    run: { context in
        let block = bandwidthBlock
        let leaves = (0..<8).map { i in Delayed(i).map(name: "block") { _ in block } }
        let total = delayed(name: "gather", leaves) { blocks in blocks.reduce(0.0) { $0 + ($1[[0]] + $1[[$1.count - 1]]) / 2 * Double($1.count) } }
        return String(try total.compute(scheduler: context.scheduler))
    },
    tolerance: 0)
