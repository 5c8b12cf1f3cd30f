import ArgumentParser
import Foundation
import TesseraFrame

/// `--explain` for every command that computes a frame: print the query's plan instead of
/// running it.
struct ExplainOption: ParsableArguments {
    @Flag(help: "Print the query's logical plan before and after optimization and the task layers it lowers to, instead of running it.")
    var explain = false

    /// Prints the plan of `frame` (made only with `--explain`) and returns true when `--explain` was given.
    /// - Throws: what making the frame throws.
    func printed(_ frame: () throws -> ChunkedFrame) rethrows -> Bool {
        guard explain else { return false }
        FileHandle.standardOutput.write(Data(try frame().explain().utf8))
        return true
    }
}
