import Foundation

// Exports of the resource samples: CSV for spreadsheets and pandas, and a self-contained SVG
// with two line plots sharing the time axis (CPU % above, resident memory below), each with
// labelled, ticked axes.

extension ResourceProfiler {
    /// The samples as CSV: a header `time_s,cpu_percent,rss_mib`, then one row per sample.
    /// - Complexity: O(s) for s samples.
    public func csv() -> String {
        var out = "time_s,cpu_percent,rss_mib\n"
        for s in samples {
            out += "\(formatNumber(s.time, digits: 4)),\(formatNumber(s.cpuPercent, digits: 2)),\(formatNumber(s.rssMiB, digits: 3))\n"
        }
        return out
    }

    /// The samples as an SVG document: CPU % and resident memory (MiB) over time.
    /// - Parameter width: the picture's width in pixels.
    /// - Complexity: O(s) for s samples.
    public func svg(width: Int = 800) -> String {
        let samples = self.samples
        let t0 = samples.first?.time ?? 0
        let points = samples.map { (t: $0.time - t0, cpu: $0.cpuPercent, mem: $0.rssMiB) }
        let left = 70.0, right = 20.0, panelHeight = 170.0, gap = 60.0, top = 40.0
        let plotWidth = Swift.max(Double(width) - left - right, 100)
        let height = top + 2 * panelHeight + gap + 50
        let span = Swift.max(points.last?.t ?? 0, 1e-3)

        var out = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(Int(height))" viewBox="0 0 \#(width) \#(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"# + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        let peak = points.map(\.mem).max() ?? 0
        let heading = "Resources: \(samples.count) samples over \(formatDuration(span)), peak \(formatNumber(peak, digits: 1)) MiB resident"
        out += #"<text x="\#(left)" y="22" font-size="15" font-weight="bold">\#(TextEscaping.xml(heading))</text>"# + "\n"

        func panel(y: Double, label: String, color: String, values: [Double], showTimeLabels: Bool) -> String {
            let maxValue = Swift.max(values.max() ?? 0, 1e-9)
            let ticks = niceTicks(maximum: maxValue * 1.05, target: 4)
            let top = Swift.max(ticks.last ?? 1, maxValue)
            var s = ""
            // Horizontal grid and y labels.
            for v in ticks {
                let py = y + panelHeight - v / top * panelHeight
                s += #"<line x1="\#(left)" y1="\#(f(py))" x2="\#(f(left + plotWidth))" y2="\#(f(py))" stroke="rgb(228,228,228)"/>"#
                s += #"<text x="\#(left - 6)" y="\#(f(py + 4))" text-anchor="end">\#(formatNumber(v))</text>"# + "\n"
            }
            s += #"<line x1="\#(left)" y1="\#(f(y))" x2="\#(left)" y2="\#(f(y + panelHeight))" stroke="black"/>"#
            s += #"<line x1="\#(left)" y1="\#(f(y + panelHeight))" x2="\#(f(left + plotWidth))" y2="\#(f(y + panelHeight))" stroke="black"/>"# + "\n"
            for t in niceTicks(maximum: span) {
                let px = left + t / span * plotWidth
                s += #"<line x1="\#(f(px))" y1="\#(f(y + panelHeight))" x2="\#(f(px))" y2="\#(f(y + panelHeight + 5))" stroke="black"/>"#
                if showTimeLabels {
                    s += #"<text x="\#(f(px))" y="\#(f(y + panelHeight + 18))" text-anchor="middle">\#(formatNumber(t))</text>"#
                }
                s += "\n"
            }
            s += #"<text transform="translate(\#(f(left - 48)),\#(f(y + panelHeight / 2))) rotate(-90)" text-anchor="middle">\#(label)</text>"# + "\n"
            if !values.isEmpty {
                let coordinates = zip(points, values).map { p, v in
                    "\(f(left + p.t / span * plotWidth)),\(f(y + panelHeight - v / top * panelHeight))"
                }
                s += #"<polyline fill="none" stroke="\#(color)" stroke-width="2" points="\#(coordinates.joined(separator: " "))"/>"# + "\n"
            }
            return s
        }
        out += panel(y: top, label: "CPU (%)", color: Palette.color(0), values: points.map(\.cpu), showTimeLabels: false)
        out += panel(y: top + panelHeight + gap, label: "Memory (MiB)", color: Palette.color(1), values: points.map(\.mem), showTimeLabels: true)
        out += #"<text x="\#(f(left + plotWidth / 2))" y="\#(f(top + 2 * panelHeight + gap + 38))" text-anchor="middle">time (s)</text>"# + "\n"
        out += "</svg>\n"
        return out
    }

    private func f(_ x: Double) -> String { formatNumber(x, digits: 2) }
}
