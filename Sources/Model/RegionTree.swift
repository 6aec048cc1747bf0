/// Regions of a site and which departments belong to each: declared in site.yaml, or implied by the
/// `region:` names of departments (then numbered `region-1`, `region-2` … in name order).
public struct RegionTree: Sendable {
    public private(set) var regions: [Region]
    /// Department slug → region slug.
    public private(set) var regionOf: [String: String]

    public init(declared: [Region], departments: [Department]) {
        var regions = declared
        var regionOf: [String: String] = [:]
        let undeclared = Set(departments.map(\.region)).filter { name in
            !declared.contains { $0.name == name || $0.slug == name }
        }.sorted()
        for (i, name) in undeclared.enumerated() {
            regions.append(Region(slug: "region-\(i + 1)", name: name.isEmpty ? "本级" : name))
        }
        // A department's `region:` is a region's slug or else its name (the first region of that slug or name).
        var bySlug: [String: String] = [:], byName: [String: String] = [:]
        for r in regions.reversed() {
            bySlug[r.slug] = r.slug
            byName[r.name] = r.slug
        }
        for dept in departments {
            if let match = bySlug[dept.region] ?? byName[dept.region] ?? byName[dept.region.isEmpty ? "本级" : dept.region] {
                regionOf[dept.slug] = match
            }
        }
        self.regions = regions
        self.regionOf = regionOf
    }

    public func region(_ slug: String) -> Region? { regions.first { $0.slug == slug } }
    public var roots: [Region] { regions.filter { $0.parent == nil } }
    public func children(of slug: String) -> [Region] { regions.filter { $0.parent == slug } }

    /// Root first: 江西省 › 南昌市 › 东湖区.
    public func path(to slug: String) -> [Region] {
        var out: [Region] = []
        var current = region(slug)
        while let r = current, !out.contains(r) {
            out.insert(r, at: 0)
            current = r.parent.flatMap(region)
        }
        return out
    }

    /// The region and every region inside it, by slug (a loop of parents is walked once).
    public func enclosed(by outer: String) -> Set<String> {
        var children: [String: [String]] = [:]
        for r in regions { if let p = r.parent { children[p, default: []].append(r.slug) } }
        var out: Set<String> = [], next = [outer]
        while let slug = next.popLast() { if out.insert(slug).inserted { next += children[slug] ?? [] } }
        return out
    }

    /// Departments in the region or inside it.
    public func departments(in slug: String, from all: [Department]) -> [Department] {
        departmentsByRegion(from: all)[slug] ?? []
    }

    /// `departments(in:from:)` of every region at once, in one pass over the departments.
    public func departmentsByRegion(from all: [Department]) -> [String: [Department]] {
        let parent = Dictionary(regions.map { ($0.slug, $0.parent) }, uniquingKeysWith: { a, _ in a })
        var out: [String: [Department]] = [:]
        for dept in all {
            // The department's region and every region around it (a loop of parents ends at the first repeat).
            var seen: Set<String> = []
            var current = regionOf[dept.slug]
            while let r = current, seen.insert(r).inserted {
                out[r, default: []].append(dept)
                current = parent[r] ?? nil
            }
        }
        return out
    }
}
