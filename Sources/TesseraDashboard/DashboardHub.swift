import Foundation

// The serving side's picture of the run, built from the batches of every rank, and the JSON the
// page gets. Ranks number their kinds and computes themselves; the hub gives each kind name one
// global number (its colour on the page) and keys computes by (rank, id).
//
// Progress bars cover the current *round*: the computes started since the hub was last idle (no
// compute running on any rank). So a program of several computes shows each one's bars filling,
// and after the last one the bars stay full.
//
// The page gets one message per tick: the small cumulative parts (kinds, progress, computes,
// layers, lanes) in full, the task stream and resource samples only as what is new. A page that
// connects later gets a snapshot of the same shape holding everything retained: the last
// `segmentHistory` segments and `resourceHistory` samples.

/// The aggregated state behind the page; not thread-safe (the ``Dashboard`` holds it under a lock).
struct DashboardHub {
    /// Segments kept for pages that connect later.
    static let segmentHistory = 20_000
    /// Resource samples kept per rank for pages that connect later.
    static let resourceHistory = 6_000
    /// Computes listed on the page.
    static let recentComputes = 30

    struct Compute {
        var rank: Int
        var id: Int
        var start: Double
        var end: Double?
        var error: String?
        var tasks: Int
        var totals: [Int: Int] = [:]  // global kind → tasks
        var done: [Int: Int] = [:]  // global kind → finished tasks
        var inRound = true
    }

    struct Lane: Hashable {
        var rank: Int
        var worker: Int
    }

    struct Segment {
        var rank: Int
        var worker: Int
        var kind: Int
        var start: Double
        var end: Double
        var count: Int
    }

    private(set) var kinds: [String] = []
    private var kindsJSON = ""
    private var layersJSON = ""
    private var kindIndex: [String: Int] = [:]
    private var kindMaps: [Int: [Int]] = [:]  // rank → (rank kind → global kind)
    private(set) var computes: [Compute] = []
    private(set) var lanes: [Lane] = []
    private var laneSet: Set<Lane> = []
    private var segments: [Segment] = []
    private var newSegments: [Segment] = []
    private var resources: [(rank: Int, sample: ResourceSample)] = []
    private var newResources: [(rank: Int, sample: ResourceSample)] = []
    private(set) var time: Double = 0
    /// Whether a batch said something since the last `keepNews` (another rank's progress, say).
    private var changed = false
    /// Set by ``Dashboard/finish()``: the program's computes are over.
    var finished = false

    /// How many computes are running on all ranks.
    var active: Int { computes.reduce(0) { $0 + ($1.end == nil ? 1 : 0) } }

    private mutating func global(_ kind: Int, rank: Int) -> Int {
        let map = kindMaps[rank] ?? []
        return kind < map.count ? map[kind] : 0
    }

    private mutating func computeIndex(rank: Int, id: Int) -> Int? {
        computes.lastIndex { $0.rank == rank && $0.id == id }
    }

    /// Folds a batch from any rank into the picture.
    mutating func ingest(_ u: DashboardUpdate) {
        if !u.isEmpty { changed = true }
        time = Swift.max(time, u.time)
        var map = kindMaps[u.rank] ?? []
        for name in u.kinds.dropFirst(map.count) {
            if let k = kindIndex[name] { map.append(k) } else {
                kindIndex[name] = kinds.count
                map.append(kinds.count)
                kinds.append(name)
                kindsJSON += (kindsJSON.isEmpty ? "" : ",") + jsonString(name)
            }
        }
        kindMaps[u.rank] = map
        for s in u.started {
            if active == 0 {
                for i in computes.indices { computes[i].inRound = false }
            }
            var c = Compute(rank: u.rank, id: s.id, start: s.start, tasks: s.tasks)
            for kc in s.kinds { c.totals[global(kc.kind, rank: u.rank), default: 0] += kc.count }
            computes.append(c)
            layersJSON = s.layers.map { l in
                "{\"kind\":\(jsonString(l.kind)),\"name\":\(l.name.map(jsonString) ?? "null"),\"layers\":\(l.layers),\"tasks\":\(l.tasks)}"
            }
                .joined(separator: ",")
        }
        for p in u.progress {
            guard let i = computeIndex(rank: u.rank, id: p.id) else { continue }
            var done: [Int: Int] = [:]
            for kc in p.done { done[global(kc.kind, rank: u.rank), default: 0] += kc.count }
            computes[i].done = done
        }
        for e in u.finished {
            guard let i = computeIndex(rank: u.rank, id: e.id) else { continue }
            computes[i].end = e.end
            computes[i].error = e.error
        }
        // Keep only the recent computes, but never one of the running round.
        while computes.count > Self.recentComputes, let i = computes.firstIndex(where: { !$0.inRound }) {
            computes.remove(at: i)
        }
        for s in u.segments {
            let lane = Lane(rank: u.rank, worker: s.worker)
            if laneSet.insert(lane).inserted {
                lanes.append(lane)
                lanes.sort { ($0.rank, $0.worker) < ($1.rank, $1.worker) }
            }
            newSegments.append(Segment(rank: u.rank, worker: s.worker, kind: s.kind < map.count ? map[s.kind] : 0,
                                       start: s.start, end: s.end, count: s.count))
        }
        for r in u.resources { newResources.append((u.rank, r)) }
    }

    /// The progress of the current round per kind: (kind, finished, total), in kind order.
    var progress: [(kind: Int, done: Int, total: Int)] {
        var done = [Int](repeating: 0, count: kinds.count)
        var total = [Int](repeating: 0, count: kinds.count)
        for c in computes where c.inRound {
            for (k, n) in c.totals { total[k] += n }
            for (k, n) in c.done { done[k] += n }
        }
        return kinds.indices.compactMap { total[$0] > 0 ? ($0, done[$0], total[$0]) : nil }
    }

    /// The message for pages already connected: what is new since the previous call, which
    /// moves it into the history that snapshots send.
    mutating func takeUpdate() -> String {
        let text = json(segments: newSegments[...], resources: newResources[...])
        keepNews()
        return text
    }

    /// Moves what is new into the history that snapshots send, without writing it for anyone.
    mutating func keepNews() {
        changed = false
        segments += newSegments
        newSegments.removeAll(keepingCapacity: true)
        if segments.count > Self.segmentHistory + Self.segmentHistory / 4 {
            segments.removeFirst(segments.count - Self.segmentHistory)
        }
        resources += newResources
        newResources.removeAll(keepingCapacity: true)
        let limit = Self.resourceHistory * Swift.max(kindMaps.count, 1)
        if resources.count > limit + limit / 4 { resources.removeFirst(resources.count - limit) }
    }

    /// Whether `takeUpdate` has anything new to say.
    var hasNews: Bool { changed || !newSegments.isEmpty || !newResources.isEmpty }

    /// The message for a page that just connected: everything retained, the not yet sent included.
    func snapshot() -> String {
        json(segments: segments[...] + newSegments[...], resources: resources[...] + newResources[...])
    }

    private func json(segments: ArraySlice<Segment>, resources: ArraySlice<(rank: Int, sample: ResourceSample)>) -> String {
        var out = "{\"time\":\(number(time)),\"finished\":\(finished),\"active\":\(active),\"kinds\":["
        out += kindsJSON
        out += "],\"progress\":["
        out += progress.map { "{\"kind\":\($0.kind),\"done\":\($0.done),\"total\":\($0.total)}" }.joined(separator: ",")
        out += "],\"computes\":["
        out += computes.map { c in
            let done = c.done.values.reduce(0, +)
            let end = c.end.map(number) ?? "null"
            let error = c.error.map(jsonString) ?? "null"
            return "{\"rank\":\(c.rank),\"id\":\(c.id),\"tasks\":\(c.tasks),\"done\":\(done),\"start\":\(number(c.start)),\"end\":\(end),\"error\":\(error)}"
        }.joined(separator: ",")
        out += "],\"layers\":["
        out += layersJSON
        out += "],\"lanes\":["
        out += lanes.map { "[\($0.rank),\($0.worker)]" }.joined(separator: ",")
        out += "],\"segments\":["
        out += segments.map { "[\($0.rank),\($0.worker),\($0.kind),\(number($0.start)),\(number($0.end)),\($0.count)]" }.joined(separator: ",")
        out += "],\"resources\":["
        out += resources.map { "[\($0.rank),\(number($0.sample.time)),\(number($0.sample.cpuPercent)),\($0.sample.rssBytes)]" }.joined(separator: ",")
        out += "]}"
        return out
    }

    /// Microsecond precision is all the page draws; finite always (JSON has no NaN). Written from
    /// integers: Foundation's `String(format:)` costs microseconds a call, and a tick can hold
    /// thousands of segment times.
    private func number(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 9e12 else { return "0" }
        let micros = Int((x * 1e6).rounded())
        let whole = abs(micros) / 1_000_000, fraction = String(abs(micros) % 1_000_000)
        return (micros < 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// A JSON string literal (Foundation's encoder: names are few, and cached by the callers).
    private func jsonString(_ s: String) -> String {
        (try? JSONEncoder().encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
