import Derive
import Model

// MARK: - Wording

extension Checker {
    /// Placeholders (XX, 待填写, 【】, empty （）) and doubled punctuation (，，。。) in published prose.
    static func wording(_ d: Disclosure) -> [Finding] {
        var out: [Finding] = []
        for prose in [d.explanation, d.glossary].compactMap({ $0 }) {
            var line = prose.firstLine
            for raw in prose.text.split(separator: "\n", omittingEmptySubsequences: false) {
                defer { line += 1 }
                let text = stripReferences(String(raw))
                // Every mark looked for is outside ASCII except X: a plain ASCII line has none.
                if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "X") && $0 != UInt8(ascii: "x") && $0 != UInt8(ascii: "(") }) { continue }
                let at = SourceLocation(file: prose.location.file, line: line)
                func add(_ rule: String, _ key: String, _ what: String, _ severity: Diagnostic.Severity) {
                    out.append(Finding(severity: severity, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: what, rowName: "",
                                       column: "", rule: rule, expected: nil, computation: "", found: nil, note: Finding.Note(key, [what]),
                                       quote: text.trimmingSpaces()))
                }
                // 【待填写…】 of `sitegen draft` is warned about by the build already (Views/Prose.swift).
                if !has(text, "【待填写"), let p = placeholder(in: text) { add("prose.placeholder", "prose.placeholder", p, .warning) }
                if let p = doubledPunctuation(in: text) { add("prose.punctuation", "prose.punctuation", p, .warning) }
                if has(text, "占"), hasDigit(text), let p = shareWithoutPercent(in: text) { add("prose.punctuation", "prose.percent-missing", p, .warning) }
                if has(text, "支出"), let (old, new, year) = oldClassName(in: text), d.year >= year {
                    out.append(Finding(severity: .warning, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: old, rowName: "",
                                       column: "", rule: "prose.old-name", expected: nil, computation: "", found: nil,
                                       note: Finding.Note("prose.old-name", [old, String(year), new]), quote: text.trimmingSpaces()))
                }
            }
        }
        return out
    }

    /// 功能分类 类 renamed by the 2019 catalogue: the old name in a later year's 情况说明 is a text
    /// carried over from an old document.
    static let renamedClasses: [(old: String, new: String, year: Int)] = [
        ("医疗卫生与计划生育支出", "卫生健康支出", 2019),
        ("文化体育与传媒支出", "文化旅游体育与传媒支出", 2019),
        ("国土海洋气象等支出", "自然资源海洋气象等支出", 2019),
        ("资源勘探信息等支出", "资源勘探工业信息等支出", 2019),
    ]

    static func oldClassName(in text: String) -> (String, String, Int)? {
        renamedClasses.first { has(text, $0.old) }.map { ($0.old, $0.new, $0.year) }
    }

    static func placeholder(in text: String) -> String? {
        for w in ["待填写", "待补充", "请填写", "此处填写", "××", "ＸＸ", "【】", "（）", "()"] where has(text, w) { return w }
        // XX / xx not part of a Latin word.
        guard has(text, "X") || has(text, "x") || has(text, "【") else { return nil }
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "X" || s[i] == "x" {
                var j = i
                while j < s.count, s[j] == s[i] { j += 1 }
                let latin: (Unicode.Scalar) -> Bool = { $0.value < 0x80 && $0.properties.isAlphabetic }
                if j - i >= 2, i == 0 || !latin(s[i - 1]), j == s.count || !latin(s[j]) {
                    return ProseReader.string(s, i..<j)
                }
                i = j
            } else {
                i += 1
            }
        }
        if has(text, "【"), let open = text.range(of: "【"), let close = text.range(of: "】", range: open.upperBound..<text.endIndex) {
            let inside = text[open.upperBound..<close.lowerBound]
            if inside.contains("填") || inside.contains("待") || inside.contains("XX") { return String(text[open.lowerBound..<close.upperBound]) }
        }
        return nil
    }

    /// `占 76.23；`: a share written without its %.
    static func shareWithoutPercent(in text: String) -> String? {
        let s = normalise(text)
        var i = 0
        while i < s.count {
            defer { i += 1 }
            guard s[i] == "占" else { continue }
            var j = i + 1
            while j < s.count, s[j] == " " { j += 1 }
            let start = j
            while j < s.count, isDigit(s[j]) || (s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) { j += 1 }
            guard j > start else { continue }
            var k = j
            while k < s.count, s[k] == " " { k += 1 }
            if k == s.count || ["；", ";", "，", ",", "。", "、"].contains(s[k]) { return ProseReader.string(s, i..<j) }
        }
        return nil
    }

    static func doubledPunctuation(in text: String) -> String? {
        // One pass without copying: this runs on every line of every 情况说明.
        func isMark(_ c: Unicode.Scalar) -> Bool {
            switch c { case "，", "。", "、", "；", "：", "！", "？": true; default: false }
        }
        var previous: Unicode.Scalar = " "
        for c in text.unicodeScalars {
            if isMark(c) && isMark(previous) { return String(previous) + String(c) }
            previous = c
        }
        return nil
    }
}
