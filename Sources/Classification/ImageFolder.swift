// torchvision's ImageFolder convention: one sub-folder per class, class index = position in sorted folder names.
import Foundation
import ImageIO

/// A scanned image folder: class names and the image files of each class.
public struct ImageFolder {
    public let root: URL
    /// Sub-folder names, sorted; index = label.
    public let classNames: [String]
    /// Every image file with its label, sorted by class then path.
    public let files: [(url: URL, label: Int)]

    /// Scans `root`. Throws `ModelFileError` when it is missing, has no class sub-folders, or a class folder holds
    /// no .png/.jpg/.jpeg file (naming that folder). Hidden files and folders are ignored.
    public static func scan(_ root: URL) throws -> ImageFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelFileError(file: root.path, problem: "image folder not found")
        }
        let entries = try contents(of: root)
        let classFolders = entries.filter { isFolder($0) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard classFolders.count >= 2 else {
            throw ModelFileError(file: root.path, problem:
                "needs at least two class sub-folders (one per class, images inside), found \(classFolders.count)")
        }
        var files: [(URL, Int)] = []
        for (label, folder) in classFolders.enumerated() {
            let images = try imageFiles(in: folder)
            guard !images.isEmpty else {
                throw ModelFileError(file: folder.path + "/", problem: "no .jpg, .jpeg or .png files found (class '\(folder.lastPathComponent)')")
            }
            files += images.map { ($0, label) }
        }
        return ImageFolder(root: root, classNames: classFolders.map(\.lastPathComponent), files: files)
    }

    /// Image files directly inside `folder` (not recursive), sorted by name.
    public static func imageFiles(in folder: URL) throws -> [URL] {
        do { return try ImageFiles.list(in: folder) } catch let error as ImageError {
            throw ModelFileError(file: folder.path, problem: error.problem)
        }
    }

    static func contents(of folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey],
                                                               options: [.skipsHiddenFiles])
        } catch {
            throw ModelFileError(file: folder.path, problem: "cannot list folder (\(error.localizedDescription))")
        }
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
