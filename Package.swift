// swift-tools-version: 6.1
import PackageDescription

// The pipeline, one module per stage (see README "Architecture"):
// Content → Model → Derive → Check → Views + Charts → Theme → Site → CLI / Serve
let package = Package(
    name: "sitegen",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sitegen", targets: ["SitegenCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // libcmark from the system (apt-get install libcmark-dev).
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"])]),
        // libdeflate from the system (apt-get install libdeflate-dev): the ZIPs and workbooks' deflate
        // (bench/README.md#downloads-four-files-per-disclosure).
        .systemLibrary(name: "CLibdeflate", path: "Sources/CLibdeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        // getdents64 for the content walk (one system call per folder listing, not four).
        .systemLibrary(name: "CDirectory", path: "Sources/CDirectory"),
        // What every stage uses and no stage owns: parallel maps, fingerprints, HTML and JSON
        // escaping, messages in the editor's language, system errors, relative paths.
        .target(name: "Support"),
        // Rebuilding: stamps and keys, declared dependencies, results kept between builds.
        .target(name: "Incremental", dependencies: ["Support"]),
        // Pure domain types: amounts, codes, forms, tables, disclosures. No I/O.
        .target(name: "Model", dependencies: ["Support"]),
        // Reading content/: YAML/JSON decoding with file:line for every value.
        .target(name: "Content", dependencies: ["Support", "Incremental", "Model", "CDirectory", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Forms")]),
        // Subtotals, cross-table lines, figures for data references, shares and YoY.
        .target(name: "Derive", dependencies: ["Model"]),
        // Consistency rules → findings.
        .target(name: "Check", dependencies: ["Support", "Model", "Derive"]),
        // Markdown → HTML through libcmark.
        .target(name: "Markdown", dependencies: ["CCmark"]),
        // SVG charts, pure.
        .target(name: "Charts", dependencies: ["Support", "Model"]),
        // load → derive → check, shared by build, check and serve; what a process keeps of it.
        .target(name: "Pipeline", dependencies: ["Support", "Incremental", "Model", "Content", "Derive", "Check"]),
        // Open-data downloads: the XLSX workbook (tables laid out as Views prints them), JSON,
        // Frictionless data packages, CSV; ZIPs deflated by libdeflate.
        .target(name: "OpenData", dependencies: ["Support", "Model", "Derive", "Views", "CLibdeflate"]),
        // Page view models with pre-formatted strings.
        .target(name: "Views", dependencies: ["Support", "Model", "Derive", "Check", "Markdown", "Charts", "Theme"]),
        // Templates (swift-mustache) with site overrides.
        .target(name: "Theme", dependencies: ["Support", "Model", .product(name: "Mustache", package: "swift-mustache")]),
        // themes/default/, compiled into the binary as the built-in theme.
        .target(name: "DefaultTheme", path: "themes", exclude: [], sources: ["DefaultTheme.swift"], resources: [.copy("default")]),
        // Page graph, output, atomic publish.
        .target(name: "Site", dependencies: ["Support", "Incremental", "Model", "Pipeline", "Content", "Derive", "Check", "Views", "Charts", "Theme", "DefaultTheme", "OpenData"]),
        // Generated content folders of any size (benchmarks, tests); deterministic by seed.
        .target(name: "Fixture", dependencies: ["Model"]),
        // sitegen import / new / draft: 决算 software exports (XLSX, CSV) → content, scaffolds, 情况说明 drafts.
        .target(name: "Import", dependencies: ["Support", "Model", "Content", "Derive", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Preview server: Hummingbird 2 on SwiftNIO (NIO's accept loop and HTTP/1.1 decoder); the
        // site's files, the Host policy and live reload are sitegen's.
        .target(name: "Serve", dependencies: [
            "Support",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "SitegenCLI", dependencies: [
            "Support", "Incremental", "Pipeline", "Site", "Serve", "Content", "Check", "Fixture", "Import", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // libFuzzer target (docs/fuzzing.md): built with -DFUZZING -sanitize=fuzzer,address it fuzzes the content
        // decoder, data references and Markdown; built normally it replays inputs (`ContentFuzz FILE…`).
        .executableTarget(name: "ContentFuzz", dependencies: ["Content", "Derive", "Check", "Views", "Markdown", "Model"],
                          path: "Fuzz/ContentFuzz"),
        // Tests per module around one shared test site (Tests/TestSite): the example content, the error
        // corpus and golden files, fresh folders, the built example site, readers of the output, the binary.
        .target(name: "TestSite", dependencies: ["Model", "Site"], path: "Tests/TestSite", exclude: ["Corpus", "Golden"]),
        // Loading content/: the loader, parse limits, names, the folder memo, the error corpus, fuzz regressions.
        .testTarget(name: "ContentTests", dependencies: ["TestSite", "Incremental", "Model", "Content", "Derive", "Check", "Markdown", "Views", "Site"]),
        // Amounts, derived figures and the consistency rules; the findings on the example content.
        .testTarget(name: "DeriveCheckTests", dependencies: ["TestSite", "Support", "Model", "Content", "Derive", "Check", "Pipeline"]),
        // Template fields, escaping, Markdown headings, the golden tables of reference 000.
        .testTarget(name: "ViewsTests", dependencies: ["TestSite", "Support", "Model", "Pipeline", "Markdown", "Theme", "DefaultTheme", "Site", "Views"]),
        // CSV, JSON and data packages of the example site.
        .testTarget(name: "OpenDataTests", dependencies: ["TestSite", "Support", "Model", "Pipeline", "OpenData", "Site"]),
        // Builds: incremental, analysis, guarantees, equivalence, links, generated sites, preview via the binary.
        .testTarget(name: "SiteTests", dependencies: ["TestSite", "Support", "Incremental", "Model", "Content", "Pipeline", "DefaultTheme", "Site", "Fixture",
                                                      .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "Model"]),
        // The store's backends, reuse, kept results.
        .testTarget(name: "IncrementalTests", dependencies: ["Incremental", "Support"]),
        .testTarget(name: "ServeTests", dependencies: ["Serve", .product(name: "NIOCore", package: "swift-nio"),
                                                     .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]),
        .testTarget(name: "ImportTests", dependencies: ["Pipeline", "Import", "Model", "Content", "Derive", "Views", "Site",
                                                        .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    exclude: ["Fixtures"]),
    ]
)
