import Foundation
import Model
import Support

/// The completed disclosures of a build, sorted by department and year. Those the build did not
/// read (unchanged since the last build, whose `Analysis` it kept) are read and completed when a
/// page made again first needs one.
public final class DisclosureList: Sendable {
    public let ids: [String]
    public let departments: [String]
    public let years: [Int]
    private let read: [Disclosure?]
    /// Of each disclosure not read, by position: it, read when first asked for.
    private let kept: [Int: LazyBox<Disclosure>]
    /// Disclosures that no longer read without errors when a page needed them (changed during the build).
    private let failed = Locked<[String]>([])

    /// `read`: the disclosures the build has, by position; `load` makes each of the others.
    public init(ids: [String], departments: [String], years: [Int], read: [Disclosure?],
         load: @escaping @Sendable (String, Int) -> Disclosure?) {
        self.ids = ids
        self.departments = departments
        self.years = years
        self.read = read
        let failed = failed
        var kept: [Int: LazyBox<Disclosure>] = [:]
        for i in read.indices where read[i] == nil {
            let (department, year) = (departments[i], years[i])
            kept[i] = LazyBox {
                if let d = load(department, year) { return d }
                failed.withLock { $0.append(Disclosure.id(department, year)) }
                // Only for the page in hand: the build fails (`failures`) and publishes nothing.
                let form = year >= 2023 ? 2023 : 2022
                return Disclosure(department: department, year: year, form: form,
                                  tables: TableKind.allCases.map { Forms.skeleton($0, form: form, classes: []) },
                                  location: SourceLocation(file: "departments/\(department)/\(year)/disclosure.yaml"))
            }
        }
        self.kept = kept
    }

    /// Disclosures all in hand (tests).
    public convenience init(_ all: [Disclosure]) {
        self.init(ids: all.map(\.id), departments: all.map(\.department), years: all.map(\.year), read: all) { _, _ in nil }
    }

    public var count: Int { ids.count }
    public var indices: Range<Int> { ids.indices }
    public subscript(i: Int) -> Disclosure { read[i] ?? kept[i]!.value }
    public var all: [Disclosure] { indices.map { self[$0] } }

    /// Ids of disclosures that could not be read again when a page needed them.
    public var failures: [String] { failed.withLock { $0.sorted() } }

    /// Of each disclosure, the position of last year's disclosure of its department, if any.
    public var lastYear: [Int?] {
        indices.map { i in i > 0 && departments[i - 1] == departments[i] && years[i - 1] == years[i] - 1 ? i - 1 : nil }
    }
}
