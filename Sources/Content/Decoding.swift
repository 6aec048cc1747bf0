import Model
import Support

/// Turns located YAML/JSON nodes into model values, reporting every problem with file:line.
struct Decoder {
    var bag = DiagnosticBag()
    /// What a file may be (size, depth, aliases, rows): `limits:` of site.yaml, or the defaults for site.yaml itself.
    let limits: ContentLimits

    init(limits: ContentLimits) { self.limits = limits }

    mutating func error(_ at: Located, _ message: String) { bag.error(at.location, message) }

    mutating func string(_ node: Located?, _ what: String, required: Bool = false, at parent: Located? = nil) -> String? {
        guard let node, !node.isNull else {
            if required, let parent { error(parent, localized("缺少\(what)", en: "missing \(what)")) }
            return nil
        }
        guard let s = node.scalar else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为文字", en: "\(what): found \(node.kindName); expected text"))
            return nil
        }
        return s
    }

    /// A name printed on pages and in downloads (a title, a department, a region, a catalogue entry):
    /// invisible bidirectional controls and zero-width characters are removed, with a warning at its line.
    mutating func name(_ node: Located?, _ what: String, required: Bool = false, at parent: Located? = nil) -> String? {
        guard let text = string(node, what, required: required, at: parent), let node else { return nil }
        let clean = stripped(text, node, what)
        if clean.isEmpty && !text.isEmpty && required { error(node, localized("\(what)：只有不可见字符；应为名称", en: "\(what): found only invisible characters; expected a name")) }
        return clean
    }

    /// `text` (of `node`) without invisible characters; a warning when it had some.
    mutating func stripped(_ text: String, _ node: Located, _ what: String) -> String {
        guard Invisible.contains(text) else { return text }
        let clean = Invisible.removing(from: text)
        let found = Invisible.describe(Invisible.found(in: text))
        bag.warning(node.location, localized(
            "\(what)：'\(Invisible.visible(text))' 含有不可见字符 \(found)，已删除，按 '\(clean)' 发布——这些字符会改变文字的显示顺序，或使看起来相同的名称不同；请在文件中删除它们",
            en: "\(what): '\(Invisible.visible(text))' has the invisible characters \(found); they were removed and '\(clean)' is published — they reorder the text or make names that look the same differ: delete them in the file"))
        return clean
    }

    /// Names, each as `name`.
    mutating func names(_ node: Located?, _ what: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let seq = node.sequence else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为列表（以 - 开头的若干行）", en: "\(what): found \(node.kindName); expected a list (- item lines)"))
            return []
        }
        return seq.compactMap { name($0, what) }
    }

    /// A slug (part of URLs) with invisible characters: refused, the message shows where they are.
    /// Nil when it has none.
    static func invisibleInSlug(_ slug: String, _ what: String) -> String? {
        guard Invisible.contains(slug) else { return nil }
        let clean = Invisible.removing(from: slug)
        return localized(
            "\(what)：'\(Invisible.visible(slug))' 含有不可见字符 \(Invisible.describe(Invisible.found(in: slug)))；它是网址的一部分，只能用小写英文字母、数字和 -\(ContentLoader.isValidSlug(clean) ? "（应为 '\(clean)'）" : "")",
            en: "\(what): found '\(Invisible.visible(slug))' with the invisible characters \(Invisible.describe(Invisible.found(in: slug))); expected lower-case ASCII letters, digits and - only, because it is part of URLs\(ContentLoader.isValidSlug(clean) ? " ('\(clean)')" : "")")
    }

    mutating func strings(_ node: Located?, _ what: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let seq = node.sequence else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为列表（以 - 开头的若干行）", en: "\(what): found \(node.kindName); expected a list (- item lines)"))
            return []
        }
        return seq.compactMap { string($0, what) }
    }

    mutating func int(_ node: Located?, _ what: String, required: Bool = false, at parent: Located? = nil) -> Int? {
        guard let text = string(node, what, required: required, at: parent), let node else { return nil }
        guard let v = Int(text) else {
            error(node, localized("\(what)：写的是 '\(text)'；应为整数", en: "\(what): found '\(text)'; expected a whole number"))
            return nil
        }
        return v
    }

    mutating func bool(_ node: Located?, _ what: String) -> Bool? {
        guard let text = string(node, what), let node else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, localized("\(what)：写的是 '\(text)'；应为 true 或 false", en: "\(what): found '\(text)'; expected true or false"))
            return nil
        }
    }

    /// An amount (nil = blank). `context` names table/row/column for a message; it is made only when
    /// there is one (made for every cell read, it was a measurable part of loading:
    /// bench/README.md#figures-that-were-in-code-comments).
    mutating func amount(_ node: Located, _ context: @autoclosure () -> String, count: Bool = false, allowNegative: Bool = false) -> Amount?? {
        if node.isNull { return .some(nil) }
        guard let text = node.scalar else {
            error(node, localized("\(context())：写的是\(node.kindName)；应为\(count ? "整数，如 3" : "一个金额，如 55.57")",
                                  en: "\(context()): found \(node.kindName); expected \(count ? "a whole number such as 3" : "one amount such as 55.57")"))
            return nil
        }
        switch Amount.parse(text) {
        case .failure(let why):
            error(node, localized("\(context())：写的是 '\(text)'——\(why.explanation)；应为\(count ? "整数，如 3" : "以万元为单位的金额，如 55.57")",
                                  en: "\(context()): found '\(text)' — \(why.explanation); expected \(count ? "a whole number such as 3" : "an amount in 万元 such as 55.57")"))
            return nil
        case .success(let a):
            if count && a.rounded(to: 0) != a {
                error(node, localized("\(context())：写的是 '\(text)'；应为整数（这是数量）",
                                      en: "\(context()): found '\(text)'; expected a whole number (this is a count)"))
                return nil
            }
            if a.isNegative && (!allowNegative || count) {
                error(node, count ? localized("\(context())：写的是 '\(text)'；应为 0 或正整数（这是数量）",
                                              en: "\(context()): found '\(text)'; expected a whole number of 0 or more (this is a count)")
                                  : localized("\(context())：写的是 '\(text)'；应为 0 或正数金额（只有结余行可以为负数）",
                                              en: "\(context()): found '\(text)'; expected an amount of 0 or more (negative amounts are allowed only for 结余 lines)"))
                return nil
            }
            return .some(count ? Amount(units: a.units, scale: 0) : a)
        }
    }

    /// Checks that a mapping has only known keys.
    mutating func expectKeys(_ node: Located, _ known: [String], _ what: String) {
        guard let m = node.mapping else { return }
        for (k, _) in m {
            if let key = k.scalar, !known.contains(key) {
                error(k, localized(
                    "\(what)：未知的键 '\(key)'\(Decoder.closest(key, in: known).map { "（是否应为 '\($0)'？）" } ?? "")；应为以下之一：\(known.joined(separator: "、"))",
                    en: "\(what): unknown key '\(key)'\(Decoder.closest(key, in: known).map { " (did you mean '\($0)'?)" } ?? ""); expected one of: \(known.joined(separator: ", "))"))
            }
        }
    }

    /// For a message: （是不是 'x'？） when a known name is close to `word` (`closest`), else nothing.
    static func didYouMean(_ word: String, in known: [String]) -> String {
        closest(word, in: known).map { localized("（是不是 '\($0)'？）", en: " (did you mean '\($0)'?)") } ?? ""
    }

    /// A known name close to a misspelt one: same letters ignoring case, `_`, `-` and spaces, or one edit away.
    static func closest(_ word: String, in known: [String]) -> String? {
        func squeeze(_ s: String) -> [Character] { Array(s.lowercased().filter { !"_- ".contains($0) }) }
        let w = squeeze(word)
        if let k = known.first(where: { squeeze($0) == w }) { return k }
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
            var previous = Array(0...b.count)
            for i in 1...a.count {
                var current = [i] + Array(repeating: 0, count: b.count)
                for j in 1...b.count {
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                previous = current
            }
            return previous[b.count]
        }
        let limit = w.count <= 3 ? 1 : 2
        return known.map { ($0, distance(w, squeeze($0))) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }

    mutating func mapping(_ node: Located?, _ what: String) -> [(key: Located, value: Located)]? {
        guard let node, !node.isNull else { return nil }
        guard let m = node.mapping else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为映射（“键: 值”的若干行）", en: "\(what): found \(node.kindName); expected a mapping (key: value lines)"))
            return nil
        }
        return m
    }

    mutating func textTable(_ node: Located?, _ what: String) -> TextTable? {
        guard let node, !node.isNull else { return nil }
        guard node.mapping != nil else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为含 columns: 和 rows: 的映射", en: "\(what): found \(node.kindName); expected a mapping with columns: and rows:"))
            return nil
        }
        expectKeys(node, ["caption", "header", "columns", "rows"], what)
        let columns = strings(node["columns"], "\(what) columns")
        if columns.isEmpty { error(node, localized("\(what)：没有 columns:；应为 columns: [表头, 表头, …]", en: "\(what): found no columns:; expected columns: [header, header, …]")) }
        var rows: [[String?]] = []
        var locations: [SourceLocation] = []
        if let seq = node["rows"]?.sequence, seq.count > limits.tableRows, let r = node["rows"] {
            error(r, tooManyRows(what, seq.count))
        } else if let seq = node["rows"]?.sequence {
            for row in seq {
                guard let cells = row.sequence else {
                    error(row, localized("\(what)：这一行写的是\(row.kindName)；应为列表 [单元格, 单元格, …]", en: "\(what): found \(row.kindName) as a row; expected a list [cell, cell, …]"))
                    continue
                }
                if !columns.isEmpty && cells.count != columns.count {
                    error(row, localized("\(what)：这一行有 \(cells.count) 个单元格；应为 \(columns.count) 个（\(columns.joined(separator: "、"))）",
                                     en: "\(what): found a row of \(cells.count) cells; expected \(columns.count) (\(columns.joined(separator: ", ")))"))
                    continue
                }
                rows.append(cells.map { $0.isNull ? nil : ($0.scalar ?? "") })
                locations.append(row.location)
            }
        } else if let r = node["rows"], !r.isNull {
            error(r, localized("\(what) rows：写的是\(r.kindName)；应为由各行组成的列表", en: "\(what) rows: found \(r.kindName); expected a list of rows"))
        }
        var table = TextTable(caption: string(node["caption"], "\(what) caption"), columns: columns, rows: rows, rowLocations: locations)
        if let header = node["header"] { table.header = headerRows(header, what: "\(what) header") }
        return table
    }

    /// A table over `limits.tableRows`.
    func tooManyRows(_ what: String, _ count: Int, perCode: Bool = false) -> String {
        localized(
            "\(what)：有 \(count) 行，超过每张表的上限 \(limits.tableRows) 行（site.yaml 中的 limits.table_rows）\(perCode ? "，每个科目编码一行" : "")——请确认这是正确的文件",
            en: "\(what): found \(count) rows; a table may have at most \(limits.tableRows)\(perCode ? " (one per code of the catalogue)" : "") (limits.table_rows in site.yaml) — check that this is the right file")
    }
}
