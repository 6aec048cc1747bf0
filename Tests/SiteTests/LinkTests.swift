import Foundation
import Testing
import TestSite

@Suite struct LinkTests {
    @Test func everyInternalLinkOfTheExampleSiteResolves() throws {
        _ = try exampleBuild.result.get()
        let broken = LinkChecker.broken(in: exampleBuild.output)
        #expect(broken.isEmpty, "\(broken.prefix(20).joined(separator: "\n"))")
    }

    @Test func theCheckerFindsABrokenLink() throws {
        let root = temporaryFolder("links")
        try "<a href=\"missing/\">x</a><a href=\"#nowhere\">y</a>".write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        #expect(LinkChecker.broken(in: root).count == 2)
    }

    @Test func sitemapAndFeedListThePages() throws {
        _ = try exampleBuild.result.get()
        let sitemap = read(exampleBuild.output.appendingPathComponent("sitemap.xml"))
        #expect(sitemap.contains("<loc>https://example.gov.cn/donghu-sme/2022/</loc>"))
        let feed = read(exampleBuild.output.appendingPathComponent("feed.xml"))
        #expect(feed.contains("南昌市东湖区中小企业服务局2022年度部门决算"))
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 5)
    }
}
