import Foundation
import Tessera
import TesseraArray
import Testing
import TesseraFrameArray
@testable import TesseraFrame

/// `df.cov()` against pandas, and `toArray(...).cov/corrcoef` of complete rows against NumPy.
@Suite struct FrameCovarianceTests {
    func matrix(_ key: String) -> [[Double?]] {
        (VocabFixture[key] as! [[Any]]).map { $0.map(jsonDouble) }
    }

    @Test func frameCovMatchesPandas() throws {
        let e = VocabFixture["frame_cov"] as! [String: Any]
        let names = e["columns"] as! [String], m = (e["matrix"] as! [[Any]]).map { $0.map(jsonDouble) }
        for df in try VocabFixture.frames() {
            let t = try df.cov().compute()
            #expect(t.names == ["column"] + names)
            for (j, n) in names.enumerated() {
                for (i, v) in t[n]!.doubles.enumerated() { #expect(close(v, m[j][i]), "\(names[i]) × \(n)") }
            }
        }
    }

    @Test func arrayCovAndCorrcoefOfCompleteRowsMatchNumPy() throws {
        let cols = ["dep_delay", "arr_delay", "distance"]
        for df in try VocabFixture.frames() {
            let x = try df.dropna(subset: cols).toArray(cols)
            for (key, got) in [("array_cov_complete", try x.cov(rowvar: false).compute()),
                               ("array_corrcoef_complete", try x.corrcoef(rowvar: false).compute())] {
                let want = matrix(key)
                #expect(got.shape == [3, 3])
                for i in 0..<3 { for j in 0..<3 { #expect(close(got[i, j], want[i][j]), "\(key) [\(i), \(j)]") } }
            }
        }
    }

    @Test func arrayCovWithRowsAsVariablesMatchesNumPy() throws {
        let cols = ["dep_delay", "arr_delay", "distance"]
        let want = matrix("array_cov_rows")
        let complete = try VocabFixture.frame().dropna(subset: cols).compute()
        let first30 = try ChunkedFrame(complete.slice(0..<30), partitionSize: 7)
        let got = try first30.toArray(cols).transpose().cov().compute()   // rowvar: true, NumPy's default
        #expect(got.shape == [3, 3])
        for i in 0..<3 { for j in 0..<3 { #expect(close(got[i, j], want[i][j])) } }
    }
}
