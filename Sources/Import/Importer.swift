import Content
import Foundation
import Model
import Support

public struct ImportOptions: Sendable {
    public var source: URL
    public var department: String
    public var year: Int
    public var content: URL
    /// 2022 or 2023; nil: from the tables (10's title, 09's layout), else 2023 from 2023 on.
    public var form: Int?
    public var force: Bool
    /// Import although the sheets print another 编制单位 than department.yaml's name.
    public var forceUnit: Bool
    /// Import although the sheets print another 年度 than `year`.
    public var forceYear: Bool
    /// Write the file although some rows or columns with content were not imported (they are listed).
    public var allowSkipped: Bool
    /// What a workbook or CSV file may hold (docs/guarantees.md, "Import").
    public var limits: ImportLimits

    public init(source: URL, department: String, year: Int, content: URL, form: Int? = nil, force: Bool = false,
                forceUnit: Bool = false, forceYear: Bool = false, allowSkipped: Bool = false, limits: ImportLimits = .default) {
        self.source = source
        self.department = department
        self.year = year
        self.content = content
        self.form = form
        self.force = force
        self.forceUnit = forceUnit
        self.forceYear = forceYear
        self.allowSkipped = allowSkipped
        self.limits = limits
    }
}

/// `sitegen import`: the tables exported by the 决算 software (XLSX, or CSV files in the printed
/// layout) or sitegen's own per-table CSV downloads → departments/<slug>/<year>/disclosure.yaml.
public enum Importer {
    /// The sheets of a workbook, of one CSV file, or of every .xlsx and .csv file in a folder (by name),
    /// all of them together within `limits`.
    public static func sheets(at url: URL, limits: ImportLimits = .default) throws -> [Sheet] {
        let budget = ImportBudget(limits)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { throw ImportError(localized("\(Place.display(url.path))：没有这个文件或文件夹", en: "\(Place.display(url.path)): no such file or folder")) }
        func one(_ file: URL, _ source: String) throws -> [Sheet] {
            switch file.pathExtension.lowercased() {
            case "xlsx", "xlsm": return try XLSX.read(file, budget: budget)
            case "csv", "txt": return [try CSV.read(file, source: source, budget: budget)]
            case "xls": throw ImportError(localized("\(Place.display(source))：这是旧的 .xls 格式；请在 Excel 或 WPS 中打开并另存为 .xlsx",
                                                   en: "\(Place.display(source)): the old .xls format; open it in Excel or WPS and save it as .xlsx"))
            default: return []
            }
        }
        guard isDir.boolValue else {
            let sheets = try one(url, url.lastPathComponent)
            if sheets.isEmpty { throw ImportError(localized("\(Place.display(url.lastPathComponent))：应为 .xlsx 工作簿、.csv 文件，或装有这些文件的文件夹",
                                                            en: "\(Place.display(url.lastPathComponent)): expected an .xlsx workbook, a .csv file or a folder of them")) }
            return sheets
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") && !$0.hasPrefix("~$") }.sorted()
        let sheets = try files.flatMap { try one(url.appendingPathComponent($0), $0) }
        if sheets.isEmpty { throw ImportError(localized("\(Place.display(url.path))：这个文件夹中没有 .xlsx 或 .csv 文件", en: "\(Place.display(url.path)): no .xlsx or .csv files in this folder")) }
        return sheets
    }

    /// sitegen's own download: header `部分,科目编码,项目,行次,…`.
    static func isSitegenCSV(_ sheet: Sheet) -> Bool {
        sheet.rows.first.map { Array($0.cells.prefix(4).map { $0.text.trimmingSpaces() }) == ["部分", "科目编码", "项目", "行次"] } ?? false
    }

    /// `公开05表` (spaces allowed) anywhere in a text.
    static func formNumber(in text: String) -> TableKind? {
        let t = Text.norm(text)
        guard let r = t.range(of: "公开") else { return nil }
        let digits = t[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits).flatMap(TableKind.init(rawValue:))
    }

    /// Which 公开 table a sheet holds: by its name (公开05表, t05, 05…), a 公开NN表 cell, or its title.
    static func identify(_ sheet: Sheet) -> TableKind? {
        let name = Text.norm(sheet.name)
        if let k = formNumber(in: name) { return k }
        let lead = name.drop { $0 == "t" || $0 == "T" || $0 == "表" }.prefix { $0.isASCII && $0.isNumber }
        if (1...2).contains(lead.count), let k = Int(lead).flatMap(TableKind.init(rawValue:)) { return k }
        let top = sheet.rows.prefix(8).flatMap(\.cells).map(\.text)
        if let k = top.lazy.compactMap(formNumber).first { return k }
        let titles = TableKind.allCases.flatMap { k in [2022, 2023].map { (Text.norm(k.title(form: $0)), k) } }
        for text in top { if let hit = titles.first(where: { $0.0 == Text.norm(text) }) { return hit.1 } }
        for (title, k) in titles.sorted(by: { $0.0.count > $1.0.count }) where name.contains(title) { return k }
        return nil
    }

    /// The form the tables are printed in, when they tell: 10's title, 09's columns.
    static func detectForm(_ sheets: [(TableKind, Sheet)]) -> Int? {
        for (kind, sheet) in sheets {
            let texts = Set(sheet.rows.prefix(12).flatMap(\.cells).map { Text.norm($0.text) })
            if kind == .t10 && texts.contains(Text.norm(TableKind.t10.title(form: 2023))) { return 2023 }
            if kind == .t10 && texts.contains(Text.norm(TableKind.t10.title(form: 2022))) { return 2022 }
            if kind == .t09 && texts.contains("年初预算数") { return 2022 }
            if kind == .t09 && texts.contains("预算数") && texts.contains("决算数") && texts.contains("公务接待费") { return 2023 }
            if kind == .t09, TableReader(sheet, kind: kind, form: 2023, catalog: Catalog(year: 0)).lanciRow(minimum: 12) != nil { return 2023 }
        }
        return nil
    }

    /// Reads the ten tables; tables the source does not have stay empty.
    public static func tables(from sheets: [Sheet], year: Int, form: Int?, catalog: Catalog)
        -> (tables: [Table], reports: [TableReport], form: Int, notes: [String], sheets: [Sheet], duplicates: [String]) {
        var notes: [String] = [], duplicates: [String] = []
        var found: [(TableKind, Sheet)] = []
        for sheet in sheets {
            guard let kind = identify(sheet) else {
                if sheet.rows.contains(where: { !TableReader.isEmpty($0.cells) }) {
                    let name = sheet.source == sheet.name ? sheet.name : "\(sheet.source) › \(sheet.name)"
                    notes.append(localized("\(name)：不是十张公开表之一（没有找到“公开NN表”字样或表名）：已跳过",
                                           en: "\(name): not one of the ten 公开 tables (no 公开NN表 or table title found): skipped"))
                }
                continue
            }
            if let other = found.first(where: { $0.0 == kind }) {
                let name = sheet.source == sheet.name ? sheet.name : "\(sheet.source) › \(sheet.name)"
                duplicates.append(localized("\(name)：\(kind.formNumber)第二次出现（第一次：\(other.1.name)），整张表未导入",
                                            en: "\(name): \(kind.formNumber) a second time (first: \(other.1.name)), the whole sheet not imported"))
                continue
            }
            found.append((kind, sheet))
        }
        let detected = detectForm(found)
        let form = form ?? detected ?? (year >= 2023 ? 2023 : 2022)
        if let detected, detected != form { notes.append(localized("这些表看起来是 \(detected) 年表式，但按 \(form) 年表式读取",
                                                                         en: "the tables look like the \(detected) form, but they are read as the \(form) form")) }
        var tables: [Table] = []
        var reports: [TableReport] = []
        for kind in TableKind.allCases {
            guard let sheet = found.first(where: { $0.0 == kind })?.1 else {
                tables.append(Forms.skeleton(kind, form: form, classes: catalog.classes))
                reports.append(TableReport(kind: kind))
                continue
            }
            var reader = TableReader(sheet, kind: kind, form: form, catalog: catalog)
            if isSitegenCSV(sheet) { reader.sitegenCSV() } else {
                switch kind {
                case .t06: reader.economic()
                case .t09 where form >= 2023: reader.wideThreePublic()
                case _ where kind.classification != nil: reader.classified()
                default: reader.fixed()
                }
            }
            tables.append(reader.table)
            reports.append(reader.report)
        }
        return (tables, reports, form, notes, found.map(\.1), duplicates)
    }

    /// Places that print the same value, in order: (value, `a › 公开01表 第 2 行、公开02表 第 2 行`, count).
    static func grouped(_ items: [(String, String)]) -> [(value: String, places: String, count: Int)] {
        var order: [String] = []
        var places: [String: [String]] = [:]
        for (value, place) in items {
            if places[value] == nil { order.append(value) }
            places[value, default: []].append(place)
        }
        return order.map { ($0, places[$0]!.joined(separator: localized("、", en: ", ")), places[$0]!.count) }
    }

    /// 编制单位 and 年度 as the sheets print them, against the department's name and the year:
    /// lines for the report, and the reasons to stop (unless forced).
    static func verify(_ sheets: [Sheet], department: String?, slug: String, year: Int, forceUnit: Bool, forceYear: Bool)
        -> (checks: [String], stops: [String]) {
        var checks: [String] = [], stops: [String] = []
        var units: [(name: String, place: String)] = [], years: [(year: Int, place: String)] = []
        for sheet in sheets {
            let meta = SheetMeta.read(sheet)
            let place = (sheet.source == sheet.name ? sheet.name : "\(sheet.source) › \(sheet.name)")
            if let u = meta.unit { units.append((u.name, localized("\(place) 第 \(u.row) 行", en: "\(place) row \(u.row)"))) }
            if let y = meta.year { years.append((y.year, localized("\(place) 第 \(y.row) 行", en: "\(place) row \(y.row)"))) }
        }
        if let department {
            let other = units.filter { !SheetMeta.sameUnit($0.name, department) }
            if other.isEmpty, let first = units.first {
                checks.append(localized("编制单位：\(first.name)（与 departments/\(slug)/department.yaml 的 \(department) 相符，\(units.count) 张表）",
                                        en: "编制单位: \(first.name) (matches \(department) of departments/\(slug)/department.yaml, \(units.count) tables)"))
            } else if units.isEmpty {
                checks.append(localized("编制单位：表中没有写明，未核对", en: "编制单位: not printed in the tables, not checked"))
            }
            for u in grouped(other.map { ($0.name, $0.place) }) {
                let line = localized("编制单位不符：\(u.places) 写的是“\(u.value)”，而 departments/\(slug)/department.yaml 的单位名称是“\(department)”",
                                     en: "编制单位 differs: \(u.places) say\(u.count == 1 ? "s" : "") '\(u.value)', but the name in departments/\(slug)/department.yaml is '\(department)'")
                if forceUnit { checks.append(line + localized("（--force-unit：照常导入）", en: " (--force-unit: imported anyway)")) } else {
                    stops.append(line + localized("——请确认导入的是本单位的表；确实如此时加 --force-unit", en: " — check that these are this unit's tables; if they are, add --force-unit"))
                }
            }
        } else if let first = units.first {
            checks.append(localized("编制单位：\(first.name)（没有 department.yaml，未核对）", en: "编制单位: \(first.name) (no department.yaml, not checked)"))
        }
        let otherYears = years.filter { $0.year != year }
        if otherYears.isEmpty, !years.isEmpty {
            checks.append(localized("年度：\(year)（与 --year 相符）", en: "year: \(year) (matches --year)"))
        }
        for y in grouped(otherYears.map { (String($0.year), $0.place) }) {
            let line = localized("年度不符：\(y.places) 写的是 \(y.value) 年度，而 --year 是 \(year)",
                                 en: "year differs: \(y.places) say\(y.count == 1 ? "s" : "") \(y.value), but --year is \(year)")
            if forceYear { checks.append(line + localized("（--force-year：照常导入）", en: " (--force-year: imported anyway)")) } else {
                stops.append(line + localized("——请确认年度；确实如此时加 --force-year", en: " — check the year; if it is right, add --force-year"))
            }
        }
        return (checks, stops)
    }

    static func isSlug(_ s: String) -> Bool {
        !s.isEmpty && s.first != "-" && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// The catalogue of a year, or the latest earlier one (then a note says so).
    static func catalog(_ catalogs: [Int: Catalog], year: Int, notes: inout [String]) throws -> Catalog {
        if let c = catalogs[year] { return c }
        guard let y = catalogs.keys.filter({ $0 < year }).max() ?? catalogs.keys.max() else {
            throw ImportError(localized("catalogs/ 中没有科目目录：应有 catalogs/\(year)/functional.yaml 和 economic.yaml",
                                        en: "no code catalogue in catalogs/: expected catalogs/\(year)/functional.yaml and economic.yaml"))
        }
        notes.append(localized("没有 catalogs/\(year)/：科目编码按 catalogs/\(y)/ 核对——构建前请创建 catalogs/\(year)/（sitegen new 会复制一份）",
                               en: "no catalogs/\(year)/: codes checked against catalogs/\(y)/ — create catalogs/\(year)/ (sitegen new copies it) before building"))
        return catalogs[y]!
    }

    /// Existing disclosure file of a year folder (yaml, yml or json).
    static func existing(_ dir: URL) -> URL? {
        ["yaml", "yml", "json"].map { dir.appendingPathComponent("disclosure.\($0)") }.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    public static func run(_ o: ImportOptions) throws -> ImportReport {
        guard isSlug(o.department) else { throw ImportError(localized("--department '\(o.department)'：应为 departments/ 下的文件夹名（小写英文字母、数字和 -）",
                                                                  en: "--department '\(o.department)': expected the folder name under departments/ (lower-case ASCII letters, digits and -)")) }
        guard (1990...2100).contains(o.year) else { throw ImportError(localized("--year \(o.year)：应为四位数的年份", en: "--year \(o.year): expected a four-digit year")) }
        if let f = o.form, ![2022, 2023].contains(f) { throw ImportError(localized("--form \(f)：应为 2022 或 2023", en: "--form \(f): expected 2022 or 2023")) }
        let loaded = ContentLoader.load(from: o.content)
        guard let content = loaded.content else { throw ImportError(localized("\(o.content.path)：找不到内容文件夹", en: "\(o.content.path): content folder not found")) }
        let dirPath = "departments/\(o.department)/\(o.year)"
        let dir = o.content.appendingPathComponent(dirPath)
        let old = existing(dir)
        if let old, !o.force {
            throw ImportError(localized("\(dirPath)/\(old.lastPathComponent) 已存在；如要替换其中的表格，请加 --force（published、overview 和 prior 会保留）",
                                        en: "\(dirPath)/\(old.lastPathComponent) exists; use --force to replace its tables (published, overview and prior are kept)"))
        }
        var notes: [String] = []
        let catalog = try catalog(content.catalogs, year: o.year, notes: &notes)
        let sheets = try sheets(at: o.source, limits: o.limits)
        var (tables, reports, form, more, found, duplicates) = tables(from: sheets, year: o.year, form: o.form, catalog: catalog)
        notes += more
        if reports.allSatisfy({ $0.source == nil }) { throw ImportError(localized("\(Place.display(o.source.lastPathComponent))：没有找到十张公开表中的任何一张\n",
                                                                                         en: "\(Place.display(o.source.lastPathComponent)): none of the ten 公开 tables found\n")
                                                                               + notes.joined(separator: "\n")) }
        tables = tables.map { t in var t = t; t.form = form; return t }
        let name = content.department(o.department)?.name
        if name == nil { notes.append(localized("缺少 departments/\(o.department)/department.yaml：构建前请添加（单位名称 name、单位性质 kind、主要职责 duties）",
                                              en: "departments/\(o.department)/department.yaml is missing: add it (name, kind, duties) before building")) }
        let (checks, stops) = verify(found, department: name, slug: o.department, year: o.year, forceUnit: o.forceUnit, forceYear: o.forceYear)
        var report = ImportReport(tables: reports, notes: notes, form: form, output: "\(dirPath)/disclosure.yaml")
        report.checks = checks
        report.duplicates = duplicates
        var reasons = stops
        let errors = report.errors, dropped = report.dropped
        if !errors.isEmpty {
            reasons.append(localized("\(errors.count) 个单元格不是金额（请在 Excel 中改为数字后重新导入）：\n  ", en: "\(errors.count == 1 ? "1 cell is not an amount" : "\(errors.count) cells are not amounts") (make them numbers in Excel and import again):\n  ")
                           + errors.joined(separator: "\n  "))
        }
        if !dropped.isEmpty {
            if o.allowSkipped {
                report.notes.append(localized("--allow-skipped：\(dropped.count) 处内容未导入（见各表的“未导入”）", en: "--allow-skipped: \(dropped.count) rows or columns not imported (see “not imported” under each table)"))
            } else {
                reasons.append(localized("有内容未导入：\n  ", en: "content not imported:\n  ") + dropped.joined(separator: "\n  ")
                               + localized("\n改正后重新导入；确认这些内容可以不导入时加 --allow-skipped", en: "\ncorrect them and import again; if they may be left out, add --allow-skipped"))
            }
        }
        guard reasons.isEmpty else {
            report.written = false
            throw ImportRefused(report: report, reasons: reasons)
        }
        var kept: [String] = []
        if let old, let text = try? String(contentsOf: old, encoding: .utf8), old.pathExtension != "json" {
            kept = DisclosureFile.blocks(text).filter { ["published", "overview", "prior"].contains($0.key) }.map(\.text)
        } else {
            kept = ["# published: \(o.year + 1)-09-15   # 公开日期（YYYY-MM-DD）\n"]
        }
        let title = "\(name ?? o.department) \(o.year)年度部门决算 — 由 sitegen import 从 \(o.source.lastPathComponent) 导入"
        let yaml = DisclosureFile.document(title: title, year: o.year, form: form, kept: kept,
                                           tables: DisclosureFile.tables(tables, mode: .values))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let old, old.pathExtension != "yaml" {
            try FileManager.default.removeItem(at: old)
            report.notes.append(localized("已用 disclosure.yaml 替换 \(dirPath)/\(old.lastPathComponent)", en: "replaced \(dirPath)/\(old.lastPathComponent) by disclosure.yaml"))
        }
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("disclosure.yaml"))
        return report
    }
}
