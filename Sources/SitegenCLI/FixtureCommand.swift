import ArgumentParser
import Fixture
import Foundation

/// `sitegen fixture`: writes a generated content folder (for benchmarks and tests).
struct FixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture",
        abstract: "Write a generated content folder: N departments × Y years of consistent disclosures (deterministic by seed).")

    @Option(help: "Number of departments.") var departments: Int = 10
    @Option(help: "Consecutive years per department, ending with --last-year.") var years: Int = 2
    @Option(help: "The last year generated.") var lastYear: Int = 2023
    @Option(help: "Seed of the generator: the same seed gives byte-identical files.") var seed: UInt64 = 1
    @Option(help: "The content folder to write (must not exist or be empty, unless --force).") var output: String
    @Flag(help: "Replace the output folder if it exists.") var force = false

    func validate() throws {
        guard departments >= 1 else { throw ValidationError("--departments must be at least 1") }
        guard (1...30).contains(years) else { throw ValidationError("--years must be between 1 and 30") }
    }

    func run() throws {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: output)
        if let entries = try? fm.contentsOfDirectory(atPath: url.path), !entries.isEmpty {
            guard force else {
                throw ValidationError("\(output) exists and is not empty; use --force to replace it")
            }
            try fm.removeItem(at: url)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let options = FixtureOptions(departments: departments, years: years, seed: seed, lastYear: lastYear)
        let files = try Fixture.write(options, to: url)
        print("wrote \(files) files (\(departments) departments × \(years) years = \(departments * years) disclosures) in \(seconds(clock.now - start)) → \(output)/")
    }
}
