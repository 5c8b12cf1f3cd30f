import Tessera

extension ChunkedArray {
    /// The same array cut into other blocks (Dask's `rechunk`).
    ///
    /// Each new block is one task that copies the overlapping parts of the old blocks it needs.
    /// - Complexity: one task per new block; each reads only the old blocks it overlaps.
    /// - Throws: `ArrayError.invalidChunks` when `chunks` doesn't tile the shape.
    public func rechunk(_ chunks: Chunks) throws -> ChunkedArray {
        let newChunks = try chunks.resolve(shape: shape, itemSize: Scalar.dtype.itemSize)
        if newChunks == self.chunks { return self }
        let newGrid = BlockGrid(newChunks)
        if let e = node.expression, let r = try? e.realigned(to: newChunks) {
            return ChunkedArray(expression: r, shape: shape, chunks: newChunks)
        }
        let old = self
        let oldGrid = grid
        let layer = Layer(kind: "rechunk", count: newGrid.blockCount, grid: newGrid.counts) { i in
            let b = newGrid.index(i)
            let origin = newGrid.origin(b), bshape = newGrid.shape(b)
            // Old blocks overlapping the new one, per axis.
            var ranges: [[Int]] = []
            for k in 0..<b.count {
                let lo = origin[k], hi = origin[k] + bshape[k]
                let offs = oldGrid.offsets[k]
                var r: [Int] = []
                for j in 0..<oldGrid.counts[k] where offs[j] < hi && offs[j + 1] > lo { r.append(j) }
                if r.isEmpty { r = [Swift.min(oldGrid.counts[k] - 1, oldGrid.offsets[k].firstIndex { $0 >= lo } ?? 0)] }
                ranges.append(r)
            }
            var idxs: [[Int]] = [[]]
            for r in ranges { idxs = idxs.flatMap { p in r.map { p + [$0] } } }
            let refs = idxs.map { old.blockRef($0) }
            let origins = idxs.map { oldGrid.origin($0) }
            return TaskSpec(inputs: refs) { values in
                let strides = rowMajorStrides(bshape)
                return NDArray<Scalar>(shape: bshape) { out in
                    guard let base = out.baseAddress, !out.isEmpty else { return }
                    for (v, o) in zip(values, origins) {
                        copyRegion(from: v as! NDArray<Scalar>, origin: o, into: base, shape: bshape, strides: strides, origin: origin)
                    }
                }
            }
        }
        return ChunkedArray(shape: shape, grid: newGrid, node: ArrayNode(layer: layer))
    }

    /// The array with its fused expression (if any) turned into block tasks, so consumers that
    /// can't fuse (slicing, several reductions of one value) read blocks instead of recomputing.
    public func materialized() -> ChunkedArray {
        isFused ? ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer)) : self
    }
}

extension ChunkedArray {
    /// Computes every block now and returns an array over the computed blocks (Dask's
    /// `persist`): later graphs built on it start from memory instead of recomputing.
    /// - Throws: `TaskFailure` from the compute.
    public func persist(scheduler: Scheduler? = nil) throws -> ChunkedArray {
        let values = try TaskGraph(outputs).compute(scheduler: scheduler)
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: Layer(kind: "persisted", values: values.map { $0 as! NDArray<Scalar> }, grid: grid.counts)))
    }
}
