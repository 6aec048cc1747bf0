import ArgumentParser
import Foundation
import Import
import Support

/// `sitegen import`: tables exported by the 决算 software (or sitegen's CSV downloads) → disclosure.yaml.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write departments/<slug>/<year>/disclosure.yaml from the tables exported by the 决算 software (.xlsx, or a folder of .csv files).")

    @Argument(help: "An .xlsx workbook (one sheet per 公开 table), a .csv file, or a folder of .csv files (the printed layout, or sitegen's tNN.csv downloads).")
    var source: String
    @Option(help: "The department's folder name under departments/.") var department: String
    @Option(help: "The year of the accounts.") var year: Int
    @OptionGroup var options: ContentOptions
    @Option(help: "The form of 公开06/09/10表: 2022 or 2023 (default: from the tables, else 2023 from 2023 on).") var form: Int?
    @Flag(help: "Replace the tables of an existing disclosure.yaml (published, overview and prior are kept).") var force = false
    @Flag(help: "Import although the tables print another 编制单位 than department.yaml's name.") var forceUnit = false
    @Flag(help: "Import although the tables print another 年度 than --year.") var forceYear = false
    @Flag(help: "Write disclosure.yaml although some rows or columns with content were not imported (they are listed).") var allowSkipped = false

    func run() throws {
        try reportingImportErrors {
            let report = try Importer.run(ImportOptions(source: URL(fileURLWithPath: source), department: department, year: year,
                                                        content: URL(fileURLWithPath: options.content), form: form, force: force,
                                                        forceUnit: forceUnit, forceYear: forceYear, allowSkipped: allowSkipped))
            print(report, terminator: "")
            print(localized("下一步：sitegen check --content \(options.content)   （然后用 sitegen draft \(department) \(year) 写出情况说明）",
                            en: "next: sitegen check --content \(options.content)   (then sitegen draft \(department) \(year) for 情况说明)"))
        }
    }
}

/// `sitegen new`: a year folder scaffolded from last year's disclosure.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create departments/<department>/<year>/ from last year's disclosure: same rows with blank amounts, the year's form and catalogue, an explanation.md skeleton.")

    @Argument(help: "The department's folder name under departments/.") var department: String
    @Argument(help: "The year of the accounts.") var year: Int
    @OptionGroup var options: ContentOptions

    func run() throws {
        try reportingImportErrors {
            print(try Scaffold.run(department: department, year: year, content: URL(fileURLWithPath: options.content)), terminator: "")
        }
    }
}

/// `sitegen draft`: 情况说明 written from the tables, every number a data reference.
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Write explanation.md (情况说明) from the tables: every figure, share and change a data reference; 主要原因 left as 【待填写】.")

    @Argument(help: "The department's folder name under departments/.") var department: String
    @Argument(help: "The year of the accounts.") var year: Int
    @OptionGroup var options: ContentOptions
    @Flag(help: "Replace an existing explanation.md.") var force = false

    func run() throws {
        try reportingImportErrors {
            let (path, placeholders) = try Draft.run(department: department, year: year, content: URL(fileURLWithPath: options.content), force: force)
            print(localized("已写入 \(path)：有 \(placeholders) 处【待填写…】需要补充（只要还有未填写的，构建时就会警告）",
                            en: "wrote \(path): \(placeholders) placeholder\(placeholders == 1 ? "" : "s") 【待填写…】 to complete (the build warns while any remain)"))
        }
    }
}

/// An `ImportError` (a message for the editor, naming the file) on standard error, exit code 1;
/// any other error (a file that cannot be read or written) the same way.
private func reportingImportErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ImportRefused {
        // What was found, then why nothing was written.
        print(e.report, terminator: "")
        FileHandle.standardError.write(Data(e.reasons.map { "error: \($0)\n" }.joined().utf8))
        FileHandle.standardError.write(Data((localized("未写入任何文件。", en: "nothing was written.") + "\n").utf8))
        throw ExitCode(1)
    } catch let e as ImportError {
        FileHandle.standardError.write(Data("error: \(e)\n".utf8))
        throw ExitCode(1)
    } catch let e as ExitCode {
        throw e
    } catch {
        FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
        throw ExitCode(1)
    }
}
