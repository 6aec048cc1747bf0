import Foundation
import Model
import Site
import Testing

/// Slugs are parts of URLs: one that names a page the site publishes itself, or hides a character,
/// is refused. Names are text on pages and in downloads: invisible characters are removed with a
/// warning, and no character of a name — a combining mark included — moves a CSV column.
@Suite("Names and slugs")
struct NamesTests {
    static let department = "departments/test-dept/department.yaml"

    /// The corpus site with its department folder copied under another name.
    func site(_ name: String, department slug: String) throws -> (content: URL, output: URL) {
        let (content, output) = try corpusSite(name, [:])
        try FileManager.default.copyItem(at: content.appendingPathComponent("departments/test-dept"),
                                         to: content.appendingPathComponent("departments/\(slug)"))
        return (content, output)
    }

    @Test("a department folder named like a page the site publishes (search/, static/ …) is refused")
    func reservedSlugsAreRefused() throws {
        for slug in ["search", "static", "compare", "regions"] {
            let (content, output) = try site("reserved-\(slug)", department: slug)
            let errors = errorLines(SiteBuilder.build(BuildOptions(content: content, output: output)))
            #expect(errors.count == 1 && errors[0].hasPrefix(
                "departments/\(slug): error: 文件夹名 '\(slug)' 与网站自己发布的 \(slug)/ 重名：这个单位的页面（departments/\(slug)/department.yaml 及年度文件夹）会与网站的页面互相覆盖；请换一个文件夹名（如 \(slug)-dept）。"),
                "\(errors)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// The reserved names are those the page graph writes at the top of the output, not a copy of them:
    /// everything a built site has at its top is a department's folder or one of them (or hidden, as
    /// the output folder's own marker: no slug starts with a dot).
    @Test("the reserved names are exactly what a built site has at its top besides its departments")
    func reservedNamesAreWhatTheSitePublishes() throws {
        _ = try exampleBuild.result.get()
        let top = Set(try FileManager.default.contentsOfDirectory(atPath: exampleBuild.output.path).filter { !$0.hasPrefix(".") })
        let departments = Set(try FileManager.default.contentsOfDirectory(atPath: exampleContent.appendingPathComponent("departments").path))
        #expect(top.subtracting(departments) == Set(TopLevel.names))
    }
}
