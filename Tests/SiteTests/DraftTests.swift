import Foundation
import Model
@testable import Site
import Testing
import TestSite

/// A draft (`status: draft`, or 【待填写】 left in its prose) stays off every public output — its
/// page, the department and comparison pages, the feed, the sitemap, search, every download —
/// unless the build is asked for drafts, which then shows them with a 草稿 banner.
@Suite struct DraftTests {
    /// The example with a 2024 disclosure of donghu-sme: 2023's, copied, made a draft by `mark`.
    static func site(_ name: String, mark: (URL) throws -> Void) throws -> (URL, URL) {
        let (_, content, output) = try copyOfExampleSite(name)
        let fm = FileManager.default
        try fm.copyItem(at: content.appendingPathComponent("catalogs/2023"), to: content.appendingPathComponent("catalogs/2024"))
        let year = content.appendingPathComponent("departments/donghu-sme/2024")
        try fm.copyItem(at: content.appendingPathComponent("departments/donghu-sme/2023"), to: year)
        let file = year.appendingPathComponent("disclosure.yaml")
        try read(file).replacingOccurrences(of: "year: 2023", with: "year: 2024").write(to: file, atomically: true, encoding: .utf8)
        try mark(year)
        return (content, output)
    }

    /// Every published file that names the draft: its path, or a link or id in its bytes.
    static func mentions(_ output: URL) -> [String] {
        snapshot(output).filter { path, bytes in
            path.contains("donghu-sme/2024") || bytes.range(of: Data("donghu-sme/2024".utf8)) != nil || bytes.range(of: Data("2024年度".utf8)) != nil
        }.keys.sorted()
    }

    @Test("status: draft keeps a disclosure off every public output", arguments: ["status", "placeholder"])
    func draftStaysOff(_ how: String) throws {
        let (content, output) = try Self.site("draft-\(how)") { year in
            if how == "status" {
                let file = year.appendingPathComponent("disclosure.yaml")
                try read(file).replacingOccurrences(of: "form: 2023", with: "form: 2023\nstatus: draft").write(to: file, atomically: true, encoding: .utf8)
            } else {
                let file = year.appendingPathComponent("explanation.md")
                try (read(file) + "\n主要原因：【待填写：主要原因】。\n").write(to: file, atomically: true, encoding: .utf8)
            }
        }
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(report.drafts.keys.sorted() == ["donghu-sme/2024"])
        #expect(Self.mentions(output).isEmpty, "\(Self.mentions(output).prefix(10))")
        // Asked for, drafts are published with their banner.
        var options = BuildOptions(content: content, output: output.deletingLastPathComponent().appendingPathComponent("with-drafts"))
        options.drafts = true
        _ = try SiteBuilder.build(options).get()
        let page = read(options.output.appendingPathComponent("donghu-sme/2024/index.html"))
        #expect(page.contains("class=\"draft-banner\"") && page.contains(how == "status" ? "status: draft" : "【待填写】"))
        #expect(!read(options.output.appendingPathComponent("donghu-sme/2023/index.html")).contains("draft-banner"))
    }

    @Test("a draft made public is published by the next incremental build, as a full build would")
    func draftPublishedLater() throws {
        let (content, output) = try Self.site("draft-later") { year in
            let file = year.appendingPathComponent("disclosure.yaml")
            try read(file).replacingOccurrences(of: "form: 2023", with: "form: 2023\nstatus: draft").write(to: file, atomically: true, encoding: .utf8)
        }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let file = content.appendingPathComponent("departments/donghu-sme/2024/disclosure.yaml")
        try read(file).replacingOccurrences(of: "status: draft", with: "status: published").write(to: file, atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let fresh = output.deletingLastPathComponent().appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(output) == snapshot(fresh))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("donghu-sme/2024/index.html").path))
    }
}
