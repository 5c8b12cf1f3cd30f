// swift-tools-version: 6.0
import PackageDescription

// Layers (see README): tessera / tessera-bench -> TesseraFrameArray -> TesseraFrame -> Tessera
//                                                                  \-> TesseraArray -> Tessera, CBLAS, CLAPACKE
// Every target compiles in the Swift 6 language mode, with no unsafe flags (a versioned dependency
// may carry none): hot loops are unchecked where they need to be, in the code itself.

let package = Package(
    name: "Tessera",
    products: [
        .library(name: "Tessera", targets: ["Tessera"]),
        .library(name: "TesseraArray", targets: ["TesseraArray"]),
        .library(name: "TesseraFrame", targets: ["TesseraFrame"]),
        .library(name: "TesseraFrameArray", targets: ["TesseraFrameArray"]),
        .library(name: "TesseraParquet", targets: ["TesseraParquet"]),
        .library(name: "TesseraStorage", targets: ["TesseraStorage"]),
        // The live web dashboard: its own product, so programs that don't use it link no server.
        .library(name: "TesseraDashboard", targets: ["TesseraDashboard"]),
        .library(name: "TesseraMPI", targets: ["TesseraMPI"]),
        .library(name: "TesseraDashboardMPI", targets: ["TesseraDashboardMPI"]),
        .executable(name: "tessera", targets: ["tessera"]),
        .executable(name: "tessera-bench", targets: ["tessera-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),
        .systemLibrary(name: "CBrotli", path: "Sources/CBrotli"),
        .systemLibrary(name: "CBlosc", path: "Sources/CBlosc"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        .systemLibrary(name: "CLibDeflate", path: "Sources/CLibDeflate"),
        .target(
            name: "Tessera",
            dependencies: [
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]),
        .target(
            name: "TesseraArray",
            dependencies: ["Tessera", "CBLAS", "CLAPACKE"]),
        // Zarr and HDF5 storage for arrays: its own target, so array users who don't need it link
        // no zstd, zlib, libdeflate, blosc or HDF5.
        .target(
            name: "TesseraStorage",
            dependencies: ["TesseraArray", "CZstd", "CZlib", "CLibDeflate", "CBlosc", "CHDF5"]),
        .target(name: "CTesseraSIMD", path: "Sources/CTesseraSIMD"),
        // Open MPI (Debian `libopenmpi-dev`): include and library paths come from pkg-config, so no
        // product carries unsafe flags. Only programs importing TesseraMPI link it.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "TesseraMPI", dependencies: ["Tessera", "CMPI"]),
        .target(
            name: "TesseraFrame",
            dependencies: ["Tessera", "CTesseraSIMD"]),
        // The bridge between frames and arrays (`ChunkedFrame.toArray`): frames alone link no BLAS.
        .target(
            name: "TesseraFrameArray",
            dependencies: ["TesseraFrame", "TesseraArray"]),
        // Parquet reading and writing: its own library, so CSV-only users link no compression library.
        .target(
            name: "TesseraParquet",
            dependencies: ["Tessera", "TesseraFrame", "CZstd", "CZlib", "CSnappy", "CLZ4", "CBrotli"]),
        // Plain SwiftNIO (NIOHTTP1) rather than a web framework: a page, a few files and one
        // Server-Sent Events stream need no router, and NIO alone builds in a fraction of the time.
        .target(
            name: "TesseraDashboard",
            dependencies: [
                "Tessera",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The dashboard of an MPI job (rank 0 serves, the others forward): a bridge, so that
        // neither the dashboard nor MPI makes programs link the other.
        .target(name: "TesseraDashboardMPI", dependencies: ["TesseraDashboard", "TesseraMPI"]),
        .executableTarget(
            name: "tessera",
            dependencies: [
                "Tessera", "TesseraArray", "TesseraFrame", "TesseraFrameArray", "TesseraParquet", "TesseraDashboard",
                "TesseraMPI", "TesseraDashboardMPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "tessera-bench",
            dependencies: [
                "Tessera", "TesseraArray", "TesseraFrame", "TesseraFrameArray", "TesseraParquet", "TesseraStorage", "TesseraDashboard",
                "TesseraMPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/tessera-bench"),
        // libFuzzer targets (`make fuzz`); built normally they replay saved inputs.
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(name: "fuzz-csv", dependencies: ["Tessera", "TesseraFrame", "FuzzDriver"], path: "Fuzz/FuzzCSV"),
        .executableTarget(name: "fuzz-npy", dependencies: ["TesseraArray", "FuzzDriver"], path: "Fuzz/FuzzNPY"),
        .executableTarget(name: "fuzz-parquet", dependencies: ["Tessera", "TesseraFrame", "TesseraParquet", "FuzzDriver"], path: "Fuzz/FuzzParquet"),
        .executableTarget(name: "fuzz-zarr", dependencies: ["TesseraArray", "TesseraStorage", "FuzzDriver"], path: "Fuzz/FuzzZarr"),
        .executableTarget(name: "fuzz-hdf5", dependencies: ["TesseraArray", "TesseraStorage", "FuzzDriver"], path: "Fuzz/FuzzHDF5"),
        // Runs an SPMD check program under `mpirun` (see Tests/TesseraMPITests).
        .executableTarget(
            name: "tessera-mpi-check",
            dependencies: ["Tessera", "TesseraMPI", "TesseraArray", "TesseraFrame", "TesseraFrameArray", "TesseraDashboardMPI"],
            path: "Tests/MPICheck"),
        .testTarget(name: "TesseraTests", dependencies: ["Tessera"]),
        .testTarget(name: "TesseraDashboardTests", dependencies: ["TesseraDashboard"]),
        .testTarget(name: "TesseraMPITests", dependencies: ["Tessera"]),
        .testTarget(name: "TesseraArrayTests", dependencies: ["TesseraArray"], exclude: ["Fixtures"]),
        .testTarget(name: "TesseraParquetTests", dependencies: ["TesseraParquet", "TesseraFrame"], exclude: ["Fixtures"]),
        .testTarget(name: "TesseraStorageTests", dependencies: ["TesseraStorage", "TesseraArray"], exclude: ["Fixtures"]),
        .testTarget(name: "TesseraFrameTests", dependencies: ["TesseraFrame", "TesseraArray", "TesseraFrameArray"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
