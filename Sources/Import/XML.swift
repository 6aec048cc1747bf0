import Support

/// What an XML part's reader is told, element by element. Names are local (`x:c` → `c`).
protocol XMLHandler: AnyObject {
    /// Whether the text at this point is wanted: only then is it decoded and passed to `text`.
    var wantsText: Bool { get }
    func start(_ name: String, _ attributes: [(name: String, value: String)]) throws
    func end(_ name: String) throws
    func text(_ text: String) throws
}

/// A streaming reader of the XML that spreadsheet packages hold: bytes are pushed in as they
/// are inflated and elements are reported as they complete, so memory does not grow with the
/// part, and nothing recurses: nesting is a counted stack, refused past `ImportLimits.xmlDepth`
/// before it grows. UTF-8 only; no DTD (a DOCTYPE is refused, so no entity of a file's own is
/// ever expanded); the five predefined entities and character references.
final class XMLStream {
    struct Problem: Error {
        /// Whether a limit was passed (else the XML is not well-formed).
        var isLimit: Bool
        var zh: String
        var en: String
    }

    private let handler: XMLHandler
    private let maxDepth: Int
    private let maxToken: Int
    private var buffer: [UInt8] = []
    private var stack: [[UInt8]] = []
    private var started = false
    private var sawRoot = false
    private var atStart = true

    init(_ handler: XMLHandler, limits: ImportLimits) {
        self.handler = handler
        maxDepth = limits.xmlDepth
        maxToken = limits.xmlTokenBytes
    }

    func push<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        try parse(final: false)
    }

    func finish() throws {
        try parse(final: true)
        if let open = stack.last {
            throw Problem(isLimit: false, zh: "XML 在 <\(String(decoding: open, as: UTF8.self))> 内结束（内容不完整）",
                          en: "the XML ends inside <\(String(decoding: open, as: UTF8.self))> (incomplete)")
        }
        if !sawRoot { throw Problem(isLimit: false, zh: "没有 XML 内容", en: "no XML content") }
    }

    private static func malformed(_ zh: String, _ en: String) -> Problem { Problem(isLimit: false, zh: "XML 格式错误：" + zh, en: "malformed XML: " + en) }

    private func tooLong() -> Problem {
        Problem(isLimit: true, zh: "一个 XML 标记或文本段超过 \(Place.bytes(maxToken))", en: "an XML tag or text run longer than \(Place.bytes(maxToken))")
    }

    private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/"), question = UInt8(ascii: "?")
    private static let bang = UInt8(ascii: "!"), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), equals = UInt8(ascii: "=")

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func find(_ byte: UInt8, from i: Int) -> Int? {
        var j = i
        while j < buffer.count { if buffer[j] == byte { return j }; j += 1 }
        return nil
    }

    private func find(_ pattern: [UInt8], from i: Int) -> Int? { buffer.firstIndex(of: pattern, from: i) }

    private func hasPrefix(_ pattern: [UInt8], at i: Int) -> Bool? {
        let n = min(pattern.count, buffer.count - i)
        guard buffer[i..<i + n].elementsEqual(pattern[0..<n]) else { return false }
        return n == pattern.count ? true : nil   // nil: not enough bytes yet to tell
    }

    private static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8), piClose = Array("?>".utf8)

    private func parse(final: Bool) throws {
        if atStart {
            guard buffer.count >= 3 || final else { return }
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
            if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
                throw Self.malformed("不是 UTF-8 编码（UTF-16）", "not UTF-8 (UTF-16)")
            }
            atStart = false
        }
        var i = 0
        defer { if i > 0 { buffer.removeFirst(i) } }
        // Waits for more bytes when a token is incomplete, as long as it is within the token limit.
        func incomplete() throws -> Bool {
            if buffer.count - i > maxToken { throw tooLong() }
            if final { throw Self.malformed("文件在标记中间结束", "the file ends inside a tag") }
            return true
        }
        while i < buffer.count {
            if buffer[i] != Self.lt {
                var end = find(Self.lt, from: i)
                if end == nil {
                    if buffer.count - i > maxToken { throw tooLong() }
                    if !final { return }
                    end = buffer.count
                }
                let run = buffer[i..<end!]
                if end! - i > maxToken { throw tooLong() }
                if stack.isEmpty {
                    guard run.allSatisfy(Self.isSpace) else { throw Self.malformed("元素之外有文本", "text outside the root element") }
                } else if handler.wantsText {
                    try handler.text(try Self.decode(run))
                }
                i = end!
                continue
            }
            guard i + 1 < buffer.count else { if try incomplete() { return }; continue }
            let next = buffer[i + 1]
            if next == Self.question {
                guard let close = find(Self.piClose, from: i + 2) else { if try incomplete() { return }; continue }
                if close - i > maxToken { throw tooLong() }
                try declaration(buffer[i + 2..<close])
                i = close + 2
            } else if next == Self.bang {
                switch (hasPrefix(Self.commentOpen, at: i), hasPrefix(Self.cdataOpen, at: i)) {
                case (true, _):
                    guard let close = find(Self.commentClose, from: i + 4) else { if try incomplete() { return }; continue }
                    if close - i > maxToken { throw tooLong() }
                    i = close + 3
                case (_, true):
                    guard let close = find(Self.cdataClose, from: i + 9) else { if try incomplete() { return }; continue }
                    if close - i > maxToken { throw tooLong() }
                    guard !stack.isEmpty else { throw Self.malformed("元素之外有 CDATA", "CDATA outside the root element") }
                    if handler.wantsText { try handler.text(String(decoding: buffer[i + 9..<close], as: UTF8.self)) }
                    i = close + 3
                case (nil, _), (_, nil):
                    if try incomplete() { return }
                default:
                    throw Self.malformed("不允许 DOCTYPE 或 DTD 声明", "a DOCTYPE or DTD declaration is not allowed")
                }
            } else if next == Self.slash {
                guard let close = find(Self.gt, from: i + 2) else { if try incomplete() { return }; continue }
                if close - i > maxToken { throw tooLong() }
                var nameEnd = close
                while nameEnd > i + 2 && Self.isSpace(buffer[nameEnd - 1]) { nameEnd -= 1 }
                let name = buffer[i + 2..<nameEnd]
                guard let open = stack.popLast() else { throw Self.malformed("多余的结束标记", "an end tag without a start tag") }
                guard open.elementsEqual(name) else {
                    throw Self.malformed("结束标记 </\(String(decoding: name, as: UTF8.self))> 与 <\(String(decoding: open, as: UTF8.self))> 不匹配",
                                         "end tag </\(String(decoding: name, as: UTF8.self))> does not match <\(String(decoding: open, as: UTF8.self))>")
                }
                try handler.end(Self.localName(name))
                i = close + 1
            } else {
                // A start tag: its end is the first `>` outside quoted attribute values.
                var j = i + 1
                var quote: UInt8 = 0
                while j < buffer.count {
                    let b = buffer[j]
                    if quote != 0 { if b == quote { quote = 0 } } else if b == Self.quote || b == Self.apostrophe { quote = b } else if b == Self.gt { break }
                    j += 1
                }
                guard j < buffer.count else { if try incomplete() { return }; continue }
                if j - i > maxToken { throw tooLong() }
                try startTag(i + 1, j)
                i = j + 1
            }
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>`: only UTF-8 is read. Other processing instructions are skipped.
    private func declaration(_ body: ArraySlice<UInt8>) throws {
        guard body.starts(with: Array("xml".utf8)), body.count == 3 || Self.isSpace(body[body.startIndex + 3]) else { return }
        let text = String(decoding: body, as: UTF8.self).lowercased()
        guard let r = text.range(of: "encoding") else { return }
        let value = text[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }.prefix { $0 != "\"" && $0 != "'" }
        guard ["utf-8", "utf8"].contains(String(value)) else {
            throw Self.malformed("编码为 \(Place.sample(String(value)))，只读取 UTF-8", "encoding \(Place.sample(String(value))): only UTF-8 is read")
        }
    }

    private func startTag(_ from: Int, _ to: Int) throws {
        var end = to
        var selfClosing = false
        if end > from && buffer[end - 1] == Self.slash { selfClosing = true; end -= 1 }
        var k = from
        while k < end && !Self.isSpace(buffer[k]) { k += 1 }
        let name = buffer[from..<k]
        guard !name.isEmpty else { throw Self.malformed("标记没有名称", "a tag without a name") }
        var attributes: [(name: String, value: String)] = []
        while true {
            while k < end && Self.isSpace(buffer[k]) { k += 1 }
            guard k < end else { break }
            let nameStart = k
            while k < end && buffer[k] != Self.equals && !Self.isSpace(buffer[k]) { k += 1 }
            let attribute = buffer[nameStart..<k]
            while k < end && Self.isSpace(buffer[k]) { k += 1 }
            guard k < end, buffer[k] == Self.equals else { throw Self.malformed("属性缺少值", "an attribute without a value") }
            k += 1
            while k < end && Self.isSpace(buffer[k]) { k += 1 }
            guard k < end, buffer[k] == Self.quote || buffer[k] == Self.apostrophe else { throw Self.malformed("属性值没有引号", "an attribute value without quotes") }
            let q = buffer[k]
            k += 1
            let valueStart = k
            while k < end && buffer[k] != q { k += 1 }
            guard k < end else { throw Self.malformed("属性值没有结束引号", "an attribute value without its closing quote") }
            attributes.append((Self.localName(attribute), try Self.decode(buffer[valueStart..<k])))
            k += 1
        }
        guard sawRoot == false || !stack.isEmpty else { throw Self.malformed("根元素之后还有元素", "an element after the root element") }
        if stack.count >= maxDepth {
            throw Problem(isLimit: true, zh: "XML 元素嵌套超过 \(Place.number(maxDepth)) 层", en: "XML elements nested more than \(Place.number(maxDepth)) deep")
        }
        sawRoot = true
        let local = Self.localName(name)
        stack.append(Array(name))
        try handler.start(local, attributes)
        if selfClosing {
            stack.removeLast()
            try handler.end(local)
        }
    }

    /// `x:c` → `c`.
    static func localName(_ name: ArraySlice<UInt8>) -> String {
        if let colon = name.lastIndex(of: UInt8(ascii: ":")) { return String(decoding: name[(colon + 1)...], as: UTF8.self) }
        return String(decoding: name, as: UTF8.self)
    }

    /// Text with its entity and character references replaced (numbers read with checked arithmetic).
    static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else { out.append(b); i += 1; continue }
            guard let semicolon = bytes[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw malformed("“&”后没有以“;”结束的实体", "'&' without an entity ending in ';'")
            }
            let name = bytes[(i + 1)..<semicolon]
            switch String(decoding: name, as: UTF8.self) {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                guard name.first == UInt8(ascii: "#"), let scalar = characterReference(name.dropFirst()) else {
                    throw malformed("未知的实体 &\(String(decoding: name, as: UTF8.self));", "unknown entity &\(String(decoding: name, as: UTF8.self));")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `x41` or `65` → `A`; nil for what XML 1.0 does not allow (past U+10FFFF, surrogates, most controls).
    static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var body = digits
        var radix: UInt32 = 10
        if body.first == UInt8(ascii: "x") { radix = 16; body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        var value: UInt32 = 0
        for b in body {
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: d = UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * radix + d
            if value > 0x10FFFF { return nil }   // checked before it can grow further
        }
        guard value == 0x9 || value == 0xA || value == 0xD || value >= 0x20, let scalar = Unicode.Scalar(value) else { return nil }
        return scalar
    }
}
