import Check
import Content
import Foundation
import Incremental
import Model
import Support

/// What the pipeline keeps between builds, shelf by shelf (`Store`). A shelf with a codec is also
/// kept on disk for a build in a new process; the others only in a process that builds again (`serve`).
public enum PipelineShelves {
    /// What reading each year folder reported (`departments/<slug>/<year>`), by the stamps of its
    /// files and of everything else (`readKey`): a folder whose key is unchanged is not read again.
    public static let read = Shelf<[Diagnostic]>("read", codec: jsonLines())
    /// What each department.yaml gave, by path, keyed by its stamp (which is inside too).
    public static let departments = Shelf<ContentLoader.KeptDepartment>("departments", codec: departmentLines)
    /// Completed disclosures, by what they were read from (memory only: a new process reads again
    /// only the disclosures a page needs).
    public static let derived = Shelf<Disclosure>("derived")
    /// Findings of each disclosure, by what they are made from (it and last year's).
    public static let checked = Shelf<[Finding]>("checked", codec: jsonLines())
    /// Why each draft is one, by the stamps its folder was read with (as `read`): a draft not read
    /// again (unchanged) is still a draft.
    public static let drafts = Shelf<[String]>("drafts", codec: jsonLines())
    /// The content folder as last read, when a watcher reports every change (`serve`).
    public static let reading = Shelf<ContentLoader.Cache>("reading")

    static func readKey(shared: String, stamp: String) -> UInt64 {
        var key = Digest.Stream()
        key.add(shared)
        key.add(stamp)
        return key.value
    }

    /// Lines of "<id> TAB <key> TAB <value as JSON>" ("-" for an empty list). Ids and keys never
    /// hold a tab or a line break, and JSON strings escape both. Text that does not decode makes the
    /// whole shelf unusable: nothing is dropped silently.
    static func jsonLines<V: Codable & Sendable>() -> Codec<V> {
        let empty = try? JSONDecoder().decode(V.self, from: Data("[]".utf8))
        return Codec.lines({ id, key, value in
            if (value as? any Collection)?.isEmpty == true { return id + "\t" + String(key) + "\t-" }
            let json = JSONEncoder()
            json.outputFormatting = .sortedKeys   // the same results give the same file
            return id + "\t" + String(key) + "\t" + ((try? json.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?")
        }, item: { line in
            let f = line.pieces(UInt8(ascii: "\t"))
            guard f.count == 3, let key = UInt64(f[1].text) else { return nil }
            if f[2].count == 1 && f[2][0] == UInt8(ascii: "-"), let empty { return (f[0].text, key, empty) }
            guard let value = try? JSONDecoder().decode(V.self, from: Data(f[2])) else { return nil }
            return (f[0].text, key, value)
        })
    }

    /// A department.yaml's result as tab-separated fields (`lineField`): its stamp, slug, name, kind,
    /// parent, region, code, duties' introduction, established, where it and its parent are written
    /// (file, line, column; "-" for none), then the number of duties and each. Decoding 5,000 of them
    /// as JSON was most of what a build after one edit spent reading its state.
    static let departmentLines = Codec<ContentLoader.KeptDepartment>.lines({ id, key, kept in
        let d = kept.department
        var fields = [id, String(key)] + [kept.stamp, d.slug, d.name, d.kind, d.parent, d.region, d.code, d.dutiesIntro, d.established].map(lineField)
        for location in [d.location, kept.parent] {
            fields += [lineField(location?.file), String(location?.line ?? 0), String(location?.column ?? 0)]
        }
        return (fields + [String(d.duties.count)] + d.duties.map(lineField)).joined(separator: "\t")
    }, item: { line in
        let f = line.pieces(UInt8(ascii: "\t"))
        guard f.count >= 18, let key = UInt64(f[1].text), let count = Int(f[17].text), f.count == 18 + count else { return nil }
        let text = f[2..<11].map { $0.field }
        guard !text.contains(where: { $0 == nil }), let stamp = text[0]!, let slug = text[1]!, let name = text[2]!, let kind = text[3]!,
              let region = text[5]! else { return nil }
        func location(_ at: Int) -> SourceLocation?? {
            guard let file = f[at].field, let line = Int(f[at + 1].text), let column = Int(f[at + 2].text) else { return nil }
            return .some(file.map { SourceLocation(file: $0, line: line, column: column) })
        }
        let duties = f[18...].map { $0.field }
        guard let place = location(11), let place, let parent = location(14), !duties.contains(where: { $0 == nil || $0! == nil }) else { return nil }
        let department = Department(slug: slug, name: name, kind: kind, parent: text[4]!, region: region, code: text[6]!,
                                    dutiesIntro: text[7]!, duties: duties.map { $0!! }, established: text[8]!, location: place)
        return (f[0].text, key, ContentLoader.KeptDepartment(stamp: stamp, department: department, parent: parent))
    })

    /// What `ContentLoader.load` may skip: year folders and department.yaml files read by an earlier
    /// build whose results still hold. Each shelf is taken from the store when the load first needs
    /// it (the departments for the department.yaml files, the folders' for the year folders), so a
    /// store still decoding them (`DiskStore.prefetch`) does not hold up what the load reads first.
    public static func reuse(_ store: any Store) -> ContentLoader.Reuse {
        ContentLoader.Reuse(departments: {
            store.kept(Self.departments).map { Dictionary(zip($0.ids, $0.values), uniquingKeysWith: { first, _ in first }) } ?? [:]
        }, folder: {
            let byFolder = KeptIndex(store.kept(Self.read))
            return { shared, folder, stamp in byFolder.value(folder, key: readKey(shared: shared, stamp: stamp)) }
        })
    }

    /// Keeps what this load read, for the next. The departments are kept again only when one was
    /// read or is gone (`reused`: what the load was given); else the shelf stays as the store has it
    /// (a store on disk writes it as it read it, without encoding every department again).
    static func keep(_ loaded: ContentLoader.Result, ids: [String], reused: ContentLoader.Reuse?, in store: any Store) {
        let folders = ids.map { "departments/" + $0 }
        store.keep(read, Kept(ids: folders, keys: ids.map { readKey(shared: loaded.sharedStamp, stamp: loaded.stamps[$0] ?? "?") },
                              values: folders.map { loaded.folderDiagnostics[$0] ?? [] }))
        if loaded.departmentsRead == 0, let reused, reused.departments.count == loaded.departments.count { return }
        let paths = loaded.departments.keys.sorted()
        // Keyed by its stamp: a store on disk writes a result whose id and key it read as it read it.
        store.keep(departments, Kept(ids: paths, keys: paths.map { readKey(shared: "", stamp: loaded.departments[$0]!.stamp) },
                                     values: paths.map { loaded.departments[$0]! }))
    }

    /// Drafts among `ids` (every disclosure, read or kept) with why each is one: those read say so
    /// themselves (`read`: id → why, empty for none), those kept are what the last build found.
    /// Kept for the next build.
    static func drafts(read: [String: [String]], ids: [String], loaded: ContentLoader.Result, in store: any Store) -> [String: [String]] {
        let last = KeptIndex(store.kept(Self.drafts))
        var drafts: [String: [String]] = [:]
        for id in ids {
            if let reasons = read[id] {
                if !reasons.isEmpty { drafts[id] = reasons }
            } else if let reasons = keptDraft(id, last: last, shared: loaded.sharedStamp, stamps: loaded.stamps) {
                drafts[id] = reasons
            }
        }
        let sorted = drafts.keys.sorted()
        store.keep(Self.drafts, Kept(ids: sorted, keys: sorted.map { readKey(shared: loaded.sharedStamp, stamp: loaded.stamps[$0] ?? "?") },
                                     values: sorted.map { drafts[$0]! }))
        return drafts
    }

    /// Why a disclosure not read this time is a draft, as the last build found it (nil: it was not
    /// one, or its files changed since).
    static func keptDraft(_ id: String, last: KeptIndex<[String]>, shared: String, stamps: [String: String]) -> [String]? {
        last.value(id, key: readKey(shared: shared, stamp: stamps[id] ?? "?"))
    }

    /// For `serve`: a store whose owner reports every changed path (`forget`), so a rebuild looks
    /// only at those instead of walking the content folder.
    public static func watched(_ store: any Store) {
        store.keep(reading, Kept(ContentLoader.Cache(reportsChanges: true), key: 0))
    }

    /// Absolute paths that changed since the last build; those outside `content` are ignored.
    public static func forget(_ changed: Set<String>, content root: URL, in store: any Store) {
        guard let cache = store.kept(reading)?.values.first else { return }
        let base = root.standardizedFileURL.path
        let relative = changed.compactMap { path -> String? in
            if path == base || path == base + "/" { return "" }
            return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : nil
        }
        cache.forget(relative.sorted())
    }
}
