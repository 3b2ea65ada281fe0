// Finding image files in folders: the one extension list and the one lister that every command and trainer uses.
import Foundation

public enum ImageFiles {
    /// File extensions taken as images (lower-case, without the dot): what `Image.load` decodes and `save` writes.
    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Whether `url`'s extension names an image (any case).
    public static func hasImageExtension(_ url: URL) -> Bool { extensions.contains(url.pathExtension.lowercased()) }

    /// The regular image files (or links to them) in `folder`, directly inside it or, with `recursive`, at any depth;
    /// hidden files and folders are skipped. Sorted by path, so every run sees them in the same order. Throws an
    /// `ImageError` naming the folder when it is missing, not a folder or cannot be listed.
    public static func list(in folder: URL, recursive: Bool = false) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            throw ImageError(folder, .noSuchFile, "no such folder")
        }
        guard isDirectory.boolValue else { throw ImageError(folder, .unsupported, "not a folder") }
        let keys: [URLResourceKey] = [.isRegularFileKey]
        var candidates: [URL] = []
        if recursive {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys,
                                                              options: [.skipsHiddenFiles]) else {
                throw ImageError(folder, .unreadable, "cannot list folder")
            }
            for case let url as URL in walker { candidates.append(url) }
        } else {
            do {
                candidates = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys,
                                                                         options: [.skipsHiddenFiles])
            } catch {
                throw ImageError(folder, .unreadable, "cannot list folder (\(error.localizedDescription))")
            }
        }
        // A symbolic link to an image counts as the image (a folder of links to a selection is a common way to pick
        // training images); links to folders or to nothing do not.
        return candidates.filter { url in
            hasImageExtension(url)
                && (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }.sorted { $0.path < $1.path }
    }
}
