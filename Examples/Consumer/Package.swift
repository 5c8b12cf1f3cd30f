// swift-tools-version: 6.0
// A package that uses Tessera as any other project would: through a git URL and a version
// requirement, in the Swift 6 language mode (the default for tools-version 6). `make consumer`
// (part of `make test`) points TESSERA_URL at a tagged bare clone of this repository.
import Foundation
import PackageDescription

let tessera = Context.environment["TESSERA_URL"] ?? "https://github.com/tessera-project/tessera.git"

let products: [Target.Dependency] = [
    .product(name: "Tessera", package: "tessera"),
    .product(name: "TesseraArray", package: "tessera"),
    .product(name: "TesseraFrame", package: "tessera"),
    .product(name: "TesseraFrameArray", package: "tessera"),
]

let package = Package(
    name: "Consumer",
    dependencies: [.package(url: tessera, from: "0.1.0")],
    targets: [
        // The README's tour as top-level code (main.swift: main-actor isolated).
        .executableTarget(name: "consumer", dependencies: products),
        // The same inside an `@main` type.
        .executableTarget(name: "consumer-main", dependencies: products),
    ]
)
