import Foundation
import Tessera
import Testing
@testable import TesseraDashboard

// The page in a real browser: headless Chromium (Debian's `chromium`, installed by `make deps`)
// opens the dashboard, a compute of a second or two runs once the page is connected, and we read
// back the DOM it drew.
// Chromium's virtual-time budget only starts counting once no request is pending, so the dump
// comes after the page has received the `finished` event and closed its stream: the DOM must
// then show every kind's progress at 100%, the lanes of the task stream and "run finished".
//
// Skipped where no Chromium is installed, unless TESSERA_REQUIRE_BROWSER=1 (`make test` sets it).
// With TESSERA_DASHBOARD_SCREENSHOT=PATH the screenshot is also copied to PATH (docs/dashboard.png).

enum Chromium {
    static let path: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { name in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }.first
    static let required = ProcessInfo.processInfo.environment["TESSERA_REQUIRE_BROWSER"] == "1"

    /// Runs headless Chromium on `url` with `arguments`, killing it after `timeout` seconds.
    static func run(_ arguments: [String], url: String, profile: URL, timeout: Double) throws -> (status: Int32, output: String, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--hide-scrollbars", "--enable-logging=stderr", "--user-data-dir=\(profile.path)", "--virtual-time-budget=4000"] + arguments + [url]
        // Output to files, not pipes: a dump larger than a pipe's buffer would block Chromium.
        let out = profile.appendingPathExtension("out"), log = profile.appendingPathExtension("log")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out), logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = logHandle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        try logHandle.close()
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let messages = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { !$0.contains("dbus") }.suffix(15).joined(separator: "\n")
        return (process.terminationStatus, text, messages)
    }
}

@Suite(.enabled(if: Chromium.path != nil || Chromium.required, "needs Chromium (apt-get install chromium)"))
struct DashboardBrowserTests {
    @Test func chromiumDrawsTheTaskStreamAndFullProgress() throws {
        try #require(Chromium.path != nil, "TESSERA_REQUIRE_BROWSER=1 but no chromium on PATH")
        let dashboard = try Dashboard.start(port: 0, observesAllComputes: false)
        defer { dashboard.stop() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        // The browser opens the page first; the compute starts once the page is connected to the
        // event stream, so the page sees it live: about 1.5 s of work on two workers (60 naps of
        // 50 ms), then a sum.
        let dom = LockedText()
        let reader = Thread {
            let r = try? Chromium.run(["--dump-dom"], url: dashboard.url, profile: work.appendingPathComponent("a"), timeout: 120)
            dom.set((r?.output ?? "", r?.log ?? "chromium did not start"))
        }
        reader.start()
        for _ in 0..<1200 where dashboard.connectedPages == 0 { usleep(50_000) }
        #expect(dashboard.connectedPages == 1, "the page never connected")
        let nap = delayed(name: "nap") { (x: Int) -> Int in
            usleep(50_000)
            return x * 3
        }
        let total = delayed(name: "total", (0..<60).map { nap(Delayed($0)) }) { $0.reduce(0, +) }
        let result = LockedInt()
        result.set(try dashboard.recorder.observe { try total.compute(scheduler: .threads(2)) })
        dashboard.finish()
        let (html, log) = dom.wait()
        // A second browser loaded after the end gets the final snapshot: the picture for the docs.
        let shot = work.appendingPathComponent("dashboard.png")
        let picture = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1280,900"], url: dashboard.url,
                                       profile: work.appendingPathComponent("b"), timeout: 120)
        #expect(result.value == (0..<60).reduce(0) { $0 + $1 * 3 })

        #expect(html.contains(#"data-status="finished""#), "page: \(html.prefix(600))\nchromium: \(log)")
        #expect(html.contains("run finished"))
        // The task stream drew segments on at least one lane.
        let canvas = try #require(html.firstMatch(of: /<canvas id="task-stream"[^>]*>/)).output
        let lanes = Int(canvas.firstMatch(of: /data-lanes="(\d+)"/)?.output.1 ?? "") ?? 0
        let segments = Int(canvas.firstMatch(of: /data-segments="(\d+)"/)?.output.1 ?? "") ?? 0
        #expect((1...2).contains(lanes))
        #expect(segments > 0)
        // One progress row per kind, each at done == total: 60 fused value+nap tasks, 1 total.
        var rows: [String: (Int, Int)] = [:]
        for m in html.matches(of: /class="progress-row" data-kind="([^"]*)" data-done="(\d+)" data-total="(\d+)"/) {
            rows[String(m.output.1)] = (Int(m.output.2)!, Int(m.output.3)!)
        }
        #expect(rows.count == 2)
        #expect(rows["value+nap"].map { [$0.0, $0.1] } == [60, 60])
        #expect(rows["total"].map { [$0.0, $0.1] } == [1, 1])
        #expect(html.contains(">60 / 60<"))

        // The screenshot is a PNG of the window's size.
        #expect(picture.status == 0, "chromium: \(picture.log)")
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        if let keep = ProcessInfo.processInfo.environment["TESSERA_DASHBOARD_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }
    }
}

/// A value one thread sets and others read.
final class LockedInt: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int?
    var value: Int? { lock.withLock { stored } }
    func set(_ v: Int) { lock.withLock { stored = v } }
}

/// Text one thread sets and another waits for.
final class LockedText: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var text = ("", "")
    func set(_ t: (String, String)) {
        text = t
        done.signal()
    }
    func wait() -> (String, String) {
        done.wait()
        return text
    }
}
