@testable import Content
import Foundation
import Incremental
import Model
import Site
import Testing
import TestSite

/// The small corpus site in a temporary folder with some files replaced (path inside content/ → text),
/// and the output folder beside it.
func corpusSite(_ name: String, _ files: [String: String]) throws -> (content: URL, output: URL) {
    let root = temporaryFolder(name)
    let content = root.appendingPathComponent("content")
    try FileManager.default.copyItem(at: Corpus.base, to: content)
    for (path, text) in files {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }
    return (content, root.appendingPathComponent("public"))
}

/// The error lines of a build (none when it succeeds).
func errorLines(_ result: Result<BuildReport, BuildFailure>) -> [String] {
    guard case .failure(let failure) = result else { return [] }
    return failure.errors.map(\.description)
}

/// Files are refused before they can take the machine's memory: YAML aliases, nesting and sizes are
/// bounded by `limits:` of site.yaml, and every refusal names the file, the line, the limit and its value.
@Suite("Parsing limits")
struct ParseLimitsTests {
    static let site = "title: 测试站点\nregion: 测试区\nbase_url: https://example.gov.cn/\nlanguage: zh-CN\ntheme: default\n"
    static let department = "departments/test-dept/department.yaml"
    static let disclosure = "departments/test-dept/2022/disclosure.yaml"
    static let explanation = "departments/test-dept/2022/explanation.md"

    /// A “billion laughs” in department.yaml: ten values, then `levels` lists, each of ten aliases of the
    /// one before (10^(levels+1) values from a few hundred bytes); the first alias is on line 5.
    /// `asKey`: the last list is also used as a mapping key, which Yams hashes to find duplicate keys.
    static func laughs(levels: Int, asKey: Bool = false) -> String {
        var text = "name: 测试区测试局\nkind: 行政单位\nduties:\n  - &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n"
        for level in 1...levels {
            text += "  - &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        if asKey { text += "? *l\(levels)\n: 哈\n" }
        return text
    }

    @Test("an alias bomb is refused at its first alias, with the file, the line and limits.yaml_aliases")
    func aliasBombIsRefused() throws {
        let (content, output) = try corpusSite("alias-bomb", [Self.department: Self.laughs(levels: 8)])
        let result = SiteBuilder.build(BuildOptions(content: content, output: output))
        #expect(errorLines(result) == [
            "\(Self.department):5: error: 找到别名 *l0；内容文件不使用 YAML 别名（site.yaml 中的 limits.yaml_aliases 为 0）——请把 &l0 处的内容照写一遍",
        ])
        #expect(!FileManager.default.fileExists(atPath: output.path))

        // A raised limit still bounds them: refused where the values reached through aliases pass it
        // (l1 reaches 10 × 11 values, l2 10 × 111 …; the 8th alias on line 8 passes 100,000).
        try (Self.site + "limits:\n  yaml_aliases: 100000\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        let raised = SiteBuilder.build(BuildOptions(content: content, output: output))
        #expect(errorLines(raised) == [
            "\(Self.department):8: error: 到别名 *l3 为止，经由别名重复的值共 101218 个，超过上限 100000 个（site.yaml 中的 limits.yaml_aliases）——请把重复的内容直接写出，或确认这是正确的文件",
        ])
    }

    /// Yams hashes every mapping key to find duplicates: an alias used as a key was expanded there, before
    /// any of sitegen's code ran. The text is checked with its aliases masked first.
    @Test("an alias bomb used as a mapping key is refused before the YAML parser expands it")
    func aliasBombAsKeyIsRefused() throws {
        // 10^6 values: few enough that a parser without the check gets through them.
        let (content, output) = try corpusSite("alias-key", [Self.department: Self.laughs(levels: 5, asKey: true)])
        let result = SiteBuilder.build(BuildOptions(content: content, output: output))
        #expect(errorLines(result) == [
            "\(Self.department):5: error: 找到别名 *l0；内容文件不使用 YAML 别名（site.yaml 中的 limits.yaml_aliases 为 0）——请把 &l0 处的内容照写一遍",
        ])
    }

    /// The limit is on what aliases reach, text included: one long value repeated is refused by size.
    @Test("text repeated through aliases counts toward limits.yaml_bytes")
    func repeatedTextCountsTowardTheSize() throws {
        let long = String(repeating: "职责", count: 100_000)   // 600 KB
        let text = "name: 测试区测试局\nkind: 行政单位\nduties_intro: &s \(long)\nduties: [" + Array(repeating: "*s", count: 10).joined(separator: ", ") + "]\n"
        let (content, output) = try corpusSite("alias-text", [Self.department: text, "site.yaml": Self.site + "limits: {yaml_aliases: 1000}\n"])
        let result = SiteBuilder.build(BuildOptions(content: content, output: output))
        let errors = errorLines(result)
        #expect(errors.count == 1 && errors[0].hasPrefix("\(Self.department):4: error: 到别名 *s 为止，文件与经由别名重复的文字共 "), "\(errors)")
        #expect(errors.count == 1 && errors[0].hasSuffix("超过 YAML/JSON 内容的上限 4194304 字节（site.yaml 中的 limits.yaml_bytes）"), "\(errors)")
    }

    @Test("aliases are refused by default and allowed within a raised limits.yaml_aliases")
    func harmlessAliasesPassARaisedLimit() throws {
        let text = "name: 测试区测试局\nkind: 行政单位\nduties_intro: 测试局是区政府工作部门。主要职责是：\nduties:\n  - &duty 负责测试工作。\n  - *duty\n"
        let (content, output) = try corpusSite("aliases", [Self.department: text])
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))) == [
            "\(Self.department):6: error: 找到别名 *duty；内容文件不使用 YAML 别名（site.yaml 中的 limits.yaml_aliases 为 0）——请把 &duty 处的内容照写一遍",
        ])
        try (Self.site + "limits: {yaml_aliases: 10}\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let page = read(output.appendingPathComponent("test-dept/2022/index.html"))   // 主要职责 are on the disclosure page
        #expect(page.components(separatedBy: "负责测试工作。").count - 1 == 2)
        // `*` in text is not an alias (quoted, inside a plain scalar, in a comment).
        let starry = "name: \"测试*局\"\nkind: 行政单位  # *kind\nduties: [a*b, \"*c\", '*d']\n"
        try starry.write(to: content.appendingPathComponent(Self.department), atomically: false, encoding: .utf8)
        try Self.site.write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(read(output.appendingPathComponent("test-dept/2022/index.html")).contains("<li>*c</li>"))
    }

    @Test("lists and mappings nested deeper than limits.yaml_depth are refused at the line where they pass it")
    func deepNestingIsRefused() throws {
        // prior: is level 2; the mapping of its 20th `a:` (line 4 + 19) is level 21.
        let base = try String(contentsOf: Corpus.base.appendingPathComponent(Self.disclosure), encoding: .utf8)
        var nested = "prior:\n"
        for level in 0..<30 { nested += String(repeating: "  ", count: level + 1) + "a:\n" }
        let text = base.replacingOccurrences(of: "tables:\n", with: nested + "tables:\n")
        let (content, output) = try corpusSite("deep", [Self.disclosure: text])
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))) == [
            "\(Self.disclosure):29: error: 列表和映射在此嵌套了 21 层，超过上限 20 层（site.yaml 中的 limits.yaml_depth）——内容文件只嵌套几层（表格的一行在第 5 层），请检查缩进和括号",
        ])
        // Nesting through aliases counts as written out.
        let aliased = "name: 测试区测试局\nkind: 行政单位\nduties: &d [[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]\nduties_intro: [*d]\n"
        try aliased.write(to: content.appendingPathComponent(Self.department), atomically: false, encoding: .utf8)
        try (Self.site + "limits: {yaml_aliases: 100}\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))).contains(
            "\(Self.department):4: error: 列表和映射在此嵌套了 21 层（经由别名 *d），超过上限 20 层（site.yaml 中的 limits.yaml_depth）——内容文件只嵌套几层（表格的一行在第 5 层），请检查缩进和括号"))
        // Raised, the nesting is read (and the values are then wrong for what prior: holds).
        try (Self.site + "limits: {yaml_depth: 40}\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        try String(contentsOf: Corpus.base.appendingPathComponent(Self.department), encoding: .utf8)
            .write(to: content.appendingPathComponent(Self.department), atomically: false, encoding: .utf8)
        let raised = errorLines(SiteBuilder.build(BuildOptions(content: content, output: output)))
        #expect(!raised.isEmpty && !raised.contains { $0.contains("limits.yaml_depth") }, "\(raised)")
    }

    @Test("a Markdown file over limits.markdown_bytes is refused before it is read; a raised limit lets it through")
    func oversizeMarkdownIsRefused() throws {
        let base = try String(contentsOf: Corpus.base.appendingPathComponent(Self.explanation), encoding: .utf8)
        let paragraph = "本年度支出主要用于保障机构正常运转和完成各项工作任务，较上年有所增加，主要原因是人员经费增加。\n\n"
        let text = base + String(repeating: paragraph, count: 1_572_864 / paragraph.utf8.count)   // 1.5 MB of ordinary prose
        let (content, output) = try corpusSite("markdown", [Self.explanation: text])
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))) == [
            "\(Self.explanation): error: 文件大小为 1.5 MB，超过 Markdown 文本的上限 1.0 MB（site.yaml 中的 limits.markdown_bytes）——情况说明通常只有几十 KB，请确认这是正确的文件",
        ])
        try (Self.site + "limits:\n  markdown_bytes: 2 MB\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(read(output.appendingPathComponent("test-dept/2022/index.html")).contains("主要原因是人员经费增加"))

        // Markdown written in disclosure.yaml (overview.note) is bounded the same way, at its line.
        let note = String(repeating: paragraph.trimmingCharacters(in: .newlines), count: 1_258_291 / paragraph.utf8.count)
        let disclosure = try String(contentsOf: Corpus.base.appendingPathComponent(Self.disclosure), encoding: .utf8)
            .replacingOccurrences(of: "overview:\n", with: "overview:\n  note: \(note)\n")
        try disclosure.write(to: content.appendingPathComponent(Self.disclosure), atomically: false, encoding: .utf8)
        try Self.site.write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        try base.write(to: content.appendingPathComponent(Self.explanation), atomically: false, encoding: .utf8)
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))) == [
            "\(Self.disclosure):5: error: overview.note 大小为 1.2 MB，超过 Markdown 文本的上限 1.0 MB（site.yaml 中的 limits.markdown_bytes）——情况说明通常只有几十 KB，请确认这是正确的文件",
        ])
    }

    @Test("a YAML file over limits.yaml_bytes is refused; a raised limit lets it through")
    func oversizeYAMLPassesARaisedLimit() throws {
        let base = try String(contentsOf: Corpus.base.appendingPathComponent(Self.disclosure), encoding: .utf8)
        let comment = "# 说明：本表数据来自部门决算报表，金额单位为万元。\n"
        let text = base + String(repeating: comment, count: 5 * 1_048_576 / comment.utf8.count)   // 5 MB, comments
        let (content, output) = try corpusSite("yaml-size", [Self.disclosure: text])
        #expect(errorLines(SiteBuilder.build(BuildOptions(content: content, output: output))) == [
            "\(Self.disclosure): error: 文件大小为 5.0 MB，超过 YAML/JSON 内容的上限 4.0 MB（site.yaml 中的 limits.yaml_bytes）——请拆分表格，或确认这是正确的文件",
        ])
        try (Self.site + "limits: {yaml_bytes: 8MB}\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(report.disclosures == 1)
    }

    @Test("limits: in site.yaml takes sizes with units and refuses what is not a limit")
    func limitsAreDecoded() throws {
        #expect(Decoder.byteCount("8388608") == 8_388_608)
        #expect(Decoder.byteCount("8MB") == 8_388_608 && Decoder.byteCount("8 mb") == 8_388_608 && Decoder.byteCount("8 M") == 8_388_608)
        #expect(Decoder.byteCount("512 KB") == 524_288 && Decoder.byteCount("1.5 MB") == 1_572_864)
        for bad in ["", "MB", "8 GB", "-1", "1.5", "1,000", "8 MB!", "99999999999999999999"] { #expect(Decoder.byteCount(bad) == nil, "\(bad)") }

        let site = Self.site + "limits:\n  yaml_depth: 0\n  markdown_bytes: lots\n  yaml_aliases: -1\n  table_rows: 1\n  rows: 3\n"
        let (content, output) = try corpusSite("limits", ["site.yaml": site])
        let errors = errorLines(SiteBuilder.build(BuildOptions(content: content, output: output)))
        #expect(errors.contains("site.yaml:7: error: limits.yaml_depth：写的是 '0'；应为正整数"))
        #expect(errors.contains("site.yaml:8: error: limits.markdown_bytes：写的是 'lots'；应为字节数，如 8388608 或 8 MB、512 KB"))
        #expect(errors.contains("site.yaml:9: error: limits.yaml_aliases：写的是 '-1'；应为 0 或正整数"))
        #expect(errors.contains { $0.hasPrefix("site.yaml:11: error: limits：未知的键 'rows'") })
        // The row limit is one of them: 1 row is refused in every table that has 2.
        #expect(errors.contains("\(Self.disclosure):22: error: 公开02表：有 2 行，超过每张表的上限 1 行（site.yaml 中的 limits.table_rows），每个科目编码一行——请确认这是正确的文件"))
    }

    /// `serve` keeps what it read of each year folder while the folder is unchanged: the limits are part
    /// of that, so a lowered limit applies to folders read under the old one.
    @Test("a changed limit applies to folders a serve rebuild kept")
    func changedLimitsReachKeptFolders() throws {
        let (content, output) = try corpusSite("limits-serve", ["site.yaml": Self.site + "limits: {markdown_bytes: 64 KB}\n"])   // explanation.md: 285 bytes
        let cache = MemoryStore.watched()
        let options = BuildOptions(content: content, output: output)
        _ = try SiteBuilder.build(options, store: cache).get()
        try (Self.site + "limits: {markdown_bytes: 100}\n").write(to: content.appendingPathComponent("site.yaml"), atomically: false, encoding: .utf8)
        cache.forget([content.appendingPathComponent("site.yaml").path], content: content)
        #expect(errorLines(SiteBuilder.build(options, store: cache)) == [
            "\(Self.explanation): error: 文件大小为 285 字节，超过 Markdown 文本的上限 100 字节（site.yaml 中的 limits.markdown_bytes）——情况说明通常只有几十 KB，请确认这是正确的文件",
        ])
    }
}
