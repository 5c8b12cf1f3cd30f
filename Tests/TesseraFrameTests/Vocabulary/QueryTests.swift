import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// `df.query(...)`, `isin`, `between`, `nsmallest` and error messages, against pandas.
@Suite struct QueryTests {
    @Test func pandasQueries() throws {
        for case let c as [String: Any] in VocabFixture["queries"] as! [Any] {
            for df in try VocabFixture.frames() {
                let q = c["query"] as! String
                let t = try df.query(q).compute()
                #expect(t.rowCount == ((c["result"] as! [String: Any])["columns"] as! [[Any]])[0].count, "\(q)")
                expectTable(t, c["result"]!)
            }
        }
    }

    @Test func parsesToTheOperatorsExpression() throws {
        #expect(try Expr(query: "a > 1 and not b <= 2.5").description == (Expr.col("a") > 1 && !(Expr.col("b") <= 2.5)).description)
        #expect(try Expr(query: "1 < a < 3").description == ((1 < Expr.col("a")) && (Expr.col("a") < 3)).description)
        #expect(try Expr(query: "a + b * c - d / e").description
            == (Expr.col("a") + Expr.col("b") * Expr.col("c") - Expr.col("d") / Expr.col("e")).description)
        #expect(try Expr(query: "`air time` == 'x'").description == (Expr.col("air time") == "x").description)
    }

    @Test func malformedQueriesAreClearErrors() throws {
        let df = try VocabFixture.frame()
        for (q, fragment) in [("dep_delay >", "ends"), ("dep_delay > 60 and", "ends"), ("origin in 'JFK'", "list"),
                              ("(dep_delay > 1", "')'"), ("dep_delay > @x", "@"), ("dep_delay $ 3", "'$'"), ("'abc", "unterminated")] {
            let message = errorMessage { _ = try df.query(q) }
            #expect(message?.contains(fragment) == true, "\(q): \(message ?? "no error")")
        }
        #expect(throws: FrameError.unknownColumn("nope", available: df.columns)) { _ = try df.query("nope > 1") }
    }

    @Test func between() throws {
        for df in try VocabFixture.frames() {
            expectTable(try df.filter(df["dep_delay"].between(0, 30)).compute(), VocabFixture["between"])
        }
    }

    @Test func isinWithMissingAndEmptyLists() throws {
        let t = try Table(["x": Column(float64: [1, nil, 3])])
        let df = try ChunkedFrame(t, partitionSize: 2)
        #expect(try df.filter(df["x"].isin([Value.missing, .float64(3)])).compute()["x"]!.doubles == [nil, 3])
        #expect(try df.filter(df["x"].isin([Double]())).compute().rowCount == 0)
        #expect(try df.filter(df["x"].isin([1])).compute()["x"]!.doubles == [1])
    }

    @Test func nsmallest() throws {
        for df in try VocabFixture.frames() {
            expectTable(try df.nsmallest(4, "arr_delay").compute(), VocabFixture["nsmallest"])
        }
    }

    @Test func typeErrorsNameTheColumnAndTheConstant() throws {
        let df = try VocabFixture.frame()
        let a = errorMessage { _ = try df.filter(df["carrier"] > 60) }
        #expect(a?.contains("carrier") == true && a?.contains("60") == true, "\(a ?? "")")
        #expect(a?.contains("operand") == false, "\(a ?? "")")
        let b = errorMessage { _ = try df.assign("x", df["dep_delay"] - "UA").compute() }
        #expect(b?.contains("dep_delay") == true && b?.contains("UA") == true, "\(b ?? "")")
        // The same names when only the partition knows the type (evaluating on one table).
        let part = try Table(["carrier": Column(string: ["UA"]), "dep_delay": Column(float64: [3])])
        let d = errorMessage { _ = try (Expr.col("carrier") > 60).evaluate(on: part) }
        #expect(d == a, "\(d ?? "")")
        let c = errorMessage { _ = try df.query("carrier > 60") }
        #expect(c?.contains("carrier") == true && c?.contains("60") == true, "\(c ?? "")")
    }
}
