import Foundation

// Chrome's trace-event format ("JSON Object Format"): a `traceEvents` array of complete events
// (`"ph": "X"`, microsecond `ts` and `dur`), one thread per worker, named by metadata events.
// Perfetto (ui.perfetto.dev) and chrome://tracing open it directly.

extension Profiler {
    /// The recorded tasks as Chrome trace-event JSON: one complete event per task on the thread
    /// of its worker in the process of its rank (a track per (rank, worker); process `rank + 1`),
    /// named by key, categorised by kind; with `resources`, its CPU and memory samples as
    /// counter tracks.
    ///
    /// - Parameter resources: a resource profiler that observed the same computes, or nil.
    /// - Returns: the JSON text (UTF-8).
    /// - Complexity: O(t log t) for t records.
    public func chromeTrace(resources: ResourceProfiler? = nil) -> String {
        let records = self.records
        var events: [String] = []
        events.reserveCapacity(records.count + 16)
        // One process per rank, one thread per worker in it: a track per (rank, worker).
        let ranks = Set(records.map(\.rank)).union([rank]).sorted()
        for r in ranks {
            let name = ranks.count == 1 && r == 0 ? "tessera" : "tessera rank \(r)"
            events.append(#"{"name":"process_name","ph":"M","pid":\#(r + 1),"tid":0,"args":{"name":"\#(name)"}}"#)
            if ranks.count > 1 {
                events.append(#"{"name":"process_sort_index","ph":"M","pid":\#(r + 1),"tid":0,"args":{"sort_index":\#(r)}}"#)
            }
        }
        for track in Set(records.map { [$0.rank, $0.worker] }).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let (r, w) = (track[0], track[1])
            events.append(#"{"name":"thread_name","ph":"M","pid":\#(r + 1),"tid":\#(w),"args":{"name":"worker \#(w)"}}"#)
            events.append(#"{"name":"thread_sort_index","ph":"M","pid":\#(r + 1),"tid":\#(w),"args":{"sort_index":\#(w)}}"#)
        }
        func micros(_ seconds: Double) -> String { formatNumber(seconds * 1e6, digits: 3) }
        for r in records {
            var e = #"{"name":"#
            e += TextEscaping.json(r.key.description)
            e += #","cat":"# + TextEscaping.json(r.kind)
            e += #","ph":"X","ts":"# + micros(r.start) + #","dur":"# + micros(r.duration)
            e += #","pid":\#(r.rank + 1),"tid":\#(r.worker),"args":{"kind":"# + TextEscaping.json(r.kind)
            e += #","compute":\#(r.compute),"fused":\#(r.fusedCount),"rank":\#(r.rank)"#
            if r.failed { e += #","failed":true"# }
            e += "}}"
            events.append(e)
        }
        if let resources {
            let shift = resources.origin - origin
            for s in resources.samples {
                let ts = micros(s.time + shift)
                events.append(#"{"name":"CPU %","ph":"C","pid":\#(rank + 1),"tid":0,"ts":\#(ts),"args":{"cpu":\#(formatNumber(s.cpuPercent, digits: 1))}}"#)
                events.append(#"{"name":"Memory (MiB)","ph":"C","pid":\#(rank + 1),"tid":0,"ts":\#(ts),"args":{"rss":\#(formatNumber(s.rssMiB, digits: 2))}}"#)
            }
        }
        return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + events.joined(separator: ",\n") + "\n]}\n"
    }

    /// Writes `chromeTrace(resources:)` to `url` (atomically).
    /// - Throws: the file system's error if the file cannot be written.
    public func writeChromeTrace(to url: URL, resources: ResourceProfiler? = nil) throws {
        try chromeTrace(resources: resources).write(to: url, atomically: true, encoding: .utf8)
    }
}
