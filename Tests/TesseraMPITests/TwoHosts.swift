import Foundation
import Testing

/// Two "hosts" on one machine: two Linux network namespaces joined by a veth pair, each end with
/// an address of its own, each namespace with its own host name (a UTS namespace entered with
/// it). `mpirun` runs in the first; Open MPI's launcher enters the second through a small agent
/// script in place of ssh, so the second rank's daemon and process live there, and bytes between
/// the ranks can only cross the veth pair. Needs root and iproute2's `ip` (Debian `iproute2`);
/// where either is missing or namespaces are not permitted, the test is cancelled with the
/// reason (reported as skipped), never passed.
struct TwoHosts {
    /// The two namespaces, the veth end in each, and its address.
    let namespaces: [String]
    let interfaces: [String]
    let addresses = ["10.231.7.1", "10.231.7.2"]
    let subnet = "10.231.7.0/24"
    /// iproute2's `ip`.
    let ip: String
    /// Holds the agent script and the hostfile.
    let directory: URL

    /// The prefix of this process's namespaces; a pid follows, so runs side by side don't meet.
    static let prefix = "tessera-hosts-"

    /// Creates the namespaces and the link, or cancels the running test where this machine
    /// cannot (not root, no `ip`, namespaces not permitted). Any other failure throws.
    static func create() throws -> TwoHosts {
        guard getuid() == 0 else { try Test.cancel("two hosts needs root to create network namespaces (uid \(getuid()))") }
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile) else {
            try Test.cancel("two hosts needs iproute2's `ip` (Debian package iproute2)")
        }
        guard ["/usr/bin/unshare", "/bin/unshare"].contains(where: FileManager.default.isExecutableFile) else {
            try Test.cancel("two hosts needs util-linux's `unshare`")
        }
        removeStale(ip: ip)
        let pid = getpid()
        let hosts = TwoHosts(namespaces: ["\(prefix)\(pid)-a", "\(prefix)\(pid)-b"], interfaces: ["tsh\(pid)a", "tsh\(pid)b"], ip: ip,
                             directory: FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)\(pid)"))
        do {
            try hosts.setUp()
        } catch {
            hosts.remove()
            throw error
        }
        return hosts
    }

    struct SetupError: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "two hosts: `\(command)` failed: \(output)" }
    }

    /// Runs a command of the setup under a short time limit.
    static func shell(_ command: [String]) throws -> MPIJobTests.Job {
        try MPIJobTests.launch(np: nil, command, limit: 20)
    }

    /// What `ip` says where the machine, not the test, is at fault: an unprivileged container,
    /// a kernel without veth.
    static let refusals = ["Operation not permitted", "Permission denied", "Read-only file system", "Unknown device type"]

    private func setUp() throws {
        let (a, b) = (namespaces[0], namespaces[1])
        let steps: [[String]] = [
            ["netns", "add", a], ["netns", "add", b],
            ["link", "add", interfaces[0], "netns", a, "type", "veth", "peer", "name", interfaces[1], "netns", b],
            ["-n", a, "addr", "add", addresses[0] + "/24", "dev", interfaces[0]],
            ["-n", b, "addr", "add", addresses[1] + "/24", "dev", interfaces[1]],
            ["-n", a, "link", "set", interfaces[0], "up"], ["-n", b, "link", "set", interfaces[1], "up"],
            ["-n", a, "link", "set", "lo", "up"], ["-n", b, "link", "set", "lo", "up"],
        ]
        for step in steps {
            let r = try Self.shell([ip] + step)
            guard r.status != 0 else { continue }
            let command = "ip " + step.joined(separator: " ")
            if Self.refusals.contains(where: r.output.contains) { try Test.cancel("two hosts: this machine refuses `\(command)`: \(r.output)") }
            throw SetupError(command: command, output: r.output)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // `agent [ssh options] HOST COMMAND…`: Open MPI's rsh launcher passes a command line for
        // a remote shell (`PATH=… ; export PATH ; … orted …`), as to ssh, which joins the words.
        var script = "#!/bin/sh\n# Enters the namespace of HOST in place of ssh (Open MPI's plm_rsh_agent).\n"
        script += "while [ \"${1#-}\" != \"$1\" ]; do shift; done\nhost=$1; shift\ncase \"$host\" in\n"
        for (address, namespace) in zip(addresses, namespaces) { script += "  \(address)) ns=\(namespace) ;;\n" }
        script += "  *) echo \"agent: unknown host $host\" >&2; exit 1 ;;\nesac\n"
        script += "exec \(ip) netns exec \"$ns\" unshare --uts /bin/sh -c \"hostname $ns && $*\"\n"
        try script.write(to: agent, atomically: true, encoding: .utf8)
        guard chmod(agent.path, 0o755) == 0 else { throw SetupError(command: "chmod", output: String(cString: strerror(errno))) }
        try addresses.map { "\($0) slots=1\n" }.joined().write(to: hostfile, atomically: true, encoding: .utf8)
    }

    var agent: URL { directory.appendingPathComponent("agent") }
    var hostfile: URL { directory.appendingPathComponent("hostfile") }

    /// `mpirun` inside the first namespace (with its own host name), one rank per host, the
    /// daemon on the second started by the agent, every connection on the veth pair's subnet.
    var mpiHosts: MPIJobTests.Hosts {
        MPIJobTests.Hosts(
            prefix: [ip, "netns", "exec", namespaces[0], "unshare", "--uts", "/bin/sh", "-c",
                     "hostname \(namespaces[0]) && exec \"$@\"", "sh"],
            options: ["--hostfile", hostfile.path, "--mca", "plm_rsh_agent", agent.path,
                      "--mca", "btl_tcp_if_include", subnet, "--mca", "oob_tcp_if_include", subnet])
    }

    /// Bytes (received, sent) so far by the first namespace's end of the link.
    func counters() throws -> (received: Int, sent: Int) {
        let r = try Self.shell([ip, "-n", namespaces[0], "-j", "-s", "link", "show", "dev", interfaces[0]])
        guard r.status == 0, let json = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [[String: Any]],
              let stats = json.first?["stats64"] as? [String: Any],
              let rx = (stats["rx"] as? [String: Any])?["bytes"] as? Int, let tx = (stats["tx"] as? [String: Any])?["bytes"] as? Int
        else { throw SetupError(command: "ip -s link show", output: r.output) }
        return (rx, tx)
    }

    /// Ends what still runs in the namespaces (a job the time limit cut short), then deletes
    /// them (which deletes the link) and the agent's directory. Safe to call on a partial setup.
    func remove() {
        for namespace in namespaces { Self.removeNamespace(namespace, ip: ip) }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func removeNamespace(_ namespace: String, ip: String) {
        if let pids = try? shell([ip, "netns", "pids", namespace]), pids.status == 0 {
            for pid in pids.output.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }
        _ = try? shell([ip, "netns", "delete", namespace])
    }

    /// Deletes the namespaces a test process left behind when it was killed before cleaning up
    /// (its pid in their name no longer runs).
    private static func removeStale(ip: String) {
        guard let list = try? shell([ip, "netns", "list"]), list.status == 0 else { return }
        for line in list.output.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            guard name.hasPrefix(prefix), let pid = pid_t(name.dropFirst(prefix.count).split(separator: "-").first ?? ""),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            removeNamespace(name, ip: ip)
        }
    }
}
