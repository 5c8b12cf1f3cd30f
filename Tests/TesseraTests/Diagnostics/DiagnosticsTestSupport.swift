import Foundation
@testable import Tessera

/// Builds the `delayed` benchmark's shape, small: `n` inc leaves then a pairwise add tree.
/// Returns the root and every Delayed made (leaves' constants included), for key checks.
func incAddTree(_ n: Int, sleep: Double = 0) -> (root: Delayed<Int>, expected: Int) {
    let inc = delayed(name: "inc") { (x: Int) -> Int in
        if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
        return x + 1
    }
    let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
    var level = (0..<n).map { inc(Delayed($0)) }
    while level.count > 1 {
        var next: [Delayed<Int>] = []
        for i in stride(from: 0, to: level.count - 1, by: 2) { next.append(add(level[i], level[i + 1])) }
        if level.count % 2 == 1 { next.append(level.last!) }
        level = next
    }
    return (level[0], (0..<n).reduce(0) { $0 + $1 + 1 })
}

/// A terminal for tests: interprets carriage returns, "erase to end of line" and newlines the
/// way a real one does, so tests see what a person would see.
final class FakeTerminal: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var writes: [String] = []
    private var lines: [String] = [""]

    func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        writes.append(text)
        var rest = Substring(text)
        while let c = rest.first {
            if rest.hasPrefix("\u{1B}[K") {
                rest = rest.dropFirst(3)
                continue
            }
            rest = rest.dropFirst()
            switch c {
            case "\r": cursorLineRestart = true
            case "\n": lines.append(""); cursorLineRestart = false
            default:
                if cursorLineRestart { lines[lines.count - 1] = ""; cursorLineRestart = false }
                lines[lines.count - 1].append(c)
            }
        }
    }
    private var cursorLineRestart = false

    /// The screen's lines; the last is the one the cursor is on.
    var screen: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

/// A clock tests move by hand.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 100.0
    func read() -> Double { lock.lock(); defer { lock.unlock() }; return now }
    func advance(_ seconds: Double) { lock.lock(); now += seconds; lock.unlock() }
}

/// Minimal DOT reader for the subset `visualize` writes: `a [attrs];` and `a -> b [attrs];`.
struct ParsedDOT {
    var nodes: [String: [String: String]] = [:]
    var edges: [(String, String)] = []
    var nodeOrder: [String] = []
    var duplicateNodes: [String] = []

    init(_ text: String) {
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasSuffix(";"), !line.hasPrefix("graph "), !line.hasPrefix("node "), !line.hasPrefix("edge ") else { continue }
            let body = String(line.dropLast())
            let head: String, attrs: String
            if let open = body.firstIndex(of: "[") {
                head = body[..<open].trimmingCharacters(in: .whitespaces)
                attrs = String(body[body.index(after: open)..<body.lastIndex(of: "]")!])
            } else {
                head = body
                attrs = ""
            }
            if head.contains("->") {
                let parts = head.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
                edges.append((parts[0], parts[1]))
            } else {
                if nodes[head] != nil { duplicateNodes.append(head) }
                nodes[head] = ParsedDOT.attributes(attrs)
                nodeOrder.append(head)
            }
        }
    }

    /// Parses `a=b, c="d, e"` with DOT's quoting (`\"`, `\\`, `\n`).
    static func attributes(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        var i = s.startIndex
        func skipSpaces() { while i < s.endIndex, s[i] == " " || s[i] == "," { i = s.index(after: i) } }
        while true {
            skipSpaces()
            guard i < s.endIndex else { break }
            var name = ""
            while i < s.endIndex, s[i] != "=" { name.append(s[i]); i = s.index(after: i) }
            i = s.index(after: i)
            var value = ""
            if s[i] == "\"" {
                i = s.index(after: i)
                while s[i] != "\"" {
                    if s[i] == "\\" {
                        i = s.index(after: i)
                        value.append(s[i] == "n" ? "\n" : s[i])
                    } else {
                        value.append(s[i])
                    }
                    i = s.index(after: i)
                }
                i = s.index(after: i)
            } else {
                while i < s.endIndex, s[i] != "," { value.append(s[i]); i = s.index(after: i) }
            }
            out[name.trimmingCharacters(in: .whitespaces)] = value
        }
        return out
    }
}
