@testable import Check
import Pipeline
import Foundation
import Testing
import TestSite

/// Every figure that corpus/*/printed.yaml lists for a sentence of a real 情况说明 (`prose:` items,
/// `figures` beside `sentence` or `text`) is read from that sentence whole: with its thousands
/// separators (1,055.4%, 19,044.27 万元), full-width digits, spaces before the unit.
@Suite struct CorpusNumbersTests {
    static let corpus = repoRoot.appendingPathComponent("corpus")

    /// (case, figures, sentence) for every prose item whose two lines read as JSON strings.
    static func items() -> [(String, [String], String)] {
        var out: [(String, [String], String)] = []
        let cases = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        for c in cases.sorted() {
            let lines = read(corpus.appendingPathComponent("\(c)/printed.yaml")).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces).hasPrefix("figures: [") {
                let list = line.trimmingCharacters(in: .whitespaces).dropFirst("figures: ".count)
                guard let figures = try? JSONSerialization.jsonObject(with: Data(list.utf8)) as? [String], !figures.isEmpty else { continue }
                for next in lines[(i + 1)...].prefix(3) {
                    let t = next.trimmingCharacters(in: .whitespaces)
                    guard let colon = ["sentence: ", "text: "].first(where: { t.hasPrefix($0) }) else { continue }
                    let quoted = "[" + t.dropFirst(colon.count) + "]"
                    if let s = (try? JSONSerialization.jsonObject(with: Data(quoted.utf8)) as? [String])?.first { out.append((c, figures, s)) }
                    break
                }
            }
        }
        return out
    }

    /// `增加 1,033.18 万元` → the number and unit it names.
    static func expected(_ figure: String) -> (digits: String, unit: ProseNumber.Unit)? {
        let s = Checker.normalise(figure)
        guard let n = Checker.numbers(s).last(where: { $0.unit != .none }) else { return nil }
        return (String(n.digits) + "/" + String(n.decimals), n.unit)
    }

    @Test func figuresOfRealSentencesAreReadWhole() throws {
        let items = Self.items()
        #expect(items.count >= 100, "the corpus should give at least 100 prose items, got \(items.count)")
        var total = 0, read = 0
        var misses: [String] = []
        for (c, figures, sentence) in items {
            let found = Checker.numbers(Checker.normalise(sentence)).map { (String($0.digits) + "/" + String($0.decimals), $0.unit) }
            for f in figures {
                guard let e = Self.expected(f) else { continue }
                total += 1
                if found.contains(where: { $0.0 == e.digits && $0.1 == e.unit }) { read += 1 } else { misses.append("\(c): \(f)") }
            }
        }
        // Figures the transcription wrote differently from the sentence (a figure quoted from another
        // line, an ellipsis) are the only misses allowed.
        #expect(total > 300)
        #expect(Double(read) / Double(max(1, total)) > 0.97, "read \(read) of \(total); missed: \(misses.prefix(20))")
        print("corpus figures read whole: \(read) of \(total)")
    }

    @Test func thousandsSeparatorsAreNotCut() throws {
        let n = Checker.numbers(Checker.normalise("公务接待费增长1,055.4%，支出19,044.27 万元，１，２３４．５６万元"))
        #expect(n.map(\.text) == ["1055.4%", "19044.27 万元", "1234.56万元"])
    }
}

/// The rules that need no table (words against their own numbers, totals against their listed
/// parts, the same figure called 增加 and 持平, placeholders) run over every real sentence of the
/// corpus: what they report is compared with the slips verified by hand (corpus/*/printed.yaml
/// `slips:`); anything else would be a false alarm.
@Suite struct CorpusProseTests {
    static let tableFree: Set<String> = ["prose.direction", "prose.completion", "prose.growth", "prose.parts-sum", "prose.contradiction", "prose.placeholder", "prose.punctuation", "prose.two-amounts"]

    @Test func tableFreeRulesOnRealSentences() throws {
        var byCase: [String: [String]] = [:]
        for (c, _, sentence) in CorpusNumbersTests.items() { byCase[c, default: []].append(sentence) }
        var report: [String] = [], messages: [String] = []
        for (c, sentences) in byCase.sorted(by: { $0.key < $1.key }) {
            let root = temporaryFolder("corpus-prose").appendingPathComponent("content")
            try FileManager.default.copyItem(at: corpusBase, to: root)
            // One sentence a line, so a finding's line names its sentence; the case's year and the one
            // before become the base site's 2022 and 2021.
            var text = sentences.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n"
            let yaml = read(CorpusNumbersTests.corpus.appendingPathComponent("\(c)/printed.yaml"))
            let yearLine = yaml.components(separatedBy: "\n").first { $0.hasPrefix("year: ") }
            if let year = yearLine.flatMap({ Int($0.dropFirst("year: ".count).trimmingCharacters(in: .whitespaces)) }), year > 1990 {
                text = text.replacingOccurrences(of: "\(year - 1)", with: "2021").replacingOccurrences(of: "\(year)", with: "2022")
            }
            try text.write(to: root.appendingPathComponent("departments/test-dept/2022/explanation.md"), atomically: true, encoding: .utf8)
            var stages: [(String, Duration, Int)] = []
            let findings = try Analyser.analyse(content: root, stages: &stages).get().findings.filter { Self.tableFree.contains($0.rule) }
            for f in findings {
                report.append("\(c) \(f.location.line) \(f.rule)")
                messages.append("\(c) line \(f.location.line) \(f.rule): \(f.message)")
            }
        }
        print("table-free prose findings on the corpus: \(report.count)\n" + messages.joined(separator: "\n"))
        #expect(report == CorpusProseTests.expected, "\(messages.joined(separator: "\n"))")
    }

    /// Verified by hand against corpus/*/printed.yaml (see docs/quality.md#sitegen-check-on-real-prose).
    /// Each is one of the case's `slips:`; no false alarm.
    static let expected: [String] = [
        "anhui-shouxian-wenwubaohu-2023 1 prose.completion",          // 1.71 / 3 = 57%, printed 完成预算的43%
        "anhui-shouxian-wenwubaohu-2023 3 prose.completion",          // 0.53 / 1 = 53%, printed 47%
        "ref-000 10 prose.direction",                                 // 增加 0 万元, 增长 100%
        "shanghai-putuo-shengtaihuanjingju-2025 34 prose.growth",     // 4.68 / 180.73 = 2.59%, printed 2.60%
        "shanghai-putuo-shiquanlu-2025 9 prose.completion",           // 245.53 / 274.82 = 89.34%, printed 93.57% (the 245.53 is the slip)
        "shanghai-putuo-shiquanlu-2025 9 prose.two-amounts",          // the item 支出 257.14, its 支出决算 245.53 in the same paragraph
        "shanghai-putuo-yichuanlu-2025 5 prose.growth",               // 929.49 / 21147.70 = 4.40%, printed 4.35%
        "shanghai-putuo-yichuanlu-2025 6 prose.punctuation",          // 占 76.23 without %
        "shanghai-putuo-yichuanlu-2025 41 prose.two-amounts",         // item 15: 共支出 269.85, 支出决算为 269.86
    ]
}
