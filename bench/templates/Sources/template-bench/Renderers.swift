import Foundation
import Mustache
import Stencil

// MARK: - Escaping shared by the Stencil filter and the hand-written renderer

/// The same five characters swift-mustache escapes for `{{value}}` (`& < > " '`), so outputs compare equal.
func appendEscaped(_ s: String, to out: inout String) {
    let utf8 = s.utf8
    // Fast path: nothing to escape (most amounts and names).
    if !utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
        out += s
        return
    }
    var start = utf8.startIndex
    var i = start
    while i != utf8.endIndex {
        let replacement: String?
        switch utf8[i] {
        case 0x26: replacement = "&amp;"
        case 0x3C: replacement = "&lt;"
        case 0x3E: replacement = "&gt;"
        case 0x22: replacement = "&quot;"
        case 0x27: replacement = "&#39;"
        default: replacement = nil
        }
        if let replacement {
            out += Substring(utf8[start..<i])
            out += replacement
            start = utf8.index(after: i)
        }
        i = utf8.index(after: i)
    }
    out += Substring(utf8[start..<utf8.endIndex])
}

func escaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count + 16)
    appendEscaped(s, to: &out)
    return out
}

// MARK: - (1) swift-mustache with the theme's real partials

/// Every `<theme>/partials/*.mustache`, by template name (`partials/grid` …), as sitegen's Theme registers them.
/// The page uses `partials/table`, which includes `partials/grid` (and `partials/chart` when a table has charts).
struct TemplateFiles {
    var partials: [String: String]

    static func read(theme: String) throws -> TemplateFiles {
        let folder = theme + "/partials"
        var partials: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".mustache") {
            partials["partials/" + file.dropLast(".mustache".count)] = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        }
        for required in ["partials/table", "partials/grid"] where partials[required] == nil {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(theme)/\(required).mustache"])
        }
        return TemplateFiles(partials: partials)
    }
}

/// The page loops over the tables with the theme's own table partial (disclosure.mustache does the same
/// through `{{>*partial}}`, whose per-table partials are one-line `{{>partials/table}}`).
let mustachePage = "{{#tables}}{{>partials/table}}{{/tables}}"

func makeMustacheLibrary(_ files: TemplateFiles) throws -> MustacheLibrary {
    var library = MustacheLibrary()
    for (name, text) in files.partials { library.register(try MustacheTemplate(string: text), named: name) }
    library.register(try MustacheTemplate(string: mustachePage), named: "page")
    return library
}

/// The theme's grid with `{{#.cls}}` instead of `{{#cls}}` (likewise scope, colspan, rowspan): a leading dot
/// looks the name up on the current cell or row only. Without it, a name the cell lacks is looked up in the
/// row, then the table, then the page (Mustache's context stack): slower, and a row's `cls` lands on its cells.
func withoutStackClimbing(_ grid: String) -> String {
    var text = grid
    for name in ["cls", "scope", "colspan", "rowspan"] {
        text = text.replacingOccurrences(of: "{{#\(name)}}", with: "{{#.\(name)}}")
            .replacingOccurrences(of: "{{/\(name)}}", with: "{{/.\(name)}}")
    }
    return text
}

func renderMustache(_ library: MustacheLibrary, _ model: Any) -> String {
    library.render(model, withTemplate: "page") ?? ""
}

// MARK: - (2) Stencil with an equivalent template

// Stencil does not escape: every value goes through the `escape` filter registered below.
// Forgetting `|escape` once puts raw `<`/`&` from the data into the page.
let stencilTable = """
<section class="public-table{% if table.wide %} wide{% endif %}" id="{{ table.id|escape }}" aria-labelledby="{{ table.id|escape }}-title">
<h3 id="{{ table.id|escape }}-title"><span class="form-number">{{ table.number|escape }}</span> {{ table.title|escape }}</h3>
<p class="table-meta"><span>编制单位：{{ table.department|escape }}</span> <span>{{ table.year|escape }}</span> <span>{{ table.number|escape }}</span> <span>{{ table.unit|escape }}</span></p>
<div class="table-scroll" role="region" aria-labelledby="{{ table.id|escape }}-title" tabindex="0">
<table class="grid">
<caption>{{ table.number|escape }} {{ table.title|escape }}（{{ table.department|escape }} {{ table.year|escape }}，{{ table.unit|escape }}）</caption>
{% include "grid.html" %}</table>
</div>
{# table.mustache prints an empty line here when the table has no charts #}
<p class="downloads">下载本表：<a href="{{ table.csv|escape }}" download>CSV</a> · <a href="{{ table.json|escape }}" download>JSON</a></p>
<p class="table-note">注：{{ table.note|escape }}{% if table.tailNote %}<br>{{ table.tailNote|escape }}{% endif %}{% if table.isEmpty %}<br>本表无数据，说明见第三部分情况说明。{% endif %}</p>
</section>

"""

let stencilRow = """
<tr{% if row.cls %} class="{{ row.cls|escape }}"{% endif %}>{% for cell in row.cells %}<{{ cell.tag|escape }}{% if cell.scope %} scope="{{ cell.scope|escape }}"{% endif %}{% if cell.colspan %} colspan="{{ cell.colspan|escape }}"{% endif %}{% if cell.rowspan %} rowspan="{{ cell.rowspan|escape }}"{% endif %}{% if cell.cls %} class="{{ cell.cls|escape }}"{% endif %}>{{ cell.text|escape }}</{{ cell.tag|escape }}>{% endfor %}</tr>
"""

let stencilGrid = """
<thead>
{% for row in table.grid.head %}\(stencilRow)
{% endfor %}</thead>
<tbody>
{% if table.isEmpty %}<tr class="empty"><td colspan="{{ table.grid.width|escape }}">本表无数据</td></tr>
{% else %}{% for row in table.grid.body %}\(stencilRow)
{% endfor %}{% endif %}
</tbody>

"""

let stencilPage = "{% for table in tables %}{% include \"table.html\" %}{% endfor %}"

let stencilTemplates = ["page.html": stencilPage, "table.html": stencilTable, "grid.html": stencilGrid]

/// Keeps each lexed template, so `{% include %}` does not lex `grid.html` again for every table.
/// (Stencil still turns tokens into nodes on every `render`: that is in `Template.render(_:)`.)
final class CachingLoader: Loader {
    let templates: [String: String]
    private var cache: [String: Template] = [:]

    init(templates: [String: String]) { self.templates = templates }

    func loadTemplate(name: String, environment: Environment) throws -> Template {
        if let template = cache[name] { return template }
        guard let text = templates[name] else { throw TemplateDoesNotExist(templateNames: [name], loader: self) }
        let template = environment.templateClass.init(templateString: text, environment: environment, name: name)
        cache[name] = template
        return template
    }
}

func stencilEnvironment(loader: Loader) -> Environment {
    let ext = Extension()
    ext.registerFilter("escape") { (value: Any?) -> Any? in
        guard let value else { return "" }
        return escaped(value as? String ?? "\(value)")
    }
    return Environment(loader: loader, extensions: [ext])
}

func renderStencil(_ environment: Environment, _ context: [String: Any]) throws -> String {
    try environment.renderTemplate(name: "page.html", context: context)
}

// MARK: - (3) Hand-written Swift, byte for byte what the mustache templates produce

func renderHand(_ page: Page) -> String {
    var out = ""
    out.reserveCapacity(600_000)
    for t in page.tables {
        out += "<section class=\"public-table"
        if t.wide { out += " wide" }
        out += "\" id=\""; appendEscaped(t.id, to: &out)
        out += "\" aria-labelledby=\""; appendEscaped(t.id, to: &out)
        out += "-title\">\n<h3 id=\""; appendEscaped(t.id, to: &out)
        out += "-title\"><span class=\"form-number\">"; appendEscaped(t.number, to: &out)
        out += "</span> "; appendEscaped(t.title, to: &out)
        out += "</h3>\n<p class=\"table-meta\"><span>编制单位："; appendEscaped(t.department, to: &out)
        out += "</span> <span>"; appendEscaped(t.year, to: &out)
        out += "</span> <span>"; appendEscaped(t.number, to: &out)
        out += "</span> <span>"; appendEscaped(t.unit, to: &out)
        out += "</span></p>\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\""; appendEscaped(t.id, to: &out)
        out += "-title\" tabindex=\"0\">\n<table class=\"grid\">\n<caption>"; appendEscaped(t.number, to: &out)
        out += " "; appendEscaped(t.title, to: &out)
        out += "（"; appendEscaped(t.department, to: &out)
        out += " "; appendEscaped(t.year, to: &out)
        out += "，"; appendEscaped(t.unit, to: &out)
        out += "）</caption>\n<thead>\n"
        for row in t.grid.head { appendRow(row, to: &out) }
        out += "</thead>\n<tbody>\n"
        if t.isEmpty {
            out += "<tr class=\"empty\"><td colspan=\"\(t.grid.width)\">本表无数据</td></tr>\n"
        } else {
            for row in t.grid.body { appendRow(row, to: &out) }
        }
        out += "\n</tbody>\n</table>\n</div>\n\n<p class=\"downloads\">下载本表：<a href=\""; appendEscaped(t.csv, to: &out)
        out += "\" download>CSV</a> · <a href=\""; appendEscaped(t.json, to: &out)
        out += "\" download>JSON</a></p>\n<p class=\"table-note\">注："; appendEscaped(t.note, to: &out)
        if let tail = t.tailNote { out += "<br>"; appendEscaped(tail, to: &out) }
        if t.isEmpty { out += "<br>本表无数据，说明见第三部分情况说明。" }
        out += "</p>\n</section>\n"
    }
    return out
}

@inline(__always)
func appendRow(_ row: GridRow, to out: inout String) {
    out += "<tr"
    if let cls = row.cls { out += " class=\""; appendEscaped(cls, to: &out); out += "\"" }
    out += ">"
    for c in row.cells {
        out += "<"; out += c.tag
        if let scope = c.scope { out += " scope=\""; appendEscaped(scope, to: &out); out += "\"" }
        if let colspan = c.colspan { out += " colspan=\"\(colspan)\"" }
        if let rowspan = c.rowspan { out += " rowspan=\"\(rowspan)\"" }
        if let cls = c.cls { out += " class=\""; appendEscaped(cls, to: &out); out += "\"" }
        out += ">"; appendEscaped(c.text, to: &out)
        out += "</"; out += c.tag; out += ">"
    }
    out += "</tr>\n"
}
