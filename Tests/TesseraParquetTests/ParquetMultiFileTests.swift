import Foundation
import Testing
import TesseraFrame
@testable import TesseraParquet

/// Several files in one frame: by directory (Hive-style folders walked in order) and by glob;
/// types that differ unify by promotion, columns that differ are an error naming both files.
@Suite struct ParquetMultiFileTests {
    static func write(_ tables: [String: Table]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pq-multi-\(UUID())").path
        for (name, t) in tables {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(t.parquetBytes(compression: .snappy)).write(to: URL(fileURLWithPath: path))
        }
        return dir
    }

    @Test func integerAndFloatFilesUnifyToFloat() throws {
        let dir = try Self.write([
            "year=2013/a.parquet": try Table(["x": Column(int64: [1, nil, 3])]),
            "year=2014/b.parquet": try Table(["x": Column(float64: [0.5, 2.5])]),
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let df = try readParquet(dir)
        #expect(df.schema["x"]?.type == .float64)
        #expect(df.partitionCount == 2)
        #expect(try df.compute().columns[0].elements == [.float64(1), .missing, .float64(3), .float64(0.5), .float64(2.5)])
        #expect(try readParquet(dir + "/year=2014/*.parquet").compute().rowCount == 2)
    }

    @Test func filesWithOtherColumnsOrImpossibleTypesAreErrorsNamingBothFiles() throws {
        let dir = try Self.write([
            "a.parquet": try Table(["x": Column(int64: [1])]),
            "b.parquet": try Table(["y": Column(int64: [2])]),
            "c/c.parquet": try Table(["x": Column(string: ["text"])]),
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { try readParquet([dir + "/a.parquet", dir + "/b.parquet"]) } throws: { e in
            "\(e)".contains("b.parquet") && "\(e)".contains("a.parquet")
        }
        #expect { try readParquet([dir + "/a.parquet", dir + "/c/c.parquet"]) } throws: { e in
            "\(e)".contains("c.parquet") && "\(e)".contains("a.parquet") && "\(e)".contains("column 'x'")
        }
    }
}
