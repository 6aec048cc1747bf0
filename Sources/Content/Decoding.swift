import Model

/// Turns located YAML/JSON nodes into model values, reporting every problem with file:line.
struct Decoder {
    var bag = DiagnosticBag()

    mutating func error(_ at: Located, _ message: String) { bag.error(at.location, message) }

    mutating func string(_ node: Located?, _ what: String, required: Bool = false, at parent: Located? = nil) -> String? {
        guard let node, !node.isNull else {
            if required, let parent { error(parent, "missing \(what)") }
            return nil
        }
        guard let s = node.scalar else {
            error(node, "\(what): expected text, found \(node.kindName)")
            return nil
        }
        return s
    }

    mutating func strings(_ node: Located?, _ what: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let seq = node.sequence else {
            error(node, "\(what): expected a list (- item lines), found \(node.kindName)")
            return []
        }
        return seq.compactMap { string($0, what) }
    }

    mutating func int(_ node: Located?, _ what: String, required: Bool = false, at parent: Located? = nil) -> Int? {
        guard let text = string(node, what, required: required, at: parent), let node else { return nil }
        guard let v = Int(text) else {
            error(node, "\(what): expected a whole number, found '\(text)'")
            return nil
        }
        return v
    }

    mutating func bool(_ node: Located?, _ what: String) -> Bool? {
        guard let text = string(node, what), let node else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "\(what): expected true or false, found '\(text)'")
            return nil
        }
    }

    /// An amount (nil = blank). `context` names table/row/column for the message.
    mutating func amount(_ node: Located, _ context: String, count: Bool = false, allowNegative: Bool = false) -> Amount?? {
        if node.isNull { return .some(nil) }
        guard let text = node.scalar else {
            error(node, "\(context): expected an amount such as 55.57, found \(node.kindName)")
            return nil
        }
        switch Amount.parse(text) {
        case .failure(let why):
            error(node, "\(context): found '\(text)' — \(why.explanation); expected \(count ? "a whole number such as 3" : "an amount in 万元 such as 55.57")")
            return nil
        case .success(let a):
            if count && a.rounded(to: 0) != a {
                error(node, "\(context): found '\(text)'; expected a whole number (this is a count)")
                return nil
            }
            if a.isNegative && (!allowNegative || count) {
                error(node, "\(context): found '\(text)'; expected an amount of 0 or more (negative amounts are allowed only for 结余 lines)")
                return nil
            }
            return .some(count ? Amount(units: a.units, scale: 0) : a)
        }
    }

    /// Checks that a mapping has only known keys.
    mutating func expectKeys(_ node: Located, _ known: [String], _ what: String) {
        guard let m = node.mapping else { return }
        for (k, _) in m {
            if let key = k.scalar, !known.contains(key) {
                error(k, "\(what): unknown key '\(key)'; expected one of: \(known.joined(separator: ", "))")
            }
        }
    }

    mutating func mapping(_ node: Located?, _ what: String) -> [(key: Located, value: Located)]? {
        guard let node, !node.isNull else { return nil }
        guard let m = node.mapping else {
            error(node, "\(what): expected a mapping (key: value lines), found \(node.kindName)")
            return nil
        }
        return m
    }

    mutating func textTable(_ node: Located?, _ what: String) -> TextTable? {
        guard let node, !node.isNull else { return nil }
        guard node.mapping != nil else {
            error(node, "\(what): expected a mapping with columns: and rows:, found \(node.kindName)")
            return nil
        }
        expectKeys(node, ["caption", "columns", "rows"], what)
        let columns = strings(node["columns"], "\(what) columns")
        if columns.isEmpty { error(node, "\(what): missing columns: (the list of column headers)") }
        var rows: [[String?]] = []
        var locations: [SourceLocation] = []
        if let seq = node["rows"]?.sequence {
            for row in seq {
                guard let cells = row.sequence else {
                    error(row, "\(what): each row is a list [cell, cell, …], found \(row.kindName)")
                    continue
                }
                if !columns.isEmpty && cells.count != columns.count {
                    error(row, "\(what): row has \(cells.count) cells; expected \(columns.count) (\(columns.joined(separator: ", ")))")
                    continue
                }
                rows.append(cells.map { $0.isNull ? nil : ($0.scalar ?? "") })
                locations.append(row.location)
            }
        } else if let r = node["rows"], !r.isNull {
            error(r, "\(what) rows: expected a list of rows, found \(r.kindName)")
        }
        return TextTable(caption: string(node["caption"], "\(what) caption"), columns: columns, rows: rows, rowLocations: locations)
    }
}
