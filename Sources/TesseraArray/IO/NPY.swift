import Foundation

// NumPy's `.npy` format: the magic `\x93NUMPY`, a version (1.0: 2-byte header length; 2.0 and
// 3.0: 4-byte), a Python-literal header dict `{'descr': '<f8', 'fortran_order': False,
// 'shape': (3, 4), }` padded with spaces to a multiple of 64 bytes and ended by `\n`, then the
// raw little-endian data. We read and write C-order little-endian float64/float32/int64/int32
// and bool; anything else is refused with a message saying what the file holds.

/// A parsed `.npy` header.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    /// Byte offset of the data.
    var dataOffset: Int
    var version: UInt8
}

enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses the header of a `.npy` file's bytes.
    /// - Throws: `ArrayError.npy` naming `path` and what is wrong.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> NPYHeader {
        func fail(_ why: String) -> ArrayError { .npy(path: path, reason: why) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a .npy file (bad magic)") }
        let major = bytes[6]
        let headerLength: Int, start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        default:
            throw fail("unsupported .npy format version \(major).\(bytes[7])")
        }
        guard bytes.count >= start + headerLength else { throw fail("truncated header") }
        guard let text = String(bytes: bytes[start..<(start + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("header is not text")
        }
        guard let descr = match(text, key: "descr", pattern: "'([^']*)'") else { throw fail("header has no 'descr'") }
        guard let fortran = match(text, key: "fortran_order", pattern: "(True|False)") else { throw fail("header has no 'fortran_order'") }
        guard let shapeText = match(text, key: "shape", pattern: "\\(([^)]*)\\)") else { throw fail("header has no 'shape'") }
        let shape = try shapeText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { s -> Int in
            guard let n = Int(s.hasSuffix("L") ? String(s.dropLast()) : s), n >= 0 else { throw fail("bad shape (\(shapeText))") }
            return n
        }
        return NPYHeader(descr: descr, fortranOrder: fortran == "True", shape: shape, dataOffset: start + headerLength, version: major)
    }

    private static func match(_ text: String, key: String, pattern: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: "['\"]\(key)['\"]\\s*:\\s*\(pattern)"),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }

    /// Checks that a header describes data we can read as `T`.
    static func validate<T: ArrayScalar>(_ h: NPYHeader, as: T.Type, path: String, byteCount: Int) throws {
        func fail(_ why: String) -> ArrayError { .npy(path: path, reason: why) }
        if h.fortranOrder { throw fail("Fortran-order (column-major) arrays are not supported; save with np.ascontiguousarray") }
        let d = h.descr
        if d.hasPrefix(">") && d != ">u1" && d != ">i1" && d != ">b1" {
            throw fail("big-endian dtype '\(d)' is not supported; convert with arr.astype('<\(d.dropFirst())')")
        }
        let normalized = d.replacingOccurrences(of: "=", with: "<").replacingOccurrences(of: "|", with: "<")
        let want = T.dtype.npyDescr.replacingOccurrences(of: "|", with: "<")
        guard normalized == want else {
            throw fail("dtype '\(d)' cannot be read as \(T.dtype.rawValue) (expected '\(T.dtype.npyDescr)')")
        }
        // Checked: a crafted shape such as (2**62, 4) must not wrap to a small byte count.
        guard let count = checkedProduct(h.shape),
              case let (bytes, o1) = count.multipliedReportingOverflow(by: T.dtype.itemSize), !o1,
              case let (need, o2) = h.dataOffset.addingReportingOverflow(bytes), !o2 else {
            throw fail("shape \(fmt(h.shape)) is too large: its byte count overflows a 64-bit integer")
        }
        guard byteCount >= need else { throw fail("truncated data: \(byteCount) bytes, need \(need) for shape \(fmt(h.shape))") }
    }

    /// The header bytes (magic, version, length, padded dict) for an array.
    static func header(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Version 1 unless the header outgrows its 2-byte length.
        let v1 = dict.utf8.count + 10 + 64 < 65536
        let prefix = v1 ? 10 : 12
        let total = ((prefix + dict.utf8.count + 1 + 63) / 64) * 64
        dict += String(repeating: " ", count: total - prefix - dict.utf8.count - 1) + "\n"
        let n = dict.utf8.count
        var out = magic + [v1 ? 1 : 2, 0]
        if v1 { out += [UInt8(n & 0xFF), UInt8(n >> 8)] } else { out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)] }
        return out + Array(dict.utf8)
    }

    /// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
    /// failure never leaves a partial file under the final name.
    static func atomicWrite(_ path: String, _ write: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw ArrayError.npy(path: path, reason: "cannot create a file in \(url.deletingLastPathComponent().path)")
        }
        do {
            let h = try FileHandle(forWritingTo: tmp)
            defer { try? h.close() }
            try write(h)
            try h.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw ArrayError.npy(path: path, reason: "write failed: \(error)")
        }
        guard rename(tmp.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: tmp)
            throw ArrayError.npy(path: path, reason: "cannot rename the temporary file into place (errno \(errno))")
        }
    }
}

extension NDArray {
    /// Reads a `.npy` file (versions 1–3, little-endian, C order) whose dtype is `Scalar`'s.
    /// - Throws: `ArrayError.npy` naming the file and the problem (dtype, byte order, order, truncation).
    public static func readNPY(_ path: String) throws -> NDArray {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArrayError.npy(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { raw in
            let h = try NPY.parseHeader(raw, path: path)
            try NPY.validate(h, as: Scalar.self, path: path, byteCount: raw.count)
            return NDArray(shape: h.shape) { out in
                guard !out.isEmpty else { return }
                readScalars(raw, offset: h.dataOffset, into: out.baseAddress!, count: out.count)
            }
        }
    }

    /// Writes this array as a version 1.0 `.npy` file (2.0 if the header needs it), atomically.
    /// - Throws: `ArrayError.npy` when the file can't be written.
    public func writeNPY(_ path: String) throws {
        let header = NPY.header(descr: Scalar.dtype.npyDescr, shape: shape)
        try NPY.atomicWrite(path) { h in
            try h.write(contentsOf: Data(header))
            try h.write(contentsOf: Data(bytes: pointer, count: count * MemoryLayout<Scalar>.stride))
        }
    }
}

/// Copies `count` scalars from possibly unaligned bytes (Bool: any non-zero byte is true).
func readScalars<T: ArrayScalar>(_ raw: UnsafeRawBufferPointer, offset: Int, into out: UnsafeMutablePointer<T>, count: Int) {
    if T.dtype == .bool {
        let b = raw.baseAddress! + offset
        for i in 0..<count { out[i] = (b.load(fromByteOffset: i, as: UInt8.self) != 0) ? T.one : T.zero }
    } else {
        UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress! + offset, byteCount: count * T.dtype.itemSize)
    }
}
