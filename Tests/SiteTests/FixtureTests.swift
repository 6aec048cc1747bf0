import Fixture
import Foundation
import Model
import Pipeline
@testable import Site
import Testing
import TestSite

@Suite struct FixtureTests {
    static func files(_ options: FixtureOptions) -> [(String, String)] {
        var out: [(String, String)] = []
        Fixture.generate(options) { out.append(($0, $1)) }
        return out
    }

    @Test func sameSeedGivesByteIdenticalFiles() throws {
        let options = FixtureOptions(departments: 7, years: 3, seed: 42)
        let a = Self.files(options), b = Self.files(options)
        #expect(a.count == b.count)
        #expect(a.map(\.0) == b.map(\.0))
        for (x, y) in zip(a, b) where x.1 != y.1 {
            Issue.record("\(x.0) differs between two runs with the same seed")
        }
        // And on disk, through the writer the CLI uses.
        let (d1, d2) = (temporaryFolder("fixture-a"), temporaryFolder("fixture-b"))
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: d2) }
        #expect(try Fixture.write(options, to: d1) == a.count)
        try Fixture.write(options, to: d2)
        let (s1, s2) = (snapshot(d1), snapshot(d2))
        #expect(s1.count == a.count)
        #expect(s1 == s2)
    }

    @Test func anotherSeedGivesOtherFigures() {
        let a = Self.files(FixtureOptions(departments: 3, years: 2, seed: 1))
        let b = Self.files(FixtureOptions(departments: 3, years: 2, seed: 2))
        #expect(a.map(\.0) == b.map(\.0))
        #expect(a.map(\.1) != b.map(\.1))
    }

    @Test func layoutHasEveryPartOfTheContentFormat() {
        let files = Dictionary(uniqueKeysWithValues: Self.files(FixtureOptions(departments: 5, years: 3, seed: 7)))
        #expect(files["site.yaml"] != nil)
        for year in 2021...2023 {
            #expect(files["catalogs/\(year)/functional.yaml"] != nil)
            #expect(files["catalogs/\(year)/economic.yaml"] != nil)
        }
        let departments = files.keys.filter { $0.hasSuffix("/department.yaml") }
        #expect(departments.count == 5)
        #expect(departments.contains { files[$0]!.contains("\nparent: ") }, "some department has a 主管部门")
        #expect(files.keys.filter { $0.hasSuffix("/disclosure.yaml") }.count == 15)
        #expect(files.keys.filter { $0.hasSuffix("/performance.yaml") }.count == 15)
        // Forms: 2022 layout up to 2022, 2023 layout for 2023.
        let d2022 = files.first { $0.key.hasSuffix("/2022/disclosure.yaml") }!.value
        let d2023 = files.first { $0.key.hasSuffix("/2023/disclosure.yaml") }!.value
        #expect(d2022.contains("form: 2022\n") && d2023.contains("form: 2023\n"))
        // Year-on-year references from the second year on only.
        let e2021 = files.first { $0.key.hasSuffix("/2021/explanation.md") }!.value
        let e2022 = files.first { $0.key.hasSuffix("/2022/explanation.md") }!.value
        #expect(!e2021.contains("| 增减额"))
        #expect(e2022.contains("| 增减额") && e2022.contains("| 增长率"))
        // The first catalogue lines are the 26 类 in form order.
        let catalogue = files["catalogs/2023/functional.yaml"]!.split(separator: "\n").dropFirst().prefix(27)
        #expect(catalogue.prefix(26).allSatisfy { $0.hasPrefix("\"2") && $0.dropFirst().prefix(while: \.isNumber).count == 3 })
        #expect(catalogue.last!.hasPrefix("\"20101\""))
    }

    @Test func generatedSiteBuildsWithoutErrorsOrFindings() throws {
        let root = temporaryFolder("fixture-site")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        try Fixture.write(FixtureOptions(departments: 5, years: 3, seed: 2023), to: content)

        var stages: [(String, Duration, Int)] = []
        switch Analyser.analyse(content: content, stages: &stages) {
        case .failure(let f):
            Issue.record("analyse failed: \(f.diagnostics.prefix(5).map(\.description))")
        case .success(let model):
            #expect(model.disclosures.count == 15)
            #expect(model.findings.isEmpty, "\(model.findings.prefix(5).map(\.message))")
            #expect(model.diagnostics.isEmpty, "\(model.diagnostics.prefix(5).map(\.description))")
        }

        let output = root.appendingPathComponent("public")
        switch SiteBuilder.build(BuildOptions(content: content, output: output)) {
        case .failure(let f):
            Issue.record("build failed: \(f.diagnostics.prefix(5).map(\.description))")
        case .success(let report):
            #expect(report.disclosures == 15)
            #expect(report.warnings.isEmpty, "\(report.warnings.prefix(5).map(\.description))")
            #expect(report.findings.isEmpty)
            let page = read(output.appendingPathComponent("donghu-rd/2023/index.html"))
            #expect(!page.isEmpty)
            #expect(!page.contains("{{"), "every data reference is expanded")
        }
    }
}
