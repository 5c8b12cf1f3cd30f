// Broadcast or shuffle: what a merge does when the user doesn't say.
//
// A broadcast join gathers the small side into one table, indexes its keys once, and lets every
// partition of the large side probe that index where it lies: the large side never moves, and on
// one machine the gathered side is shared, not copied. Its costs grow with the small side only:
// the gather and the index are one serial task, and the side is held whole (sent to every process
// under MPI). A hash-partitioned join moves every row of both sides once but builds in parallel.
// So the choice is by the small side's size, estimated from the plan without reading data
// (`FrameNode.estimatedBytes`: CSV file sizes, known row counts); where the plan can't tell (the
// side is a groupby's output, say), by its partition count, as before: one partition broadcasts.

extension ChunkedFrame {
    /// The largest estimated size, in bytes, of the side a merge broadcasts when `broadcast` is
    /// not given: 1 GiB (a CSV side of up to about 1 GB of files, or up to 128M in-memory values
    /// of 8 bytes). Larger sides are hash-partitioned.
    ///
    /// Why so large: on one machine the gathered side is shared by every probe task, not copied,
    /// and the hash-partitioned join holds both sides in its shuffle anyway. db-benchmark's join
    /// q5 (1e7 × 1e7 rows, the right side 441 MB of CSV) took 9.2 s of CPU and 2.2 GB broadcast
    /// against 12.5 s and 3.3 GB hash-partitioned, on two workers, while the key hash still sent
    /// small integers to one bucket; with the hash fixed, 7.4 s and 2.2 GB against 11.0 s and
    /// 2.7 GB. The limit bounds the serial gather and index of the broadcast side, which more
    /// workers can't share.
    public static let defaultBroadcastLimit = 1 << 30
}

extension MergeParameters {
    /// Whether a merge without an explicit `broadcast` broadcasts the side that would be gathered.
    /// - Parameters:
    ///   - estimatedBytes: that side's estimated size (`FrameNode.estimatedBytes`), nil when
    ///     unknown.
    ///   - partitions: its partition count, which decides when the size is unknown (one
    ///     partition: broadcast).
    ///   - limit: the largest size broadcast.
    /// - Returns: true to broadcast.
    /// - Complexity: O(1).
    static func chooseBroadcast(estimatedBytes: Int?, partitions: Int, limit: Int) -> Bool {
        guard let estimatedBytes else { return partitions == 1 }
        return estimatedBytes <= limit
    }
}
