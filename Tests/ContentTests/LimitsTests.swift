import Content
import Check
import Derive
import Foundation
import Model
import Site
import Testing
import TestSite
import Views

/// Oversized content is refused early with a message that names the file, the line and the limit;
/// what is accepted is processed in time and memory proportional to its size.
///
/// Measured by hand (debug build, /usr/bin/time -v, `sitegen build`): a 100,000-row table (3.6 MB) is
/// refused in 4 s at 176 MB peak RSS; a 4 MB file of nothing but `0,` (2 million YAML nodes, the worst
/// case under the size limit) in 8 s at 508 MB; a 5,000-row table (the row limit) builds in 18 s at 125 MB.
@Suite("Limits")
struct LimitsTests {
    /// The small corpus site in a temporary folder, with its disclosure.yaml replaced.
    func site(disclosure: String) throws -> (content: URL, output: URL) {
        let root = temporaryFolder("limits")
        let content = root.appendingPathComponent("content")
        try FileManager.default.copyItem(at: Corpus.base, to: content)
        try disclosure.write(to: content.appendingPathComponent(Self.path), atomically: false, encoding: .utf8)
        return (content, root.appendingPathComponent("public"))
    }

    static let path = "departments/test-dept/2022/disclosure.yaml"
    static let head = "year: 2022\nform: 2022\npublished: 2023-09-15\ntables:\n  \"03\":\n    rows:\n"

    func failure(_ content: URL, _ output: URL) throws -> BuildFailure {
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            throw BuildFailure([.error(SourceLocation(file: "test"), "the build should fail")])
        }
        return failure
    }

    @Test("a 50 MB content file is refused before it is parsed")
    func hugeFileIsRefused() throws {
        let line = "# 填充 padding padding padding padding padding padding padding\n"
        let text = Self.head + String(repeating: line, count: 50 * 1_048_576 / line.utf8.count + 1)
        let (content, output) = try site(disclosure: text)
        let failure = try failure(content, output)
        #expect(failure.errors.map(\.description) == [
            "\(Self.path): error: 文件大小为 50.0 MB，超过 YAML/JSON 内容的上限 4.0 MB（site.yaml 中的 limits.yaml_bytes）——请拆分表格，或确认这是正确的文件",
        ])
        #expect(!FileManager.default.fileExists(atPath: output.path), "a failed build published something")
    }

    @Test("a 100,000-row table is refused at its first row, with the limit")
    func hugeTableIsRefused() throws {
        let rows = String(repeating: "      - [2010399, 1, 1, 0, 0, 0, 0]\n", count: 100_000)
        let (content, output) = try site(disclosure: Self.head + rows)
        let failure = try failure(content, output)
        #expect(failure.errors.map(\.description) == [
            "\(Self.path):7: error: 公开03表：有 100000 行，超过每张表的上限 5000 行（site.yaml 中的 limits.table_rows），每个科目编码一行——请确认这是正确的文件",
        ])
    }

    /// A catalogue with `count` distinct 项 codes (201 01 01 …), and a table 03 with one row for each.
    static func wideTable(rows count: Int) -> (catalog: Catalog, text: String) {
        var catalog = Catalog(year: 2022, classOrder: [])
        var text = head
        var made = 0
        outer: for c in 201...299 {
            catalog.functional["\(c)"] = "类\(c)"
            catalog.classOrder.append("\(c)")
            for k in 1...99 {
                catalog.functional["\(c)\(k < 10 ? "0" : "")\(k)"] = "款"
                for x in 1...99 {
                    let code = "\(c)\(k < 10 ? "0" : "")\(k)\(x < 10 ? "0" : "")\(x)"
                    catalog.functional[code] = "项\(code)"
                    text += "      - [\(code), ~, 1.00, 0.50, 0, 0, 0]\n"
                    made += 1
                    if made == count { break outer }
                }
            }
        }
        return (catalog, text)
    }

    @Test("a table at the row limit is decoded, derived and checked in time linear in its rows")
    func tableAtTheLimitIsProcessed() throws {
        let (catalog, text) = Self.wideTable(rows: 5_000)
        let decoded = ContentLoader.decodeDisclosure(text: text, catalogs: [2022: catalog])
        #expect(decoded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(decoded.diagnostics.prefix(3))")
        let disclosure = try #require(decoded.disclosure)
        let completed = Derive.complete(disclosure, catalog: catalog)
        _ = Checker.check(completed, department: nil)
        // Before: every parent row looked for its children among all rows, and the checker rebuilt the cell
        // index for every entered cell — hours for a table of this size. No wall-time assertion (a loaded
        // 2-core runner makes any bound flaky): a quadratic regression shows as this test taking hours.
        let total = try #require(completed.table(.t03).sections[0].rows.first)
        #expect(total.key == .total && total.cells[0].value == Amount(units: 5_000 * 15_000, scale: 2))

        let over = Self.wideTable(rows: 5_001)
        let refused = ContentLoader.decodeDisclosure(text: over.text, catalogs: [2022: over.catalog])
        #expect(refused.diagnostics.map(\.description).contains {
            $0.hasPrefix("\(Self.path):7: error: 公开03表：有 5001 行，超过每张表的上限 5000 行")
        })
    }

    @Test("a long line of { in prose is scanned in linear time and reported once")
    func longUnclosedReferenceLine() {
        let text = "第一行\n" + String(repeating: "{", count: 1_000_000) + "\n{{03.合计.基本支出}}\n"
        let (found, unclosed) = DataReferences.scan(text)
        #expect(unclosed == [2])
        #expect(found.map(\.expression) == ["03.合计.基本支出"] && found.map(\.line) == [3])
    }
}
