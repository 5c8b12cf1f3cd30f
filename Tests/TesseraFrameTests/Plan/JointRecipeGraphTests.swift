import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Delayed values built on a frame's reductions carry recipes for the joint plan; a value used
/// twice is one recipe reached twice, and a long chain of them is walked without recursion.
@Suite struct JointRecipeGraphTests {
    /// Forty doublings of one mean reach its recipe 2^40 times by path: prepared and built once.
    @Test func sharedInputsArePreparedAndBuiltOnce() throws {
        let df = try readCSV(smallFlights())
        let add = delayed(name: "add") { (a: Double, b: Double) in a + b }
        let mean = try df["DepDelay"].mean()
        var x = mean
        for _ in 0..<40 { x = add(x, x) }
        let profiler = Profiler()
        let (total, m) = try profiler.observe { try compute(x, mean, scheduler: .threads(2)) }
        #expect(total == m * 0x1p40)
        // The joint plan reads each file once and runs each add once.
        #expect(profiler.records.filter { $0.kind.contains("read-csv") }.count == df.partitionCount)
        #expect(profiler.records.reduce(0) { $0 + ($1.kind.contains("add") ? $1.fusedCount : 0) } == 40)
    }

    /// 100,000 steps above a frame's count: built in the joint plan, computed, and freed.
    @Test func aLongChainOfRecipesComputesAndIsFreed() throws {
        let df = try readCSV(smallFlights())
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let count = try df["DepDelay"].count()
        weak var firstLayer: Layer?
        do {
            var x = inc(count)
            firstLayer = x.ref.layer
            for _ in 1..<100_000 { x = inc(x) }
            let (total, n) = try compute(x, count, scheduler: .synchronous)
            #expect(total == n + 100_000)
        }
        #expect(firstLayer == nil)
    }
}
