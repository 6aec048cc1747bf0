import Derive
import Incremental
import Model
import Support
import Theme

/// What the site keeps between builds, shelf by shelf (`Store`); the pipeline's are `PipelineShelves`.
enum SiteShelves {
    /// The stamps of what pages take from each disclosure, by what it was read from (`AnalysedSite.keys`).
    /// On disk a line each: id, key, the three stamps, the publication date ("-": none), the
    /// headline figures ("<name>=<units>=<scale>;…") and the search terms' stamp, separated by tabs
    /// (none of them holds one).
    static let stamps = Shelf<DisclosureStamps>("stamps", codec: Codec.lines({ id, key, s in
        let headline = s.headline.values.keys.sorted().map { "\($0)=\(s.headline.values[$0]!.units)=\(s.headline.values[$0]!.scale)" }
        return [id, String(key), s.files, s.figures, s.cells, s.published ?? "-", headline.joined(separator: ";"), s.terms].joined(separator: "\t")
    }, item: { line in
        let f = line.pieces(UInt8(ascii: "\t"))
        guard f.count == 8, let key = UInt64(f[1].text) else { return nil }
        var values: [String: Amount] = [:]
        values.reserveCapacity(Headline.figures.count)
        for pair in f[6].pieces(UInt8(ascii: ";")) where !pair.isEmpty {
            let parts = pair.pieces(UInt8(ascii: "="))
            guard parts.count == 3, let units = Int64(parts[1].text), let scale = Int(parts[2].text) else { return nil }
            values[parts[0].text] = Amount(units: units, scale: scale)
        }
        return (f[0].text, key, DisclosureStamps(files: f[2].text, figures: f[3].text, cells: f[4].text, headline: Headline(values: values),
                                                 published: f[5].text == "-" ? nil : f[5].text, terms: f[7].text))
    }))
    /// The theme as last loaded, by the stamp of its folders (memory only).
    static let theme = Shelf<Theme>("theme")
    /// The region tree and each region's departments, by the stamp of site.yaml and the
    /// department.yaml files (memory only).
    static let regions = Shelf<PageGraph.Regions>("regions")

    static func key(_ stamp: String) -> UInt64 {
        var stream = Digest.Stream()
        stream.add(stamp)
        return stream.value
    }
}
