/// The shape of a plan, as every process that built it from the same program sees it.
///
/// Processes of an SPMD job (one per MPI rank) each build the graph and its plan themselves. Task
/// `i` means the same task on every rank only if the plans have the same shape, so executors
/// compare ``shapeHash`` across processes before any data moves. The hash covers what the
/// program decides — task count, each task's kind, its layer's size and grid, its position in the
/// layer, fusion, dependencies, outputs — and leaves out what a process decides on its own: layer
/// names carry a process-wide serial number (`add-12`), which differs when one process built an
/// extra graph before.
extension ExecutionPlan {
    /// A 64-bit FNV-1a hash of the plan's shape; equal plans from equal programs hash equal.
    /// - Complexity: O(t + e) for t tasks and e edges, each time it is read.
    public var shapeHash: UInt64 {
        var h = ShapeHasher()
        h.mix(UInt64(count))
        for i in 0..<count {
            let ref = refs[i]
            h.mix(ref.layer.kind)
            h.mix(UInt64(ref.layer.count))
            h.mix(UInt64(ref.index))
            if let grid = ref.layer.grid { for g in grid { h.mix(UInt64(g)) } } else { h.mix(UInt64.max) }
            h.mix(UInt64(fusedCounts[i]))
            let ins = inputs(of: i)
            h.mix(UInt64(ins.count))
            for d in ins { h.mix(UInt64(UInt32(bitPattern: d))) }
        }
        h.mix(UInt64(outputs.count))
        for o in outputs { h.mix(UInt64(o)) }
        return h.value
    }
}

/// FNV-1a over 64-bit words and strings: stable across processes and runs, unlike `Hasher`,
/// which is seeded per process.
struct ShapeHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func mix(_ word: UInt64) {
        var w = word
        for _ in 0..<8 {
            value = (value ^ (w & 0xff)) &* 0x0000_0100_0000_01b3
            w >>= 8
        }
    }

    mutating func mix(_ text: String) {
        for b in text.utf8 { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        mix(UInt64(text.utf8.count))
    }
}
