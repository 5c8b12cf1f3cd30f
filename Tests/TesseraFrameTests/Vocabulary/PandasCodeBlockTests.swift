import Foundation
import Tessera
import TesseraArray
import Testing
import TesseraFrameArray
@testable import TesseraFrame

/// One test per line of issue 14's code block, against pandas/NumPy answers (expected.json),
/// on the fixture's files and at other partitionings.
@Suite struct PandasCodeBlockTests {
    @Test func columnMean() throws {
        for df in try VocabFixture.frames() {
            let m: Double = try df["dep_delay"].mean().compute()
            #expect(close(m, jsonDouble(VocabFixture["mean"])))
        }
    }

    @Test func groupbyColumnMean() throws {
        for df in try VocabFixture.frames() {
            let g: Table = try df.groupby("origin")["dep_delay"].mean().compute()
            expectTable(g, VocabFixture["groupby_mean"])
        }
    }

    @Test func aggByFunctionName() throws {
        for df in try VocabFixture.frames() {
            let a: Table = try df.groupby("origin").agg(["dep_delay": "mean"]).compute()
            expectTable(a, VocabFixture["agg_mean"])
        }
    }

    @Test func nlargest() throws {
        for df in try VocabFixture.frames() {
            let top: Table = try df.nlargest(5, "dep_delay").compute()
            expectTable(top, VocabFixture["nlargest"])
        }
    }

    @Test func frameCorr() throws {
        let expected = VocabFixture["corr"] as! [String: Any]
        let names = expected["columns"] as! [String]
        let matrix = expected["matrix"] as! [[Any]]
        for df in try VocabFixture.frames() {
            let c: Table = try df.corr().compute()
            #expect(c.names == ["column"] + names)
            #expect(c["column"]!.strings == names)
            for (j, name) in names.enumerated() {
                let got = c[name]!.doubles
                for i in names.indices { #expect(close(got[i], jsonDouble(matrix[j][i])), "\(names[i]) × \(name)") }
            }
        }
    }

    @Test func arrayCovOfFrameColumns() throws {
        let expected = (VocabFixture["array_cov"] as! [[Any]]).map { $0.map(jsonDouble) }
        for df in try VocabFixture.frames() {
            let cv: NDArray<Double> = try df.toArray(["dep_delay", "arr_delay"]).cov(rowvar: false).compute()
            #expect(cv.shape == [2, 2])
            // NumPy: a NaN in a variable makes its covariances NaN (null in the JSON).
            for i in 0..<2 { for j in 0..<2 { #expect(close(cv[i, j], expected[i][j] ?? .nan)) } }
        }
    }

    @Test func shape() throws {
        let expected = VocabFixture["shape"] as! [Int]
        for df in try VocabFixture.frames() {
            let rows: Int = try df.shape.rows.compute(); let cols: Int = df.shape.columns
            #expect([rows, cols] == expected)
        }
    }

    @Test func query() throws {
        for df in try VocabFixture.frames() {
            let q: Table = try df.query("dep_delay > 60 and origin in ['JFK', 'LGA']").compute()
            expectTable(q, VocabFixture["query"])
        }
    }

    @Test func filterIsin() throws {
        for df in try VocabFixture.frames() {
            let i: Table = try df.filter(df["origin"].isin(["JFK", "LGA"])).compute()
            expectTable(i, VocabFixture["isin"])
        }
    }

    @Test func sortDescendingHead() throws {
        for df in try VocabFixture.frames() {
            let s: Table = try df.sortValues(by: ["dep_delay", "arr_delay"], ascending: false).head(5)
            expectTable(s, VocabFixture["sort_head"])
        }
    }

    @Test func typedAccessorOfResult() throws {
        let df = try VocabFixture.frame()
        let a: Table = try df.groupby("origin").agg(["dep_delay": "mean"]).compute()
        let v: [Double?] = a["dep_delay_mean"]!.doubles
        let expected = ((VocabFixture["agg_mean"] as! [String: Any])["columns"] as! [[Any]])[1].map(jsonDouble)
        #expect(v.count == expected.count)
        for (x, y) in zip(v, expected) { #expect(close(x, y)) }
    }
}
