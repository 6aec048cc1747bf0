import Foundation

/// A small HTML reader for tests: the tables of a page as grids of cell texts, spans expanded.
public struct HTMLTables {
    public struct Table {
        public var id: String?
        public var caption: String
        public var head: [[String]]
        public var body: [[String]]
    }

    public var tables: [Table] = []

    public init(_ html: String) {
        var current: Table?
        var sectionID: String?
        var inHead = false
        var row: [String]?
        var cell: String?
        var captionText: String?
        var i = html.startIndex
        while i < html.endIndex {
            if html[i] == "<", let close = html[i...].firstIndex(of: ">") {
                let tag = String(html[html.index(after: i)..<close])
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" }).first.map { String($0).lowercased() } ?? ""
                let closing = tag.hasPrefix("/")
                let closingName = closing ? String(tag.dropFirst()).lowercased() : ""
                if !closing, name == "section", let id = Self.attribute("id", in: tag) { sectionID = id }
                if !closing && name == "table" { current = Table(id: sectionID, caption: "", head: [], body: []) }
                if closing && closingName == "table", let t = current { tables.append(t); current = nil }
                if !closing && name == "caption" { captionText = "" }
                if closing && closingName == "caption" { current?.caption = captionText ?? ""; captionText = nil }
                if !closing && name == "thead" { inHead = true }
                if closing && closingName == "thead" { inHead = false }
                if !closing && name == "tr" { row = [] }
                if closing && closingName == "tr", let r = row {
                    if inHead { current?.head.append(r) } else { current?.body.append(r) }
                    row = nil
                }
                if !closing && (name == "td" || name == "th") {
                    cell = ""
                    let span = Int(Self.attribute("colspan", in: tag) ?? "1") ?? 1
                    pendingSpan = span
                }
                if closing && (closingName == "td" || closingName == "th"), let c = cell {
                    row?.append(Self.decode(c).trimmingCharacters(in: .whitespacesAndNewlines))
                    for _ in 1..<max(1, pendingSpan) { row?.append("") }
                    cell = nil
                }
                i = html.index(after: close)
                continue
            }
            if cell != nil { cell!.append(html[i]) } else if captionText != nil { captionText!.append(html[i]) }
            i = html.index(after: i)
        }
    }

    private var pendingSpan = 1

    public func table(_ id: String) -> Table? { tables.first { $0.id == id } }

    public static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    public static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
