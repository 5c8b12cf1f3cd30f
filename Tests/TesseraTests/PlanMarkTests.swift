import Testing
@testable import Tessera

/// The cull's layer marks (`Layer.planMark`): a layer another plan build holds is numbered through
/// the fallback dictionary, its mark left alone, and concurrent builds over one graph agree.
@Suite struct PlanMarkTests {
    /// A pairwise add tree over `n` values: the sum 0 + 1 + … + n-1.
    static func tree(_ n: Int) -> Delayed<Int> {
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        var level = (0..<n).map { Delayed($0) }
        while level.count > 1 {
            var next: [Delayed<Int>] = []
            var i = 0
            while i + 1 < level.count { next.append(add(level[i], level[i + 1])); i += 2 }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    @Test func layersHeldByAnotherBuildGoThroughTheFallback() throws {
        let root = Self.tree(37)
        let held = root.ref.layer.task(0).inputs.map(\.layer)
        // As if a build with id 0xFFFF_FFFF (never handed out before 2^32 builds) held them.
        let foreign: UInt64 = 0xFFFF_FFFF << 32 | 1
        for layer in held { layer.planMark.store(foreign, ordering: .relaxed) }
        #expect(try root.compute(scheduler: .synchronous) == 37 * 36 / 2)
        #expect(root.graph.plan(optimize: false).count == 37 + 36)
        for layer in held { #expect(layer.planMark.load(ordering: .relaxed) == foreign) }
        for layer in held { layer.planMark.store(0, ordering: .relaxed) }
        // Marks this build took are given back.
        #expect(root.ref.layer.planMark.load(ordering: .relaxed) == 0)
    }

    @Test func concurrentBuildsOverOneGraphAgree() async throws {
        let root = Self.tree(500)
        let sums = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try root.compute(scheduler: .synchronous) } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sums == Array(repeating: 500 * 499 / 2, count: 8))
    }
}
