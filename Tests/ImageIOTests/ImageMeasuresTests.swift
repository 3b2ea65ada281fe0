// Tests for ImageMeasures: structure (SSIM) and palette distance, against values worked out by hand from the
// definitions and, for one irregular case, against the reference formulas of ../shared/peer/structure.py evaluated
// in NumPy (scipy convolve2d, the same Gaussian window).
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageMeasuresTests {
    func gray(_ w: Int, _ h: Int, _ f: (Int, Int) -> Float) -> Image {
        Image(width: w, height: h, channels: 1, pixels: (0..<h).flatMap { i in (0..<w).map { j in f(i, j) } })
    }

    @Test func ssimOfAnImageWithItselfIsOne() {
        let a = gray(20, 17) { i, j in Float((i * 7 + j * 3) % 11) / 10 }
        #expect(abs(ImageMeasures.ssim(a, a) - 1) < 1e-12)
    }

    // Flat images have no variance: SSIM = (2·μa·μb + C1)·C2 / ((μa² + μb² + C1)·C2) = (0.25 + 1e-4)/(0.3125 + 1e-4).
    @Test func ssimOfFlatImagesIsTheLuminanceTerm() {
        let s = ImageMeasures.ssim(gray(16, 16) { _, _ in 0.5 }, gray(16, 16) { _, _ in 0.25 })
        #expect(abs(s - 0.2501 / 0.3126) < 1e-9)
    }

    // NumPy with the reference formulas (scipy.signal.convolve2d, valid) gives -0.2693950835163463; tolerance 1e-9.
    @Test func ssimMatchesTheReferenceOnAnIrregularPair() {
        let x = gray(16, 14) { i, j in Float((i * 7 + j * 3) % 11) / 10 }
        let y = gray(16, 14) { i, j in Float((i * 5 + j * 2) % 7) / 6 * 0.8 + 0.1 }
        #expect(abs(ImageMeasures.ssim(x, y) - (-0.2693950835163463)) < 1e-6)   // Float pixels: 1e-6
    }

    @Test func structureIsOneForThePhotoItselfAndLowerForAnInvertedOne() {
        var photo = Image(width: 300, height: 200, channels: 3)
        for c in 0..<3 { for i in 0..<200 { for j in 0..<300 { photo.pixels[c * 60000 + i * 300 + j] = Float((i / 10 + j / 15) % 2) * 0.6 + 0.2 } } }
        #expect(abs(ImageMeasures.structure(photo: photo, result: photo) - 1) < 1e-9)
        var inverted = photo
        inverted.pixels = photo.pixels.map { 1 - $0 }
        #expect(ImageMeasures.structure(photo: photo, result: inverted) < 0)
    }

    // Sorted samples 0,1,2,3 and 1,1,5,5: quantile functions differ by |q·3 − Qb(q)|; NumPy's linear quantiles at 1001
    // levels give a mean absolute difference of 1.5 (by symmetry: the gaps are 1 → 0 → 3 → 2 between the knots).
    @Test func wassersteinOfSmallSamples() {
        #expect(abs(ImageMeasures.wasserstein1([0, 1, 2, 3], [1, 1, 5, 5]) - 1.5) < 1e-9)
        #expect(abs(ImageMeasures.wasserstein1([2, 0, 1], [12, 10, 11]) - 10) < 1e-9)   // a shift moves every quantile
    }

    // White is L* 100, black 0, both without colour; sRGB red is (53.233, 80.109, 67.220) with these matrices (worked out in NumPy).
    @Test func labOfPrimaries() {
        let im = Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 1,  1, 0, 0,  1, 0, 0])
        let lab = ImageMeasures.lab(im)
        // The 4-digit matrix rows put white 0.0002 off D65 in Z: b* = −0.010 rather than 0.
        #expect(abs(lab[0][0] - 100) < 0.01 && abs(lab[1][0]) < 0.01 && abs(lab[2][0] + 0.0104) < 0.001)
        #expect(abs(lab[0][1]) < 1e-9)
        #expect(abs(lab[0][2] - 53.233) < 0.001 && abs(lab[1][2] - 80.109) < 0.001 && abs(lab[2][2] - 67.220) < 0.001)
    }

    // An image is at distance 0 from its own palette; a flat white image is 100/3 from a flat black one (only L*).
    @Test func paletteDistance() {
        let white = Image(width: 8, height: 8, channels: 3, value: 1), black = Image(width: 8, height: 8, channels: 3, value: 0)
        #expect(ImageMeasures.paletteDistance(result: white, painting: white) == 0)
        #expect(abs(ImageMeasures.paletteDistance(result: white, painting: black) - 100.0 / 3) < 0.01)
    }
}
