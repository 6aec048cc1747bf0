import Foundation

/// The document's outline and prose figures on a corpus case's page (CorpusGoldenTests): every
/// line of `parts` (the 目录: parts, their headings, table numbers and titles) is a heading of the
/// page or an item of its list of tables published elsewhere, in the document's order; every
/// `prose[].figures` string is in the page's text.
enum Outline {
    /// Text compared without white space or punctuation: stored pages fold full-width punctuation
    /// to ASCII (`表一:收入支出决算总表`), and a page prints a table's number and title apart.
    static func normalized(_ s: String) -> String {
        String(s.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.punctuationCharacters.contains($0)
            && !CharacterSet.symbols.contains($0) }.map(Character.init))
    }

    /// The page's headings (h2–h5) and items of its lists of tables published elsewhere, in order.
    static func entries(in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        let opens = ["<h2", "<h3", "<h4", "<h5", "<ul class=\"elsewhere-tables\""]
        while let open = opens.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let tag = String(rest[open]).dropFirst()
            if tag.hasPrefix("ul") {
                guard let list = RenderedTable.element("ul", in: rest[open.lowerBound...]) else { break }
                out += RenderedTable.elements("li", in: list).map(RenderedTable.text)
                rest = rest[list.endIndex...]
            } else {
                let name = String(tag.prefix(2))
                guard let element = RenderedTable.element(name, in: rest[open.lowerBound...]) else { break }
                out.append(RenderedTable.text(element))
                rest = rest[element.endIndex...]
            }
        }
        return out
    }

    /// A 目录 line without its leading 一、 or 表一:
    static func unnumbered(_ s: String) -> String {
        let numerals = "一二三四五六七八九十"
        var rest = Substring(s)
        if rest.hasPrefix("表") { rest = rest.dropFirst() }
        let digits = rest.prefix { numerals.contains($0) }
        guard !digits.isEmpty else { return s }
        rest = rest.dropFirst(digits.count)
        guard let mark = rest.first, "、:：".contains(mark) else { return s }
        return String(rest.dropFirst())
    }

    static func gaps(_ printed: PrintedDocument, html: String) -> [Gap] {
        var gaps: [Gap] = []
        let entries = entries(in: html).map(normalized)
        var next = 0
        for part in printed.parts {
            // The 目录 numbers its lines (一、收入支出决算总表); a body may print the title alone.
            let wants = [normalized(part), normalized(unnumbered(part))]
            if let i = entries[next...].firstIndex(where: { wants.contains($0) }) {
                next = i + 1
            } else {
                gaps.append(Gap(table: "(outline)", row: part, column: "", printed: "heading", rendered: "not found in order"))
            }
        }
        let article = RenderedTable.element("article", in: html[...]).map(RenderedTable.text) ?? ""
        let text = article.filter { !$0.isWhitespace }
        for item in printed.prose {
            for figure in item.figures where !text.contains(figure.filter { !$0.isWhitespace }) {
                gaps.append(Gap(table: "(prose)", row: item.section, column: "", printed: figure, rendered: "not in the page"))
            }
        }
        return gaps
    }
}

extension PrintedDocument {
    /// A line of `prose`: `  - section: "…"`, `    figures: […]`; other keys are skipped.
    mutating func readProse(_ line: String, number: Int) throws {
        let body = line.hasPrefix("  - ") ? line.dropFirst(4) : Substring(line.trimmingCharacters(in: .whitespaces))
        guard let colon = body.firstIndex(of: ":") else { return }
        let value = Data(body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces).utf8)
        switch body[..<colon] {
        case "section":
            guard let section = try? JSONSerialization.jsonObject(with: value, options: [.fragmentsAllowed]) as? String
            else { throw Malformed(line: number, text: line) }
            prose.append((section, []))
        case "figures":
            guard !prose.isEmpty, let figures = try? JSONSerialization.jsonObject(with: value) as? [String]
            else { throw Malformed(line: number, text: line) }
            prose[prose.count - 1].figures = figures
        default: break
        }
    }
}
