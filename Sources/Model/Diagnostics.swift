import Support

/// Where a value came from: a content file (relative to the content folder) and a 1-based line.
///
/// Twelve bytes: the file's name is interned (`SourceFiles`) and line and column are 32-bit. A
/// disclosure holds a location per entered cell; as a `String` and two `Int`s they were 32 bytes.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    private var fileID: UInt32
    private var storedLine: Int32
    private var storedColumn: Int32

    public var file: String {
        get { SourceFiles.name(fileID) }
        set { fileID = SourceFiles.id(newValue) }
    }
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(file: String, line: Int = 0, column: Int = 0) {
        fileID = SourceFiles.id(file)
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    enum CodingKeys: String, CodingKey { case file, line, column }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try c.decode(String.self, forKey: .file), line: try c.decode(Int.self, forKey: .line),
                  column: try c.decode(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// The names of the files locations point into, each stored once for the process: a location
/// holds its file's number. Names are never removed (a site has a few files per disclosure).
public enum SourceFiles {
    private static let table = Locked((ids: [String: UInt32](), names: [String]()))

    /// The number of `name`, given it on first use.
    public static func id(_ name: String) -> UInt32 {
        table.withLock { t in
            if let id = t.ids[name] { return id }
            let id = UInt32(t.names.count)
            t.names.append(name)
            t.ids[name] = id
            return id
        }
    }

    public static func name(_ id: UInt32) -> String { table.withLock { $0.names[Int(id)] } }
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
