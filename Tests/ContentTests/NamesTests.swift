import Foundation
import Model
import Site
import Testing
import TestSite

/// Slugs are parts of URLs: one that names a page the site publishes itself, or hides a character,
/// is refused. Names are text on pages and in downloads: invisible characters are removed with a
/// warning, and no character of a name — a combining mark included — moves a CSV column.
@Suite("Names and slugs")
struct NamesTests {
    static let department = "departments/test-dept/department.yaml"

    /// The corpus site with its department folder copied under another name.
    func site(_ name: String, department slug: String) throws -> (content: URL, output: URL) {
        let (content, output) = try corpusSite(name, [:])
        try FileManager.default.copyItem(at: content.appendingPathComponent("departments/test-dept"),
                                         to: content.appendingPathComponent("departments/\(slug)"))
        return (content, output)
    }

    @Test("a department folder named like a page the site publishes (search/, static/ …) is refused")
    func reservedSlugsAreRefused() throws {
        for slug in ["search", "static", "compare", "regions"] {
            let (content, output) = try site("reserved-\(slug)", department: slug)
            let errors = errorLines(SiteBuilder.build(BuildOptions(content: content, output: output)))
            #expect(errors.count == 1 && errors[0].hasPrefix(
                "departments/\(slug): error: 文件夹名 '\(slug)' 与网站自己发布的 \(slug)/ 重名：这个单位的页面（departments/\(slug)/department.yaml 及年度文件夹）会与网站的页面互相覆盖；请换一个文件夹名（如 \(slug)-dept）。"),
                "\(errors)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// The reserved names are those the page graph writes at the top of the output, not a copy of them:
    /// everything a built site has at its top is a department's folder or one of them (or hidden, as
    /// the output folder's own marker: no slug starts with a dot).
    @Test("the reserved names are exactly what a built site has at its top besides its departments")
    func reservedNamesAreWhatTheSitePublishes() throws {
        _ = try exampleBuild.result.get()
        let top = Set(try FileManager.default.contentsOfDirectory(atPath: exampleBuild.output.path).filter { !$0.hasPrefix(".") })
        let departments = Set(try FileManager.default.contentsOfDirectory(atPath: exampleContent.appendingPathComponent("departments").path))
        #expect(top.subtracting(departments) == Set(TopLevel.names))
    }

    @Test("bidirectional controls and zero-width characters in a slug are refused, and shown")
    func invisibleCharactersInSlugsAreRefused() throws {
        let (content, output) = try site("bidi-slug", department: "test\u{202E}-dept")
        let errors = errorLines(SiteBuilder.build(BuildOptions(content: content, output: output)))
        #expect(errors == [
            "departments/test<U+202E>-dept: error: 文件夹名：'test<U+202E>-dept' 含有不可见字符 U+202E（从右到左强制）；它是网址的一部分，只能用小写英文字母、数字和 -（应为 'test-dept'）",
        ])

        // A region's slug in site.yaml, and a department's parent.
        let site = try String(contentsOf: Corpus.base.appendingPathComponent("site.yaml"), encoding: .utf8)
            + "regions:\n  - {slug: \"ce\u{200B}shi\", name: 测试区}\n"
        let department = try String(contentsOf: Corpus.base.appendingPathComponent(Self.department), encoding: .utf8)
            .replacingOccurrences(of: "parent: ~", with: "parent: other\u{2060}-dept")
        let (content2, output2) = try corpusSite("zw-slug", ["site.yaml": site, Self.department: department])
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content2, output: output2))) == [
            "\(Self.department):3: error: parent：'other<U+2060>-dept' 含有不可见字符 U+2060（零宽不折行）；它是网址的一部分，只能用小写英文字母、数字和 -（应为 'other-dept'）",
            "site.yaml:7: error: 地区 slug：'ce<U+200B>shi' 含有不可见字符 U+200B（零宽空格）；它是网址的一部分，只能用小写英文字母、数字和 -（应为 'ceshi'）",
        ])
    }

    @Test("bidirectional controls and zero-width characters in names are removed, with a warning at file:line")
    func invisibleCharactersInNamesAreStripped() throws {
        let site = "title: 测试\u{2066}站点\u{2069}\nregion: 测试区\u{FEFF}\nbase_url: https://example.gov.cn/\nlanguage: zh-CN\ntheme: default\n"
        let department = try String(contentsOf: Corpus.base.appendingPathComponent(Self.department), encoding: .utf8)
            .replacingOccurrences(of: "name: 测试区测试局", with: "name: 测试区\u{200B}测试局\u{202E}")
        let catalogue = try String(contentsOf: Corpus.base.appendingPathComponent("catalogs/2022/functional.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "\"2010301\": 行政运行", with: "\"2010301\": 行政\u{200E}运行")
        let (content, output) = try corpusSite("zw-names", ["site.yaml": site, Self.department: department, "catalogs/2022/functional.yaml": catalogue])
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let warnings = Set(report.warnings.map(\.description))
        for expected in [
            "\(Self.department):1: warning: 单位名称 name：'测试区<U+200B>测试局<U+202E>' 含有不可见字符 U+200B（零宽空格）、U+202E（从右到左强制），已删除，按 '测试区测试局' 发布——这些字符会改变文字的显示顺序，或使看起来相同的名称不同；请在文件中删除它们",
            "site.yaml:1: warning: title：'测试<U+2066>站点<U+2069>' 含有不可见字符 U+2066（从左到右隔离）、U+2069（结束方向隔离），已删除，按 '测试站点' 发布——这些字符会改变文字的显示顺序，或使看起来相同的名称不同；请在文件中删除它们",
            "site.yaml:2: warning: region：'测试区<U+FEFF>' 含有不可见字符 U+FEFF（零宽不换行空格），已删除，按 '测试区' 发布——这些字符会改变文字的显示顺序，或使看起来相同的名称不同；请在文件中删除它们",
            "catalogs/2022/functional.yaml:4: warning: 2010301 的名称：'行政<U+200E>运行' 含有不可见字符 U+200E（从左到右标记），已删除，按 '行政运行' 发布——这些字符会改变文字的显示顺序，或使看起来相同的名称不同；请在文件中删除它们",
        ] {
            #expect(warnings.contains(expected), "missing: \(expected)\nwarnings: \(warnings.sorted())")
        }
        // No published file has any of them; the names are there without them.
        for (path, data) in snapshot(output) where !path.hasSuffix(".zip") && !path.hasSuffix(".xlsx") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.unicodeScalars.dropFirst(path.hasSuffix(".csv") ? 1 : 0).contains { Invisible.isInvisible($0) }, "\(path)")
        }
        #expect(read(output.appendingPathComponent("test-dept/index.html")).contains("测试区测试局"))
        #expect(read(output.appendingPathComponent("search/index.json")).contains("\"测试区测试局\""))
    }

    /// Fields of a CSV, RFC 4180: quoted fields with doubled quotes, records ending with CRLF, read by
    /// byte as any CSV reader does (a combining mark is two bytes that are neither , nor ").
    static func records(_ csv: Data) -> [[String]] {
        var bytes = [UInt8](csv)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [[String]] = [], fields: [String] = [], field: [UInt8] = []
        var quoted = false, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22, i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                if b == 0x22 { quoted = false } else { field.append(b) }
            } else if b == 0x22 && field.isEmpty {
                quoted = true
            } else if b == 0x2C {
                fields.append(String(decoding: field, as: UTF8.self)); field = []
            } else if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                fields.append(String(decoding: field, as: UTF8.self)); field = []
                records.append(fields); fields = []
                i += 1
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(String(decoding: field, as: UTF8.self)); records.append(fields) }
        return records
    }

    @Test("a combining mark in a name never moves a CSV column")
    func combiningMarksKeepCSVColumns() throws {
        // A quote followed by a combining mark is one Character: a search for `"` by Character missed it.
        let name = "东湖\"\u{301}区,测试局"
        let row = "\u{301}其他\"\u{301}事务,支出e\u{301}"   // a lone combining mark starts the field
        let site = try String(contentsOf: Corpus.base.appendingPathComponent("site.yaml"), encoding: .utf8)
            + "regions:\n  - {slug: ceshi, name: 测试区}\n"
        let department = try String(contentsOf: Corpus.base.appendingPathComponent(Self.department), encoding: .utf8)
            .replacingOccurrences(of: "name: 测试区测试局", with: "name: '\(name)'")
        let catalogue = try String(contentsOf: Corpus.base.appendingPathComponent("catalogs/2022/functional.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "\"2010399\": 其他政府办公厅（室）及相关机构事务支出", with: "\"2010399\": '\(row)'")
        let (content, output) = try corpusSite("combining", ["site.yaml": site, Self.department: department, "catalogs/2022/functional.yaml": catalogue])
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()

        let package = try [UInt8](Data(contentsOf: output.appendingPathComponent(Downloads.paths(slug: "test-dept", year: 2022).package)))
        let t02 = Self.records(Data(try #require(Downloads.entry(package, Downloads.tableCSV("02", slug: "test-dept", year: 2022)))))
        #expect(t02.count > 2)
        for record in t02 { #expect(record.count == t02[0].count, "\(record)") }
        #expect(t02.contains { $0[1] == "2010399" && $0[2] == row })

        let long = Self.records(try Data(contentsOf: output.appendingPathComponent("compare/ceshi/2022/data.csv")))
        #expect(long.count > 10)
        for record in long { #expect(record.count == long[0].count, "\(record)") }
        #expect(long.dropFirst().allSatisfy { $0[1] == name })
        #expect(long.contains { $0[6] == "2010399" && $0[7] == row })
    }
}
