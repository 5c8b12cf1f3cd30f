import CHDF5
import Foundation
@_spi(TesseraStorage) import TesseraArray

/// What Tessera needs of one HDF5 dataset, gathered once through libhdf5 when the array is
/// built: shape, element type, layout, and for chunked datasets the filter pipeline and every
/// chunk's file address. Block tasks then read with `pread` and decode in Tessera's own tasks,
/// never entering libhdf5, whose thread-safe build serialises every call behind one lock.
struct HDF5Dataset: Sendable {
    enum Layout: Sendable {
        /// The raw elements at one file address (nil: never written, all fill value).
        case contiguous(address: Int?)
        /// Chunks of `shape`; `chunks` maps a chunk's grid index to its address, size and the
        /// mask of filters skipped for it.
        case chunked(shape: [Int], chunks: [[Int]: HDF5Chunk], filters: [HDF5Filter])
        /// Anything we leave to `H5Dread` (compact storage, filters we don't implement).
        case library
    }

    let file: String
    let name: String
    let shape: [Int]
    /// The stored element type, with its byte order.
    let dtype: ZarrDataType
    let fill: ZarrFillValue
    let layout: Layout
    /// The dataset's own chunk shape, when it has one (`.library` may still be chunked).
    let chunkShape: [Int]?

    func error(_ why: String) -> StorageError { .hdf5(file: file, dataset: name, reason: why) }
}

struct HDF5Chunk: Sendable {
    let address: Int
    let size: Int
    let filterMask: UInt32
}

/// One stage of a chunked dataset's filter pipeline that Tessera undoes itself.
enum HDF5Filter: Sendable, Equatable {
    case deflate
    case shuffle(elementSize: Int)
    case fletcher32
}

/// The one lock around libhdf5 here: Debian's serial build may not be thread-safe, and the
/// thread-safe build serialises anyway.
let hdf5Lock = NSLock()

extension HDF5Dataset {
    /// Opens `dataset` in `file` and gathers its description.
    /// Every size and address libhdf5 reports is checked before a task trusts it: a damaged
    /// or crafted file gives an error here, not an overflow or a read past its end later.
    /// - Throws: `StorageError.hdf5` for a missing file or dataset, a compound, string,
    ///   variable-length or other unsupported element type, a shape whose byte count overflows,
    ///   or data (a chunk) that lies past the end of the file.
    static func open(file: String, dataset: String) throws -> HDF5Dataset {
        hdf5Lock.lock()
        defer { hdf5Lock.unlock() }
        func fail(_ why: String) -> StorageError { .hdf5(file: file, dataset: dataset, reason: why) }
        H5open()
        // libhdf5 prints its error stack to stderr by default; our errors say what went wrong.
        H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
        var st = stat()
        guard stat(file, &st) == 0 else { throw StorageError.hdf5(file: file, dataset: nil, reason: "no such file") }
        let fileSize = Int(st.st_size)
        /// A size or address from the file as `Int`, or an error naming what it is.
        func int<U: UnsignedInteger>(_ v: U, _ what: String) throws -> Int {
            guard let i = Int(exactly: v) else { throw fail("\(what) \(v) is out of range (a damaged file?)") }
            return i
        }
        let f = H5Fopen(file, 0 /* H5F_ACC_RDONLY */, hid_t(H5P_DEFAULT))
        guard f >= 0 else { throw StorageError.hdf5(file: file, dataset: nil, reason: "not an HDF5 file (or unreadable)") }
        defer { H5Fclose(f) }
        guard H5Lexists(f, dataset, hid_t(H5P_DEFAULT)) > 0 || dataset == "/" else { throw fail("no such dataset") }
        let d = H5Dopen2(f, dataset, hid_t(H5P_DEFAULT))
        guard d >= 0 else { throw fail("not a dataset (a group?)") }
        defer { H5Dclose(d) }

        let space = H5Dget_space(d)
        defer { H5Sclose(space) }
        let nd = Int(H5Sget_simple_extent_ndims(space))
        guard nd >= 0 else { throw fail("has no simple dataspace") }
        var dims = [hsize_t](repeating: 0, count: Swift.max(nd, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = try (0..<nd).map { try int(dims[$0], "axis length") }

        let t = H5Dget_type(d)
        defer { H5Tclose(t) }
        let size = Int(H5Tget_size(t))
        let cls = H5Tget_class(t)
        let big = H5Tget_order(t) == H5T_ORDER_BE
        let dtype: ZarrDataType
        switch cls {
        case H5T_INTEGER:
            guard [1, 2, 4, 8].contains(size) else { throw fail("\(size)-byte integers are not supported") }
            dtype = ZarrDataType(kind: H5Tget_sign(t) == H5T_SGN_NONE ? .uint : .int, size: size, bigEndian: big && size > 1)
        case H5T_FLOAT:
            guard size == 4 || size == 8 else { throw fail("\(size)-byte floating point is not supported") }
            dtype = ZarrDataType(kind: .float, size: size, bigEndian: big)
        case H5T_COMPOUND: throw fail("compound (structured) element types are not supported; read a field with h5py and save it as its own dataset")
        case H5T_STRING: throw fail("string element types are not supported")
        case H5T_VLEN: throw fail("variable-length element types are not supported")
        default: throw fail("element type class \(cls.rawValue) is not supported (integers and floats are)")
        }
        guard let count = checkedProduct(shape), let bytes = checkedProduct([count, size]) else {
            throw fail("shape \(shape) is too large: its byte count overflows a 64-bit integer")
        }

        let plist = H5Dget_create_plist(d)
        defer { H5Pclose(plist) }
        // The fill value, converted by libhdf5 into the stored type in native byte order.
        var fill = ZarrFillValue.float(0)
        var native = dtype
        native.bigEndian = false
        let memType = H5Tget_native_type(t, H5T_DIR_ASCEND)
        defer { H5Tclose(memType) }
        var fillBytes = [UInt8](repeating: 0, count: 8)
        if H5Pget_fill_value(plist, memType, &fillBytes) >= 0 {
            var v = [Double](repeating: 0, count: 1)
            var i = [Int64](repeating: 0, count: 1)
            fillBytes.withUnsafeBytes { raw in
                native.convert(raw.baseAddress!, count: 1, into: &v)
                native.convert(raw.baseAddress!, count: 1, into: &i)
            }
            fill = dtype.kind == .float ? .float(v[0]) : dtype.kind == .uint && size == 8
                ? .uint(fillBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) : .int(i[0])
        }

        var userblock: hsize_t = 0
        let fcpl = H5Fget_create_plist(f)
        H5Pget_userblock(fcpl, &userblock)
        H5Pclose(fcpl)
        let base = try int(userblock, "user block size")
        guard base <= fileSize else { throw fail("its user block (\(base) bytes) is larger than the file") }

        let layoutKind = H5Pget_layout(plist)
        var chunkShape: [Int]? = nil
        let layout: Layout
        switch layoutKind {
        case H5D_CONTIGUOUS:
            let addr = H5Dget_offset(d)
            if addr == haddr_t.max /* HADDR_UNDEF: never written */ {
                layout = .contiguous(address: nil)
            } else {
                let start = try int(addr, "data address")
                guard start <= fileSize - base, bytes <= fileSize - base - start else {
                    throw fail("its \(bytes) bytes at address \(addr) lie past the end of the file (\(fileSize) bytes)")
                }
                layout = .contiguous(address: base + start)
            }
        case H5D_CHUNKED:
            var cdims = [hsize_t](repeating: 0, count: Swift.max(nd, 1))
            H5Pget_chunk(plist, Int32(nd), &cdims)
            let cshape = try (0..<nd).map { try int(cdims[$0], "chunk length") }
            guard cshape.allSatisfy({ $0 > 0 }), let chunkBytes = checkedProduct(cshape + [size]), chunkBytes <= UInt32.max else {
                throw fail("chunk shape \(cshape) is invalid (HDF5 chunks are positive and under 4 GiB)")
            }
            chunkShape = cshape
            var filters: [HDF5Filter] = []
            var unsupported: String? = nil
            for k in 0..<H5Pget_nfilters(plist) {
                var flags: UInt32 = 0, nelmts = 8, config: UInt32 = 0
                var values = [UInt32](repeating: 0, count: 8)
                var nameBuf = [CChar](repeating: 0, count: 64)
                let id = H5Pget_filter2(plist, UInt32(k), &flags, &nelmts, &values, 64, &nameBuf, &config)
                switch id {
                case H5Z_FILTER_DEFLATE: filters.append(.deflate)
                case H5Z_FILTER_SHUFFLE: filters.append(.shuffle(elementSize: size))
                case H5Z_FILTER_FLETCHER32: filters.append(.fletcher32)
                default: unsupported = String(decoding: nameBuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + " (filter \(id))"
                }
            }
            do {
                var n: hsize_t = 0
                H5Dget_num_chunks(d, space, &n)
                // More chunk records than grid cells (or than bytes in the file) is a damaged index.
                let cells = checkedProduct(zip(shape, cshape).map { ($0 + $1 - 1) / $1 }) ?? Int.max
                guard try int(n, "chunk count") <= Swift.min(cells, fileSize) else { throw fail("the chunk index lists \(n) chunks, more than the \(cells) the shape holds") }
                var chunks: [[Int]: HDF5Chunk] = [:]
                var offset = [hsize_t](repeating: 0, count: Swift.max(nd, 1))
                for c in 0..<n {
                    var mask: UInt32 = 0, addr: haddr_t = 0, csize: hsize_t = 0
                    guard H5Dget_chunk_info(d, space, c, &offset, &mask, &addr, &csize) >= 0 else { throw fail("cannot read the chunk index") }
                    let at = try int(addr, "chunk address"), count = try int(csize, "chunk size")
                    guard at <= fileSize - base, count <= fileSize - base - at else {
                        throw fail("the chunk at offset \((0..<nd).map { offset[$0] }) (\(count) bytes at address \(addr)) lies past the end of the file (\(fileSize) bytes)")
                    }
                    // A chunk stored with every filter skipped is raw: libhdf5 1.10 copies a whole
                    // chunk out of it without checking its size (found by fuzz-hdf5).
                    let nf = Swift.min(Int(H5Pget_nfilters(plist)), 32)
                    let allSkipped = nf == 0 || mask & UInt32(truncatingIfNeeded: (1 << nf) - 1) == UInt32(truncatingIfNeeded: (1 << nf) - 1)
                    guard !allSkipped || count == chunkBytes else {
                        throw fail("the chunk at offset \((0..<nd).map { offset[$0] }) is stored unfiltered in \(count) bytes, but a chunk holds \(chunkBytes)")
                    }
                    let cell = try (0..<nd).map { try int(offset[$0], "chunk offset") / cshape[$0] }
                    chunks[cell] = HDF5Chunk(address: base + at, size: count, filterMask: mask)
                }
                layout = unsupported == nil ? .chunked(shape: cshape, chunks: chunks, filters: filters) : .library
            }
        case H5D_COMPACT:
            // libhdf5 1.10 copies the dataspace's byte count out of the compact buffer without
            // checking the buffer holds that many (found by fuzz-hdf5: a read past its end).
            let stored = H5Dget_storage_size(d)
            guard stored >= hsize_t(bytes) else { throw fail("its compact data holds \(stored) bytes, the shape \(shape) needs \(bytes)") }
            layout = .library
        default:
            layout = .library
        }
        return HDF5Dataset(file: file, name: dataset, shape: shape, dtype: dtype, fill: fill, layout: layout, chunkShape: chunkShape)
    }
}
