import Foundation

// What every sample generator needs: a file written through a temporary name and a rename (so a
// failure never leaves a half-written file under the final name), rendered a few megabytes at a
// time, and integers formatted by hand (String interpolation per field would dominate the time).

/// Writes `url` from the chunks `render` hands its sink, through a temporary name and a rename.
/// - Returns: the number of bytes written.
/// - Throws: `CocoaError` when the file cannot be created, or what `render` or a write throws
///   (the temporary file is removed then).
func writeSampleFile(_ url: URL, render: (_ sink: ([UInt8]) throws -> Void) throws -> Void) throws -> Int {
    let directory = url.deletingLastPathComponent()
    let tmp = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
        throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: tmp.path])
    }
    let handle = try FileHandle(forWritingTo: tmp)
    var written = 0
    do {
        try render { chunk in
            try handle.write(contentsOf: chunk)
            written += chunk.count
        }
        try handle.close()
    } catch {
        try? handle.close()
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
    if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    try FileManager.default.moveItem(at: tmp, to: url)
    return written
}

/// Appends the decimal digits of `value`, at least `width` of them (zero-padded).
@inline(__always)
func appendDecimal(_ out: inout [UInt8], _ value: Int, width: Int = 1) {
    var v = value
    if v < 0 { out.append(45); v = -v }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int's digits
    var n = 0
    withUnsafeMutableBytes(of: &digits) { buf in
        repeat { buf[n] = UInt8(48 + v % 10); v /= 10; n += 1 } while v > 0
        while n < width && n < 24 { buf[n] = 48; n += 1 }
        for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
    }
}
