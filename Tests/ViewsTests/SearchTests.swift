import Foundation
import Support
import Testing
import TestSite
@testable import Views

/// Search over tables and attachments (issue #26): `search/terms.json`, each term linking to its line.
@Suite struct SearchTests {
    typealias Index = (pages: [[String]], terms: [[String]])

    static func index() throws -> Index {
        _ = try exampleBuild.result.get()
        let data = try Data(contentsOf: exampleBuild.output.appendingPathComponent("search/terms.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try #require(json["pages"] as? [[String]]), try #require(json["terms"] as? [[String]]))
    }

    /// The disclosures (page path, title) a term of the index is printed by.
    static func pages(_ term: [String], _ index: Index) -> [[String]] {
        term[2].split(separator: ",").flatMap { part -> [[String]] in
            let ends = part.split(separator: "-").compactMap { Int($0) }
            return (ends[0]...ends[ends.count - 1]).map { index.pages[$0] }
        }
    }

    @Test("办公费 and 三公 are found, and every result links to a line that is on its page")
    func termsLinkToLines() throws {
        let index = try Self.index()
        #expect(index.pages.contains { $0 == ["donghu-sme/2022/", "南昌市东湖区中小企业服务局 2022年度"] })
        for word in ["办公费", "三公"] {
            #expect(index.terms.contains { $0[0].contains(word) }, "\(word) not in the index")
        }
        var pages: [String: String] = [:]
        for term in index.terms {
            for page in Self.pages(term, index) {
                let html = pages[page[0]] ?? read(exampleBuild.output.appendingPathComponent(page[0] + "index.html"))
                pages[page[0]] = html
                #expect(html.components(separatedBy: " id=\"\(term[1])\"").count - 1 == 1, "\(term[1]) (\(term[0])) not once on \(page[0])")
            }
        }
        #expect(pages.count == index.pages.count)
        // Sorted, each term once.
        let pairs = index.terms.map { ($0[0], $0[1]) }
        #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("the search page finds departments by pinyin initials and says it cannot search without scripts")
    func pinyinAndNoScript() throws {
        #expect(Pinyin.initials("东湖区中小企业服务局") == "dhqzxqyfwj")
        #expect(Pinyin.initials("ABC 2023") == "")
        _ = try exampleBuild.result.get()
        let html = read(exampleBuild.output.appendingPathComponent("search/index.html"))
        #expect(html.contains("data-terms=\"南昌市东湖区中小企业服务局 ncsdhqzxqyfwj "))
        #expect(html.contains("本页现在无法查找") && html.contains("<noscript>"))
        #expect(html.contains("data-index=\"terms.json\""))
    }

    @Test func rangesOfPositions() {
        #expect(SearchIndex.ranges([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8")
        #expect(SearchIndex.ranges([3]) == "3")
        #expect(SearchIndex.ranges([]) == "")
    }
}
