import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// `groupby(keys)["col"]`, `[["a", "b"]]`, and `agg` with function names, against pandas.
@Suite struct GroupByColumnsTests {
    @Test func aggListOfNamesPerColumn() throws {
        for df in try VocabFixture.frames() {
            let t = try df.groupby("origin").agg(["dep_delay": ["mean", "max"]]).compute()
            expectTable(t, VocabFixture["agg_multi"])
            let u = try df.groupby("origin").agg(["dep_delay": [.mean, .max]]).compute()
            expectTable(u, VocabFixture["agg_multi"])
            let v = try df.groupby("origin")["dep_delay"].agg(["mean", "max"]).compute()
            expectTable(v, VocabFixture["agg_multi"])
        }
    }

    @Test func severalSelectedColumns() throws {
        for df in try VocabFixture.frames() {
            expectTable(try df.groupby("carrier")[["dep_delay", "distance"]].sum().compute(), VocabFixture["groupby_two_cols_sum"])
        }
    }

    @Test func sizeAndStd() throws {
        for df in try VocabFixture.frames() {
            expectTable(try df.groupby("carrier")["dep_delay"].size().compute(), VocabFixture["groupby_size"])
            expectTable(try df.groupby("carrier")["arr_delay"].std().compute(), VocabFixture["groupby_std"])
        }
    }

    @Test func unknownFunctionNameIsAClearError() throws {
        let df = try VocabFixture.frame()
        let message = errorMessage { _ = try df.groupby("origin").agg(["dep_delay": "meen"]) }
        #expect(message?.contains("'meen'") == true)
        #expect(message?.contains("'dep_delay'") == true)
        #expect(message?.contains("mean") == true)
    }

    @Test func textColumnTypeErrorWhenBuilt() throws {
        let df = try VocabFixture.frame()
        // Found while building the frame, from the schema: nothing is computed.
        #expect(throws: FrameError.typeMismatch(column: "carrier", expected: "a numeric or bool column for mean", found: .string)) {
            _ = try df.groupby("origin").agg(["carrier": "mean"])
        }
        #expect(throws: FrameError.self) { _ = try df.groupby("origin")["carrier"].mean() }
        #expect(throws: FrameError.self) { _ = try df["carrier"].mean() }
        #expect(throws: FrameError.self) { _ = try df.query("carrier > 60") }
        #expect(throws: FrameError.self) { _ = try df.groupby("origin").agg(["carrier": .mean]) }
        #expect(throws: FrameError.self) { _ = try df.filter(df["carrier"] > 60) }
        #expect(throws: FrameError.self) { _ = try df.assign("x", df["carrier"] * 2) }
    }
}
