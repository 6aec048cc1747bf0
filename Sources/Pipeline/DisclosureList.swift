import Foundation
import Model
import Support

/// The completed disclosures of a build, sorted by department and year. Those the build did not
/// read (unchanged since the last build, whose `Analysis` it kept) are read and completed when a
/// page made again first needs one. A disclosure whose pages are all made is let go (`expect`,
/// `release`), so memory does not hold every disclosure to the end of rendering; it is read again
/// if something asks for it later.
public final class DisclosureList: Sendable {
    public let ids: [String]
    public let departments: [String]
    public let years: [Int]
    /// Of each disclosure: it, in hand or read when asked for.
    private let boxes: [LazyBox<Disclosure>]
    /// Disclosures that no longer read without errors when a page needed them (changed during the build).
    private let failed = Locked<[String]>([])

    /// `read`: the disclosures the build has, by position; `load` makes each of the others, and
    /// those let go.
    public init(ids: [String], departments: [String], years: [Int], read: [Disclosure?],
         load: @escaping @Sendable (String, Int) -> Disclosure?) {
        self.ids = ids
        self.departments = departments
        self.years = years
        let failed = failed
        boxes = read.indices.map { i in
            let (department, year) = (departments[i], years[i])
            return LazyBox(read[i]) {
                if let d = load(department, year) { return d }
                failed.withLock { $0.append(Disclosure.id(department, year)) }
                // Only for the page in hand: the build fails (`failures`) and publishes nothing.
                let form = year >= 2023 ? 2023 : 2022
                return Disclosure(department: department, year: year, form: form,
                                  tables: TableKind.allCases.map { Forms.skeleton($0, form: form, classes: []) },
                                  location: SourceLocation(file: "departments/\(department)/\(year)/disclosure.yaml"))
            }
        }
    }

    /// Disclosures all in hand, kept to the end (tests).
    public init(_ all: [Disclosure]) {
        ids = all.map(\.id)
        departments = all.map(\.department)
        years = all.map(\.year)
        boxes = all.map { LazyBox(value: $0) }
    }

    public var count: Int { ids.count }
    public var indices: Range<Int> { ids.indices }
    public subscript(i: Int) -> Disclosure { boxes[i].value }
    public var all: [Disclosure] { indices.map { self[$0] } }

    /// One more page will read disclosure `i`.
    public func expect(_ i: Int) { boxes[i].addUse() }
    /// A page counted by `expect` is made: after the last, the disclosure is let go.
    public func release(_ i: Int) { boxes[i].release() }

    /// Ids of disclosures that could not be read again when a page needed them (once each, however
    /// often they were asked for).
    public var failures: [String] { failed.withLock { Set($0).sorted() } }

    /// Of each disclosure, the position of last year's disclosure of its department, if any.
    public var lastYear: [Int?] {
        indices.map { i in i > 0 && departments[i - 1] == departments[i] && years[i - 1] == years[i] - 1 ? i - 1 : nil }
    }
}
