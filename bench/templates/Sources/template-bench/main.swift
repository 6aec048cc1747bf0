// template-bench: renders one sitegen page (ten tables × 300 rows × 8 cells) with swift-mustache,
// Stencil and hand-written Swift, checks that they print the same cells, and times them.
//
//   template-bench [--renders N] [--rounds R] [--warmups W] [--tables T] [--rows R] [--theme DIR] [--only NAME]… [--dump DIR]
import Foundation
import Mustache
import Stencil

// MARK: - Options

struct Options {
    var renders = 20
    var rounds = 3
    var warmups = 2
    var tables = 10
    var rows = 300
    /// themes/default of the sitegen checkout this file is in (bench/templates/Sources/template-bench/main.swift).
    var theme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes/default").path
    var dump: String?
    /// Time only the engines whose name contains one of these (case-insensitive); all are still checked.
    var only: [String] = []
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    func int(_ flag: String) -> Int {
        guard let v = args.popFirst().flatMap({ Int($0) }), v >= 0 else { fail("\(flag) needs a number") }
        return v
    }
    while let a = args.popFirst() {
        switch a {
        case "--renders": o.renders = max(1, int(a))
        case "--rounds": o.rounds = max(1, int(a))
        case "--warmups": o.warmups = int(a)
        case "--tables": o.tables = max(1, int(a))
        case "--rows": o.rows = max(1, int(a))
        case "--theme":
            guard let v = args.popFirst() else { fail("--theme needs a folder") }
            o.theme = v
        case "--only":
            guard let v = args.popFirst() else { fail("--only needs a name, e.g. mustache, stencil, hand") }
            o.only.append(v.lowercased())
        case "--dump":
            guard let v = args.popFirst() else { fail("--dump needs a folder") }
            o.dump = v
        case "-h", "--help":
            print("usage: template-bench [--renders N=20] [--rounds R=3] [--warmups W=2] [--tables 10] [--rows 300] [--theme themes/default] [--only mustache|stencil|hand|…] [--dump DIR]")
            exit(0)
        default: fail("unknown argument \(a) (try --help)")
        }
    }
    return o
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("template-bench: \(message)\n".utf8))
    exit(2)
}

// MARK: - Timing

let clock = ContinuousClock()

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

var sink = 0  // keeps results alive

/// Milliseconds per call: `warmups` untimed calls, then `rounds` rounds of `n` calls; median of the rounds.
@MainActor
/// Also the CPU time of this thread, which other processes on a busy machine inflate much less than wall time.
func time(n: Int, rounds: Int, warmups: Int, _ body: () throws -> String) rethrows -> (median: Double, rounds: [Double], cpu: Double) {
    for _ in 0..<warmups { sink &+= try body().utf8.count }
    var perRound: [Double] = []
    var cpuPerRound: [Double] = []
    for _ in 0..<rounds {
        let start = clock.now
        let cpuStart = threadCPUms()
        for _ in 0..<n { sink &+= try body().utf8.count }
        cpuPerRound.append((threadCPUms() - cpuStart) / Double(n))
        perRound.append(ms(clock.now - start) / Double(n))
    }
    return (median(perRound), perRound, median(cpuPerRound))
}

func threadCPUms() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

/// 1-minute load average, to judge how busy the machine was.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

func fmt(_ x: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", x) }
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

// MARK: - Comparing outputs

/// The escaped text of every `<td>`/`<th>`, in order.
func cellTexts(_ html: String) -> [Substring] {
    let regex = try! Regex("<(td|th)(?: [^>]*)?>(.*?)</(?:td|th)>")
    return html.matches(of: regex).map { $0.output[2].substring ?? "" }
}

/// Whitespace runs become one space, and none is left between tags.
func normalised(_ html: String) -> String {
    html.replacing(try! Regex("\\s+"), with: " ").replacing(try! Regex("> <"), with: "><")
        .trimmingCharacters(in: .whitespaces)
}

// MARK: - Run

let options = parseOptions()
let page = makePage(tables: options.tables, rows: options.rows)
let pageDictionary = dictionary(page)
let expectedCells = options.tables * (options.rows + 1) * 8

print("template-bench: \(options.tables) tables × \(options.rows) rows × 8 cells (\(expectedCells) cells), "
    + "\(options.renders) renders × \(options.rounds) rounds after \(options.warmups) warm-ups, "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
print("theme: \(options.theme); load average (1, 5, 15 min): \(loadAverage())")

let files: TemplateFiles
do { files = try TemplateFiles.read(theme: options.theme) } catch { fail("cannot read the theme's partials: \(error)") }
let library: MustacheLibrary
do { library = try makeMustacheLibrary(files) } catch { fail("swift-mustache cannot parse the theme's partials: \(error)") }
let dottedLibrary: MustacheLibrary
var dottedFiles = files
dottedFiles.partials["partials/grid"] = withoutStackClimbing(files.partials["partials/grid"]!)
do { dottedLibrary = try makeMustacheLibrary(dottedFiles) } catch {
    fail("swift-mustache cannot parse the dotted grid: \(error)")
}
let stencil = stencilEnvironment(loader: CachingLoader(templates: stencilTemplates))
let stencilStructContext: [String: Any] = ["tables": page.tables]

struct Engine {
    var name: String
    var render: () throws -> String
}

let engines: [Engine] = [
    Engine(name: "swift-mustache 2.1.1, structs (Mirror), theme as is") { renderMustache(library, page) },
    Engine(name: "swift-mustache 2.1.1, [String: Any], theme as is") { renderMustache(library, pageDictionary) },
    Engine(name: "swift-mustache 2.1.1, structs, grid with {{#.cls}}") { renderMustache(dottedLibrary, page) },
    Engine(name: "Stencil 0.15.1, [String: Any] + escape filter") { try renderStencil(stencil, pageDictionary) },
    Engine(name: "Stencil 0.15.1, structs (Mirror) + escape filter") { try renderStencil(stencil, stencilStructContext) },
    Engine(name: "hand-written Swift (manual escaping)") { renderHand(page) },
]

// 1. Same page from every engine?
print("\n## Same output?")
var outputs: [String] = []
do {
    for e in engines { outputs.append(try e.render()) }
} catch {
    fail("render failed: \(error)")
}
if let dump = options.dump {
    try? FileManager.default.createDirectory(atPath: dump, withIntermediateDirectories: true)
    for (i, o) in outputs.enumerated() { try? o.write(toFile: "\(dump)/\(i + 1).html", atomically: true, encoding: .utf8) }
}
// The gate is the sequence of escaped cell texts; the markup around them is compared too and reported.
let handOutput = outputs.last!
let reference = cellTexts(handOutput)
let referenceLines = handOutput.split(separator: "\n").map { normalised(String($0)) }.filter { !$0.isEmpty }
var mismatch = false
print("(reference: hand-written; cell texts are compared escaped, markup line by line with whitespace normalised)")
for (e, o) in zip(engines, outputs) {
    let cells = cellTexts(o)
    let sameCells = cells == reference && cells.count == expectedCells
    let lines = o.split(separator: "\n").map { normalised(String($0)) }.filter { !$0.isEmpty }
    let differing = lines.count == referenceLines.count ? zip(lines, referenceLines).filter { $0 != $1 }.count : -1
    let escapedCells = cells.filter { $0.contains("&") }.count
    let markup = o == handOutput ? "byte-identical" : differing == 0 ? "same modulo whitespace"
        : differing > 0 ? "\(differing) of \(lines.count) lines differ" : "different line count"
    print("- \(pad(e.name, 52)) \(cells.count) cells (\(escapedCells) with entities), same cell texts: \(sameCells ? "yes" : "NO"); markup: \(markup)")
    if !sameCells {
        mismatch = true
        let common = min(cells.count, reference.count)
        if let i = (0..<common).first(where: { cells[$0] != reference[$0] }) ?? (cells.count != reference.count ? common : nil) {
            print("  first difference at cell \(i): \(i < cells.count ? String(cells[i]) : "<none>") vs \(i < reference.count ? String(reference[i]) : "<none>")")
        }
    }
    if differing > 0, let i = lines.indices.first(where: { lines[$0] != referenceLines[$0] }) {
        print("  first differing line \(i + 1):\n    \(e.name): \(lines[i].prefix(110))…\n    hand-written: \(referenceLines[i].prefix(110))…")
    }
}
if mismatch { fail("cell texts differ: the timings would not compare the same page") }

// 2. Parse / load
print("\n## Parse / load (templates for one page; median of \(options.rounds) rounds of 200)")
let loadMustache = time(n: 200, rounds: options.rounds, warmups: 5) { () -> String in
    let f = try! TemplateFiles.read(theme: options.theme)
    let l = try! makeMustacheLibrary(f)
    return l.getTemplate(named: "page")!.description
}
let parseMustache = time(n: 200, rounds: options.rounds, warmups: 5) { () -> String in
    var l = MustacheLibrary()
    for name in ["partials/table", "partials/grid"] { l.register(try! MustacheTemplate(string: files.partials[name]!), named: name) }
    l.register(try! MustacheTemplate(string: mustachePage), named: "page")
    return l.getTemplate(named: "page")!.description
}
let lexStencil = time(n: 200, rounds: options.rounds, warmups: 5) { () -> String in
    var count = 0
    for (name, text) in stencilTemplates { count += Template(templateString: text, environment: stencil, name: name).tokens.count }
    return String(count)
}
let lexParseStencil = time(n: 200, rounds: options.rounds, warmups: 5) { () -> String in
    var count = 0
    for (name, text) in stencilTemplates {
        let t = Template(templateString: text, environment: stencil, name: name)
        count += try! TokenParser(tokens: t.tokens, environment: stencil).parse().count
    }
    return String(count)
}
print("| step | µs (wall) | µs (CPU) |")
print("|---|---:|---:|")
print("| swift-mustache: read the theme's \(files.partials.count) partials from disk, parse, register (once per build) | \(fmt(loadMustache.median * 1000)) | \(fmt(loadMustache.cpu * 1000)) |")
print("| swift-mustache: parse + register page + table + grid | \(fmt(parseMustache.median * 1000)) | \(fmt(parseMustache.cpu * 1000)) |")
print("| Stencil: lex page + table + grid (`Template.init`) | \(fmt(lexStencil.median * 1000)) | \(fmt(lexStencil.cpu * 1000)) |")
print("| Stencil: lex + parse to nodes (Stencil redoes the parse inside every `render`) | \(fmt(lexParseStencil.median * 1000)) | \(fmt(lexParseStencil.cpu * 1000)) |")

// 3. Conversion cost of the dictionary variant
let convert = time(n: options.renders, rounds: options.rounds, warmups: options.warmups) { () -> String in
    String((dictionary(page)["tables"] as! [Any]).count)
}

// 4. Render
print("\n## Render (ms per page: median of \(options.rounds) rounds of \(options.renders) renders)")
var results: [(engine: Engine, wall: Double, rounds: [Double], cpu: Double, bytes: Int)] = []
for (e, o) in zip(engines, outputs) where options.only.isEmpty || options.only.contains(where: { e.name.lowercased().contains($0) }) || e.name.hasPrefix("hand") {
    let r = try time(n: options.renders, rounds: options.rounds, warmups: options.warmups, e.render)
    results.append((e, r.median, r.rounds, r.cpu, o.utf8.count))
    FileHandle.standardError.write(Data("  timed \(e.name): \(fmt(r.median, 2)) ms (CPU \(fmt(r.cpu, 2)) ms), load \(loadAverage())\n".utf8))
}
let hand = results.last!
print("| engine | ms per page | CPU ms per page | vs hand-written (CPU) | output bytes | rounds, wall ms |")
print("|---|---:|---:|---:|---:|---|")
for r in results {
    print("| \(r.engine.name) | \(fmt(r.wall, r.wall < 10 ? 2 : 1)) | \(fmt(r.cpu, r.cpu < 10 ? 2 : 1)) | \(fmt(r.cpu / hand.cpu, 0))× | \(r.bytes) | \(r.rounds.map { fmt($0, 1) }.joined(separator: ", ")) |")
}
print("load average (1, 5, 15 min) at the end: \(loadAverage())")
print("\nstructs → [String: Any] conversion for the page: \(fmt(convert.median, 2)) ms (CPU \(fmt(convert.cpu, 2)) ms) "
    + "(the [String: Any] rows above exclude it; add it for the end-to-end cost)")

// 5. Behaviour that matters more than speed
print("\n## Behaviour")
let hostile = ["x": "<script>alert(\"x\") & 'y'</script>"]
let mustacheEscapes = (try? MustacheTemplate(string: "{{x}}").render(hostile)) ?? "?"
let stencilPlain = (try? Environment().renderTemplate(string: "{{ x }}", context: hostile)) ?? "?"
print("- default escaping of {{x}} = \(hostile["x"]!):")
print("    swift-mustache: \(mustacheEscapes)")
print("    Stencil:        \(stencilPlain)\(stencilPlain == hostile["x"]! ? "   ← raw: Stencil has no autoescape; every value needs |escape (a custom filter)" : "")")

let brokenMustache = "<p>\n{{#rows}}<tr>\n<td>{{text}}</td>\n</p>\n"
do {
    _ = try MustacheTemplate(string: brokenMustache)
    print("- swift-mustache, unclosed section: no error")
} catch let e as MustacheTemplate.ParserError {
    print("- swift-mustache, unclosed {{#rows}} opened on line 2: \(e.error) at line \(e.context.lineNumber), column \(e.context.columnNumber) (parse time)")
} catch { print("- swift-mustache, unclosed section: \(error)") }
do {
    _ = try MustacheTemplate(string: "<p>\n<td>{{text</td>\n</p>\n")
    print("- swift-mustache, unclosed {{text: no error")
} catch let e as MustacheTemplate.ParserError {
    print("- swift-mustache, unclosed {{text on line 2: \(e.error) at line \(e.context.lineNumber), column \(e.context.columnNumber)")
} catch { print("- swift-mustache, unclosed {{: \(error)") }

let brokenStencil = "<p>\n{% for row in rows %}<tr>\n<td>{{ row }}</td>\n</p>\n"
let stencilTemplate = Template(templateString: brokenStencil, environment: Environment(), name: "broken.html")
print("- Stencil, unclosed {% for %} on line 2: Template.init accepts it (\(stencilTemplate.tokens.count) tokens); ", terminator: "")
do {
    _ = try stencilTemplate.render(["rows": ["a"]])
    print("render: no error")
} catch let e as TemplateSyntaxError {
    let where_ = e.token.map { "line \($0.sourceMap.location.lineNumber), offset \($0.sourceMap.location.lineOffset)" } ?? "no location"
    print("render throws \"\(e.reason)\" at \(where_)")
} catch { print("render throws \(error)") }
let truncated = (try? Environment().renderTemplate(string: "<p>\n<td>{{ text </td>\n</p>\n<footer>end</footer>\n", context: ["text": "a"])) ?? "(error)"
print("- Stencil, unclosed {{ text on line 2: no error, renders \(truncated.debugDescription)")

var partialLibrary = MustacheLibrary()
try? partialLibrary.register("<main>{{>nosuch}}</main>", named: "page")
print("- swift-mustache, missing partial: renders \((partialLibrary.render([String: Any](), withTemplate: "page") ?? "nil").debugDescription) silently (sitegen's Theme.load reports it with file:line)")
do {
    _ = try Environment(loader: DictionaryLoader(templates: [:])).renderTemplate(string: "<main>{% include \"nosuch.html\" %}</main>")
    print("- Stencil, missing include: no error")
} catch { print("- Stencil, missing include: throws at render: \(error)") }

var inheritance = MustacheLibrary()
try? inheritance.register("<html><title>{{$title}}default{{/title}}</title><body>{{$content}}{{/content}}</body></html>", named: "base")
try? inheritance.register("{{<base}}{{$title}}表{{/title}}{{$content}}<p>{{x}}</p>{{/content}}{{/base}}", named: "child")
let inherited = inheritance.render(["x": "a&b"], withTemplate: "child") ?? "nil"
let stencilInherited = (try? Environment(loader: DictionaryLoader(templates: [
    "base.html": "<html><title>{% block title %}default{% endblock %}</title><body>{% block content %}{% endblock %}</body></html>",
    "child.html": "{% extends \"base.html\" %}{% block title %}表{% endblock %}{% block content %}<p>{{ x }}</p>{% endblock %}",
])).renderTemplate(name: "child.html", context: ["x": "a&b"])) ?? "(error)"
print("- template inheritance: swift-mustache parents/blocks → \(inherited)")
print("                        Stencil extends/block       → \(stencilInherited)")
if sink == 42 { print("") }
