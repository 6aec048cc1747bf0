import ArgumentParser
import Fixture
import Foundation
import Support

/// `sitegen fixture`: writes a generated content folder (for benchmarks and tests).
struct FixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture",
        abstract: "Write a generated content folder: N departments × Y years of consistent disclosures (deterministic by seed).")

    @Option(help: "Number of departments.") var departments: Int = 10
    @Option(help: "Consecutive years per department, ending with --last-year.") var years: Int = 2
    @Option(help: "The last year generated.") var lastYear: Int = 2023
    @Option(help: "Seed of the generator: the same seed gives byte-identical files.") var seed: UInt64 = 1
    @Option(help: "Regions to spread the departments over (at most 12; default: one per 100 departments, at least 2).") var regions: Int?
    @Option(help: "The content folder to write (must not exist or be empty, unless --force).") var output: String
    @Flag(help: "Replace the output folder if it exists.") var force = false

    func validate() throws {
        Language.current = .fromEnvironment()
        guard departments >= 1 else { throw ValidationError(localized("--departments 至少为 1", en: "--departments must be at least 1")) }
        guard (1...30).contains(years) else { throw ValidationError(localized("--years 应在 1 到 30 之间", en: "--years must be between 1 and 30")) }
    }

    func run() throws {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: output)
        if let entries = try? fm.contentsOfDirectory(atPath: url.path), !entries.isEmpty {
            guard force else {
                throw ValidationError(localized("\(output) 已存在且不是空的；如要替换它，请加 --force", en: "\(output) exists and is not empty; use --force to replace it"))
            }
            try fm.removeItem(at: url)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let options = FixtureOptions(departments: departments, years: years, seed: seed, lastYear: lastYear, regions: regions)
        let files = try Fixture.write(options, to: url)
        let time = seconds(clock.now - start)
        print(localized("已写入 \(files) 个文件（\(departments) 个单位 × \(years) 年 = \(departments * years) 份决算公开），用时 \(time) → \(output)/",
                        en: "wrote \(files) files (\(departments) departments × \(years) years = \(departments * years) disclosures) in \(time) → \(output)/"))
    }
}
