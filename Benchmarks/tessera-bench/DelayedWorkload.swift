import Tessera

/// `delayed`: 100,000 `inc` tasks, then a pairwise tree of `add` tasks down to one value
/// (≈200,000 tasks); graph building and compute are both timed, as in the dask peer.
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
    tolerance: 0)
