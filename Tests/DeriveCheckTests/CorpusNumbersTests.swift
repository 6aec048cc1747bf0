@testable import Check
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
