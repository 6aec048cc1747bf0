import Foundation
import Model
import Support
import Mustache

/// A value a template reads by field name: `{{title}}`, `{{#tables}}`. Each view model answers the
/// names of its stored properties (an optional that is nil answers nil, as a missing name does).
public protocol TemplateFields {
    func field(_ name: String) -> Any?
}

/// Templates (swift-mustache) looked up in the site's theme folder first, then in the built-in theme.
///
/// Lookup order for every template, partial and static file `name`:
///   1. `<site>/themes/<theme>/<name>` — the site's own or overriding file
///   2. the built-in `default` theme shipped with sitegen
/// Templates auto-escape `{{value}}`; only pre-rendered HTML (Markdown, SVG) is placed with `{{{value}}}`.
public struct Theme: Sendable {
    public let library: MustacheLibrary
    /// Static files (CSS, JS, images) to copy: output path → source file.
    public let staticFiles: [(path: String, source: URL)]
    /// Which folder each template came from, for messages and metrics.
    public let origins: [String: String]
    /// Templates a site's theme folder gives (not the built-in theme, the last folder).
    public var overridden: Set<String> = []

    /// Loads templates; every syntax error and missing partial is reported with file:line, and every
    /// link, named pipe, device or socket in a theme folder is refused (`Links`).
    public static func load(folders: [URL], links: LinkRule = LinkRule()) -> Result<Theme, BuildFailure> {
        var files: [String: URL] = [:]     // template name → file (first folder wins)
        var statics: [String: URL] = [:]
        var overridden: Set<String> = []
        var bag = DiagnosticBag()
        for (n, folder) in folders.enumerated().reversed() {  // later folders are overridden by earlier ones
            let listing = list(folder, links: links)
            for refused in listing.refused {
                bag.error(SourceLocation(file: displayPath(URL(fileURLWithPath: refused.path))), refused.message)
            }
            for (relative, url) in listing.files {
                if relative.hasSuffix(".mustache") {
                    files[String(relative.dropLast(".mustache".count))] = url
                    if n < folders.count - 1 { overridden.insert(String(relative.dropLast(".mustache".count))) }
                } else if relative.hasPrefix("static/") {
                    statics[String(relative.dropFirst("static/".count))] = url
                }
            }
        }
        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        for name in files.keys.sorted() {
            let url = files[name]!
            let display = displayPath(url)
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                bag.error(SourceLocation(file: display), "cannot read template (is it UTF-8?)")
                continue
            }
            do {
                library.register(try MustacheTemplate(string: Self.escaping + text), named: name)
                texts[name] = text
            } catch let error as MustacheTemplate.ParserError {
                // Sections are matched here too, to point at the tag that opened an unclosed section.
                if let problem = sectionProblem(text) {
                    bag.error(SourceLocation(file: display, line: problem.line), "template syntax error: \(problem.message)")
                } else {
                    // The escaping pragma is a line of its own above the file's first.
                    let near = error.context.line.trimmingCharacters(in: .whitespaces)
                    bag.error(SourceLocation(file: display, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                              "template syntax error: \(describe(error.error))\(near.isEmpty ? "" : " near '\(near)'")")
                }
            } catch {
                bag.error(SourceLocation(file: display), "template error: \(error)")
            }
        }
        // Partials and parents that do not exist render as nothing in Mustache: report them instead.
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            for (line, partial) in partialNames(text) where texts[partial] == nil {
                bag.error(SourceLocation(file: displayPath(files[name]!), line: line),
                          "template uses partial {{>\(partial)}}, but no theme folder has \(partial).mustache; expected an existing partial, or that file in the theme folder")
            }
        }
        for required in ["disclosure", "department", "home", "404", "region", "compare", "across-years", "search"] where texts[required] == nil {
            bag.error(SourceLocation(file: folders.first.map(displayPath) ?? "themes"), "the theme has no \(required).mustache")
        }
        if bag.hasErrors { return .failure(BuildFailure(bag.sorted)) }
        var theme = Theme(library: library, staticFiles: statics.keys.sorted().map { ($0, statics[$0]!) },
                          origins: files.mapValues(displayPath))
        theme.overridden = overridden
        return .success(theme)
    }

    /// Names, sizes and bytes' hashes of every file of the theme folders (and what they refuse):
    /// equal stamps, same theme.
    public static func stamp(_ folders: [URL], links: LinkRule = LinkRule()) -> String {
        folders.map { list($0, links: links).stamp }.joined(separator: "|")
    }

    /// Put before every template: `{{value}}` is escaped by `Markup.escape` (one pass over UTF-8, the
    /// escaping of the HTML that view models write themselves) instead of swift-mustache's default, which
    /// looks every Character up in a dictionary (a large part of template time:
    /// bench/README.md#figures-that-were-in-code-comments) and skips "<" when a combining mark follows it.
    static let escaping: String = {
        MustacheContentTypes.register(EscapedHTML(), named: "SITEGEN_HTML")
        return "{{% CONTENT_TYPE: SITEGEN_HTML }}\n"   // standalone: the line leaves nothing in the output
    }()

    struct EscapedHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { Markup.escape(text) }
    }

    /// Renders a page; the view model is any value. View models name their own fields
    /// (`TemplateFields`): swift-mustache would otherwise reflect on every tag, and even reflecting
    /// once per field was a large part of template time (bench/templates/README.md,
    /// bench/README.md#figures-that-were-in-code-comments).
    public func render(_ template: String, _ model: Any) -> String {
        library.render(Self.plain(model), withTemplate: template) ?? ""
    }

    /// Strings, numbers and booleans as they are; arrays element by element; view models as field
    /// sets read on demand; anything else is left to swift-mustache.
    static func plain(_ value: Any) -> Any {
        switch value {
        case let s as String: return s
        case let b as Bool: return b
        case let i as Int: return i
        case let named as TemplateFields: return Fields(named)
        case let list as [Any]: return list.map(plain)
        default: return value
        }
    }

    /// A view model seen by Mustache: each field is converted only when a template asks for it (a
    /// grid's `bodyHTML` without its thousands of cells), then kept.
    final class Fields: MustacheParent {
        let value: TemplateFields
        var converted: [String: Any] = [:]

        init(_ value: TemplateFields) { self.value = value }

        func child(named name: String) -> Any? {
            if let done = converted[name] { return done }
            guard let field = value.field(name) else { return nil }
            let result = plain(field)
            converted[name] = result
            return result
        }
    }

    static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "a closing tag does not match its opening section"
        case .unfinishedName?: return "unfinished tag (missing '}}')"
        case .expectedSectionEnd?: return "a section is not closed (missing {{/name}})"
        case .invalidSetDelimiter?: return "invalid set-delimiter tag"
        default: return "\(error)"
        }
    }

    /// The first unbalanced section tag: a `{{/x}}` that closes another section, or a `{{#x}}` never closed.
    static func sectionProblem(_ text: String) -> (line: Int, message: String)? {
        var open: [(name: String, tag: String, line: Int)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let start = rest.range(of: "{{") {
                rest = rest[start.upperBound...]
                guard let close = rest.range(of: "}}") else { break }
                let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                rest = rest[close.upperBound...]
                guard let sigil = tag.first else { continue }
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                switch sigil {
                case "#", "^", "$", "<":
                    open.append((name, "{{\(sigil)\(name)}}", i + 1))
                case "/":
                    guard let last = open.last else {
                        return (i + 1, "found {{/\(name)}} with no open section; expected a {{#\(name)}} before it")
                    }
                    if last.name != name {
                        return (i + 1, "found {{/\(name)}}; expected {{/\(last.name)}} to close \(last.tag) on line \(last.line)")
                    }
                    open.removeLast()
                default: continue
                }
            }
        }
        if let last = open.last {
            return (last.line, "the section \(last.tag) that opens on this line is not closed; expected {{/\(last.name)}}")
        }
        return nil
    }

    /// `{{>name}}` and `{{<name}}` with their lines.
    static func partialNames(_ text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                guard let close = rest.range(of: "}}") else { break }
                let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if let first = tag.first, first == ">" || first == "<" {
                    let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                    if !name.hasPrefix("*") { result.append((i + 1, name)) }
                }
                rest = rest[close.upperBound...]
            }
        }
        return result
    }

    /// The plain files under a folder (hidden ones left out), sorted; the paths refused and why; and
    /// a stamp of it all (name, size and hash of the bytes of each file).
    static func list(_ folder: URL, links: LinkRule) -> (files: [(String, URL)], refused: [(path: String, message: String)], stamp: String) {
        var files: [(String, URL)] = []
        var refused: [(path: String, message: String)] = []
        var stamp = ""
        func visit(_ path: String, _ relative: String) {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                if let message = links.refusal(path) {
                    refused.append((path, message))
                    stamp += "\(relative)@\(linkTarget(path));"
                    return
                }
                stat(path, &st)
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                for name in names { visit(path + "/" + name, relative.isEmpty ? name : relative + "/" + name) }
            case S_IFREG:
                files.append((relative, URL(fileURLWithPath: path)))
                // Theme files are few and small: their bytes, not their times, tell an edit (one made
                // in the same clock tick as the last build's stamp too).
                let bytes = FileManager.default.contents(atPath: path).map { Digest.fnv1a(bytes: [UInt8]($0)) } ?? "?"
                stamp += "\(relative):\(st.st_size):\(bytes);"
            default:
                refused.append((path, localized("这不是普通文件，而是命名管道、设备或套接字；主题文件夹中只能有普通文件和文件夹",
                                                en: "this is a named pipe, device or socket, not a file; a theme folder may hold only plain files and folders")))
                stamp += "\(relative)!;"
            }
        }
        var st = stat()
        if stat(folder.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { visit(folder.standardizedFileURL.path, "") }
        return (files.sorted { $0.0 < $1.0 }, refused, stamp)
    }

    /// Paths in messages are relative to the working directory when possible.
    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let p = url.standardizedFileURL.path
        return p.hasPrefix(cwd + "/") ? String(p.dropFirst(cwd.count + 1)) : p
    }
}
