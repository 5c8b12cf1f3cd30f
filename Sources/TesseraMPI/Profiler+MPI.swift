import Foundation
import Tessera

// Gathering a profile: each rank profiles its own tasks (records take the rank from the events); at the end the ranks
// above 0 send their records to rank 0 as one side message (channel `Profiler.mpiChannel`), which
// merges them onto its own clock (by each profiler's wall-clock origin), so one Chrome trace
// holds a track per (rank, worker).

extension Profiler {
    /// The side-message channel profiles travel on.
    public static let mpiChannel: UInt64 = 2

    /// Collects every rank's records into rank 0's profiler; call on every rank, after the last
    /// compute it profiles.
    ///
    /// ```swift
    /// let profiler = Profiler()   // each record takes its rank from its task event
    /// try profiler.observe { try x.compute(scheduler: .mpi()) }
    /// if profiler.gatherOverMPI() && world.rank == 0 { try profiler.writeChromeTrace(to: url) }
    /// ```
    /// - Parameters:
    ///   - world: the MPI job.
    ///   - timeout: the most seconds rank 0 waits for the other ranks' records.
    /// - Returns: on rank 0, whether every rank's records arrived in time (the records that did
    ///   are merged either way); true on the other ranks, which send theirs.
    /// - Complexity: O(r) for r records.
    @discardableResult
    public func gatherOverMPI(world: MPIWorld = .shared, timeout: Double = 30) -> Bool {
        guard world.size > 1 else { return true }
        if world.rank != 0 {
            world.sendSideMessage(Self.encode(records, rank: rank, wallOrigin: wallOrigin), to: 0, channel: Self.mpiChannel)
            return true
        }
        let arrived = DispatchSemaphore(value: 0)
        world.setSideMessageHandler(channel: Self.mpiChannel) { [self] _, bytes in
            if let (records, origin) = Self.decode(bytes) { merge(records, wallOrigin: origin) }
            arrived.signal()
        }
        let deadline = DispatchTime.now() + timeout
        for _ in 1..<world.size where arrived.wait(timeout: deadline) == .timedOut { return false }
        return true
    }

    static func encode(_ records: [TaskRecord], rank: Int, wallOrigin: Double) -> [UInt8] {
        var w = BlockWriter()
        w.write(wallOrigin)
        w.write(Int64(records.count))
        for r in records {
            w.write(r.key.name)
            w.write(raw: r.key.index.map(Int64.init))
            w.write(r.kind)
            for v in [r.rank, r.worker, r.compute, r.fusedCount] { w.write(Int64(v)) }
            w.write(r.start)
            w.write(r.end)
            w.write(r.failed)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> ([TaskRecord], Double)? {
        bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw)
            do {
                let origin = try r.read(Double.self)
                let n = Int(try r.read(Int64.self))
                var out: [TaskRecord] = []
                for _ in 0..<max(n, 0) {
                    let key = Key(try r.read(String.self), try r.read(raw: Int64.self).map { Int($0) })
                    let kind = try r.read(String.self)
                    let ints = try (0..<4).map { _ in Int(try r.read(Int64.self)) }
                    let start = try r.read(Double.self), end = try r.read(Double.self)
                    out.append(TaskRecord(key: key, kind: kind, rank: ints[0], worker: ints[1], start: start, end: end,
                                          compute: ints[2], fusedCount: ints[3], failed: try r.read(Bool.self)))
                }
                return (out, origin)
            } catch {
                return nil
            }
        }
    }
}
