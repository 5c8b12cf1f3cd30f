import Tessera

/// `delayed`: 100,000 `inc` tasks, then a pairwise tree of `add` tasks down to one value
/// (199,999 tasks); graph building and compute are both timed, as in the dask peer.
///
/// dask.distributed (`--mpi N --compare`) runs the same shape from 1,000 `inc` tasks (1,999 tasks):
/// at about 20 ms per task on the loaded 2-core machine (2026-12-02: 40 s for 1,999 tasks, 183 s
/// for 9,999), the full size would take over an hour; the ratio is then per task.
let delayedWorkload = Workload(
    name: "delayed",
    summary: "100,000 delayed inc tasks + pairwise add tree, build + compute",
    run: { context in
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        var level = (0..<100_000).map { inc(Delayed($0)) }
        while level.count > 1 {
            var next: [Delayed<Int>] = []
            next.reserveCapacity(level.count / 2 + 1)
            var i = 0
            while i + 1 < level.count { next.append(add(level[i], level[i + 1])); i += 2 }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return String(try level[0].compute(scheduler: context.scheduler))
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/delayed_dask.py")],
    tolerance: 0,
    tasks: 199_999,
    // inc(i) for i in 0..<n summed: n(n+1)/2, from a tree of 2n - 1 tasks.
    expectedResult: { tasks in let n = (tasks + 1) / 2; return String(n * (n + 1) / 2) },
    distributedPeerArguments: ["--incs", "1000"])
