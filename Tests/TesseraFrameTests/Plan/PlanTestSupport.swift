import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// The plan of `frames` after optimization (together, as one compute does).
func optimizedPlan(_ frames: ChunkedFrame...) -> [FrameNode] {
    Lowering.lower(roots: frames.map(\.node), optimize: true).plan
}

/// Every node of a plan, inputs first.
func planNodes(_ roots: [FrameNode]) -> [FrameNode] { topologicalOrder(roots) }

/// The scan requests of a plan.
func scanRequests(_ roots: [FrameNode]) -> [ScanRequest] {
    planNodes(roots).compactMap { if case .scan(_, let r) = $0.operation { return r } else { return nil } }
}

/// The node kinds of a single-input chain from the root down (`["groupby-agg", "scan"]`).
func chain(_ root: FrameNode) -> [String] {
    var out: [String] = []
    var node: FrameNode? = root
    while let n = node {
        out.append(n.kind)
        node = n.inputs.first
    }
    return out
}

/// The frame computed from its plan as written, without any rule.
func computeUnoptimized(_ frame: ChunkedFrame) throws -> Table {
    let refs = Lowering.lower(roots: [frame.node], optimize: false).outputs[0]
    let tables = try TaskGraph(refs).compute(scheduler: .synchronous).map { $0 as! Table }
    return tables.isEmpty ? Table(empty: frame.schema) : try Table.concatenate(tables)
}

/// How many columns each partition of the optimized plan's scans converts: the column count of
/// the tables the scan tasks yield (computed).
func scannedColumnCounts(_ frame: ChunkedFrame) throws -> [Int] {
    let plan = optimizedPlan(frame)
    let scans = planNodes(plan).filter { if case .scan = $0.operation { return true } else { return false } }
    return try scans.flatMap { scan -> [Int] in
        let refs = Lowering.lower(roots: [scan], optimize: false).outputs[0]
        return try TaskGraph(refs).compute(scheduler: .synchronous).map { ($0 as! Table).columnCount }
    }
}

/// Tables equal cell by cell (NaN equal to NaN, missing equal to missing), with names.
func sameTable(_ a: Table, _ b: Table) -> Bool {
    guard a.names == b.names, a.rowCount == b.rowCount else { return false }
    for (x, y) in zip(a.columns, b.columns) {
        for i in 0..<a.rowCount {
            let u = x[i], v = y[i]
            if u == v { continue }
            if case .float64(let p) = u, case .float64(let q) = v, p.isNaN && q.isNaN { continue }
            return false
        }
    }
    return true
}

/// A directory of small flights-like CSV files: 4 files × 50 rows, 6 columns.
func smallFlights(_ function: String = #function) -> String {
    let dir = temporaryDirectory(function)
    let origins = ["JFK", "LGA", "EWR", "BOS"]
    for f in 0..<4 {
        var text = "Year,Month,Origin,Dest,DepDelay,Distance\n"
        for i in 0..<50 {
            let r = f * 50 + i
            let delay = r % 13 == 0 ? "" : String(Double((r * 37) % 91) - 20.5)
            text += "2024,\(1 + r % 12),\(origins[r % 4]),\(origins[(r / 4) % 4]),\(delay),\(200 + (r * 53) % 1500)\n"
        }
        _ = writeCSV(text, name: "part-\(f).csv", in: dir)
    }
    return dir.path
}

/// How many distinct tasks of layers of `kind` the graph of `refs` holds.
func taskCount(_ refs: [TaskRef], kind: String) -> Int {
    var seen = Set<TaskKeyID>()
    var stack = refs
    var n = 0
    while let ref = stack.popLast() {
        guard seen.insert(TaskKeyID(ref)).inserted else { continue }
        if ref.layer.kind == kind { n += 1 }
        stack.append(contentsOf: ref.layer.task(ref.index).inputs)
    }
    return n
}
