import Foundation

/// Pinyin initials for search: 东湖区中小企业服务局 → "dhqzxqyfwj", through Foundation's Han-Latin
/// transform (ICU, also on Linux). A character read two ways is read its commonest way (行 as xing).
public enum Pinyin {
    /// The first letter of each syllable, lower-cased; letters of Latin words are kept as one initial
    /// each word, digits and punctuation dropped. Empty when the transform is unavailable.
    public static func initials(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.isIdeographic }),
              let latin = text.applyingTransform(StringTransform("Han-Latin; Latin-ASCII"), reverse: false) else { return "" }
        var out = "", inWord = false
        for c in latin.lowercased().unicodeScalars {
            let letter = ("a"..."z").contains(c)
            if letter && !inWord { out.unicodeScalars.append(c) }
            inWord = letter
        }
        return out
    }
}
