// Shared helpers for the kernel tests: seeded random buffers and a comparison of a kernel against Conv2DReference.
@testable import NeuralCore

/// NeuralCore's SplitMix64 with test helpers, so every test sees the same numbers on every run.
struct SeededRandom {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24) }
    /// Approximately normal (sum of 4 uniforms), mean 0, standard deviation `sd`.
    mutating func normal(_ sd: Float) -> Float { (0..<4).reduce(Float(0)) { s, _ in s + uniform(-1, 1) } * sd * 0.866 }
    mutating func buffer(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] { (0..<count).map { _ in uniform(lo, hi) } }
}

/// max |a − b| / max(1, max |b|): error relative to the reference's scale.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var diff: Float = 0, scale: Float = 1
    for i in a.indices { diff = max(diff, abs(a[i] - b[i])); scale = max(scale, abs(b[i])) }
    return diff / scale
}

/// Results of one direction of a conv, from the kernel under test and from the reference.
struct ConvPair { var kernel: [Float]; var reference: [Float] }

enum ConvRun {
    typealias Forward = (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?, UnsafeMutablePointer<Float>, ConvGeometry) -> Void
    typealias BackData = (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, ConvGeometry) -> Void
    typealias BackFilter = (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?, ConvGeometry) -> Void

    /// Output buffers start as NaN so a kernel that fails to overwrite every element is caught.
    static func forward(_ g: ConvGeometry, input: [Float], weight: [Float], bias: [Float]?, _ f: Forward) -> [Float] {
        var out = [Float](repeating: .nan, count: g.outputCount)
        out.withUnsafeMutableBufferPointer { o in
            if let bias { bias.withUnsafeBufferPointer { f(input, weight, $0.baseAddress!, o.baseAddress!, g) } }
            else { f(input, weight, nil, o.baseAddress!, g) }
        }
        return out
    }
    static func backwardData(_ g: ConvGeometry, gradOutput: [Float], weight: [Float], _ f: BackData) -> [Float] {
        var gi = [Float](repeating: .nan, count: g.inputCount)
        gi.withUnsafeMutableBufferPointer { f(gradOutput, weight, $0.baseAddress!, g) }
        return gi
    }
    static func backwardFilter(_ g: ConvGeometry, gradOutput: [Float], input: [Float], _ f: BackFilter) -> ([Float], [Float]) {
        var gw = [Float](repeating: .nan, count: g.weightCount), gb = [Float](repeating: .nan, count: g.outChannels)
        gw.withUnsafeMutableBufferPointer { w in gb.withUnsafeMutableBufferPointer { b in
            f(gradOutput, input, w.baseAddress!, b.baseAddress!, g)
        } }
        return (gw, gb)
    }
}
