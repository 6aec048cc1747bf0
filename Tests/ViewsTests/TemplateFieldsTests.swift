import Foundation
import Model
import Pipeline
@testable import Site
import Testing
import TestSite
import Theme

/// Templates read view models through `TemplateFields`, written by hand (Views/TemplateFields.swift)
/// because reflection was a fifth of template time. This checks that hand-written list against the
/// view models themselves: every page model of the example site, and every value inside it, answers
/// each of its stored properties by name with the same value, and no other name.
@Suite struct TemplateFieldsTests {
    @Test("every view model names each of its fields, with its value, and nothing else")
    func viewModelsNameTheirFields() throws {
        var stages: [(String, Duration, Int)] = []
        let model = try Analyser.analyse(content: exampleContent, stages: &stages).get()
        let listing = PageGraph.groups(model, config: model.content.config, shared: "",
                                       stamps: model.disclosures.all.map { PageGraph.stamps(of: $0, files: "") })
        var checked: [String: Int] = [:]
        var problems: [String] = []
        var bag = DiagnosticBag()
        for page in listing.groups.flatMap(listing.pages) where page.data == nil {
            visit(page.make(listing.reader(for: page), &bag), checked: &checked, problems: &problems)
        }
        #expect(listing.undeclared.reads.isEmpty)
        #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
        // The page models and what they hold: a type missing here was never rendered.
        for type in ["DisclosurePage", "DepartmentPage", "HomePage", "SearchPage", "ComparisonPage", "RegionPage",
                     "AcrossYearsPage", "NotFoundPage", "TableView", "Grid", "ChartView", "TextTableView", "Link"] {
            #expect(checked[type] != nil, "no \(type) was rendered")
        }
    }

    /// Compares one value's answers with its stored properties, then the values inside it; at most
    /// a few values of each type (the same code answers for all of them).
    func visit(_ value: Any, checked: inout [String: Int], problems: inout [String]) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional?, .collection?:
            for child in mirror.children { visit(child.value, checked: &checked, problems: &problems) }
        case .struct?:
            let type = "\(Swift.type(of: value))"
            guard checked[type, default: 0] < 5 else { return }
            checked[type, default: 0] += 1
            guard let named = value as? TemplateFields else {
                problems.append("\(type) is shown to templates but does not conform to TemplateFields")
                return
            }
            if named.field("noSuchField") != nil { problems.append("\(type) answers a name it has no field for") }
            for child in mirror.children {
                guard let label = child.label else { continue }
                let stored = unwrapped(child.value), answered = named.field(label)
                if (stored == nil) != (answered == nil) || stored.map(String.init(describing:)) != answered.map(String.init(describing:)) {
                    problems.append("\(type).\(label): the field holds \(stored.map { "\($0)" } ?? "nil") but answers \(answered.map { "\($0)" } ?? "nil")")
                }
                visit(child.value, checked: &checked, problems: &problems)
            }
        default:
            return
        }
    }

    /// An optional's value, or nil; any other value as it is.
    func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional ? mirror.children.first.map(\.value) : value
    }
}
