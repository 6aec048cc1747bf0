import Foundation
import Model
import Pipeline
import Support
import OpenData
@testable import Site
import Testing
import TestSite

@Suite struct OpenDataTests {
    static var folder: URL { exampleBuild.output.appendingPathComponent("donghu-sme/2022") }
    static var paths: (workbook: String, json: String, package: String) { Downloads.paths(slug: "donghu-sme", year: 2022) }

    static func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: exampleBuild.output.appendingPathComponent(path))) }

    /// A file of the disclosure's data package ZIP, as text.
    static func packageFile(_ name: String) throws -> String {
        let package = try bytes(paths.package)
        return String(decoding: try #require(Downloads.entry(package, name), "\(name) in the data package"), as: UTF8.self)
    }

    static func model() throws -> AnalysedSite {
        var stages: [(String, Duration, Int)] = []
        return try Analyser.analyse(content: exampleContent, stages: &stages).get()
    }

    @Test func aDisclosurePublishesItsPageAndThreeDownloads() throws {
        _ = try exampleBuild.result.get()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files == ["donghu-sme-2022-juesuan-datapackage.zip", "donghu-sme-2022-juesuan.json", "donghu-sme-2022-juesuan.xlsx", "index.html"])
        // The page links to them.
        let page = read(Self.folder.appendingPathComponent("index.html"))
        for name in files where name != "index.html" { #expect(page.contains("href=\"\(name)\""), "\(name)") }
        #expect(!page.contains("data/t0"))
        // Every disclosure folder of the site holds at most four files.
        let model = try Self.model()
        for d in model.disclosures.all {
            let dir = exampleBuild.output.appendingPathComponent("\(d.department)/\(d.year)")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(names.count <= 4, "\(d.id): \(names)")
        }
    }

    /// Names say whose and which year they are: two departments' (or two years') files never have the
    /// same name, wherever they are saved; ASCII when the slug is.
    @Test func downloadNamesNeverCollide() throws {
        let model = try Self.model()
        var seen: [String: String] = [:]
        for d in model.disclosures.all {
            let names = OpenData.disclosureFileNames(slug: d.department, year: d.year)
                + TableKind.allCases.map { OpenData.tableFileName($0, slug: d.department, year: d.year) }
                + [OpenData.stem(slug: d.department, year: d.year) + ".csv"]
            for name in names {
                #expect(seen[name] == nil, "\(name): \(d.id) and \(seen[name] ?? "")")
                seen[name] = d.id
                #expect(name.contains(d.department) && name.contains("\(d.year)") && name.unicodeScalars.allSatisfy(\.isASCII), "\(name)")
            }
        }
        #expect(seen.count == model.disclosures.all.count * 14)
        // And in a generated site of many departments: the published download names are all different.
        let downloads = snapshot(exampleBuild.output).keys.filter { $0.split(separator: "/").count == 3 && !$0.hasSuffix(".html") && !$0.hasPrefix("compare/") }
        let basenames = downloads.map { ($0 as NSString).lastPathComponent }
        #expect(Set(basenames).count == basenames.count)
        #expect(basenames.count == 3 * model.disclosures.all.count)
    }

    @Test func tableCSVsCarryUnitDepartmentAndYear() throws {
        _ = try exampleBuild.result.get()
        let t02 = try Self.packageFile(Downloads.tableCSV("02", slug: "donghu-sme", year: 2022))
        #expect(t02.hasPrefix("\u{FEFF}"))
        let lines = t02.dropFirst().components(separatedBy: "\r\n")
        #expect(lines[0] == "部分,科目编码,项目,行次,本年收入合计,财政拨款收入,上级补助收入,事业收入,经营收入,附属单位上缴收入,其他收入,单位,部门,年度")
        #expect(lines.contains("科目,\"2010399\",其他政府办公厅（室）及相关机构事务支出,,55.57,55.57,0.00,0.00,0.00,0.00,0.00,万元,南昌市东湖区中小企业服务局,2022"))
        // 0.50 stays 0.50 (not 0.5) in 03.
        #expect(try Self.packageFile(Downloads.tableCSV("03", slug: "donghu-sme", year: 2022)).contains(",55.57,0.50,55.07,"))
        // 10 counts vehicles; 09's statistics count groups, people and cars; a heading of —— has no unit.
        let t10 = try Self.packageFile(Downloads.tableCSV("10", slug: "donghu-sme", year: 2022))
        #expect(t10.contains("1.副部（省）级及以上领导用车,2,,辆,南昌市东湖区中小企业服务局,2022\r\n"))
        let t09 = try Self.packageFile(Downloads.tableCSV("09", slug: "donghu-sme", year: 2022))
        #expect(t09.contains("（人）,17,——,——,,人,"))
        #expect(t09.contains("3.公务用车购置数（辆）,13,——,——,,辆,") || t09.contains("公务用车购置数（辆）,"))
        #expect(t09.contains("二、相关统计数,10,——,——,——,,南昌市东湖区中小企业服务局,2022"))
        // Every record has the header's fields, for every table of every disclosure.
        let model = try Self.model()
        for d in model.disclosures.all {
            let dept = try #require(model.content.department(d.department))
            for t in d.tables {
                let records = NamesRecords.parse(OpenData.tableCSV(t, department: dept, year: d.year))
                #expect(records.allSatisfy { $0.count == records[0].count }, "\(d.id) \(t.kind)")
                #expect(records.dropFirst().allSatisfy { $0[$0.count - 2] == dept.name && $0[$0.count - 1] == "\(d.year)" })
                #expect(records.dropFirst().allSatisfy { ["万元", "辆", "台、套", "个", "人", ""].contains($0[$0.count - 3]) })
            }
        }
    }

    /// The long CSV: a line per cell with its unit; the region's is its disclosures' lines in order.
    @Test func longCSVsHaveAUnitColumnAndTheRegionsAreTheDisclosures() throws {
        _ = try exampleBuild.result.get()
        let long = try Self.packageFile("donghu-sme-2022-juesuan.csv")
        let records = NamesRecords.parse(long)
        #expect(records[0] == OpenData.longHeader)
        #expect(records[0].suffix(2) == ["数值", "单位"])
        for record in records.dropFirst() {
            #expect(record.count == 12)
            #expect(record[11] == "" ? record[10] == "——" : ["万元", "辆", "台、套", "个", "人"].contains(record[11]), "\(record)")
        }
        #expect(records.contains { $0[4] == "03" && $0[10] == "55.57" && $0[11] == "万元" })

        // The region's long CSV: the header, then each of its disclosures' lines, as in their packages.
        let region = try Self.bytes("compare/jiangxi/2023/data.csv")
        let model = try Self.model()
        var expected = Array(OpenData.longCSVHeader.utf8)
        let members = model.disclosures.all.filter { $0.year == 2023 && ["donghu-sme", "xinfeng-gxj"].contains($0.department) }
        #expect(members.count == 2)
        for d in members.sorted(by: { $0.department < $1.department }) {
            let dept = try #require(model.content.department(d.department))
            expected += Array(OpenData.longLines(dept, d).utf8)
        }
        #expect(region == expected)
    }

    /// The region ZIP: the long CSV, its package, and each disclosure's ten tables copied from its package.
    @Test func regionZipHoldsTheTablesOfEachDisclosure() throws {
        _ = try exampleBuild.result.get()
        let zip = try Self.bytes("compare/jiangxi/2023/jiangxi-2023.zip")
        let names = try #require(Downloads.entries(zip))
        #expect(names.prefix(2) == ["data.csv", "datapackage.json"])
        #expect(names.count == 2 + 2 * 10)
        #expect(names.contains("xinfeng-gxj/t01-xinfeng-gxj-2023.csv"))
        let package = try Self.bytes(Downloads.paths(slug: "xinfeng-gxj", year: 2023).package)
        #expect(Downloads.entry(zip, "xinfeng-gxj/t05-xinfeng-gxj-2023.csv") == Downloads.entry(package, "t05-xinfeng-gxj-2023.csv"))
        #expect(Downloads.entry(zip, "data.csv") == (try Self.bytes("compare/jiangxi/2023/data.csv")))
    }

    /// Tables published elsewhere (`elsewhere:`) are left out of every download, which says where they
    /// are, rather than published as empty tables (a reader would take them for tables without figures).
    @Test func tablesPublishedElsewhereAreLeftOutOfTheDownloads() throws {
        let (_, content, output) = try copyOfExampleSite("downloads-elsewhere")
        let file = content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml")
        var text = read(file)
        for code in ["07", "08", "09", "10"] { text = text.replacingOccurrences(of: "  \"\(code)\": {}\n", with: "") }
        text = text.replacingOccurrences(of: "form: 2022\n", with: "form: 2022\nelsewhere: 本部门门户网站\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let paths = Self.paths
        func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: output.appendingPathComponent(path))) }
        let note = "本文件未收录以下决算表，其刊载于：本部门门户网站。公开07表 政府性基金预算财政拨款收入支出决算表；"

        let json = String(decoding: try bytes(paths.json), as: UTF8.self)
        #expect(json.contains("\"elsewhere\":\"" + note))
        #expect(json.contains("{\"table\":\"06\"") && !json.contains("{\"table\":\"07\""))

        let package = try bytes(paths.package)
        let names = try #require(Downloads.entries(package))
        #expect(names.filter { $0.hasPrefix("t") } == (1...6).map { "t0\($0)-donghu-sme-2022.csv" })
        let described = String(decoding: try #require(Downloads.entry(package, "datapackage.json")), as: UTF8.self)
        #expect(described.contains("\"description\": \"" + note))
        #expect(!described.contains("\"name\": \"t07\""))
        let long = String(decoding: try #require(Downloads.entry(package, "donghu-sme-2022-juesuan.csv")), as: UTF8.self)
        #expect(long.contains(",\"06\",") && !long.contains(",\"07\","))

        let sheets = String(decoding: try #require(Downloads.entry(try bytes(paths.workbook), "xl/workbook.xml")), as: UTF8.self)
        #expect(sheets.contains("name=\"说明\"") && !sheets.contains("name=\"公开07表\""))

        // The region ZIP copies the tables its data package has.
        let regions = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("compare").path)
        let zips = try regions.compactMap { r -> [UInt8]? in
            let path = output.appendingPathComponent("compare/\(r)/2022/\(r)-2022.zip")
            return FileManager.default.fileExists(atPath: path.path) ? try [UInt8](Data(contentsOf: path)) : nil
        }
        let inRegion = zips.compactMap(Downloads.entries).flatMap { $0 }.filter { $0.hasPrefix("donghu-sme/") }
        #expect(Set(inRegion) == Set((1...6).map { "donghu-sme/t0\($0)-donghu-sme-2022.csv" }))
    }

    @Test func spreadsheetFormulasInTextAreDefused() {
        let csv = OpenData.csv(header: ["项目", "金额"], rows: [["=HYPERLINK(\"x\")", "-3.20"], ["@SUM(A1)", "1.00"], ["+1", ""], ["-x", ""]], textColumns: [0])
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\",-3.20\r\n"))   // text defused, negative amount kept a number
        #expect(csv.contains("'@SUM(A1),1.00"))
        #expect(csv.contains("'+1,"))
        #expect(csv.contains("'-x,"))
    }

    @Test func jsonHasTheTenTablesWithAmountsAsExactStrings() throws {
        _ = try exampleBuild.result.get()
        let json = try JSONSerialization.jsonObject(with: Data(Self.bytes(Self.paths.json))) as? [String: Any]
        #expect(json?["department"] as? String == "南昌市东湖区中小企业服务局")
        #expect(json?["year"] as? Int == 2022)
        let tables = try #require(json?["tables"] as? [[String: Any]])
        #expect(tables.map { $0["table"] as? String } == TableKind.allCases.map(\.code))
        let sections = try #require(tables[2]["sections"] as? [[String: Any]])
        let rows = try #require(sections.first?["rows"] as? [[String: Any]])
        let total = try #require(rows.first { $0["key"] as? String == "合计" })
        #expect((total["values"] as? [Any])?.compactMap { $0 as? String }.prefix(3) == ["55.57", "0.50", "55.07"])
        #expect((total["derived"] as? [Bool])?.first == false)   // 000 entered its 合计 row
    }

    @Test func jsonStringsEscapeQuotesControlsAndAngleBrackets() throws {
        #expect(JSONText.quote("一般公共预算") == "\"一般公共预算\"")   // nothing to escape: copied whole
        let hostile = "a\"b\\c\n\r\t<script>\u{01}é"
        let quoted = JSONText.quote(hostile)
        #expect(quoted == #""a\"b\\c\n\r\t\u003cscript>\u0001é""#)
        var appended = "["
        JSONText.quote(hostile, into: &appended)
        #expect(appended == "[" + quoted)
        let back = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(back == [hostile])
    }

    @Test func dataPackagesListTheLongCSVAndEveryTable() throws {
        _ = try exampleBuild.result.get()
        let package = try JSONSerialization.jsonObject(with: Data(Self.packageFile("datapackage.json").utf8)) as? [String: Any]
        #expect(package?["profile"] as? String == "tabular-data-package")
        let resources = try #require(package?["resources"] as? [[String: Any]])
        #expect(resources.count == 11)
        #expect(resources.first?["path"] as? String == "donghu-sme-2022-juesuan.csv")
        let names = try #require(Downloads.entries(Self.bytes(Self.paths.package)))
        #expect(names == ["datapackage.json"] + resources.compactMap { $0["path"] as? String })
        let zip = try Self.bytes("compare/jiangxi/2023/jiangxi-2023.zip")
        #expect(Array(zip.prefix(2)) == [0x50, 0x4B])   // PK
    }

    /// `frictionless validate` on a disclosure's package ZIP and a region's package (scripts/validate-opendata.sh checks them all).
    @Test func frictionlessFindsThePackagesValid() throws {
        _ = try exampleBuild.result.get()
        for (dir, target) in [("donghu-sme/2022", Self.paths.package.components(separatedBy: "/").last!), ("compare/jiangxi/2023", "datapackage.json")] {
            let (status, output) = run(["frictionless", "validate", target], in: exampleBuild.output.appendingPathComponent(dir))
            #expect(status == 0, "\(dir)/\(target): \(output.suffix(2000))")
        }
    }

    /// The workbook read back by openpyxl: every cell where the sheet puts it, numbers as numbers
    /// (amounts in 0.00), codes and —— as text, the merged header cells; and every amount of the
    /// table's CSV rows is a number of its sheet.
    @Test func workbookReadBackByOpenpyxl() throws {
        _ = try exampleBuild.result.get()
        let model = try Self.model()
        for d in model.disclosures.all {
            let dept = try #require(model.content.department(d.department))
            let path = exampleBuild.output.appendingPathComponent(Downloads.paths(slug: dept.slug, year: d.year).workbook)
            let (status, output) = run(["python3", repoRoot.appendingPathComponent("scripts/read-xlsx.py").path, path.path], in: repoRoot)
            try #require(status == 0, "openpyxl could not read \(path.lastPathComponent) (scripts/setup installs openpyxl): \(output.suffix(2000))")
            let book = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let sheets = Workbook.sheets(d, department: dept)
            #expect(book["sheets"] as? [String] == sheets.map(\.name))
            for (t, sheet) in sheets.enumerated() {
                let read = try #require((book[sheet.name] as? [String: Any])?["cells"] as? [String: [Any]], "\(d.id) \(sheet.name)")
                var expected: [String: (String, String, String)] = [:]
                for cell in sheet.cells {
                    let ref = spreadsheetColumn(cell.column) + "\(cell.row)"
                    switch cell.value {
                    case .text(let s)?: expected[ref] = ("s", s, "General")
                    case .amount(let v)?: expected[ref] = ("n", v, "0.00")
                    case .integer(let v)?: expected[ref] = ("n", v, "")
                    case nil: break
                    }
                }
                #expect(Set(read.keys) == Set(expected.keys), "\(d.id) \(sheet.name): cells \(Set(read.keys).symmetricDifference(expected.keys).sorted())")
                for (ref, want) in expected {
                    guard let got = read[ref], got.count == 3 else { continue }
                    #expect(got[0] as? String == want.0, "\(d.id) \(sheet.name) \(ref)")
                    if want.0 == "s" {
                        #expect(got[1] as? String == want.1, "\(d.id) \(sheet.name) \(ref)")
                    } else {
                        #expect((got[1] as? NSNumber)?.doubleValue == Double(want.1), "\(d.id) \(sheet.name) \(ref): \(got[1]) ≠ \(want.1)")
                        if want.2 == "0.00" { #expect(got[2] as? String == "0.00", "\(d.id) \(sheet.name) \(ref)") }
                        else { #expect(got[2] as? String != "0.00", "\(d.id) \(sheet.name) \(ref)") }
                    }
                }
                // Against the data, not the sheet: the title, 编制单位, and each amount of the table's rows.
                let table = d.tables[t]
                #expect((read["A2"]?[1] as? String) == "编制单位：" + dept.name)
                #expect((read["A3"]?[1] as? String) == "\(d.year)年度")
                guard !table.sections.contains(where: { $0.rows.contains(where: \.isHidden) }) else { continue }
                var numbers: [Double: Int] = [:]
                for got in read.values where got[0] as? String == "n" { numbers[(got[1] as! NSNumber).doubleValue, default: 0] += 1 }
                for row in OpenData.rows(table) {
                    for value in row.cells.dropFirst(4) where !value.isEmpty && value != "——" {
                        let n = try #require(Double(value))
                        #expect((numbers[n] ?? 0) > 0, "\(d.id) \(sheet.name): \(value) of row \(row.cells[2]) is not a number of the sheet")
                    }
                    if !row.cells[1].isEmpty {
                        #expect(read.values.contains { $0[0] as? String == "s" && $0[1] as? String == row.cells[1] }, "\(d.id) \(sheet.name): code \(row.cells[1]) as text")
                    }
                }
            }
        }
    }

    @Test func searchIndexListsEveryDepartment() throws {
        _ = try exampleBuild.result.get()
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: exampleBuild.output.appendingPathComponent("search/index.json"))) as? [[String: Any]]
        #expect(index?.count == 4)
        let page = read(exampleBuild.output.appendingPathComponent("search/index.html"))
        #expect(page.components(separatedBy: "data-terms=").count - 1 == 4)   // listed without scripts
    }
}

/// A command's exit status and output (stdout and stderr).
func run(_ arguments: [String], in folder: URL) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Fields of a CSV written by `OpenData.csv` (RFC 4180, CRLF, a byte-order mark).
enum NamesRecords {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars.drop { $0 == "\u{FEFF}" })[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false } }
                else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { fields.append(field); field = "" }
            else if c == "\r", chars.first == "\n" { chars.removeFirst(); fields.append(field); records.append(fields); fields = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}
