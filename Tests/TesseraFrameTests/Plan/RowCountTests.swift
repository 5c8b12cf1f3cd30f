import Testing
import Tessera
@testable import TesseraFrame

@Suite struct RowCountTests {
    @Test func rowCountOfAScanConvertsNoColumn() throws {
        let df = try readCSV(smallFlights())
        let plan = try Optimizer.optimize([df.node], required: [[]])
        #expect(scanRequests(plan)[0].columns == [])
        let tables = try TaskGraph(df.rowCountPartitions()).compute(scheduler: .synchronous).map { $0 as! Table }
        #expect(tables.allSatisfy { $0.columnCount == 0 })
        #expect(try df.rowCount() == 200)
    }

    @Test func rowCountAfterAFilterReadsOnlyTheFilterColumns() throws {
        let df = try readCSV(smallFlights())
        let far = try df.assign("x", df["DepDelay"] * 2).filter(df["Distance"] > 1000)
        let plan = try Optimizer.optimize([far.node], required: [[]])
        #expect(scanRequests(plan)[0].columns == [])
        #expect(scanRequests(plan)[0].predicate != nil)
        #expect(try far.rowCount() == (try computeUnoptimized(far)).rowCount)
    }
}
