import Derive
import Model

/// One way to narrow a comparison: a page of its own (`<token>.html` beside the index, made without
/// scripts) and a token on each matching row (`data-filter`, for `filter.js`).
public struct CompareFilter: Sendable, Hashable {
    /// `kind-xingzheng`, `parent-<slug>`, `level-0` …: the page's name and the rows' token.
    public var token: String
    /// What it keeps, in words: 行政单位, 某局及所属单位, 本级.
    public var label: String
    /// 单位性质, 主管部门 or 地区层级.
    public var dimension: String
}

/// The filters of a region's comparison, from its departments alone (department.yaml and the region
/// tree, so `PageInput.shared`): which pages a region has is known before anything is read.
public struct CompareFilters: Sendable {
    public var filters: [CompareFilter]
    /// Each department's tokens (slug → tokens).
    public var tokens: [String: [String]]

    /// 单位性质 (department.yaml `kind`) in their usual order, each with a stable file name.
    static let kinds: [(String, String)] = [("行政单位", "xingzheng"), ("参公事业单位", "cangong"), ("事业单位", "shiye"), ("其他", "qita")]

    /// A dimension is offered when it tells departments apart: two kinds or more, two levels or more;
    /// a 主管部门 when at least one of its 所属单位 is in the region.
    public init(members: [Department], tree: RegionTree, region: String) {
        var tokens: [String: [String]] = [:]
        var filters: [CompareFilter] = []
        // 单位性质.
        let present = Set(members.map(\.kind))
        let others = present.subtracting(Self.kinds.map(\.0)).sorted()
        let kindTokens = Dictionary(uniqueKeysWithValues: Self.kinds.map { ($0.0, "kind-" + $0.1) }
            + others.enumerated().map { ($0.element, "kind-\($0.offset + 1)") })
        if present.count > 1 {
            for kind in Self.kinds.map(\.0) + others where present.contains(kind) {
                filters.append(CompareFilter(token: kindTokens[kind]!, label: kind, dimension: "单位性质"))
            }
            for m in members { tokens[m.slug, default: []].append(kindTokens[m.kind]!) }
        }
        // 主管部门: each department with 所属单位 here, for itself and every unit under it.
        let bySlug = Dictionary(members.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        var heads: Set<String> = []
        for m in members {
            var seen: Set<String> = [m.slug]
            var up = m.parent
            while let p = up, let parent = bySlug[p], seen.insert(p).inserted {
                heads.insert(p)
                tokens[m.slug, default: []].append("parent-" + p)
                up = parent.parent
            }
        }
        for m in members where heads.contains(m.slug) {
            tokens[m.slug, default: []].append("parent-" + m.slug)
            filters.append(CompareFilter(token: "parent-" + m.slug, label: m.name + "及所属单位", dimension: "主管部门"))
        }
        // 地区层级: how far a department's region is below this one (0: 本级).
        let depth = tree.path(to: region).count
        let levels = Dictionary(members.map { m in (m.slug, tree.regionOf[m.slug].map { tree.path(to: $0).count - depth } ?? 0) },
                                uniquingKeysWith: { first, _ in first })
        let distinct = Set(levels.values).sorted()
        if distinct.count > 1 {
            for level in distinct {
                guard level > 0 else {
                    filters.append(CompareFilter(token: "level-0", label: "本级", dimension: "地区层级"))
                    continue
                }
                let names = Set(members.filter { levels[$0.slug] == level }.compactMap { tree.regionOf[$0.slug].flatMap(tree.region)?.name }).sorted()
                let ordinal = level <= 4 ? ["一", "二", "三", "四"][level - 1] : "\(level)"
                let label = "下\(ordinal)级（\(names.joined(separator: "、"))）"
                filters.append(CompareFilter(token: "level-\(level)", label: label, dimension: "地区层级"))
            }
            for m in members { tokens[m.slug, default: []].append("level-\(levels[m.slug]!)") }
        }
        self.filters = filters
        self.tokens = tokens
    }

    /// Whether a department is kept by a filter.
    public func keeps(_ slug: String, _ filter: CompareFilter) -> Bool { tokens[slug]?.contains(filter.token) ?? false }
}

/// A dimension's links on the page.
public struct CompareFilterGroup: Sendable {
    public var label: String
    public var links: [Link]
}
