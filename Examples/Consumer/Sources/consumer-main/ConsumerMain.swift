// README.md's tour inside an `@main` type (main-actor isolated in the Swift 6 language mode), the
// other place a user pastes it. The closures are written in main-actor code and run on worker
// threads; before the library required `@Sendable` closures this trapped at run time.
import Foundation
import Tessera
import TesseraArray
import TesseraFrame
import TesseraFrameArray

@main @MainActor
struct ConsumerMain {
    static func main() async throws {
        try tour()
        let viaAsync = try await (Delayed(20) + 1).compute()   // suspends; never blocks
        check(viaAsync == 21)
        print("consumer (@main type): README tour OK")
    }

    /// The synchronous part of the tour, still main-actor isolated.
    static func tour() throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let total = add(inc(Delayed(1)), inc(Delayed(2)))
        check(try total.compute() == 5)
        let sorted = Delayed([3, 1, 2], name: "data").map(name: "sort") { $0.sorted() }
        let (smallest, count) = try compute(sorted.first, sorted.count)
        check(smallest == 1 && count == 3)
        check(try (1...4).parallelMap { $0 * $0 } == [1, 4, 9, 16])
        let fanIn = delayed(name: "sum", (1...10).map { inc(Delayed($0)) }) { $0.reduce(0, +) }
        check(try fanIn.compute() == (2...11).reduce(0, +))

        let x = try ChunkedArray<Double>.random(shape: [400, 300], chunks: [100, 100], seed: 1)
        let xs = try x.compute().scalars
        let naive = xs.reduce(0) { $0 + ($1 * 2 + 1) }
        check(abs(try (x * 2 + 1).sum().compute().scalar! - naive) < 1e-9 * naive)
        let doubled = try x.mapBlocks { block, _ in block }
        check(try doubled.compute().scalars == xs)

        let flights = try readCSV("data")
        let table = try flights.mapPartitions { $0 }.groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .count]).compute()
        check(table.names == ["Origin", "DepDelay_mean", "DepDelay_count"] && table.rowCount == 3)
        let counts = table["DepDelay_count"]!.elements.map { $0.doubleValue! }
        let means = table["DepDelay_mean"]!.elements.map { $0.doubleValue! }
        let meanDepDelay = try flights.toArray(["DepDelay"]).nanmean(axis: 0).compute()[0]
        check(abs(meanDepDelay - zip(means, counts).map(*).reduce(0, +) / counts.reduce(0, +)) < 1e-9)
    }

    /// Stops the program with status 1 when a README claim does not hold.
    static func check(_ condition: Bool, _ line: Int = #line) {
        guard condition else {
            FileHandle.standardError.write(Data("consumer-main: check failed at ConsumerMain.swift:\(line)\n".utf8))
            exit(1)
        }
    }
}
