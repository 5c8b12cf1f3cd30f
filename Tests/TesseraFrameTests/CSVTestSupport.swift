import Foundation
import Tessera
@testable import TesseraFrame

/// A fresh temporary directory for one test.
func temporaryDirectory(_ name: String = #function) -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-frame-\(safe)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` (or raw bytes) to a file in a fresh directory and returns its path.
func writeCSV(_ text: String, name: String = "data.csv", in dir: URL? = nil, function: String = #function) -> String {
    let d = dir ?? temporaryDirectory(function)
    let url = d.appendingPathComponent(name)
    try! Data(text.utf8).write(to: url)
    return url.path
}

/// Reads `text` as CSV and computes it synchronously.
func parseCSV(_ text: String, _ options: CSVOptions = CSVOptions(), function: String = #function) throws -> Table {
    try readCSV(writeCSV(text, function: function), options: options).compute(scheduler: .synchronous)
}

/// The CSVError inside a TaskFailure, or the error itself.
func csvError(_ error: Error) -> Error {
    if let f = error as? TaskFailure { return f.underlying }
    return error
}

/// The message of the error a throwing body raises (unwrapping TaskFailure), or nil.
func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return "\(csvError(error))" }
}
