import Content
import Foundation
import Model
import Testing
import TestSite

/// Messages speak Chinese unless English is asked for (`--lang en`, or an English `LANG`), and in
/// either language name the file and line, what was found and what was expected.
///
/// The language is a process-wide setting the command line makes once; so English is tested
/// through the binary, never by changing it under tests that run in parallel.
@Suite("Message language")
struct LanguageTests {
    static let disclosure = "departments/test-dept/2022/disclosure.yaml"

    /// A disclosure.yaml with `十元` where an amount belongs (line 23: 公开02表 row 2080505).
    static func malformed() throws -> String {
        try String(contentsOf: Corpus.root.appendingPathComponent("09-amount-text").appendingPathComponent(disclosure), encoding: .utf8)
    }

    static let chinese = "\(disclosure):23: error: 公开02表 2080505 机关事业单位基本养老保险缴费支出 行“财政拨款收入”列：写的是 '十元'——不是数字（只写数字，如 55.57，不带单位）；应为以万元为单位的金额，如 55.57"
    static let english = "\(disclosure):23: error: 公开02表 row 2080505 机关事业单位基本养老保险缴费支出, column 财政拨款收入: found '十元' — text that is not a number (write digits only, e.g. 55.57, without units); expected an amount in 万元 such as 55.57"

    @Test("by default a malformed content file's diagnostic is in Chinese and names file:line")
    func chineseByDefault() throws {
        let catalogs = try #require(ContentLoader.load(from: Corpus.base).content?.catalogs)
        let (_, diagnostics) = ContentLoader.decodeDisclosure(text: try Self.malformed(), department: "test-dept", year: 2022, catalogs: catalogs)
        #expect(diagnostics.filter { $0.severity == .error }.map(\.description) == [Self.chinese])
    }

    @Test("sitegen check: Chinese by default, English with --lang en or an English LANG; file:line either way")
    func commandLine() throws {
        let (content, _) = try corpusSite("language", [Self.disclosure: try Self.malformed()])
        let prefix = content.path + "/"
        let zh = try Self.check(content, lang: nil, environment: "zh_CN.UTF-8")
        #expect(zh.status == 1 && zh.stderr.contains(prefix + Self.chinese), "\(zh.stderr)")
        let bare = try Self.check(content, lang: nil, environment: nil)
        #expect(bare.status == 1 && bare.stderr.contains(prefix + Self.chinese), "\(bare.stderr)")
        let en = try Self.check(content, lang: "en", environment: "zh_CN.UTF-8")
        #expect(en.status == 1 && en.stderr.contains(prefix + Self.english), "\(en.stderr)")
        let fromLANG = try Self.check(content, lang: nil, environment: "en_US.UTF-8")
        #expect(fromLANG.status == 1 && fromLANG.stderr.contains(prefix + Self.english), "\(fromLANG.stderr)")
        let zhOverLANG = try Self.check(content, lang: "zh", environment: "en_US.UTF-8")
        #expect(zhOverLANG.status == 1 && zhOverLANG.stderr.contains(prefix + Self.chinese), "\(zhOverLANG.stderr)")
    }

    /// `sitegen check` on a content folder: its exit status and standard error.
    /// `environment`: the `LANG` it runs with (nil: none; `LC_ALL` and `LC_MESSAGES` are never set).
    static func check(_ content: URL, lang: String?, environment: String?) throws -> (status: Int32, stderr: String) {
        let err = temporaryFolder("language-stderr").appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = sitegenBinary
        process.arguments = ["check", "--content", content.path] + (lang.map { ["--lang", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        env["LANG"] = environment
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
