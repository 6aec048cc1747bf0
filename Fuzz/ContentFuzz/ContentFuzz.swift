// libFuzzer target for the parts of sitegen that read what editors write (docs/fuzzing.md).
//
// Each input is given to
//   (a) the disclosure.yaml decoder (bytes → text checks → YAML → model), then, when it decodes,
//       to Derive, the checker, the table layouts and the charts;
//   (b) the data-reference scanner, parser and evaluator, against the example's 东湖区 2023 disclosure
//       (with 2022 as last year), the expansion that replaces references in prose, and the checker's
//       reading of numbers typed in prose (the input as that disclosure's 情况说明);
//   (c) Markdown → HTML, with raw HTML off and on.
//
// Built with `-DFUZZING -sanitize=fuzzer,address`, libFuzzer calls LLVMFuzzerTestOneInput. Built
// normally (as `swift build` does), it is a replay tool: `ContentFuzz FILE…` runs the same code on each
// file, so a crash found by the fuzzer can be reproduced without sanitizers.
import Check
import Content
import Derive
import Foundation
import Markdown
import Model
import Views

enum ContentFuzz {
    /// The example site, read once: its catalogues and two completed disclosures for reference evaluation.
    static let site: (catalogs: [Int: Catalog], book: FigureBook, department: Department) = {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content")
        guard let loaded = ContentLoader.load(from: content).content,
              let current = loaded.disclosures.first(where: { $0.id == "donghu-sme/2023" }),
              let previous = loaded.disclosures.first(where: { $0.id == "donghu-sme/2022" }),
              let department = loaded.department("donghu-sme") else {
            fatalError("ContentFuzz needs the example content at \(content.path)")
        }
        func complete(_ d: Disclosure) -> Disclosure { Derive.complete(d, catalog: loaded.catalogs[d.year] ?? Catalog(year: d.year)) }
        return (loaded.catalogs, FigureBook(current: complete(current), previous: complete(previous)), department)
    }()

    static let views = ViewBuilder(config: SiteConfig(), tree: RegionTree(declared: [], departments: []))

    static func run(_ bytes: [UInt8]) {
        // (a) disclosure.yaml, and everything downstream of a disclosure that decodes.
        let year = bytes.count > 20 && String(decoding: bytes.prefix(200), as: UTF8.self).contains("year: 2023") ? 2023 : 2022
        let decoded = ContentLoader.decodeDisclosure(bytes: bytes, department: "fuzz", year: year, catalogs: site.catalogs)
        for diagnostic in decoded.diagnostics { precondition(!diagnostic.message.isEmpty) }
        if let disclosure = decoded.disclosure, let catalog = site.catalogs[year] {
            let completed = Derive.complete(disclosure, catalog: catalog)
            _ = Checker.check(completed, department: site.department, previous: nil)
            for table in completed.tables { _ = views.tableView(table, department: site.department, year: year) }
            _ = ChartBuilder.disclosureCharts(completed, departmentName: site.department.name)
            _ = Headline(completed)
        }

        // (b) data references in prose.
        let text = String(decoding: bytes, as: UTF8.self)
        let (found, _) = DataReferences.scan(text)
        for occurrence in found.prefix(1000) {
            if case .success(let reference) = FigureReference.parse(occurrence.expression),
               case .success(let value) = site.book.evaluate(reference) {
                _ = DataReferences.format(value)
            }
        }
        var bag = DiagnosticBag()
        let prose = Prose(text: text, location: SourceLocation(file: "fuzz.md", line: 1))
        _ = DataReferences.expand(prose, book: site.book, into: &bag)
        // The checker reads numbers typed in 情况说明 against the tables.
        var withText = site.book.current
        withText.explanation = prose
        _ = Checker.check(withText, department: site.department, previous: site.book.previous)

        // (c) Markdown.
        _ = Markdown.html(text)
        _ = Markdown.html(text, allowRawHTML: true)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    _ = ContentFuzz.site
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ContentFuzz.run(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; here it hands over to libFuzzer's driver
// (libFuzzer's own `main` is then not linked).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("ContentFuzz_main")
public func contentFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput)
}
#else
@main
struct Replay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: ContentFuzz FILE… (replays fuzzer inputs; see docs/fuzzing.md)")
            return
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { print("cannot read \(file)"); continue }
            let start = ContinuousClock.now
            ContentFuzz.run([UInt8](data))
            print("\(file): ok (\(ContinuousClock.now - start))")
        }
    }
}
#endif
