import Check
import Foundation
import Site
import Testing
import TestSite

/// The public page is not the editor's console: a site that shows 数据质量提示 says in plain Chinese
/// which published figures disagree and by how much — no English, no rule ids, no advice, and never
/// an editor's question such as a jump on last year.
@Suite struct PublicFindingsTests {
    /// The quality boxes of every page under a folder: relative path → the box's text.
    func boxes(_ output: URL) -> [String: String] {
        var out: [String: String] = [:]
        for (path, data) in snapshot(output) where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            guard let open = html.range(of: "<aside class=\"findings\""), let start = html.range(of: ">", range: open.upperBound..<html.endIndex), let end = html.range(of: "</aside>", range: start.upperBound..<html.endIndex) else { continue }
            // Text only: tags and attributes are the theme's, not what the box says.
            var text = String(html[start.upperBound..<end.lowerBound])
            while let open = text.range(of: "<"), let close = text.range(of: ">", range: open.upperBound..<text.endIndex) {
                text.replaceSubrange(open.lowerBound..<close.upperBound, with: " ")
            }
            out[path] = text
        }
        return out
    }

    @Test func exampleSiteQualityBoxesArePlainChinese() throws {
        let (_, content, output) = try copyOfExampleSite("public-findings")
        // Without `established`, the composed 2023 disclosure of donghu-sme jumps on 2022: an editor's warning.
        let department = content.appendingPathComponent("departments/donghu-sme/department.yaml")
        try read(department).replacingOccurrences(of: "established: 2022-07\n", with: "").write(to: department, atomically: true, encoding: .utf8)
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(report.findings.contains { $0.rule == "yoy.jump" }, "the edit should raise a year-on-year warning")

        let found = boxes(output)
        #expect(!found.isEmpty, "the example site shows findings (site.yaml checks.show_findings)")
        for (path, text) in found {
            let latin = text.unicodeScalars.filter { $0.value < 0x80 && $0.properties.isAlphabetic }
            #expect(latin.isEmpty, "\(path): English in the quality box: \(text)")
            for advice in ["请", "核对是否", "录入有误", "sitegen", "[", "倍"] {
                #expect(!text.contains(advice), "\(path): '\(advice)' in the quality box: \(text)")
            }
        }
        // Which figures and by how much: the 000 开办费 自评表 (parts 95, 总分 100).
        let donghu = try #require(found.first { $0.key.hasPrefix("donghu-sme/2022/") }?.value)
        #expect(donghu.contains("总分（分值）为100分") && donghu.contains("应为95分") && donghu.contains("相差5分"), "\(donghu)")
        // The jump on last year stays with the editor.
        #expect(found.first { $0.key.hasPrefix("donghu-sme/2023/") } == nil)
    }
}
