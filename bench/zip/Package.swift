// swift-tools-version: 6.1
import PackageDescription

// Standalone benchmark: sitegen's ZipWriter (Sources/Site/ZipWriter.swift, linked here) against
// ZIPFoundation's Archive.addEntry, for region ZIPs of many small files; both must give the same bytes.
//
//   swift build -c release --package-path bench/zip --scratch-path bench/zip/.build
//   bench/zip/.build/release/zip-bench
let package = Package(
    name: "zip-bench",
    dependencies: [.package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19")],
    targets: [.executableTarget(name: "zip-bench", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")])]
)
