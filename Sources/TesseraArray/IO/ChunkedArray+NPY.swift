import Foundation
import Tessera

extension ChunkedArray {
    /// A lazy array over a `.npy` file: the header is read now, and each block task copies its
    /// part out of the memory-mapped file when the graph runs.
    /// - Throws: `ArrayError.npy` for a file we can't read as `Scalar` (including a shape whose
    ///   sizes overflow) or whose shape `chunks` can't cut (too many blocks, say).
    public static func fromNPY(_ path: String, chunks: Chunks = .auto) throws -> ChunkedArray {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArrayError.npy(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let h = try data.withUnsafeBytes { raw -> NPYHeader in
            let h = try NPY.parseHeader(raw, path: path)
            try NPY.validate(h, as: Scalar.self, path: path, byteCount: raw.count)
            return h
        }
        let shape = h.shape
        // The shape comes from the file: a chunking it can't take is the file's error, named so.
        let resolved: [[Int]]
        do { resolved = try chunks.resolve(shape: shape, itemSize: Scalar.dtype.itemSize) } catch let e as ArrayError {
            throw ArrayError.npy(path: path, reason: e.description)
        }
        let grid = BlockGrid(resolved)
        let strides = rowMajorStrides(shape)
        let item = Scalar.dtype.itemSize
        let layer = Layer(kind: "from-npy", count: grid.blockCount, grid: grid.counts) { i in
            let b = grid.index(i)
            let origin = grid.origin(b), bshape = grid.shape(b)
            return TaskSpec { _ in
                NDArray<Scalar>(shape: bshape) { out in
                    guard !out.isEmpty else { return }
                    data.withUnsafeBytes { raw in
                        forEachRow(shape: bshape, start: 0, count: out.count) { off, idx, len in
                            var g = 0
                            for k in 0..<idx.count { g += (origin[k] + idx[k]) * strides[k] }
                            readScalars(raw, offset: h.dataOffset + g * item, into: out.baseAddress! + off, count: len)
                        }
                    }
                }
            }
        }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }

    /// Computes the array and writes it to one `.npy` file (atomically).
    /// - Throws: `TaskFailure` from the compute, `ArrayError.npy` from the write.
    public func writeNPY(_ path: String, scheduler: Scheduler? = nil) throws {
        try compute(scheduler: scheduler).writeNPY(path)
    }

    /// Writes one `.npy` file per block along `axis` into `directory`, plus `info.json` with the
    /// chunks and dtype (Dask's `to_npy_stack`, with JSON instead of a pickle). The array is first
    /// rechunked so `axis` is the only axis with several blocks. Each file is written atomically
    /// by its own task; `info.json` is written last, so a stack without it is incomplete.
    /// - Throws: `ArrayError.invalidAxis`, `.npy`, `TaskFailure`.
    public func toNPYStack(_ directory: String, axis: Int = 0, scheduler: Scheduler? = nil) throws {
        let k = try normalizedAxes([axis])[0]
        let arr = try rechunk(.sizes((0..<ndim).map { $0 == k ? chunks[$0] : [shape[$0]] }))
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ArrayError.npy(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
        let src = arr.layer
        let writes = Layer(kind: "to-npy-stack", count: arr.blockCount) { i in
            TaskSpec(inputs: [src[i]]) { v in
                try (v[0] as! NDArray<Scalar>).writeNPY((directory as NSString).appendingPathComponent("\(i).npy"))
                return i
            }
        }
        _ = try TaskGraph(writes.refs).compute(scheduler: scheduler)
        let info: [String: Any] = ["chunks": arr.chunks, "dtype": Scalar.dtype.npyDescr, "axis": k]
        let json = try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys])
        try NPY.atomicWrite((directory as NSString).appendingPathComponent("info.json")) { $0.write(json) }
    }

    /// A lazy array over a directory written by `toNPYStack` (or by the test script's NumPy
    /// equivalent): one block task per file.
    /// - Throws: `ArrayError.npy` for a missing or malformed `info.json`, a dtype other than
    ///   `Scalar`'s; a block file whose shape disagrees fails its task.
    public static func fromNPYStack(_ directory: String) throws -> ChunkedArray {
        let infoPath = (directory as NSString).appendingPathComponent("info.json")
        guard let data = FileManager.default.contents(atPath: infoPath),
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let chunks = info["chunks"] as? [[Int]], let dtype = info["dtype"] as? String, let axis = info["axis"] as? Int
        else { throw ArrayError.npy(path: infoPath, reason: "missing or malformed info.json (needs chunks, dtype, axis)") }
        guard dtype == Scalar.dtype.npyDescr else {
            throw ArrayError.npy(path: infoPath, reason: "stack has dtype '\(dtype)', cannot read as \(Scalar.dtype.rawValue)")
        }
        guard chunks.allSatisfy({ $0.allSatisfy { $0 >= 0 } }), case let sums = chunks.map(checkedSum), !sums.contains(nil) else {
            throw ArrayError.npy(path: infoPath, reason: "chunks in info.json must be non-negative and sum to an axis length that fits in 64 bits")
        }
        let shape = sums.map { $0! }
        let grid = BlockGrid(try Chunks.sizes(chunks).resolve(shape: shape, itemSize: Scalar.dtype.itemSize))
        guard axis >= 0 && axis < Swift.max(shape.count, 1), (0..<grid.counts.count).allSatisfy({ $0 == axis || grid.counts[$0] == 1 }) else {
            throw ArrayError.npy(path: infoPath, reason: "chunks must have several blocks only along axis \(axis)")
        }
        let layer = Layer(kind: "from-npy-stack", count: grid.blockCount, grid: grid.counts) { i in
            let expected = grid.shape(grid.index(i))
            let path = (directory as NSString).appendingPathComponent("\(i).npy")
            return TaskSpec { _ in
                let a = try NDArray<Scalar>.readNPY(path)
                guard a.shape == expected else {
                    throw ArrayError.npy(path: path, reason: "block has shape \(fmt(a.shape)), info.json says \(fmt(expected))")
                }
                return a
            }
        }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }
}
