// README.md's tour, pasted as top-level code of a Swift 6 package (`#expect` spelled `check`).
// Every closure here is written in main-actor code and runs on Tessera's worker threads: before
// the library's closure parameters were `@Sendable`, Swift's run-time isolation check trapped here.
// Run from the repository root (the frame tour reads `data/`).
import Foundation
import Tessera
import TesseraArray
import TesseraFrame
import TesseraFrameArray

/// Stops the program with status 1 when a README claim does not hold.
func check(_ condition: Bool, _ line: Int = #line) {
    guard condition else {
        FileHandle.standardError.write(Data("consumer: check failed at main.swift:\(line)\n".utf8))
        exit(1)
    }
}

// Delayed tasks
let inc = delayed(name: "inc") { (x: Int) in x + 1 }
let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
let total = add(inc(Delayed(1)), inc(Delayed(2)))   // builds a graph; nothing runs yet
check(try total.compute() == 5)                    // runs it on all cores
check(total.key.name.hasPrefix("add-"))

let data = Delayed([3, 1, 2], name: "data")
let sorted = data.map(name: "sort") { $0.sorted() }
let (smallest, count) = try compute(sorted.first, sorted.count)
check(smallest == 1 && count == 3)
check(try (Delayed(6) * 7 > Delayed(40)).compute())

// Schedulers
let x = Delayed(20) + 1
check(try x.compute(scheduler: .synchronous) == 21)   // calling thread: for debugging
check(try x.compute(scheduler: .threads(2)) == 21)    // a pool of 2 workers
let squares = try (1...4).parallelMap { $0 * $0 }       // Python's Pool.map
check(squares == [1, 4, 9, 16])

let y = Delayed(20) + 1
let viaAsync = try await y.compute()   // suspends; never blocks the cooperative pool
check(viaAsync == 21)

let failing = delayed(name: "parse") { (s: String) throws -> Int in
    guard let v = Int(s) else { throw CocoaError(.formatting) }
    return v
}
do {
    _ = try failing(Delayed("x")).compute()
    check(false)
} catch is TaskFailure {}

// Guides/Delayed.md's fan-in
let parts = (1...10).map { inc(Delayed($0)) }
let fanIn = delayed(name: "sum", parts) { $0.reduce(0, +) }
check(try fanIn.compute() == (2...11).reduce(0, +))

// ChunkedArray
let a = try ChunkedArray<Double>.random(shape: [400, 300], chunks: [100, 100], seed: 1)
let b = a * 2 + 1                              // fused: one task per block, no temporaries
let arrayTotal = try b.sum().compute().scalar!      // one pass over memory per block, tree-reduced
let columnMeans = try b.mean(axis: 0).compute()
let corner = try a[.slice(0, 2), .slice(0, 3)].compute()   // 2×3 NDArray
let xs = try a.compute().scalars                           // the whole array, row-major
var naiveTotal = 0.0, naiveMean7 = 0.0                    // the same, by plain loops
for (i, v) in xs.enumerated() {
    naiveTotal += v * 2 + 1
    if i % 300 == 7 { naiveMean7 += (v * 2 + 1) / 400 }
}
check(abs(arrayTotal - naiveTotal) < 1e-9 * arrayTotal)
check(abs(columnMeans[7] - naiveMean7) < 1e-9)
check(corner.shape == [2, 3] && corner[1, 2] == xs[302])
let blocks = try a.mapBlocks { block, _ in block }        // a user closure on worker threads
check(try blocks.sum().compute().scalar! == a.sum().compute().scalar!)

// ChunkedFrame
let flights = try readCSV("data")                       // every *.csv file, in parallel
let late = try flights.filter(flights["DepDelay"] > 15 && flights["Origin"] == "JFK")
let perAirport = try flights.groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .count])
let (lateCount, table) = try compute(late, perAirport)  // one graph, files read once
check(table.names == ["Origin", "DepDelay_mean", "DepDelay_count"])
check(table.rowCount == 3 && lateCount.rowCount > 0)
let delays = try flights.toArray(["DepDelay", "ArrDelay"])  // a ChunkedArray, NaN where missing
let meanDepDelay = try delays.nanmean(axis: 0).compute()[0]
let counts = table["DepDelay_count"]!.elements.map { $0.doubleValue! }
let means = table["DepDelay_mean"]!.elements.map { $0.doubleValue! }
check(abs(meanDepDelay - zip(means, counts).map(*).reduce(0, +) / counts.reduce(0, +)) < 1e-9)
let rowCounts = try flights.mapPartitions { $0 }.groupby("Origin").agg(["DepDelay": .count]).compute()
check(rowCounts["DepDelay_count"]!.elements.map { $0.doubleValue! } == counts)

print("consumer (top-level code): README tour OK")
