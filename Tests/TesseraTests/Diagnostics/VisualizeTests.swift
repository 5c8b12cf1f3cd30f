import Foundation
import Testing
@testable import Tessera

@Suite struct VisualizeTests {
    @Test func taskGraphHasEveryTaskOnceAndEdgesMatchDependencies() throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let a = inc(Delayed(1))
        let twice = add(a, a)                       // one value consumed twice
        let root = add(twice, inc(Delayed(2)) * Delayed(3))
        let plan = root.graph.plan(optimize: false)
        let dot = ParsedDOT(root.dot())
        #expect(dot.duplicateNodes.isEmpty)

        // Every task has exactly one data node, labelled by its key.
        let dataLabels = dot.nodes.filter { $0.key.hasPrefix("d") }.map { $0.value["label"]! }
        #expect(dataLabels.count == plan.count)
        #expect(Set(dataLabels) == Set((0..<plan.count).map { plan.key($0).description }))
        // Constants are data only; every other task has a function node labelled by its kind.
        let functions = dot.nodes.filter { $0.key.hasPrefix("t") }
        #expect(functions.count == plan.count - 3)  // Delayed(1), Delayed(2), Delayed(3)
        #expect(Set(functions.map { $0.value["label"]! }) == ["inc", "add", "mul"])

        // Edges: t_i -> d_i for each function, and d_input -> t_consumer per argument.
        var expected: [String] = []
        for i in 0..<plan.count where !plan.inputs(of: i).isEmpty {
            expected.append("t\(i)->d\(i)")
            for d in plan.inputs(of: i) { expected.append("d\(d)->t\(i)") }
        }
        #expect(dot.edges.map { "\($0.0)->\($0.1)" }.sorted() == expected.sorted())
        // The doubled argument shows as two edges.
        let twiceIndex = (0..<plan.count).first { plan.key($0) == twice.key }!
        #expect(dot.edges.filter { $0.1 == "t\(twiceIndex)" }.count == 2)
    }

    @Test func labelsAreEscaped() {
        let odd = Delayed(1, name: "say \"hi\"\\now")
        let dot = ParsedDOT(odd.map(name: "weird\"kind") { $0 }.dot())
        #expect(dot.nodes.values.contains { $0["label"] == "say \"hi\"\\now" })
        #expect(dot.nodes.values.contains { $0["label"] == "weird\"kind" })
    }

    @Test func colorByOrderFollowsThePlanOrder() {
        let (root, _) = incAddTree(8)
        let plan = root.graph.plan(optimize: false)
        let dot = ParsedDOT(root.dot(.init(coloring: .order)))
        let first = (0..<plan.count).first { !plan.inputs(of: $0).isEmpty }!
        #expect(dot.nodes["t\(first)"]?["fillcolor"] == Palette.viridis(Double(first) / Double(plan.count - 1)))
        #expect(dot.nodes["t\(plan.count - 1)"]?["fillcolor"] == Palette.viridis(1))
        let uncolored = ParsedDOT(root.dot(.init(coloring: .none)))
        #expect(uncolored.nodes.values.allSatisfy { $0["fillcolor"] == nil })
    }

    @Test func largeGraphsAreDrawnPerLayer() throws {
        // 600 blocks in three layers: random -> double -> partial sums -> total.
        let random = Layer(kind: "random", count: 600, grid: [600]) { i in TaskSpec { _ in i } }
        let double = Layer(kind: "mul", count: 600, grid: [600]) { i in TaskSpec(inputs: [random[i]]) { $0[0] } }
        let partial = Layer(kind: "sum-chunk", count: 6, grid: [6]) { i in
            TaskSpec(inputs: (0..<100).map { double[i * 100 + $0] }) { _ in 0 }
        }
        let total = Layer(kind: "sum-aggregate", count: 1) { _ in TaskSpec(inputs: partial.refs) { _ in 0 } }
        let dot = ParsedDOT(TaskGraph([total[0]]).dot())
        #expect(dot.nodes.count == 4)
        let labels = Set(dot.nodes.values.map { $0["label"]! })
        #expect(labels == ["random\n600 tasks", "mul\n600 tasks", "sum-chunk\n6 tasks", "sum-aggregate\n1 task"])
        func node(_ kind: String) -> String { dot.nodes.first { $0.value["label"]!.hasPrefix(kind + "\n") }!.key }
        let edges = Set(dot.edges.map { "\($0.0)->\($0.1)" })
        #expect(edges == ["\(node("random"))->\(node("mul"))", "\(node("mul"))->\(node("sum-chunk"))",
                          "\(node("sum-chunk"))->\(node("sum-aggregate"))"])
        // Forced task detail draws them all.
        let detailed = ParsedDOT(TaskGraph([total[0]]).dot(.init(detail: .tasks)))
        #expect(detailed.nodes.keys.filter { $0.hasPrefix("d") }.count == 1207)
    }

    @Test func manyOneTaskLayersAreGroupedByKind() {
        let (root, _) = incAddTree(400)  // 400 values, 400 incs, 399 adds: 1,199 one-task layers
        let dot = ParsedDOT(root.dot())
        let labels = Set(dot.nodes.values.map { $0["label"]! })
        #expect(labels == ["value\n400 tasks", "inc\n400 tasks", "add\n399 tasks"])
        #expect(dot.edges.count == 3)  // value -> inc, inc -> add, add -> add
    }

    @Test func rendersThroughGraphviz() throws {
        guard Graphviz.dotExecutable() != nil else {
            print("skipped: Graphviz's `dot` is not on PATH (install graphviz to run this test)")
            return
        }
        let (root, _) = incAddTree(6)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-viz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let svgURL = dir.appendingPathComponent("graph.svg")
        try root.visualize(to: svgURL)
        let svg = try String(contentsOf: svgURL, encoding: .utf8)
        let summary = try SVGSummary(svg)
        #expect(summary.texts.filter { $0 == "inc" }.count == 6)
        #expect(summary.texts.contains(root.key.description))

        let pngURL = dir.appendingPathComponent("graph.png")
        try visualize(root, root, to: pngURL)
        let png = try Data(contentsOf: pngURL)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let dotURL = dir.appendingPathComponent("graph.dot")
        try root.visualize(to: dotURL)
        #expect(try String(contentsOf: dotURL, encoding: .utf8) == root.dot())
        // No partial files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["graph.dot", "graph.png", "graph.svg"])
    }

    @Test func clearErrorsWithoutGraphvizOrForUnknownFormats() throws {
        let dir = FileManager.default.temporaryDirectory
        #expect(throws: GraphvizError.dotNotFound(path: "/nonexistent")) {
            try Graphviz.write(dot: "digraph {}", to: dir.appendingPathComponent("x.svg"), environment: ["PATH": "/nonexistent"])
        }
        #expect(throws: GraphvizError.unsupportedFormat(file: dir.appendingPathComponent("x.jpeg").path)) {
            try Graphviz.write(dot: "digraph {}", to: dir.appendingPathComponent("x.jpeg"))
        }
        #expect(GraphvizError.dotNotFound(path: "/bin").description.contains("install Graphviz"))
        if Graphviz.dotExecutable() != nil {
            let error = #expect(throws: GraphvizError.self) {
                try Graphviz.write(dot: "this is not dot", to: dir.appendingPathComponent("bad-\(UUID().uuidString).svg"))
            }
            if case .dotFailed(_, let status, let message)? = error {
                #expect(status != 0)
                #expect(!message.isEmpty)
            } else {
                Issue.record("expected dotFailed, got \(String(describing: error))")
            }
        }
    }
}
