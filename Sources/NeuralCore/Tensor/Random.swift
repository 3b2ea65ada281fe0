// Reproducible randomness (SplitMix64) and the weight initialisers: Xavier/Glorot uniform (Glorot & Bengio 2010)
// and He normal (He et al. 2015), with fans computed as PyTorch does for [out, in] and [O, I, kh, kw] shapes.
import Foundation

/// A seeded SplitMix64 generator: the same seed gives the same stream on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// Skips the next `n` outputs: SplitMix64's state moves by one constant per output, so a stream can be split
    /// into chunks drawn in parallel with the same values as one after the other.
    public mutating func skip(_ n: Int) { state &+= UInt64(n) &* 0x9E37_79B9_7F4A_7C15 }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// Uniform in [lo, hi).
    public mutating func nextFloat(in range: Range<Float>) -> Float {
        // 24 random bits give every representable step of a Float in [0, 1).
        let u = Float(next() >> 40) * (1.0 / 16_777_216.0)
        return range.lowerBound + (range.upperBound - range.lowerBound) * u
    }

    /// Standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)   // in (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

/// How a fresh parameter is filled.
public enum Initializer: Sendable, Equatable {
    case zeros, ones, constant(Float)
    /// U(−a, a) with a = √(6 / (fanIn + fanOut)).
    case xavierUniform
    /// N(0, 2 / fanIn).
    case heNormal
    /// U(−a, a).
    case uniform(Float)

    /// (fanIn, fanOut) for a shape: [out, in] (linear), [O, I, kh, kw] (conv), [n] → (n, n).
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        default:
            let receptive = shape.dropFirst(2).reduce(1, *)
            return (shape[1] * receptive, shape[0] * receptive)
        }
    }

    /// `shape.product` values drawn from this initializer.
    public func values(shape: [Int], generator: inout some RandomNumberGenerator) -> [Float] {
        let n = shape.reduce(1, *)
        let (fanIn, fanOut) = Initializer.fans(of: shape)
        switch self {
        case .zeros: return [Float](repeating: 0, count: n)
        case .ones: return [Float](repeating: 1, count: n)
        case .constant(let c): return [Float](repeating: c, count: n)
        case .xavierUniform:
            let a = (6 / Float(max(fanIn + fanOut, 1))).squareRoot()
            return (0..<n).map { _ in generator.nextFloat(in: -a..<a) }
        case .heNormal:
            let std = (2 / Float(max(fanIn, 1))).squareRoot()
            return (0..<n).map { _ in std * generator.nextGaussian() }
        case .uniform(let a):
            return (0..<n).map { _ in generator.nextFloat(in: -a..<a) }
        }
    }
}

extension Tensor {
    /// A tensor filled by `initializer` from `generator`.
    public convenience init(shape: [Int], initializer: Initializer, generator: inout some RandomNumberGenerator,
                            requiresGrad: Bool = false) {
        self.init(shape: shape, data: initializer.values(shape: shape, generator: &generator), requiresGrad: requiresGrad)
    }
}
