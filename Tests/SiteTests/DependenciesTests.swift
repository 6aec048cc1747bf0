import Foundation
import Incremental
import Model
import Pipeline
@testable import Site
import Testing
import TestSite

/// Pages declare what they are made from (`PageInput`); their keys are made of those inputs' stamps,
/// and their views read through a `PageReader` that checks each read. A view that reads what its page
/// did not declare would go stale silently; here it fails.
@Suite struct DependenciesTests {
    static func listing() throws -> (PageGraph.Listing, AnalysedSite) {
        var stages: [(String, Duration, Int)] = []
        let model = try Analyser.analyse(content: exampleContent, stages: &stages).get()
        let listing = PageGraph.groups(model, config: model.content.config, shared: "s",
                                       stamps: model.disclosures.all.map { PageGraph.stamps(of: $0, files: "") })
        return (listing, model)
    }

    /// Makes every page of the listing (views and downloads).
    static func makeAll(_ pages: [Page], _ listing: PageGraph.Listing) {
        var bag = DiagnosticBag()
        for page in pages {
            let reader = listing.reader(for: page)
            if let data = page.data { _ = data(reader, { _ in nil }) } else { _ = page.make(reader, &bag) }
        }
    }

    @Test("every page of the example reads only what it declares, and declares only what its group does")
    func examplePagesReadWhatTheyDeclare() throws {
        let (listing, _) = try Self.listing()
        Self.makeAll(listing.groups.flatMap(listing.pages), listing)
        #expect(listing.undeclared.reads.isEmpty, "\(listing.undeclared.reads.prefix(5))")
    }

    @Test("a view that reads an input its page did not declare fails")
    func undeclaredReadFails() throws {
        let (listing, _) = try Self.listing()
        let pages = listing.groups.flatMap(listing.pages)
        // Each kind of page with its declaration cut down to the shared inputs: every one of them reads more.
        let kinds = ["donghu-sme/2022/index.html", "donghu-sme/index.html", "compare/donghu/2022/index.html", "regions/donghu/index.html", "index.html", "feed.xml",
                     "donghu-sme/2022/donghu-sme-2022-juesuan.xlsx", "donghu-sme/2022/donghu-sme-2022-juesuan-datapackage.zip"]
        for path in kinds {
            var page = try #require(pages.first { $0.path == path }, "\(path)")
            page.inputs = PageDependencies([.shared]) { _ in "" }
            let check = PageGraph.Listing(groups: [], sources: listing.sources, tree: listing.tree)
            Self.makeAll([page], check)
            #expect(check.undeclared.reads.contains { $0.hasPrefix(path + ": ") }, "\(path) read nothing undeclared")
        }
    }

    @Test("a page that declares an input its group does not is reported")
    func pageBeyondItsGroup() throws {
        let (listing, _) = try Self.listing()
        var group = try #require(listing.groups.first { $0.id == "department donghu-sme" })
        group.inputs = PageDependencies([.shared]) { _ in "" }
        _ = listing.pages(of: group)
        #expect(listing.undeclared.reads.contains { $0.hasPrefix("group department donghu-sme: ") })
    }

    /// A disclosure is let go after the last page that declares it whole (`Page.disclosuresRead`):
    /// a page that declares disclosures it does not read keeps them in hand until it is made. The
    /// region's datapackage.json declared every cell of the region, and kept every disclosure of a
    /// large site in hand to the end of rendering (1.4 GB at 10,000).
    @Test("only pages that read disclosures whole declare them")
    func pagesDeclareOnlyTheDisclosuresTheyRead() throws {
        let (listing, _) = try Self.listing()
        let pages = listing.groups.flatMap(listing.pages)
        let package = try #require(pages.first { $0.path == "compare/donghu/2022/datapackage.json" })
        #expect(package.disclosuresRead.isEmpty)
        let readers = pages.filter { !$0.madeFromFiles && !$0.disclosuresRead.isEmpty }
        #expect(readers.allSatisfy { $0.disclosuresRead.count <= 2 }, "\(readers.filter { $0.disclosuresRead.count > 2 }.map(\.path).prefix(5))")
    }

    @Test("a key follows the stamps of the declared inputs, in order")
    func keysFollowStamps() {
        let a = PageDependencies([.shared, .files(0)]) { $0 == .shared ? "s" : "f1" }
        let b = PageDependencies([.shared, .files(0)]) { $0 == .shared ? "s" : "f2" }
        let c = PageDependencies([.shared, .files(0)]) { $0 == .shared ? "s" : "f1" }
        #expect(a.key != b.key && a.key == c.key)
        #expect(a.declares(.files(0)) && !a.declares(.figures(0)))
    }
}
