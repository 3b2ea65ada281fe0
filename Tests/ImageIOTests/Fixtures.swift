// Shared test fixtures: temporary folders, synthetic images, a seeded generator, PSNR and CRC-32.
import Foundation
@testable import ImageIO

/// A fresh temporary folder, removed by the caller's `defer`.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("imageio-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// SplitMix64: small, seeded, reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Values k / levels with k uniform in 0...levels (exactly representable at that bit depth).
func randomImage(width: Int, height: Int, channels: Int, levels: Int = 255, seed: UInt64 = 1) -> Image {
    var generator = SeededGenerator(seed: seed)
    let pixels = (0..<(width * height * channels)).map { _ in
        Float(Int.random(in: 0...levels, using: &generator)) / Float(levels)
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}

/// A smooth colour image (gradients and a slow sine): what JPEG handles well.
func smoothImage(width: Int, height: Int) -> Image {
    var image = Image(width: width, height: height, channels: 3)
    for y in 0..<height {
        for x in 0..<width {
            let u = Float(x) / Float(width - 1), v = Float(y) / Float(height - 1)
            image[x: x, y: y, c: 0] = 0.1 + 0.8 * u
            image[x: x, y: y, c: 1] = 0.1 + 0.8 * v
            image[x: x, y: y, c: 2] = 0.5 + 0.3 * sin(3 * u + 2 * v)
        }
    }
    return image
}

/// Peak signal-to-noise ratio in dB for signals in 0...1.
func psnr(_ a: Image, _ b: Image) -> Double {
    precondition(a.pixels.count == b.pixels.count)
    let mse = zip(a.pixels, b.pixels).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(a.pixels.count)
    return 10 * log10(1 / max(mse, 1e-20))
}

func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// CRC-32 (ISO-HDLC, as PNG uses), for crafting chunks with valid checksums.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func bigEndian32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

/// A PNG chunk with length and CRC.
func pngChunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + payload
    return bigEndian32(payload.count) + body + bigEndian32(Int(crc32(body)))
}
