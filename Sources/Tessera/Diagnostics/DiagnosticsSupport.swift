// Small helpers shared by the diagnostics: a monotonic clock, kind labels for fused tasks,
// colour palettes, number formatting and text escaping for SVG, DOT and JSON.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Seconds on the monotonic clock (unaffected by wall-clock changes); cheap enough to call per task.
@inline(__always)
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

extension ComputeObserver {
    /// Runs `body` with this observer told about every compute `body` starts (on its thread or
    /// its child tasks); other threads' computes are not seen. To watch every compute in the
    /// process, use `ComputeObservers.add` instead.
    ///
    /// ```swift
    /// let profiler = Profiler()
    /// let total = try profiler.observe { try x.compute() }
    /// try profiler.writeChromeTrace(to: URL(fileURLWithPath: "trace.json"))
    /// ```
    /// Nested computes that tasks run inline on pool workers are not seen either.
    public func observe<T>(_ body: () throws -> T) rethrows -> T {
        try ComputeObservers.withScoped(self, body)
    }

    /// Runs the asynchronous `body` with this observer told about every compute it starts.
    public func observe<T>(_ body: () async throws -> T) async rethrows -> T {
        try await ComputeObservers.withScoped(self) { try await body() }
    }
}

extension ExecutionPlan {
    /// The kind of task `i` for diagnostics: its operation name, or for a fused chain the
    /// distinct kinds of the chain in run order joined by `+` (`value+inc`).
    public func kindLabel(_ i: Int) -> String {
        // Most tasks are unfused: skip the dictionary. Two-task chains are the common fused case.
        guard fusedCounts[i] > 1, let chain = fusedRefs[i] else { return kind(i) }
        if chain.count == 2 {
            let a = chain[chain.startIndex].layer.kind, b = chain[chain.startIndex + 1].layer.kind
            return a == b ? a : a + "+" + b
        }
        var kinds: [String] = []
        for r in chain where kinds.last != r.layer.kind { kinds.append(r.layer.kind) }
        return kinds.joined(separator: "+")
    }
}

enum Palette {
    /// Tableau 10: distinct, colour-blind friendly categorical colours.
    static let categorical = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The categorical colour of the `n`-th kind (cycling after ten).
    static func color(_ n: Int) -> String { categorical[n % categorical.count] }

    /// Viridis sampled at `t` in 0...1 (dark purple → yellow), for execution order.
    static func viridis(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
            (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
        ]
        let x = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = Swift.min(Int(x), stops.count - 2)
        let f = x - Double(i)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        let (r, g, b) = (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
        return "#" + [r, g, b].map { String(format: "%02x", $0) }.joined()
    }
}

enum TextEscaping {
    /// Escapes `&`, `<`, `>` and quotes for SVG/XML text and attribute values.
    static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A DOT double-quoted string literal (quotes, backslashes and newlines escaped).
    static func dot(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }

    /// A JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// Formats a number with at most `digits` decimals and no trailing zeros (`1.5`, `2`, `0.125`).
func formatNumber(_ x: Double, digits: Int = 3) -> String {
    guard x.isFinite else { return "0" }
    var s = String(format: "%.\(digits)f", x)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}

/// A readable duration like Dask's `format_time`: `0.4s`, `12.3s`, `2m 5s`, `1hr 3m`.
func formatDuration(_ seconds: Double) -> String {
    let s = Swift.max(seconds.isFinite ? seconds : 0, 0)
    if s < 60 { return String(format: "%.1fs", s) }
    if s < 3600 { return "\(Int(s) / 60)m \(Int(s) % 60)s" }
    return "\(Int(s) / 3600)hr \((Int(s) % 3600) / 60)m"
}

/// Evenly spaced "nice" tick values (1, 2 or 5 × 10ⁿ apart) covering `0...maximum`.
func niceTicks(maximum: Double, target: Int = 8) -> [Double] {
    guard maximum > 0, maximum.isFinite else { return [0] }
    let raw = maximum / Double(Swift.max(target, 1))
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var t = 0.0
    while t <= maximum * (1 + 1e-9) {
        ticks.append(t)
        t += step
    }
    return ticks
}
