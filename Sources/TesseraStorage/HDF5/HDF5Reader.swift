import CHDF5
import Foundation
import Tessera
@_spi(TesseraStorage) import TesseraArray
#if canImport(Glibc)
import Glibc
#endif

/// Reads any box of an HDF5 dataset. Contiguous and chunked datasets (deflate, shuffle and
/// fletcher32 filters) are read with `pread` at the addresses libhdf5 reported when the array was
/// built, and decoded here, so block tasks run in parallel; other layouts and filters go through
/// `H5Dread` of a hyperslab, one task at a time.
struct HDF5Reader: Sendable {
    let ds: HDF5Dataset
    let scratch = ScratchBuffers()

    func readBox<T: ArrayScalar>(origin: [Int], shape: [Int], as _: T.Type) throws -> NDArray<T> {
        let fill = ds.fill.value(as: T.self)
        switch ds.layout {
        case .contiguous(let address):
            guard let address else { return NDArray(shape: shape, repeating: fill) }
            return try readContiguous(address: address, origin: origin, shape: shape)
        case let .chunked(cshape, chunks, filters):
            let fd = open(ds.file, O_RDONLY)
            guard fd >= 0 else { throw ds.error("cannot open the file (errno \(errno))") }
            defer { close(fd) }
            return try assembleBox(origin: origin, shape: shape, chunkShape: cshape, fill: fill, isStored: { chunks[$0] != nil }) { c, out in
                guard let info = chunks[c] else { return false }
                do {
                    try scratch.withBuffer(info.size) { stored in
                        try StoreFiles.read(fd: fd, offset: info.address, into: stored, path: ds.file)
                        try decode(UnsafeRawBufferPointer(stored), filters: filters, mask: info.filterMask, into: out)
                    }
                    return true
                } catch let e as CodecError {
                    throw ds.error("chunk \(c) at byte \(info.address): \(e.reason)")
                }
            }
        case .library:
            return try readWithLibrary(origin: origin, shape: shape)
        }
    }

    /// Undoes the filter pipeline of one chunk, last filter first, into `out`; bit `k` of
    /// `mask` marks filter `k` as not applied to this chunk. Every stage's output size is
    /// known in advance (the chunk's bytes, plus 4 per fletcher32 still to strip), so inflate
    /// writes into a buffer of exactly that size (two pooled buffers, used in turn), and the
    /// last stage writes straight into the block when the stored type is `T`'s own: no
    /// zero-filling, no copy of the decoded chunk.
    private func decode<T: ArrayScalar>(_ stored: UnsafeRawBufferPointer, filters: [HDF5Filter], mask: UInt32,
                                        into out: UnsafeMutableBufferPointer<T>) throws {
        let expected = out.count * ds.dtype.size
        let active = filters.indices.filter { mask & (1 << UInt32($0)) == 0 }
        let direct = ds.dtype.isNative(T.self) && T.dtype != .bool
        // The last stage to produce bytes may write into `out`; earlier ones into scratch.
        let lastWriter = active.first { filters[$0] != .fletcher32 }
        let largest = expected + 4 * active.filter { filters[$0] == .fletcher32 }.count
        try scratch.withBuffer(largest) { first in
            try scratch.withBuffer(largest) { second in
                try decode(stored, filters: filters, active: active, expected: expected, direct: direct, lastWriter: lastWriter,
                           buffers: (first, second), into: out)
            }
        }
    }

    /// The stages of `decode(_:filters:mask:into:)`, with its two scratch buffers in hand.
    private func decode<T: ArrayScalar>(_ stored: UnsafeRawBufferPointer, filters: [HDF5Filter], active: [Int], expected: Int, direct: Bool,
                                        lastWriter: Int?, buffers: (UnsafeMutableRawBufferPointer, UnsafeMutableRawBufferPointer),
                                        into out: UnsafeMutableBufferPointer<T>) throws {
        var current = stored
        var next = buffers.0, spare = buffers.1
        var wroteOut = false
        for k in active.reversed() {
            let size = expected + 4 * active.filter { $0 < k && filters[$0] == .fletcher32 }.count
            if filters[k] == .fletcher32 {
                // The checksum is the last 4 bytes of whatever the filters before it made.
                guard current.count >= 4 else { throw CodecError("fletcher32: chunk too short for its checksum") }
                current = UnsafeRawBufferPointer(rebasing: current[..<(current.count - 4)])
                continue
            }
            let intoOut = direct && k == lastWriter && size == expected
            let stage = { (dst: UnsafeMutableRawBufferPointer) throws in
                switch filters[k] {
                case .deflate: try Deflate.decompress(current, into: dst)
                case .shuffle(let s):
                    guard current.count == size else { throw CodecError("shuffled chunk of \(current.count) bytes, expected \(size)") }
                    unshuffle(current, into: dst, elementSize: s)
                case .fletcher32: break
                }
            }
            if intoOut {
                try stage(UnsafeMutableRawBufferPointer(out))
                wroteOut = true
            } else {
                let buffer = UnsafeMutableRawBufferPointer(rebasing: next[..<size])
                try stage(buffer)
                current = UnsafeRawBufferPointer(buffer)
                swap(&next, &spare)
            }
        }
        if wroteOut { return }
        guard current.count == expected else { throw CodecError("decoded to \(current.count) bytes, expected \(expected)") }
        if let base = current.baseAddress, let dst = out.baseAddress { ds.dtype.convert(base, count: out.count, into: dst) }
    }

    /// HDF5's shuffle undone: byte `j` of every element was stored together, element after
    /// element; trailing bytes that make no whole element were left in place.
    private func unshuffle(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer, elementSize s: Int) {
        guard let sp = src.baseAddress?.assumingMemoryBound(to: UInt8.self), let dp = dst.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        guard s > 1 else { dst.copyMemory(from: src); return }
        let n = src.count / s
        // Element by element, gathering its bytes from the `s` planes: `s` sequential read
        // streams and one sequential write stream. Eight-byte elements (the common float64 and
        // int64) are assembled in a register and stored whole.
        if s == 8 {
            let out = UnsafeMutableRawPointer(dp)
            for i in 0..<n {
                var v = UInt64(sp[i])
                for j in 1..<8 { v |= UInt64(sp[j &* n &+ i]) << UInt64(8 &* j) }
                out.storeBytes(of: v.littleEndian, toByteOffset: 8 &* i, as: UInt64.self)
            }
        } else {
            for i in 0..<n {
                for j in 0..<s { dp[i &* s &+ j] = sp[j &* n &+ i] }
            }
        }
        for k in (n * s)..<src.count { dp[k] = sp[k] }
    }

    /// A contiguous dataset's box: one `pread` per run of whole trailing rows.
    private func readContiguous<T: ArrayScalar>(address: Int, origin: [Int], shape: [Int]) throws -> NDArray<T> {
        let nd = shape.count, size = ds.dtype.size
        if shape.contains(0) { return NDArray(shape: shape, repeating: T.zero) }
        let strides = rowMajorStrides(ds.shape)
        // Axes after `k` are whole: the box is runs of `run` contiguous elements.
        var k = nd - 1
        while k > 0 && shape[k] == ds.shape[k] && origin[k] == 0 { k -= 1 }
        let run = nd == 0 ? 1 : shape[k...].reduce(1, *)
        let fd = open(ds.file, O_RDONLY)
        guard fd >= 0 else { throw ds.error("cannot open the file (errno \(errno))") }
        defer { close(fd) }
        let outer = nd == 0 ? [] : Array(shape[..<k])
        return try NDArray<T>(shape: shape) { out in
            var o = 0
            try forEachIndex(from: outer.map { _ in 0 }, to: outer.map { $0 - 1 }) { idx in
                var flat = 0
                for j in 0..<idx.count { flat += (origin[j] + idx[j]) * strides[j] }
                if nd > 0 { flat += origin[k] * strides[k] }
                let bytes: [UInt8]
                do { bytes = try StoreFiles.read(fd: fd, offset: address + flat * size, count: run * size, path: ds.file) } catch let e as CodecError {
                    throw ds.error(e.reason)
                }
                bytes.withUnsafeBytes { ds.dtype.convert($0.baseAddress!, count: run, into: out.baseAddress! + o) }
                o += run
            }
        }
    }

    /// `H5Dread` of the box as a hyperslab, in the stored type (native byte order), converted here.
    private func readWithLibrary<T: ArrayScalar>(origin: [Int], shape: [Int]) throws -> NDArray<T> {
        let nd = shape.count
        var raw = [UInt8](repeating: 0, count: Swift.max(1, shape.reduce(ds.dtype.size, *)))
        let status: Int32 = {
            hdf5Lock.lock()
            defer { hdf5Lock.unlock() }
            // The error-printing setting is per thread in a thread-safe libhdf5.
            H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
            let f = H5Fopen(ds.file, 0 /* H5F_ACC_RDONLY */, hid_t(H5P_DEFAULT))
            guard f >= 0 else { return -1 }
            defer { H5Fclose(f) }
            let d = H5Dopen2(f, ds.name, hid_t(H5P_DEFAULT))
            guard d >= 0 else { return -1 }
            defer { H5Dclose(d) }
            let t = H5Dget_type(d)
            defer { H5Tclose(t) }
            let mem = H5Tget_native_type(t, H5T_DIR_ASCEND)
            defer { H5Tclose(mem) }
            let fspace = H5Dget_space(d)
            defer { H5Sclose(fspace) }
            var start = origin.map { hsize_t($0) }, count = shape.map { hsize_t($0) }
            if nd > 0 { H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nil, &count, nil) }
            let mspace = nd > 0 ? H5Screate_simple(Int32(nd), &count, nil) : H5Screate(H5S_SCALAR)
            defer { H5Sclose(mspace) }
            return raw.withUnsafeMutableBytes { H5Dread(d, mem, mspace, fspace, hid_t(H5P_DEFAULT), $0.baseAddress) }
        }()
        guard status >= 0 else { throw ds.error("H5Dread of the block at \(origin) failed (a filter libhdf5 lacks, such as lzf, or a damaged file)") }
        var native = ds.dtype
        native.bigEndian = false
        return NDArray<T>(shape: shape) { out in
            raw.withUnsafeBytes { if !out.isEmpty { native.convert($0.baseAddress!, count: out.count, into: out.baseAddress!) } }
        }
    }
}

extension ChunkedArray {
    /// A lazy array over an HDF5 dataset (Dask's `from_array(h5py_dataset)`): the dataset's
    /// description and chunk addresses are read now through libhdf5; each block task reads its
    /// bytes with `pread` and decodes them itself, so blocks read in parallel.
    ///
    /// ```swift
    /// let x = try ChunkedArray<Double>.fromHDF5("run.h5", dataset: "/fields/pressure")
    /// ```
    ///
    /// Element types convert as in `fromZarr`. Chunks never written read as
    /// the dataset's fill value.
    ///
    /// - Parameters:
    ///   - path: the HDF5 file.
    ///   - dataset: the dataset's path inside the file (`"/group/name"`).
    ///   - chunks: the blocks; `.auto` is one block per chunk of a chunked dataset, and blocks of
    ///     about 128 MiB for a contiguous one.
    /// - Returns: the array, shaped as the dataset.
    /// - Throws: `StorageError.hdf5` for a missing file or dataset, or a compound, string or
    ///   variable-length element type; block tasks throw `StorageError.hdf5` naming the chunk of
    ///   a corrupt or truncated file.
    /// - Complexity: one pass over the chunk index now; each block task reads the chunks it overlaps.
    public static func fromHDF5(_ path: String, dataset: String, chunks: Chunks = .auto) throws -> ChunkedArray {
        let ds = try HDF5Dataset.open(file: path, dataset: dataset)
        let spec: Chunks = chunks == .auto ? ds.chunkShape.map { .blockShape($0) } ?? .auto : chunks
        let resolved: [[Int]]
        do { resolved = try spec.resolve(shape: ds.shape, itemSize: Scalar.dtype.itemSize) } catch let e as ArrayError {
            throw ds.error(e.description)
        }
        let reader = HDF5Reader(ds: ds)
        return try blockLayer(kind: "from-hdf5", shape: ds.shape, chunks: resolved) { origin, shape in
            try reader.readBox(origin: origin, shape: shape, as: Scalar.self)
        }
    }

    /// An array whose block tasks each call `read(origin, shape)`: the shared shape of the
    /// storage readers.
    static func blockLayer(kind: String, shape: [Int], chunks: [[Int]],
                           read: @escaping @Sendable ([Int], [Int]) throws -> NDArray<Scalar>) throws -> ChunkedArray {
        let offsets = chunks.map { c in
            var o = [Int](repeating: 0, count: c.count + 1)
            for (k, size) in c.enumerated() { o[k + 1] = o[k] + size }
            return o
        }
        let counts = chunks.map(\.count)
        let layer = Layer(kind: kind, count: counts.reduce(1, *), grid: counts) { i in
            var rest = i
            var origin = [Int](repeating: 0, count: counts.count), bshape = origin
            for k in stride(from: counts.count - 1, through: 0, by: -1) {
                let j = rest % counts[k]
                rest /= counts[k]
                origin[k] = offsets[k][j]
                bshape[k] = chunks[k][j]
            }
            return TaskSpec { [origin, bshape] _ in try read(origin, bshape) }
        }
        return try ChunkedArray(layer: layer, shape: shape, chunks: chunks)
    }
}
