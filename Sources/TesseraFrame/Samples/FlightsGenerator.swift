import Foundation
import Tessera

/// The columns of the Dask tutorial's nycflights files, in file order.
public let flightsColumns = [
    "Year", "Month", "DayofMonth", "DayOfWeek", "DepTime", "CRSDepTime", "ArrTime", "CRSArrTime",
    "UniqueCarrier", "FlightNum", "TailNum", "ActualElapsedTime", "CRSElapsedTime", "AirTime",
    "ArrDelay", "DepDelay", "Origin", "Dest", "Distance", "TaxiIn", "TaxiOut", "Cancelled", "Diverted",
]

/// Writes deterministic flights CSV files in the nycflights schema of the Dask tutorial:
/// `<directory>/1990.csv`, `1991.csv`, … one per year.
///
/// About 2% of flights are cancelled, with empty time and delay fields; about 0.2% are diverted,
/// with empty arrival fields; `TailNum`, `AirTime`, `TaxiIn` and `TaxiOut` are empty as in the
/// 1990s files. The same `seed`, `files` and `rows` give byte-identical files on any machine.
/// Files are written in parallel, each through a temporary name and a rename.
///
/// - Parameters:
///   - directory: created if missing.
///   - files: number of yearly files, starting at 1990.
///   - rows: rows per file.
///   - seed: the generator's seed.
///   - scheduler: where the files are written, one task each (the default scheduler when nil);
///     under `.mpi`, each file by the rank its task is placed on.
/// - Throws: `CocoaError` when the directory or a file cannot be written.
/// - Complexity: O(files × rows).
public func generateFlights(directory: URL, files: Int, rows: Int, seed: UInt64, scheduler: Scheduler? = nil) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    _ = try (0..<files).parallelMap(scheduler: scheduler, batchSize: 1) { f -> Int in
        let year = 1990 + f
        let url = directory.appendingPathComponent("\(year).csv")
        var writer = FlightsFileWriter(year: year, rows: rows, seed: seed &+ UInt64(f) &* 0x9E37_79B9_7F4A_7C15)
        // Rows are rendered and written 8 MB at a time, so a 2 GB file never sits in memory.
        return try writeSampleFile(url) { sink in try writer.render(sink) }
    }
}

/// SplitMix64: tiny, fast and good enough for synthetic data.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// Renders one yearly file into bytes, formatting integers by hand (String interpolation per
/// field would dominate the time).
struct FlightsFileWriter {
    let year: Int
    let rows: Int
    var rng: SplitMix64

    init(year: Int, rows: Int, seed: UInt64) {
        self.year = year
        self.rows = rows
        self.rng = SplitMix64(state: seed)
    }

    static let origins = ["EWR", "JFK", "LGA"]
    static let originWeights = [36, 33, 31]
    static let carriers = ["AA", "CO", "DL", "EA", "HP", "NW", "PA (1)", "PI", "TW", "UA", "US"]
    /// Destinations with their distance from New York in miles.
    static let destinations: [(String, Int)] = [
        ("ATL", 760), ("BOS", 187), ("BUF", 292), ("CLE", 404), ("CLT", 533), ("CVG", 569), ("DCA", 214),
        ("DEN", 1620), ("DFW", 1372), ("DTW", 488), ("FLL", 1069), ("IAD", 228), ("IAH", 1400), ("LAX", 2454),
        ("MCO", 944), ("MIA", 1089), ("MSP", 1018), ("ORD", 719), ("PBI", 1028), ("PHL", 80), ("PIT", 319),
        ("RDU", 427), ("ROC", 246), ("SEA", 2402), ("SFO", 2569), ("STL", 872), ("SYR", 198), ("TPA", 1005),
    ]

    /// Renders the whole file into one array (small files, tests).
    mutating func render() -> [UInt8] {
        var all: [UInt8] = []
        try! render { all.append(contentsOf: $0) }
        return all
    }

    /// Renders the file, handing `sink` about 8 MB of whole rows at a time.
    mutating func render(_ sink: ([UInt8]) throws -> Void) throws {
        let flushAt = 8 << 20
        var out: [UInt8] = []
        out.reserveCapacity(flushAt + 4096)
        out.append(contentsOf: Array(flightsColumns.joined(separator: ",").utf8))
        out.append(10)
        let originBytes = Self.origins.map { Array($0.utf8) }
        let carrierBytes = Self.carriers.map { Array($0.utf8) }
        let destBytes = Self.destinations.map { Array($0.0.utf8) }
        let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for r in 0..<rows {
            // Rows run through the year in order, like the real files.
            let dayOfYear = r * 365 / max(rows, 1)
            var month = 0, day = dayOfYear
            while day >= daysInMonth[month] { day -= daysInMonth[month]; month += 1 }
            let dayOfWeek = (dayOfYear + year) % 7 + 1
            var pick = rng.below(100), origin = 0
            while pick >= Self.originWeights[origin] { pick -= Self.originWeights[origin]; origin += 1 }
            let dest = rng.below(destBytes.count)
            let distance = Self.destinations[dest].1
            let carrier = rng.below(carrierBytes.count)
            let flightNum = 1 + rng.below(2000)
            let crsDep = 600 + rng.below(17) * 100 + rng.below(12) * 5
            let crsElapsed = distance / 8 + 30 + rng.below(15)
            let crsArr = Self.addMinutes(crsDep, crsElapsed)
            let cancelled = rng.below(1000) < 20
            let diverted = !cancelled && rng.below(1000) < 2
            let depDelay: Int = rng.below(100) < 60 ? rng.below(16) - 10 : Int(-25.0 * log(1 - rng.unit())).clamped(max: 600)
            let arrDelay = depDelay + rng.below(41) - 20
            let depTime = Self.addMinutes(crsDep, depDelay)
            let arrTime = Self.addMinutes(crsArr, arrDelay)
            let actualElapsed = crsElapsed + arrDelay - depDelay

            put(&out, year); out.append(44)
            put(&out, month + 1); out.append(44)
            put(&out, day + 1); out.append(44)
            put(&out, dayOfWeek); out.append(44)
            if !cancelled { put(&out, depTime) }; out.append(44)
            put(&out, crsDep); out.append(44)
            if !cancelled && !diverted { put(&out, arrTime) }; out.append(44)
            put(&out, crsArr); out.append(44)
            out.append(contentsOf: carrierBytes[carrier]); out.append(44)
            put(&out, flightNum); out.append(44)
            out.append(44)  // TailNum
            if !cancelled && !diverted { put(&out, actualElapsed) }; out.append(44)
            put(&out, crsElapsed); out.append(44)
            out.append(44)  // AirTime
            if !cancelled && !diverted { put(&out, arrDelay) }; out.append(44)
            if !cancelled { put(&out, depDelay) }; out.append(44)
            out.append(contentsOf: originBytes[origin]); out.append(44)
            out.append(contentsOf: destBytes[dest]); out.append(44)
            put(&out, distance); out.append(44)
            out.append(44)  // TaxiIn
            out.append(44)  // TaxiOut
            out.append(cancelled ? 49 : 48); out.append(44)
            out.append(diverted ? 49 : 48)
            out.append(10)
            if out.count >= flushAt {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try sink(out) }
    }

    /// hhmm + minutes, wrapped to a 24-hour clock as the real files do.
    static func addMinutes(_ hhmm: Int, _ minutes: Int) -> Int {
        var total = (hhmm / 100) * 60 + hhmm % 100 + minutes
        total = ((total % 1440) + 1440) % 1440
        return (total / 60) * 100 + total % 60
    }

    @inline(__always)
    func put(_ out: inout [UInt8], _ value: Int) { appendDecimal(&out, value) }
}

extension Int {
    fileprivate func clamped(max upper: Int) -> Int { Swift.min(self, upper) }
}
