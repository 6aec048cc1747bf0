import Foundation
import Support

/// The bulk download of a region and year: every disclosure's CSV and JSON, the long CSV and its data package.
enum BulkDownload {
    /// `bundles`: each disclosure's data folder and file names; the files are read as this build
    /// wrote them (nothing held in memory for the ZIPs), made again only if one cannot be read.
    static func zip(_ bundles: [(dir: String, names: [String], files: LazyBox<[(String, String)]>)], long: [UInt8], package: String,
                    read: (String) -> [UInt8]?) -> [UInt8] {
        var archive = ZipWriter()
        archive.add("data.csv", long)
        archive.add("datapackage.json", Array(package.utf8))
        for bundle in bundles {
            let slug = bundle.dir.split(separator: "/").first.map(String.init) ?? ""
            var made: [(String, String)]?   // only when a file cannot be read back
            for (i, name) in bundle.names.enumerated() where name != "datapackage.json" {
                let bytes = read(bundle.dir + name) ?? {
                    if made == nil { made = bundle.files.take() }
                    return Array(made![i].1.utf8)
                }()
                archive.add("\(slug)/\(name)", bytes)
            }
        }
        return archive.finish()
    }
}
