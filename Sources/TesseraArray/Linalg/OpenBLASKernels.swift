import Foundation
import Tessera

// Why this file exists: OpenBLAS built with DYNAMIC_ARCH (Debian's libopenblas0-pthread 0.3.21)
// picks its kernels from the CPU model at load time, and falls back to "Prescott" (SSE3) kernels
// on a CPU model it doesn't know — as happens on the Sapphire Rapids virtual machines we run on,
// whose CPUID reads as a generic "Intel Xeon Processor". dgemm then runs at ≈4–5 GFLOP/s per core
// instead of ≈25–29 (measured with the same library: OPENBLAS_CORETYPE=SkylakeX gives 25,
// Cooperlake 29, the detected Prescott 4–5). NumPy's wheels bundle a newer OpenBLAS that knows
// the CPU, so without this the comparison would be of kernel tables, not of engines.
//
// The fix is OpenBLAS's own: the OPENBLAS_CORETYPE variable, read by `gotoblas_dynamic_init`.
// When the detected core is an older generation than the instruction set the CPU reports in
// /proc/cpuinfo, and the user hasn't set OPENBLAS_CORETYPE, we set it to the matching core and
// re-run OpenBLAS's (exported) dynamic initialisation. This happens once, before the first BLAS
// call any linear-algebra task makes (graph construction triggers it). It does nothing when the
// library isn't a DYNAMIC_ARCH OpenBLAS, when the detection was right, when the user chose
// (OPENBLAS_CORETYPE set before the first linear-algebra call), or when the user turned it off
// with TESSERA_BLAS_CORE_REPAIR=0 (README, "Installation").

enum OpenBLASKernels {
    /// Runs the check once per process (thread-safe lazy static), and registers with the engine
    /// that pool workers run BLAS single-threaded.
    static let ensured: Void = {
        PoolSetup.register("openblas-one-thread") { BLASThreads.setSingleThreaded() }
        select()
    }()

    /// Cores in OpenBLAS's x86-64 naming, oldest first, as far as the choice here needs them.
    static let generations = ["Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Core2", "Penryn",
                              "Dunnington", "Nehalem", "Atom", "Sandybridge", "Haswell", "SkylakeX", "Cooperlake"]

    /// The core the CPU's instruction set supports (`nil` when unknown or not x86).
    static func supportedCore() -> String? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// The core OpenBLAS is using now, if it says.
    static func currentCore(_ handle: UnsafeMutableRawPointer) -> String? {
        guard let sym = dlsym(handle, "openblas_get_corename") else { return nil }
        typealias Name = @convention(c) () -> UnsafeMutablePointer<CChar>?
        return unsafeBitCast(sym, to: Name.self)().map { String(cString: $0) }
    }

    /// The core the user asked for with OPENBLAS_CORETYPE before Tessera looked, if any.
    static let userCore: String? = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]

    /// Whether the user turned the repair off (`TESSERA_BLAS_CORE_REPAIR=0`).
    static var repairDisabled: Bool { ProcessInfo.processInfo.environment["TESSERA_BLAS_CORE_REPAIR"] == "0" }

    private static func select() {
        guard userCore == nil, !repairDisabled,
              let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"),
              let initialise = dlsym(handle, "gotoblas_dynamic_init"),
              let detected = currentCore(handle),
              let want = supportedCore(),
              let have = generations.firstIndex(where: { $0.caseInsensitiveCompare(detected) == .orderedSame }),
              let better = generations.firstIndex(of: want), better > have else { return }
        typealias Call = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", want, 1)
        unsafeBitCast(quit, to: Call.self)()
        unsafeBitCast(initialise, to: Call.self)()
    }
}

/// Sets OpenBLAS to one thread, if OpenBLAS is loaded: parallelism comes from running many
/// blocks at once, and a BLAS call that spawned its own threads inside each would oversubscribe
/// the cores. Found with `dlsym`, so a BLAS other than OpenBLAS is left alone.
enum BLASThreads {
    static func setSingleThreaded() {
        guard let handle = dlopen(nil, RTLD_NOW),
              let sym = dlsym(handle, "openblas_set_num_threads") else { return }
        typealias SetThreads = @convention(c) (Int32) -> Void
        unsafeBitCast(sym, to: SetThreads.self)(1)
    }
}
