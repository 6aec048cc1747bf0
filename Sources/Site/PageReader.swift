import Check
import Derive
import Incremental
import Model
import OpenData
import Pipeline
import Support
import Views

/// What the pages of one build are made from. Views never see it whole: each page reads it through a
/// `PageReader` that checks every read against the page's declared inputs.
final class PageSources: Sendable {
    let all: DisclosureList
    let stamps: [DisclosureStamps]
    /// Of each disclosure, the position of last year's disclosure of its department.
    let previous: [Int?]
    /// Findings by disclosure id, when the site shows them.
    let findings: [String: [Finding]]
    /// The years each department has a disclosure for.
    let years: [String: [Int]]
    /// The disclosures of each peer set (`PageInput.peers`), and the stamp of their figures.
    let peerSets: [String: Set<Int>]
    private let peerStamps: [String: String]
    /// Each peer set compared once, by the first of its pages that asks (`ViewBuilder.placeView`).
    let peerComparisons: [String: LazyBox<PeerComparison>]
    /// `PageInput.years` of each department, made once (every region and comparison group declares
    /// its members' years).
    private let yearStamps: [String: String]
    /// Downloads of each disclosure (file name, text), made once for their files and for a region
    /// ZIP that cannot read one of them back.
    let downloads: [LazyBox<[(String, [UInt8])]>]

    init(_ site: AnalysedSite, stamps: [DisclosureStamps], years: [String: [Int]], peerSets: [String: [Int]], showFindings: Bool) {
        self.peerSets = peerSets.mapValues(Set.init)
        peerStamps = peerSets.mapValues { set in Digest.fnv1a(set.map { stamps[$0].figures }.joined(separator: "|")) }
        let all = site.disclosures, content = site.content
        self.all = all
        self.stamps = stamps
        peerComparisons = peerSets.mapValues { set in
            LazyBox { PeerComparison(set.compactMap { i in content.department(all.departments[i]).map { ($0, stamps[i].headline) } }) }
        }
        previous = site.previous
        findings = showFindings ? Dictionary(grouping: site.findings, by: \.disclosure) : [:]
        self.years = years
        yearStamps = Dictionary(uniqueKeysWithValues: years.map { slug, list in
            (slug, slug + ":" + list.map(String.init).joined(separator: ","))
        })
        let base = content.config.baseURL
        downloads = all.indices.map { i in
            LazyBox { content.department(all.departments[i]).map { OpenData.disclosureFiles(all[i], department: $0, baseURL: base) } ?? [] }
        }
    }

    /// The stamp of an input now (`shared`: of everything all pages depend on; `paths` is the files
    /// group's own).
    func stamp(_ input: PageInput, shared: String) -> String {
        switch input {
        case .shared: shared
        case .files(let i): stamps[i].files
        case .figures(let i): stamps[i].figures
        case .cells(let i): stamps[i].cells
        case .published(let i): all.ids[i] + ":" + (stamps[i].published ?? "")
        case .terms(let i): stamps[i].terms
        case .peers(let set): set + ":" + (peerStamps[set] ?? "")
        case .years(let slug): yearStamps[slug] ?? slug + ":"
        case .paths: ""
        }
    }
}

/// A page's view of the build: each read is checked against what the page declared (`Reads`), so a
/// view that starts reading something new without declaring it fails the build instead of going
/// stale. What every page may read (the site's configuration, departments, glossary, region tree)
/// is `PageInput.shared` and comes with the view builder.
public struct PageReader: Sendable {
    let sources: PageSources
    let reads: Reads<PageInput>

    /// A disclosure, completed: its tables and prose.
    func disclosure(_ i: Int) -> Disclosure {
        reads.check(.files(i))
        return sources.all[i]
    }

    /// Last year's disclosure of the same department, if any.
    func lastYear(_ i: Int) -> Disclosure? { sources.previous[i].map(disclosure) }

    /// Its headline figures.
    func headline(_ i: Int) -> Headline {
        reads.check(.figures(i), or: .files(i))
        return sources.stamps[i].headline
    }

    /// The peer set `set` (`PageInput.peers`), compared.
    func peers(_ set: String) -> PeerComparison {
        reads.check(.peers(set))
        return sources.peerComparisons[set]?.value ?? PeerComparison([])
    }

    /// Its findings, made from it and last year's.
    func findings(_ i: Int) -> [Finding] {
        reads.check(.files(i))
        if let p = sources.previous[i] { reads.check(.files(p)) }
        return sources.findings[sources.all.ids[i]] ?? []
    }

    /// Its downloads, each taken once by its own page (`LazyBox.take`).
    func downloads(_ i: Int) -> LazyBox<[(String, [UInt8])]> {
        reads.check(.cells(i), or: .files(i))
        return sources.downloads[i]
    }

    /// A disclosure for its cells only (the long CSV of a region).
    func cells(_ i: Int) -> Disclosure {
        reads.check(.cells(i), or: .files(i))
        return sources.all[i]
    }

    /// Its publication date.
    func published(_ i: Int) -> String? {
        reads.check(.published(i), or: .files(i))
        return sources.stamps[i].published
    }

    /// What the search index takes from it.
    func terms(_ i: Int) -> [SearchTerm] {
        reads.check(.terms(i), or: .files(i))
        return sources.stamps[i].searchTerms ?? SearchIndex.terms(sources.all[i])
    }

    /// The years each of these departments has a disclosure for.
    func years(of departments: [Department]) -> [String: [Int]] {
        var years: [String: [Int]] = [:]
        for d in departments {
            reads.check(.years(d.slug))
            years[d.slug] = sources.years[d.slug] ?? []
        }
        return years
    }
}
