import Foundation

// The task stream (Dask's dashboard plot, drawn offline): one row per worker, one bar per task
// from its start to its end, coloured by kind, over a time axis. Bars closer than half a pixel
// with the same kind merge, and streams of many thousands of tasks are drawn per pixel column
// (the kind that kept the worker busiest in that column), so the file stays small whatever the
// task count.

extension Profiler {
    /// The recorded tasks as a self-contained SVG task stream.
    ///
    /// - Parameters:
    ///   - width: the picture's width in pixels.
    ///   - title: the heading; a summary (task, worker and time counts) when nil.
    /// - Returns: the SVG document text; one with a "no tasks" note when nothing was recorded.
    /// - Complexity: O(t log t) for t records; the output holds at most a few bars per pixel
    ///   column and worker.
    public func taskStreamSVG(width: Int = 1000, title: String? = nil) -> String {
        TaskStreamPicture(records: records, width: width, title: title).svg()
    }
}

/// Lays out and draws a task stream.
struct TaskStreamPicture {
    let records: [Profiler.TaskRecord]
    let width: Int
    let title: String?

    struct Segment {
        var x0: Double
        var x1: Double
        var kind: Int
        var count: Int
        var tooltip: String
    }

    private let left = 90.0, right = 20.0, top = 44.0, rowHeight = 18.0, rowGap = 4.0

    func svg() -> String {
        let plotWidth = Swift.max(Double(width) - left - right, 100)
        let t0 = records.map(\.start).min() ?? 0
        let t1 = records.map(\.end).max() ?? 0
        let span = Swift.max(t1 - t0, 1e-6)
        let scale = plotWidth / span
        // A row per (rank, worker); ranks are named only when there are several.
        let workers = Array(Set(records.map { [$0.rank, $0.worker] })).sorted { $0.lexicographicallyPrecedes($1) }
        let row = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($1, $0) })
        let severalRanks = Set(workers.map { $0[0] }).count > 1

        // Kinds coloured in order of first appearance; legend counts and busy time per kind.
        var kinds: [String] = []
        var kindIndex: [String: Int] = [:]
        var kindCount: [Int] = []
        var kindBusy: [Double] = []
        for r in records {
            let k: Int
            if let i = kindIndex[r.kind] { k = i } else {
                k = kinds.count
                kindIndex[r.kind] = k
                kinds.append(r.kind)
                kindCount.append(0)
                kindBusy.append(0)
            }
            kindCount[k] += 1
            kindBusy[k] += r.duration
        }

        let timeUnit = span < 1 ? (name: "ms", factor: 1000.0) : (name: "s", factor: 1.0)
        let rowsBottom = top + Double(workers.count) * (rowHeight + rowGap)
        let axisY = rowsBottom + 4
        let legendTop = axisY + 44
        let legendColumns = 3
        let legendRows = (kinds.count + legendColumns - 1) / legendColumns
        let height = legendTop + Double(legendRows) * 18 + 12

        var out = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(Int(height.rounded(.up)))" viewBox="0 0 \#(width) \#(Int(height.rounded(.up)))" font-family="Helvetica, Arial, sans-serif" font-size="12">"# + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        let heading = title ?? "Task stream: \(records.count) tasks on \(workers.count) worker\(workers.count == 1 ? "" : "s"), \(formatDuration(t1 - t0))"
        out += #"<text x="\#(left)" y="22" font-size="15" font-weight="bold">\#(TextEscaping.xml(heading))</text>"# + "\n"
        if records.isEmpty {
            out += #"<text x="\#(left)" y="\#(top + 14)" fill="gray">no tasks recorded</text>"# + "\n</svg>\n"
            return out
        }

        // Worker labels and row backgrounds.
        for (i, w) in workers.enumerated() {
            let y = top + Double(i) * (rowHeight + rowGap)
            out += #"<rect x="\#(left)" y="\#(f(y))" width="\#(f(plotWidth))" height="\#(f(rowHeight))" fill="rgb(244,244,244)"/>"#
            let label = severalRanks ? "rank \(w[0]) worker \(w[1])" : "worker \(w[1])"
            out += #"<text x="\#(left - 8)" y="\#(f(y + rowHeight - 5))" text-anchor="end">\#(label)</text>"# + "\n"
        }

        // Bars, per worker in start order; merged when closer than half a pixel.
        var perWorker = [[Profiler.TaskRecord]](repeating: [], count: workers.count)
        for r in records { perWorker[row[[r.rank, r.worker]]!].append(r) }
        var segments = perWorker.map { list in merge(list, t0: t0, scale: scale, kindIndex: kindIndex) }
        if segments.reduce(0, { $0 + $1.count }) > 20_000 {
            segments = perWorker.map { list in rasterize(list, t0: t0, scale: scale, plotWidth: plotWidth, kindIndex: kindIndex) }
        }
        for (i, list) in segments.enumerated() {
            let y = top + Double(i) * (rowHeight + rowGap)
            for s in list {
                let w = Swift.max(s.x1 - s.x0, 0.6)
                out += #"<rect x="\#(f(left + s.x0))" y="\#(f(y))" width="\#(f(w))" height="\#(f(rowHeight))" fill="\#(Palette.color(s.kind))"><title>\#(TextEscaping.xml(s.tooltip))</title></rect>"# + "\n"
            }
        }

        // Time axis.
        out += #"<line x1="\#(left)" y1="\#(f(axisY))" x2="\#(f(left + plotWidth))" y2="\#(f(axisY))" stroke="black"/>"# + "\n"
        for t in niceTicks(maximum: span * timeUnit.factor) {
            let x = left + t / timeUnit.factor * scale
            out += #"<line x1="\#(f(x))" y1="\#(f(axisY))" x2="\#(f(x))" y2="\#(f(axisY + 5))" stroke="black"/>"#
            out += #"<text x="\#(f(x))" y="\#(f(axisY + 18))" text-anchor="middle">\#(formatNumber(t))</text>"# + "\n"
        }
        out += #"<text x="\#(f(left + plotWidth / 2))" y="\#(f(axisY + 34))" text-anchor="middle">time since first task (\#(timeUnit.name))</text>"# + "\n"

        // Legend.
        let columnWidth = plotWidth / Double(legendColumns)
        for (k, name) in kinds.enumerated() {
            let x = left + Double(k % legendColumns) * columnWidth
            let y = legendTop + Double(k / legendColumns) * 18
            out += #"<rect x="\#(f(x))" y="\#(f(y))" width="12" height="12" fill="\#(Palette.color(k))"/>"#
            let label = "\(name): \(kindCount[k]) task\(kindCount[k] == 1 ? "" : "s"), \(formatDuration(kindBusy[k])) busy"
            out += #"<text x="\#(f(x + 17))" y="\#(f(y + 10))">\#(TextEscaping.xml(label))</text>"# + "\n"
        }
        out += "</svg>\n"
        return out
    }

    private func f(_ x: Double) -> String { formatNumber(x, digits: 2) }

    private func tooltip(_ r: Profiler.TaskRecord) -> String {
        "\(r.key) (\(r.kind)), \(formatNumber(r.duration * 1000, digits: 3)) ms" + (r.failed ? ", failed" : "")
    }

    /// One segment per task, merging neighbours of the same kind closer than half a pixel.
    private func merge(_ list: [Profiler.TaskRecord], t0: Double, scale: Double, kindIndex: [String: Int]) -> [Segment] {
        var out: [Segment] = []
        for r in list {
            let x0 = (r.start - t0) * scale, x1 = (r.end - t0) * scale
            let k = kindIndex[r.kind]!
            if var last = out.last, last.kind == k, x0 - last.x1 < 0.5 {
                last.x1 = Swift.max(last.x1, x1)
                last.count += 1
                last.tooltip = "\(last.count) \(r.kind) tasks"
                out[out.count - 1] = last
            } else {
                out.append(Segment(x0: x0, x1: x1, kind: k, count: 1, tooltip: tooltip(r)))
            }
        }
        return out
    }

    /// Per pixel column, the kind that kept the worker busiest there; equal neighbours merge.
    private func rasterize(_ list: [Profiler.TaskRecord], t0: Double, scale: Double, plotWidth: Double,
                           kindIndex: [String: Int]) -> [Segment] {
        let columns = Int(plotWidth.rounded(.up)) + 1
        let kindCount = kindIndex.count
        var busy = [Double](repeating: 0, count: columns * kindCount)  // [kind * columns + column]
        for r in list {
            let k = kindIndex[r.kind]!
            let x0 = Swift.min(Swift.max((r.start - t0) * scale, 0), Double(columns) - 1e-9)
            let x1 = Swift.min(Swift.max((r.end - t0) * scale, x0), Double(columns) - 1e-9)
            let c0 = Int(x0), c1 = Int(x1)
            if c0 == c1 {
                busy[k * columns + c0] += Swift.max(x1 - x0, 1e-9)
                continue
            }
            for c in c0...c1 {
                busy[k * columns + c] += Swift.min(Double(c + 1), x1) - Swift.max(Double(c), x0)
            }
        }
        let kinds = kindIndex.sorted { $0.value < $1.value }.map(\.key)
        var out: [Segment] = []
        for c in 0..<columns {
            var best = -1, bestBusy = 0.0
            for k in 0..<kindCount where busy[k * columns + c] > bestBusy {
                best = k
                bestBusy = busy[k * columns + c]
            }
            guard best >= 0 else { continue }
            if var last = out.last, last.kind == best, Int(last.x1) == c {
                last.x1 = Double(c + 1)
                out[out.count - 1] = last
            } else {
                out.append(Segment(x0: Double(c), x1: Double(c + 1), kind: best, count: 1, tooltip: "mostly \(kinds[best])"))
            }
        }
        return out
    }
}
