// Every input the fuzzers (Fuzz/NSTFuzz, scripts/fuzz) ever flagged, plus hand-made hostile files, kept under
// Tests/Fixtures/untrusted/<reader>/: each must now give a one-line error naming the file (never a crash, a hang
// or a huge allocation). Adding a finding is dropping the file into the folder of the reader it broke.
import Foundation
import ImageIO
import NeuralCore
import Testing
@testable import Classification
@testable import StyleTransfer

@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/untrusted")
        .standardizedFileURL

    static func files(_ reader: String) -> [String] {
        let folder = root.appendingPathComponent(reader)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            .map { folder.appendingPathComponent($0).path }
    }

    static let images = files("png") + files("jpeg")
    static let models = files("safetensors")
    static let datasets = files("idx")

    func expectOneLineError(_ path: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(path) was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains((path as NSString).lastPathComponent) && !message.contains("\n"), "\(message)")
        }
    }

    @Test(arguments: images) func imageFindingsAreRefused(path: String) {
        expectOneLineError(path) { _ = try Image.load(URL(fileURLWithPath: path)) }
    }

    @Test(arguments: models) func modelFindingsAreRefused(path: String) {
        let url = URL(fileURLWithPath: path)
        expectOneLineError(path) { _ = try ClassifierModel(contentsOf: url) }
        expectOneLineError(path) { _ = try StylizerModel.read(url) }
    }

    @Test(arguments: datasets) func datasetFindingsAreRefused(path: String) {
        expectOneLineError(path) { _ = try IDXFile.read(URL(fileURLWithPath: path)) }
    }

    @Test func theFixturesAreThere() {
        #expect(Self.images.count + Self.models.count + Self.datasets.count >= 5)
    }
}
