import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Model
import Support
@testable import Site
@testable import Theme
import DefaultTheme
import Testing
import TestSite

/// Hostile text in every field an editor controls must reach the published files as text, never as markup:
/// no script but the theme's own, no event handlers, no `javascript:` links, no frames, no tag break-outs.
@Suite("Escaping of hostile content")
struct EscapingTests {
    /// Payloads, each carrying `alert(` so that a leak into CSS or JS is easy to see.
    static let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "\"><svg onload=alert(3)>",
        "</svg><script>alert(4)</script>",
        "</title><script>alert(5)</script>",
        "<a href=\"javascript:alert(6)\">a</a>",
        "' onmouseover='alert(7)' x='",
        "<iframe src=\"javascript:alert(8)\"></iframe><object data=x></object><embed src=x>",
        "{{{x}}} {{#a}}alert(9){{/a}}",
        "</textarea></style></noscript><style>body{background:url(javascript:alert(10))}</style>",
        "]]><!-- \u{1}\u{8}\u{FFFE} -->&amp;&#x3c;script&#x3e;alert(11)",
    ]
    static var hostile: String { payloads.joined(separator: " ") }

    /// Markdown that tries the same through links, raw HTML and autolinks.
    static let hostileMarkdown = """
        # 标题 <script>alert(21)</script>

        [点我](javascript:alert(22)) [再点](JaVaScRiPt:alert(23)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgyNCk8L3NjcmlwdD4=)
        <javascript:alert(25)> ![图](javascript:alert(26) "t\\" onerror=\\"alert(27)")

        <img src=x onerror=alert(28)>

        <a href="javascript:alert(29)">a</a> </svg><script>alert(30)</script> </title><script>alert(31)</script>

        <iframe src="https://example.com/"></iframe>

        <b id="raw-html-kept">raw</b>

        """

    /// `s` as a YAML double-quoted scalar, whatever the text (characters YAML may not hold raw are escaped).
    static func q(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// The small corpus site with hostile text in catalogue names, department, region, overview, performance
    /// tables, a report, and every Markdown file.
    static func hostileSite(unsafeHTML: Bool? = nil) throws -> URL {
        let root = temporaryFolder("escaping")
        let content = root.appendingPathComponent("content")
        try FileManager.default.copyItem(at: corpusBase, to: content)
        func write(_ path: String, _ text: String) throws {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        func append(_ path: String, _ text: String) throws {
            try write(path, read(content.appendingPathComponent(path)) + text)
        }
        let h = q(hostile)
        let markdown = unsafeHTML.map { "markdown: {unsafe_html: \($0)}\n" } ?? ""
        try write("site.yaml", """
            title: \(q("站点 " + hostile))
            region: \(q("区域 " + hostile))
            base_url: https://example.gov.cn/sub/
            language: zh-CN
            theme: default
            checks: {errors_stop_build: false, show_findings: true}
            regions:
              - {slug: top, name: \(q("上级 " + hostile))}
            \(markdown)
            """)
        // Catalogue names are what tables, charts and the comparison print for each code.
        for (file, codes) in [("functional", ["201", "20103", "2010399", "208", "20805", "2080505"]), ("economic", ["301", "30101", "30102", "302", "30201", "30211"])] {
            let path = "catalogs/2022/\(file).yaml"
            var text = read(content.appendingPathComponent(path))
            for code in codes {
                text = text.split(separator: "\n").map { line in
                    line.hasPrefix("\"\(code)\":") ? "\"\(code)\": \(q(code + " " + hostile))" : String(line)
                }.joined(separator: "\n") + "\n"
            }
            try write(path, text)
        }
        try write("departments/test-dept/department.yaml", """
            name: \(q("测试局 " + hostile))
            kind: 行政单位
            region: \(q("区域 " + hostile))
            duties_intro: \(h)
            duties:
              - \(h)
              - \(q("第二条 " + hostile))
            """)
        // A second department whose parent is the hostile one, in the declared region.
        try write("departments/other/department.yaml", """
            name: \(q("=HYPERLINK(\"https://evil.example/\",\"下级单位\") " + hostile))
            kind: 事业单位
            parent: test-dept
            region: top
            """)
        try FileManager.default.copyItem(at: content.appendingPathComponent("departments/test-dept/2022"),
                                         to: content.appendingPathComponent("departments/other/2022"))
        let disclosure = "departments/test-dept/2022/disclosure.yaml"
        var text = read(content.appendingPathComponent(disclosure))
        text = text.replacingOccurrences(of: "  institutions: [办公室, 业务股]", with: "  institutions: [\(h), 业务股]")
        text = text.replacingOccurrences(of: "    在职人员: 5", with: "    在职人员: 5\n    \(q("人员 " + hostile)): 1\n  note: \(q(hostileMarkdown))")
        try write(disclosure, text)
        try append("departments/test-dept/2022/explanation.md", "\n\n" + hostileMarkdown)
        try write("departments/test-dept/2022/glossary.md", hostileMarkdown + "\n{{{ 不是数据引用 }}}\n")
        try write("glossary.md", hostileMarkdown)
        try write("departments/test-dept/2022/performance.yaml", """
            - kind: project
              title: \(h)
              fields:
                \(q("主管部门 " + hostile)): \(h)
              funds:
                columns: [\(h), 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]
                rows:
                  - [\(h), 10.00, 10.00, 9.00, 10, \(h), 9]
              deviation: \(h)
              goals:
                expected: \(h)
                actual: \(h)
              indicators:
                columns: [一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施]
                rows:
                  - [\(h), \(h), \(h), \(h), \(h), 90, 80, \(h)]
              total: {分值: 100, 得分: 89}
              grade: \(h)
            - kind: overall
              title: \(q("整体 " + hostile))
            """)
        try write("departments/test-dept/2022/reports/hostile.md", """
            ---
            title: \(q("报告 " + hostile))
            table:
              caption: \(h)
              columns: [\(h), 分值, 得分]
              rows:
                - [\(h), 10, 9]
            ---
            \(hostileMarkdown)
            """)
        return content
    }

    static func build(_ content: URL) throws -> [String: Data] {
        let output = content.deletingLastPathComponent().appendingPathComponent("public")
        switch SiteBuilder.build(BuildOptions(content: content, output: output)) {
        case .failure(let f): throw f
        case .success: return snapshot(output)
        }
    }

    @Test("no executable content from content files reaches any output file")
    func hostileTextStaysText() throws {
        var files = try Self.build(Self.hostileSite())
        #expect(files.keys.contains("test-dept/2022/index.html"))
        #expect(files.keys.contains("other/2022/index.html"))
        // The tables' CSVs are inside each disclosure's data package ZIP, the sheets inside its workbook.
        for (path, data) in files where path.hasSuffix("-datapackage.zip") || path.hasSuffix(".xlsx") {
            let zip = [UInt8](data), dir = (path as NSString).deletingLastPathComponent
            for name in Downloads.entries(zip) ?? [] {
                if let bytes = Downloads.entry(zip, name) { files[dir + "/" + (path.hasSuffix(".xlsx") ? "xlsx-" : "") + name] = Data(bytes) }
            }
        }
        // A workbook's cells are typed values, never formulas.
        for (path, data) in files where path.contains("/xlsx-xl/worksheets/") {
            #expect(!String(decoding: data, as: UTF8.self).contains("<f>"), "\(path): a formula")
        }
        var checked = 0, csvChecked = 0
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let text = String(decoding: data, as: UTF8.self)
            switch (path as NSString).pathExtension {
            case "html":
                for problem in HTMLAudit.problems(text) { Issue.record("\(path): \(problem)") }
                // The hostile text did arrive, as text (so the audit looked at the right pages).
                if path == "test-dept/2022/index.html" { #expect(text.contains("alert(7)")) }
                checked += 1
            case "svg", "xml":
                #expect(HTMLAudit.isWellFormedXML(data), "\(path) is not well-formed XML")
                for problem in HTMLAudit.problems(text, xml: true) { Issue.record("\(path): \(problem)") }
                checked += 1
            case "css", "js":
                #expect(!text.contains("alert("), "\(path): content text in a style sheet or script")
                checked += 1
            case "csv":
                // Downloads carry the text verbatim, but no cell may start a spreadsheet formula.
                for field in HTMLAudit.csvFields(text) where field.hasPrefix("=") || field.hasPrefix("@") || field.hasPrefix("+") {
                    Issue.record("\(path): a cell that a spreadsheet runs as a formula: \(field.prefix(60))")
                }
                if path.hasPrefix("other/") { csvChecked += 1 }
            default:
                continue  // JSON carries the text verbatim by design; it is never run as HTML
            }
        }
        #expect(checked >= 10)
        #expect(csvChecked > 0, "no CSV download of the department whose name starts with =")
        #expect(files.contains { $0.key.hasSuffix(".csv") && String(decoding: $0.value, as: UTF8.self).contains("'=HYPERLINK(") },
                "the name that starts with = is in no CSV file, defused")
        // Inline SVG charts must be well-formed XML of their own (a name cannot close the <svg> early).
        let page = String(decoding: files["test-dept/2022/index.html"] ?? Data(), as: UTF8.self)
        let svgs = HTMLAudit.elements("svg", in: page)
        #expect(!svgs.isEmpty, "no chart on the page")
        for svg in svgs { #expect(HTMLAudit.isWellFormedXML(Data(svg.utf8)), "not well-formed: \(svg.prefix(300))") }
    }

    /// Templates escape with `Markup.escape` (one pass over UTF-8). swift-mustache's own escaper went
    /// Character by Character and left "<" raw when a combining mark followed it ("<\u{338}" is one
    /// Character); template syntax errors still name the line of the file.
    @Test("template values are escaped byte by byte, and syntax errors keep their line")
    func templateEscaping() throws {
        let folder = temporaryFolder("escaping-theme")
        try "<p>{{name}}</p>".write(to: folder.appendingPathComponent("404.mustache"), atomically: true, encoding: .utf8)
        let theme = try Theme.load(folders: [folder, try #require(DefaultTheme.folder)]).get()
        let html = theme.render("404", ["name": "<\u{338}script>&'\"x"])
        #expect(html == "<p>&lt;\u{338}script&gt;&amp;&#39;&quot;x</p>")

        try "<p>\n\n{{name\n".write(to: folder.appendingPathComponent("404.mustache"), atomically: true, encoding: .utf8)
        guard case .failure(let failure) = Theme.load(folders: [folder, try #require(DefaultTheme.folder)]) else {
            Issue.record("a broken template loaded")
            return
        }
        let error = try #require(failure.diagnostics.first { $0.location.file.hasSuffix("404.mustache") }, "\(failure.diagnostics)")
        #expect(error.location.file.hasSuffix("404.mustache"))
        // An unfinished tag runs to the end of the file: line 4 (the pragma's line is not counted).
        #expect(error.location.line == 4, "\(error)")
    }

    @Test("the Atom feed and the sitemap are well-formed XML with hostile names")
    func feedsAreWellFormed() throws {
        let files = try Self.build(Self.hostileSite())
        for name in ["feed.xml", "sitemap.xml"] {
            let data = try #require(files[name], "\(name) not published")
            #expect(HTMLAudit.isWellFormedXML(data), "\(name) is not well-formed XML")
            #if canImport(FoundationXML)
            let document = try XMLDocument(data: data)
            #expect(document.rootElement() != nil)
            if name == "feed.xml" {
                let titles = try document.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='title']").map { $0.stringValue ?? "" }
                #expect(titles.contains { $0.contains("<script>alert(1)</script>") }, "entry titles: \(titles)")
            }
            #endif
        }
    }

    @Test("raw HTML in Markdown is dropped by default and kept only with markdown.unsafe_html: true")
    func rawHTMLIsOptIn() throws {
        let safe = try Self.build(Self.hostileSite())
        let safePage = String(decoding: safe["test-dept/2022/index.html"] ?? Data(), as: UTF8.self)
        #expect(!safePage.contains("<b id=\"raw-html-kept\">"))
        #expect(safePage.contains("raw HTML omitted"))

        let explicit = try Self.build(Self.hostileSite(unsafeHTML: false))
        #expect(explicit["test-dept/2022/index.html"] == safe["test-dept/2022/index.html"])

        let unsafe = try Self.build(Self.hostileSite(unsafeHTML: true))
        let page = String(decoding: unsafe["test-dept/2022/index.html"] ?? Data(), as: UTF8.self)
        #expect(page.contains("<b id=\"raw-html-kept\">raw</b>"))
        #expect(page.contains("<img src=x onerror=alert(28)>"), "the site opted in: its own raw HTML is published as written")
        // Opting in concerns the Markdown files only: names and table cells stay escaped.
        #expect(!page.contains("<title>测试局 <script>") && !page.contains("<li><script>alert(1)"))
        #expect(page.contains("测试局 &lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("the audit itself finds each kind of leak")
    func auditFindsLeaks() {
        let leaks = [
            "<p><script>alert(1)</script></p>",
            "<script src=\"https://evil.example/x.js\"></script>",
            "<img src=x onerror=alert(2)>",
            "<p title=\"\" onmouseover=\"alert(3)\">x</p>",
            "<a href=\" JaVa&#x53;cript:alert(4)\">x</a>",
            "<a href=javascript:alert(5)>x</a>",
            "<iframe src=\"x\"></iframe>",
            "<title>a</title><script>alert(6)</script></title>",
            "<svg><title>a</title></svg><script>alert(7)</script></svg>",
            "<style>body{}</style>",
        ]
        for leak in leaks { #expect(!HTMLAudit.problems(leak).isEmpty, "not found: \(leak)") }
        #expect(HTMLAudit.problems("<p title=\"a onclick=x &quot;&gt;&lt;script&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;</p>").isEmpty)
        #expect(HTMLAudit.problems("<script src=\"../../static/sort.js\" defer></script>").isEmpty)
        #expect(!HTMLAudit.isWellFormedXML(Data("<a>\u{1}</a>".utf8)))
        #expect(HTMLAudit.isWellFormedXML(Data("<a>&lt;b&gt;</a>".utf8)))
        #expect(HTMLAudit.csvFields("\u{FEFF}=a,\"=b\",'=c\r\n\"x\"\"y,\nz\",1\r\n") == ["=a", "=b", "'=c", "x\"y,\nz", "1"])
    }
}

/// A small, strict reader of the markup sitegen writes: finds tags and their attributes.
enum HTMLAudit {
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [(name: String, value: String)]
        var text: String
    }

    /// Every tag of a document (comments, doctype and CDATA skipped; `<script>`/`<style>` bodies skipped).
    static func tags(_ html: String) -> [Tag] {
        var out: [Tag] = []
        let s = Array(html.unicodeScalars)
        var i = 0
        func starts(_ p: String, at j: Int) -> Bool {
            let p = Array(p.unicodeScalars)
            guard j + p.count <= s.count else { return false }
            for k in 0..<p.count where String(s[j + k]).lowercased() != String(p[k]).lowercased() { return false }
            return true
        }
        while i < s.count {
            guard s[i] == "<" else { i += 1; continue }
            if starts("<!--", at: i) {
                var j = i + 4
                while j < s.count, !starts("-->", at: j) { j += 1 }
                i = j + 3
                continue
            }
            if starts("<![CDATA[", at: i) || starts("<!", at: i) || starts("<?", at: i) {
                while i < s.count, s[i] != ">" { i += 1 }
                continue
            }
            var j = i + 1
            let closing = j < s.count && s[j] == "/"
            if closing { j += 1 }
            let nameStart = j
            while j < s.count, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "-" || s[j] == ":" { j += 1 }
            guard j > nameStart else { i += 1; continue }   // a bare "<" in text
            let name = String(String.UnicodeScalarView(s[nameStart..<j])).lowercased()
            var attributes: [(String, String)] = []
            // Attributes: name, optional = and a quoted or unquoted value.
            while j < s.count, s[j] != ">" {
                if s[j] == " " || s[j] == "\n" || s[j] == "\t" || s[j] == "/" || s[j] == "\r" { j += 1; continue }
                let a = j
                while j < s.count, !" \n\t\r/>=".unicodeScalars.contains(s[j]) { j += 1 }
                let attribute = String(String.UnicodeScalarView(s[a..<j])).lowercased()
                var value = ""
                while j < s.count, s[j] == " " { j += 1 }
                if j < s.count, s[j] == "=" {
                    j += 1
                    while j < s.count, s[j] == " " { j += 1 }
                    if j < s.count, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        let v = j + 1
                        j = v
                        while j < s.count, s[j] != quote { j += 1 }
                        value = String(String.UnicodeScalarView(s[v..<min(j, s.count)]))
                        j += 1
                    } else {
                        let v = j
                        while j < s.count, !" \n\t\r>".unicodeScalars.contains(s[j]) { j += 1 }
                        value = String(String.UnicodeScalarView(s[v..<j]))
                    }
                }
                if !attribute.isEmpty { attributes.append((attribute, decodeEntities(value))) }
            }
            out.append(Tag(name: name, closing: closing, attributes: attributes, text: String(String.UnicodeScalarView(s[i..<min(j + 1, s.count)]))))
            i = j + 1
            // Raw-text elements: their body is not markup.
            if !closing, name == "script" || name == "style" {
                while i < s.count, !starts("</\(name)", at: i) { i += 1 }
            }
        }
        return out
    }

    /// What the built-in theme writes itself (its scripts, inline handlers and elements such as the search
    /// form): allowed in the output because no content file can put them there.
    static let theme: (scripts: Set<String>, handlers: Set<String>, elements: Set<String>) = {
        var scripts: Set<String> = [], handlers: Set<String> = [], elements: Set<String> = []
        let folder = repoRoot.appendingPathComponent("themes/default")
        for case let path as String in FileManager.default.enumerator(atPath: folder.path)! where path.hasSuffix(".mustache") {
            for tag in tags(read(folder.appendingPathComponent(path))) {
                elements.insert(tag.name)
                if tag.name == "script", let src = tag.attributes.first(where: { $0.name == "src" })?.value,
                   let r = src.range(of: "}}static/") {
                    scripts.insert("static/" + src[r.upperBound...])
                }
                for (name, value) in tag.attributes where name.hasPrefix("on") { handlers.insert("\(name)=\(value)") }
            }
        }
        return (scripts, handlers, elements)
    }()
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"]

    /// Strict well-formedness (the SAX parser stops at the first error; XMLDocument on Linux recovers).
    static func isWellFormedXML(_ data: Data) -> Bool {
        #if canImport(FoundationXML)
        return FoundationXML.XMLParser(data: data).parse()
        #else
        return XMLParser(data: data).parse()
        #endif
    }

    /// What is wrong with a document, one line per problem (`xml`: a feed or SVG file, where `<link>` is Atom's).
    static func problems(_ html: String, xml: Bool = false) -> [String] {
        var problems: [String] = []
        let all = tags(html)
        for tag in all {
            if !tag.closing, tag.name == "script" {
                // Only the theme's own script files, by relative path, with no inline code.
                let src = tag.attributes.first { $0.name == "src" }?.value ?? ""
                let file = src.replacing(/^(\.\.\/)*/, with: "")
                if !theme.scripts.contains(file) { problems.append("a script that is not the theme's: \(tag.text)") }
            }
            let dangerous = ["iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "style", "link", "meta"]
            if dangerous.contains(tag.name), !tag.closing {
                let harmless = (tag.name == "meta" && !tag.attributes.contains { $0.name == "http-equiv" })
                    || (tag.name == "link" && tag.attributes.contains { $0.name == "rel" && $0.value == "stylesheet" }
                        && (tag.attributes.first { $0.name == "href" }?.value.replacing(/^(\.\.\/)*static\//, with: "").hasSuffix(".css") ?? false))
                    || (tag.name == "link" && tag.attributes.contains { $0.name == "rel" && $0.value == "icon" })
                    || (tag.name == "link" && xml)
                    || (tag.name == "form" && theme.elements.contains("form"))
                if !harmless { problems.append("<\(tag.name)> in the output: \(tag.text)") }
            }
            for (name, value) in tag.attributes {
                if name.hasPrefix("on"), !theme.handlers.contains("\(name)=\(value)") {
                    problems.append("event handler attribute \(name) in \(tag.text)")
                }
                if name == "style", value.lowercased().contains("url(") || value.lowercased().contains("expression(") {
                    problems.append("style attribute with a URL: \(tag.text)")
                }
                if urlAttributes.contains(name) {
                    let squeezed = value.unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined().lowercased()
                    for scheme in ["javascript:", "vbscript:", "data:text/html", "data:image/svg"] where squeezed.hasPrefix(scheme) {
                        problems.append("\(scheme) URL in \(name): \(tag.text)")
                    }
                }
            }
        }
        // Elements whose end a name could fake must balance: every <title>, <svg>, <script> … is closed once.
        for name in ["title", "svg", "script", "style", "textarea", "noscript", "a", "table", "figure", "details"] {
            let opened = all.filter { $0.name == name && !$0.closing && !$0.text.hasSuffix("/>") }.count
            let closed = all.filter { $0.name == name && $0.closing }.count
            if opened != closed { problems.append("<\(name)> opened \(opened) times, closed \(closed) times (a break-out?)") }
        }
        return problems
    }

    /// The fields of an RFC 4180 CSV text (quotes removed), in order.
    static func csvFields(_ csv: String) -> [String] {
        var fields: [String] = []
        var field = "", quoted = false, atStart = true
        var it = csv.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let u = pending ?? it.next() {
            pending = nil
            if quoted {
                if u != "\"" { field.unicodeScalars.append(u); continue }
                let next = it.next()
                if next == "\"" { field.unicodeScalars.append("\""); continue }   // "" inside quotes
                quoted = false                                                      // the closing quote
                pending = next
                continue
            }
            switch u {
            case "\"" where atStart: quoted = true; atStart = false
            case ",", "\n": fields.append(field); field = ""; atStart = true
            case "\r", "\u{FEFF}": continue
            default: field.unicodeScalars.append(u); atStart = false
            }
        }
        if !field.isEmpty { fields.append(field) }
        return fields
    }

    /// The outer markup of every `<name …>…</name>` element (not nested in itself).
    static func elements(_ name: String, in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<\(name)"), let end = rest[start.upperBound...].range(of: "</\(name)>") {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// `&amp;` `&lt;` `&#106;` `&#x6A;` … as a browser reads them in an attribute value.
    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = s[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            if let semi = rest.firstIndex(of: ";"), rest.distance(from: rest.startIndex, to: semi) < 12 {
                let entity = rest[rest.index(after: rest.startIndex)..<semi]
                var decoded: String?
                switch entity {
                case "amp": decoded = "&"
                case "lt": decoded = "<"
                case "gt": decoded = ">"
                case "quot": decoded = "\""
                case "apos": decoded = "'"
                case "colon": decoded = ":"
                case "Tab", "NewLine": decoded = ""
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                    } else if entity.hasPrefix("#") {
                        decoded = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                    }
                }
                if let decoded {
                    out += decoded
                    rest = rest[rest.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = rest.dropFirst()
        }
        return out + rest
    }
}
