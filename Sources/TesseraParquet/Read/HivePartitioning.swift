// Hive-style partition directories: `year=2013/month=1/part-0.parquet` holds rows whose `year`
// is 2013 and `month` is 1, though the file itself has neither column. Reading turns each
// `key=value` folder level into a column of the frame (after the files' own columns, as pyarrow
// and Polars do), typed int64 when every value is an integer and string otherwise, with
// pyarrow's `__HIVE_DEFAULT_PARTITION__` as a missing value and values percent-decoded as
// pyarrow's default `segment_encoding="uri"` writes them. Because each file has one value per
// key, a key is a column whose min and max are that value in every row group: the same
// statistics pruning that skips row groups skips whole directories.

import Foundation
import TesseraFrame

/// The Hive partition columns of a dataset and each file's values of them.
struct HivePartitioning: Sendable {
    /// The partition columns, in folder order.
    let fields: [Field]
    /// Per file (in the dataset's order), one value per field (`.missing` for the default partition).
    let values: [[Value]]

    /// The folder name pyarrow and Spark write for a missing value.
    static let missingMarker = "__HIVE_DEFAULT_PARTITION__"

    /// The `key=value` folder levels of each file's path relative to its dataset root; nil when
    /// no file has any. Every file must have the same keys in the same order.
    /// - Throws: `ParquetError` naming a file whose keys differ from the first file's.
    init?(files: [(path: String, relative: String)]) throws {
        let parsed = files.map { Self.keyValues($0.relative) }
        guard let first = parsed.first, !first.isEmpty else {
            if let other = zip(files, parsed).first(where: { !$0.1.isEmpty }) {
                throw ParquetError(path: other.0.path, message: "is under Hive folders \(other.1.map(\.key)) but \(files[0].path) is not")
            }
            return nil
        }
        let keys = first.map(\.key)
        for (file, kv) in zip(files, parsed) where kv.map(\.key) != keys {
            throw ParquetError(path: file.path, message: "its Hive folders \(kv.map(\.key)) differ from \(files[0].path)'s \(keys)")
        }
        var fields: [Field] = []
        var columns: [[Value]] = Array(repeating: [], count: files.count)
        for (j, key) in keys.enumerated() {
            let texts = parsed.map { $0[j].value }
            let integers = texts.allSatisfy { $0 == nil || Int64($0!) != nil }
            fields.append(Field(key, integers ? .int64 : .string, nullable: texts.contains(nil)))
            for (i, text) in texts.enumerated() {
                columns[i].append(text.map { integers ? .int64(Int64($0)!) : .string($0) } ?? .missing)
            }
        }
        self.fields = fields
        values = columns
    }

    /// The `key=value` levels of a relative path's folders, values percent-decoded (nil: missing).
    static func keyValues(_ relative: String) -> [(key: String, value: String?)] {
        relative.split(separator: "/").dropLast().compactMap { level in
            guard let eq = level.firstIndex(of: "="), eq != level.startIndex else { return nil }
            let key = String(level[..<eq])
            let raw = String(level[level.index(after: eq)...])
            if raw == missingMarker { return (key, nil) }
            return (key.removingPercentEncoding ?? key, raw.removingPercentEncoding ?? raw)
        }
    }

    /// The index of the field named `name`.
    func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The folder level for `value` of `key`: `key=value`, the value percent-encoded where it
    /// holds a character that isn't safe in a path segment (as pyarrow's `uri` encoding).
    static func folder(_ key: String, _ value: Value) -> String {
        let text: String
        switch value {
        case .missing: return key + "=" + missingMarker
        case .string(let s): text = s
        case .int64(let i): text = String(i)
        case .bool(let b): text = b ? "true" : "false"
        case .float64(let d): text = String(d)
        case .timestamp(let t): text = String(t)
        }
        // RFC 3986's unreserved characters, ASCII only, as pyarrow's encoder keeps them.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return key + "=" + (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
    }
}

extension Column {
    /// `count` copies of `value` as a column of `type` (a one-entry dictionary for text).
    /// - Complexity: O(count).
    init(repeating value: Value, type: DataType, count: Int) {
        switch value {
        case .int64(let i): self.init(values: .int64(Array(repeating: i, count: count)))
        case .string(let s):
            self.init(values: .string(.dictionary(codes: Array(repeating: 0, count: count), dictionary: StringBuffer([s]))))
        default: self.init(missing: type, count: count)
        }
    }
}
