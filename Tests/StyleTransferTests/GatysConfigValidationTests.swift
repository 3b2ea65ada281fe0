// One set of rules for the optimisation's settings, used by Gatys.stylize and by `nst stylize` before any work.
import Testing
@testable import StyleTransfer

@Suite struct GatysConfigValidationTests {
    func problem(_ change: (inout GatysConfig) -> Void, styles: Int = 1) -> String? {
        var config = GatysConfig()
        change(&config)
        do { try config.validate(styleCount: styles); return nil } catch { return "\(error)" }
    }

    @Test func eachRuleNamesItsOption() {
        #expect(problem { _ in } == nil)
        #expect(problem({ _ in }, styles: 0) == "give a content image and at least one style image")
        #expect(problem({ $0.styleBlend = [1] }, styles: 2) == "give one --style-blend value per style image (got 1 for 2)")
        #expect(problem({ $0.styleBlend = [0, 0] }, styles: 2) == "--style-blend weights must be ≥ 0 and not all 0")
        #expect(problem { $0.iterations = 0 } == "--iterations must be at least 1")
        #expect(problem { $0.imageSize = 8 } == "--size must be at least 16 pixels")
        #expect(problem { $0.imageSize = 64; $0.scales = 4 } == "--scales 4 makes the first scale smaller than 16 pixels at --size 64")
        #expect(problem { $0.imageSize = 64; $0.scales = 3 } == nil)
    }
}
