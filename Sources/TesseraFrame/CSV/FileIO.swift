// Reading byte ranges of files with pread, and finding the files a path names.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes of a file range in an owned buffer, followed by the tokenizer's sentinels (LF, quote)
/// and zero padding for unaligned 8-byte loads.
final class ByteBlock {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int
    static let padding = 16

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count + ByteBlock.padding)
        (base + count).initialize(repeating: 0, count: ByteBlock.padding)
    }

    deinit { base.deallocate() }

    /// Writes the sentinels after the data.
    func seal(quote: UInt8) {
        base[count] = 10
        base[count + 1] = quote
    }
}

/// Reads `length` bytes at `offset` of `path`.
/// - Throws: `CSVError.unreadable` naming the file and the system's reason.
func readRange(_ path: String, offset: Int, length: Int) throws -> ByteBlock {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    let block = ByteBlock(count: length)
    var done = 0
    while done < length {
        let r = pread(fd, block.base + done, length - done, off_t(offset + done))
        if r < 0 {
            if errno == EINTR { continue }
            throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        if r == 0 { throw CSVError.unreadable(file: path, reason: "file shrank while reading (expected \(offset + length) bytes)") }
        done += r
    }
    return block
}

/// The size of the file at `path`. - Throws: `CSVError.unreadable`.
func fileSize(_ path: String) throws -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno))) }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw CSVError.unreadable(file: path, reason: "not a regular file") }
    return Int(st.st_size)
}

/// The files a path names: a file; a directory's `*.csv` files, sorted; or a glob's matches, sorted.
/// - Throws: `CSVError.noFiles` for an empty directory or a glob matching nothing,
///   `.unreadable` for a path that doesn't exist.
public func resolveCSVPaths(_ path: String) throws -> [String] {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        guard isDir.boolValue else { return [path] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw CSVError.unreadable(file: path, reason: "\(error.localizedDescription)")
        }
        let csv = names.filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        guard !csv.isEmpty else { throw CSVError.noFiles(path) }
        let dir = path.hasSuffix("/") ? path : path + "/"
        return csv.map { dir + $0 }
    }
    if path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(path, 0, nil, &g) == 0, g.gl_pathc > 0 else { throw CSVError.noFiles(path) }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let c = g.gl_pathv[i] { out.append(String(cString: c)) }
        }
        guard !out.isEmpty else { throw CSVError.noFiles(path) }
        return out.sorted()
    }
    throw CSVError.unreadable(file: path, reason: "no such file or directory")
}
