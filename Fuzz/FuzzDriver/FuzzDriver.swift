// What every fuzz executable shares: handing over to libFuzzer under `-DFUZZING`, and replaying
// saved inputs otherwise (how `make test` runs the corpus and the committed crashers).
import Foundation

/// libFuzzer's per-input callback (`LLVMFuzzerTestOneInput`'s signature).
public typealias FuzzInputHandler = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// SwiftPM links an executable's `main` to its own entry point, so libFuzzer's `main` is never
/// used: under `-DFUZZING` the entry point hands over to libFuzzer's driver instead.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: FuzzInputHandler) -> CInt

/// The body of a fuzz executable's `main`: libFuzzer's driver when built with `-DFUZZING`, else
/// `handler` over every file named on the command line, then `cleanUp`.
/// - Throws: a named input file that can't be read.
public func fuzzMain(_ handler: FuzzInputHandler, cleanUp: () -> Void = {}) throws {
    #if FUZZING
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, handler))
    #else
    for path in CommandLine.arguments.dropFirst() {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.withUnsafeBytes { b in _ = handler(b.bindMemory(to: UInt8.self).baseAddress, b.count) }
    }
    cleanUp()
    print("read \(CommandLine.arguments.count - 1) inputs without crashing")
    #endif
}
