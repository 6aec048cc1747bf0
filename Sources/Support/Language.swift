import Foundation

/// The language of every message an editor reads (build, check, import, new, draft, serve):
/// Chinese by default, English with `--lang en` or an English `LANG`.
///
/// Chinese unless set otherwise: the command line sets it once, before any work starts, from
/// `--lang` or the environment; read from any thread. Library code and tests see Chinese.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    nonisolated(unsafe) public static var current: Language = .zh

    /// `LANG`/`LC_ALL`/`LC_MESSAGES` starting with `en` give English; anything else Chinese.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("en") ? .en : .zh
        }
        return .zh
    }
}

/// One message in both languages; the current language's is returned.
@inline(__always)
public func localized(_ zh: String, en: String) -> String {
    Language.current == .en ? en : zh
}
