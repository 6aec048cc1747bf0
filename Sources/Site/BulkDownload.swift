import OpenData

/// The bulk download of a region and year: the long CSV of every cell and its data package, and each
/// disclosure's ten tables as CSV in a folder of its department, copied as they are deflated in the
/// disclosure's data package ZIP (nothing deflated twice).
enum BulkDownload {
    static func zip(_ bundles: [(slug: String, tables: [ZipReader.Entry])], long: [UInt8], package: String) -> [UInt8] {
        var archive = ZipWriter()
        archive.add("data.csv", long)
        archive.add("datapackage.json", Array(package.utf8))
        for bundle in bundles {
            for entry in bundle.tables { archive.add("\(bundle.slug)/\(entry.name)", entry) }
        }
        return archive.finish()
    }
}

/// A disclosure's downloads as published, for tools and tests: where they are, and a file inside its
/// data package ZIP.
public enum Downloads {
    /// `<slug>/<year>/<name>` of the workbook, the JSON and the data package ZIP.
    public static func paths(slug: String, year: Int) -> (workbook: String, json: String, package: String) {
        let names = OpenData.disclosureFileNames(slug: slug, year: year).map { "\(slug)/\(year)/" + $0 }
        return (names[0], names[1], names[2])
    }

    /// The name of the table's CSV in the data package ZIP (`t06-<slug>-<year>.csv`) and in the region ZIP (in `<slug>/`).
    public static func tableCSV(_ code: String, slug: String, year: Int) -> String { "t\(code)-\(slug)-\(year).csv" }

    /// The bytes of an entry of a ZIP sitegen wrote (a data package, a region ZIP, a workbook).
    public static func entry(_ zip: [UInt8], _ name: String) -> [UInt8]? { ZipReader(zip)?.entry(name)?.inflated() }

    /// The names of its entries, in order.
    public static func entries(_ zip: [UInt8]) -> [String]? { ZipReader(zip)?.entries.map(\.name) }
}
