// Tensor: a Float32 array in contiguous row-major (NCHW for images) layout, plus what reverse-mode autodiff needs.
// The graph itself lives in Autodiff/Graph.swift; ops live in Ops/, one family per file.

/// A dense Float32 tensor. Row-major; images are NCHW. A scalar has shape `[]` and one element.
///
/// Leaves with `requiresGrad` receive their gradient in `grad` after `backward()`; intermediate
/// results pass their gradient along without storing it.
public final class Tensor {
    /// Sizes of each axis, outermost first.
    public let shape: [Int]
    /// The elements, `count == shape.product`.
    public var data: [Float]
    /// Whether `backward()` should compute and keep this tensor's gradient (parameters, optimised pixels).
    public var requiresGrad: Bool
    /// Gradient accumulated (`+=`) by `backward()`; nil until the first backward pass reaches this leaf.
    public var grad: [Float]?
    /// The node that produced this tensor (interior) or stands for it (leaf with requiresGrad); nil otherwise.
    var node: GraphNode?
    /// Winograd transforms of this tensor when it is a frozen conv weight (see `conv2d`); built on first use.
    lazy var frozenConvCache = ConvWeightCache()

    /// Wraps `data` (shape `shape`). Precondition: `data.count` equals the product of `shape`.
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor: negative size in shape \(shape)")
        require(data.count == shape.reduce(1, *),
                     "Tensor: shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
        _ = MemoryTuning.applied
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
    }

    /// A tensor of zeros.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// A tensor filled with `value`.
    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// A scalar (shape `[]`).
    public convenience init(scalar: Float) {
        self.init(shape: [], data: [scalar])
    }

    /// Number of elements.
    public var count: Int { data.count }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The value of a one-element tensor.
    public func item() -> Float {
        require(data.count == 1, "item(): tensor has shape \(shape), not one element")
        return data[0]
    }

    /// Sets `grad` to nil.
    public func zeroGrad() { grad = nil }

    /// The same values with no graph and `requiresGrad == false`. Shares storage until either side is written.
    public func detached() -> Tensor { Tensor(shape: shape, data: data) }

    /// Whether a gradient must flow into this tensor: a leaf with requiresGrad, or the output of a recorded op.
    public var needsGradient: Bool {
        if let node, node.pullback != nil { return true }
        return requiresGrad
    }
}

extension Tensor: CustomStringConvertible {
    /// Shape plus the first few values, for debugging.
    public var description: String {
        let head = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape) [\(head)\(data.count > 8 ? ", …" : "")]"
    }
}

extension Array where Element == Int {
    /// Product of the sizes (1 for `[]`).
    @inlinable var shapeProduct: Int { reduce(1, *) }
}
