import Foundation
import Testing
@testable import TesseraFrame

/// `tessera describe` run as a child process, checked against a plain loop over the sample data.
@Suite struct DescribeCommandTests {
    @Test
    func describeCommand() throws {
        let (status, out, _) = try GroupbyCommandTests.run(["describe", "data/1990.csv", "--workers", "2"])
        #expect(status == 0)
        let lines = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first?.first == "statistic")
        #expect(lines.map { $0[0] } == ["statistic", "count", "mean", "std", "min", "25%", "50%", "75%", "max"])
        let column = try #require(lines[0].firstIndex(of: "Distance"))
        // The naive reference: every Distance value of the file.
        let text = try String(contentsOf: GroupbyCommandTests.root.appendingPathComponent("data/1990.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = text.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let k = try #require(header.firstIndex(of: "Distance"))
        let values = rows.map { Double($0[k])! }
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(Double(lines[1][column]) == Double(values.count))
        #expect(abs(Double(lines[2][column])! - mean) < 1e-9 * mean)
        #expect(Double(lines[4][column]) == values.min())
        #expect(Double(lines[8][column]) == values.max())

        let (bad, _, err) = try GroupbyCommandTests.run(["describe", "no/such/dir"])
        #expect(bad != 0)
        #expect(err.contains("no/such/dir"))
    }
}
