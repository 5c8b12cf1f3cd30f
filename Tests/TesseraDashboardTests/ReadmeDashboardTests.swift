import Foundation
import Tessera
import Testing
import TesseraDashboard

/// The README's dashboard example, compiled and run (`ReadmeTests.readmeMatchesTheTests` checks
/// that the README's block appears here line for line).
@Suite struct ReadmeDashboardTests {
    @Test func dashboardInCode() throws {
        let dashboard = try Dashboard.start(port: 0)      // 8787 by default; 0: any free port
        print("dashboard at", dashboard.url)               // http://127.0.0.1:PORT/
        let answer = try (Delayed(20) + 1).compute()       // drawn live on the page
        dashboard.finish()                                 // the page keeps the last state: "run finished"
        dashboard.stop()
        #expect(answer == 21)
        #expect(dashboard.stateJSON.contains(#""finished":true"#))
    }
}
