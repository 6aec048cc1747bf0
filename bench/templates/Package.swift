// swift-tools-version: 6.1
import PackageDescription

// Standalone benchmark: which template engine renders sitegen's table pages, and at what cost.
// Kept out of the main package so that sitegen itself does not depend on Stencil.
//
//   swift build -c release --package-path bench/templates --scratch-path bench/templates/.build
//   bench/templates/.build/release/template-bench
let package = Package(
    name: "template-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/stencilproject/Stencil", from: "0.15.0"),
    ],
    targets: [
        .executableTarget(name: "template-bench", dependencies: [
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Stencil", package: "Stencil"),
        ]),
    ]
)
