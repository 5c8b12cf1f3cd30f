import Foundation
import Testing

/// A job over two "hosts" (`TwoHosts`: two network namespaces joined by a veth pair, Open MPI's
/// launcher entering the second in place of ssh): the ranks run in different namespaces under
/// different host names, compute graphs of each kind with the results `.threads` gives, and
/// their bytes cross the link. Nothing may assume the ranks share one host's network.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TESSERA_SANITIZER"] == nil))
struct TwoHostsJobTests {
    @Test func twoRanksInTwoNetworkNamespacesComputeWhatThreadsCompute() throws {
        let hosts = try TwoHosts.create()
        defer { hosts.remove() }
        let before = try hosts.counters()
        // `array-big-blocks` returns two blocks of 400 × 400 doubles, one computed on each rank
        // and sent to the other (`compute` returns the value on every rank).
        let scenarios = ["delayed-tree", "frame-groupby", "array-big-blocks"]
        let job = try MPIJobTests.run(np: 2, ["whereami", "differential:" + scenarios.joined(separator: ",")],
                                      limit: 90, hosts: hosts.mpiHosts)
        let after = try hosts.counters()
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<2 {
            for s in ["whereami"] + scenarios { #expect(job.passed.contains("rank \(r) ok \(s)"), "rank \(r) \(s): \(job.output)") }
        }
        // `rank R netns net:[INODE] host NAME`: each rank in its own namespace, under its name.
        var places: [Int: (namespace: String, host: String)] = [:]
        for line in job.output.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count == 6, words[0] == "rank", words[2] == "netns", let r = Int(words[1]) { places[r] = (words[3], words[5]) }
        }
        #expect(places.count == 2 && places[0]?.namespace != places[1]?.namespace, "\(job.output)")
        #expect(places[0]?.host == hosts.namespaces[0] && places[1]?.host == hosts.namespaces[1], "\(job.output)")
        let block = 400 * 400 * MemoryLayout<Double>.size
        #expect(after.received - before.received >= block && after.sent - before.sent >= block,
                "the link carried \(after.received - before.received) bytes in and \(after.sent - before.sent) out")
    }
}
