/// Where a value came from: a content file (relative to the content folder) and a 1-based line.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A problem found in the content, a template or the site; errors stop the build.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Comparable, Codable {
        /// 提示: a difference within what rounding the printed figures allows; shown with `check --explain`.
        case info, warning, error
        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    /// `file:line: error: message` — the form editors and editors' tools both read.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// A build that failed: every error found (up to a limit), plus the warnings.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics across a stage without stopping at the first.
public struct DiagnosticBag: Sendable {
    public private(set) var items: [Diagnostic] = []
    public static let errorLimit = 200
    public init() {}
    public mutating func add(_ d: Diagnostic) { items.append(d) }
    public mutating func add(contentsOf ds: [Diagnostic]) { items.append(contentsOf: ds) }
    public mutating func error(_ at: SourceLocation, _ message: String) { add(.error(at, message)) }
    public mutating func warning(_ at: SourceLocation, _ message: String) { add(.warning(at, message)) }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errorCount: Int { items.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }
    /// Sorted by file and line, so reports are stable.
    public var sorted: [Diagnostic] {
        items.sorted { ($0.location, $0.severity == .error ? 0 : 1, $0.message) < ($1.location, $1.severity == .error ? 0 : 1, $1.message) }
    }
}
