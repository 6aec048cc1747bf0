import Model
import Support
import Yams

/// Nesting depth and aliases of a YAML text, measured on its node tree without expanding an alias.
///
/// Yams resolves an alias (`*name`) to the node of its anchor (`&name`), shared, not copied: a small file
/// of nested aliases (“billion laughs”) composes quickly into a tree of billions of nodes that every
/// walk of it — sitegen's decoders, the pages, and Yams itself, which hashes each mapping key to find
/// duplicates — expands again. So a text that may hold an alias is first composed with each alias
/// masked as a plain scalar (`*` → U+E000, lines and columns unchanged): that tree is as large as the
/// text, and each anchored node's size with its aliases expanded is computed once, when it is complete.
/// The text itself is composed only when what its aliases reach is within the limits.
enum YAMLLimits {
    /// What an alias's `*` becomes in the masked text: a character libyaml reads as the start of a plain scalar.
    static let marker: Unicode.Scalar = "\u{E000}"

    /// A character libyaml allows in an anchor name (`IS_ALPHA`: ASCII letters, digits, `_`, `-`).
    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    /// False when the text cannot hold an alias: libyaml reads one only as `*` followed by a name character.
    static func mayHaveAliases(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            guard b.count > 1 else { return false }
            for i in 0..<(b.count - 1) where b[i] == 0x2A && isNameByte(b[i + 1]) { return true }
            return false
        }
    }

    /// The text with every `*` that may start an alias replaced by `marker`. Where it was an alias, the
    /// masked text has a plain scalar starting with the marker and the name; elsewhere (quoted text,
    /// comments, `a*b`) only a character changes.
    static func masked(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            let next = scalars.index(after: i)
            if c == "*", next < scalars.endIndex, scalars[next].isASCII, isNameByte(UInt8(scalars[next].value)) {
                out.append(marker)
            } else {
                out.append(c)
            }
            i = next
        }
        return String(out)
    }

    /// Why a tree is refused.
    enum Refusal: Equatable {
        /// Collections nested `depth` levels deep at this line (through the alias `alias`, if any).
        case depth(line: Int, depth: Int, alias: String?)
        /// The alias `name` at this line makes the values reached through aliases `count` (saturated).
        case aliases(line: Int, name: String, count: Int)
        /// The alias `name` at this line makes the text with its aliases expanded `bytes` long (saturated).
        case expandedText(line: Int, name: String, bytes: Int)
    }

    /// The size of a node with its aliases expanded.
    struct Measure {
        var nodes = 1
        var bytes = 0
        /// Levels of lists and mappings, itself included (0 for a scalar).
        var height = 0
    }

    /// Checks a composed tree against the limits. `masked`: the tree of `masked(text)`, whose plain
    /// scalars with the marker are aliases; else the text has none and only the depth is checked.
    static func check(_ root: Node, limits: ContentLimits, textBytes: Int, masked: Bool) -> Refusal? {
        var walk = Walk(limits: limits, textBytes: textBytes, masked: masked)
        _ = walk.visit(root, depth: 0)
        return walk.refusal
    }

    private struct Walk {
        let limits: ContentLimits
        let textBytes: Int
        let masked: Bool
        var refusal: Refusal?
        /// Anchor name → its node's measure, the latest definition (as Yams resolves an alias).
        var anchors: [String: Measure] = [:]
        /// Values and text reached through aliases so far.
        var aliasNodes = 0
        var aliasBytes = 0

        init(limits: ContentLimits, textBytes: Int, masked: Bool) {
            self.limits = limits
            self.textBytes = textBytes
            self.masked = masked
        }

        static func add(_ a: Int, _ b: Int) -> Int {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? Int.max : sum
        }

        /// The measure of `node`, which is inside `depth` levels of lists and mappings; nil once refused.
        mutating func visit(_ node: Node, depth: Int) -> Measure? {
            switch node {
            case .scalar(let s):
                var m = Measure(nodes: 1, bytes: s.string.utf8.count, height: 0)
                if masked && s.style == .plain {
                    guard aliases(in: s, depth: depth, into: &m) else { return nil }
                }
                if let anchor = s.anchor { anchors[anchor.rawValue] = m }
                return m
            case .sequence(let q):
                guard var m = enter(depth: depth + 1, line: q.mark?.line) else { return nil }
                for child in q {
                    guard let c = visit(child, depth: depth + 1) else { return nil }
                    Self.combine(&m, c)
                }
                if let anchor = q.anchor { anchors[anchor.rawValue] = m }
                return m
            case .mapping(let p):
                guard var m = enter(depth: depth + 1, line: p.mark?.line) else { return nil }
                for (key, value) in p {
                    guard let k = visit(key, depth: depth + 1), let v = visit(value, depth: depth + 1) else { return nil }
                    Self.combine(&m, k)
                    Self.combine(&m, v)
                }
                if let anchor = p.anchor { anchors[anchor.rawValue] = m }
                return m
            case .alias:
                return Measure()   // Yams' composer resolves every alias; none is left in a tree
            }
        }

        /// The measure of an empty list or mapping at `depth`; nil (refused) when that is too deep.
        mutating func enter(depth: Int, line: Int?) -> Measure? {
            if depth > limits.yamlDepth {
                refusal = .depth(line: line ?? 0, depth: depth, alias: nil)
                return nil
            }
            return Measure(nodes: 1, bytes: 0, height: 1)
        }

        static func combine(_ m: inout Measure, _ child: Measure) {
            m.nodes = add(m.nodes, child.nodes)
            m.bytes = add(m.bytes, child.bytes)
            m.height = max(m.height, child.height + 1)
        }

        /// Adds what the aliases in a plain scalar of the masked tree reach. A scalar is normally one
        /// alias (`\u{E000}name`) and measures what it reaches; every marker followed by a defined anchor's
        /// name counts, so that text libyaml read into the same plain scalar cannot hide an alias. False
        /// once refused.
        mutating func aliases(in s: Node.Scalar, depth: Int, into m: inout Measure) -> Bool {
            let scalars = s.string.unicodeScalars
            guard scalars.contains(marker) else { return true }
            let line = s.mark?.line ?? 0
            var reached = Measure(nodes: 0, bytes: 0, height: 0)
            var found = 0
            var i = scalars.startIndex
            while let at = scalars[i...].firstIndex(of: marker) {
                var end = scalars.index(after: at)
                while end < scalars.endIndex, scalars[end].isASCII, isNameByte(UInt8(scalars[end].value)) { end = scalars.index(after: end) }
                i = end
                let name = String(String.UnicodeScalarView(scalars[scalars.index(after: at)..<end]))
                guard !name.isEmpty, let target = anchors[name] else { continue }
                found += 1
                aliasNodes = Self.add(aliasNodes, target.nodes)
                aliasBytes = Self.add(aliasBytes, target.bytes)
                if aliasNodes > limits.yamlAliases {
                    refusal = .aliases(line: line, name: name, count: aliasNodes)
                    return false
                }
                if Self.add(textBytes, aliasBytes) > limits.yamlBytes {
                    refusal = .expandedText(line: line, name: name, bytes: Self.add(textBytes, aliasBytes))
                    return false
                }
                if depth + target.height > limits.yamlDepth {
                    refusal = .depth(line: line, depth: depth + target.height, alias: name)
                    return false
                }
                reached.nodes = Self.add(reached.nodes, target.nodes)
                reached.bytes = Self.add(reached.bytes, target.bytes)
                reached.height = max(reached.height, target.height)
            }
            if found == 1 && scalars.first == marker && i == scalars.endIndex {
                m = reached   // exactly an alias: the value it stands for
            } else {
                m.nodes = Self.add(m.nodes, reached.nodes)
                m.bytes = Self.add(m.bytes, reached.bytes)
                m.height = max(m.height, reached.height)
            }
            return true
        }
    }

    /// The message for a refusal, naming the limit, its value and its key in site.yaml.
    static func message(_ refusal: Refusal, limits: ContentLimits) -> String {
        switch refusal {
        case .depth(_, let depth, let alias):
            let through = alias.map { localized("（经由别名 *\($0)）", en: " (through the alias *\($0))") } ?? ""
            return localized(
                "列表和映射在此嵌套了 \(depth) 层\(through)，超过上限 \(limits.yamlDepth) 层（site.yaml 中的 limits.yaml_depth）——内容文件只嵌套几层（表格的一行在第 5 层），请检查缩进和括号",
                en: "lists and mappings are nested \(depth) levels deep here\(through); at most \(limits.yamlDepth) (limits.yaml_depth in site.yaml) — content nests a few levels (a table row is at level 5): check the indentation and the brackets")
        case .aliases(_, let name, let count):
            if limits.yamlAliases == 0 {
                return localized(
                    "找到别名 *\(name)；内容文件不使用 YAML 别名（site.yaml 中的 limits.yaml_aliases 为 0）——请把 &\(name) 处的内容照写一遍",
                    en: "found the alias *\(name); content files may not use YAML aliases (limits.yaml_aliases in site.yaml is 0) — write out what &\(name) holds instead")
            }
            let reached = count == Int.max ? localized("超过 \(Int.max) 个", en: "more than \(Int.max)") : localized("\(count) 个", en: "\(count)")
            return localized(
                "到别名 *\(name) 为止，经由别名重复的值共 \(reached)，超过上限 \(limits.yamlAliases) 个（site.yaml 中的 limits.yaml_aliases）——请把重复的内容直接写出，或确认这是正确的文件",
                en: "up to the alias *\(name), the values this file repeats through aliases come to \(reached); at most \(limits.yamlAliases) (limits.yaml_aliases in site.yaml) — write the repeated content out, or check that this is the right file")
        case .expandedText(_, let name, let bytes):
            let (found, most) = ContentLimits.sizes(bytes, limit: limits.yamlBytes)
            let size = bytes == Int.max ? localized("超过 \(most)", en: "more than \(most)") : found
            return localized(
                "到别名 *\(name) 为止，文件与经由别名重复的文字共 \(size)，超过 YAML/JSON 内容的上限 \(most)（site.yaml 中的 limits.yaml_bytes）",
                en: "up to the alias *\(name), the file and the text it repeats through aliases come to \(size); YAML and JSON content may be at most \(most) (limits.yaml_bytes in site.yaml)")
        }
    }

    static func line(_ refusal: Refusal) -> Int {
        switch refusal {
        case .depth(let line, _, _), .aliases(let line, _, _), .expandedText(let line, _, _): return line
        }
    }
}
