// Tests for Ops/Conv2D.swift: hand-checked forward, finite-difference gradients over strides, paddings,
// kernel sizes and channel counts, and the frozen-weight path.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct Conv2DTests {
    @Test func forwardHandChecked() {
        // 1×1×3×3 input, one 2×2 kernel of ones, bias 1: each output is 1 + the sum of a 2×2 window.
        let x = Tensor(shape: [1, 1, 3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 1, 1, 1])
        let y = x.conv2d(weight: w, bias: Tensor(shape: [1], data: [1]))
        #expect(y.shape == [1, 1, 2, 2] && y.data == [13, 17, 25, 29])
        // Padding 1, stride 2, 3×3 kernel with centre 1 only: picks x at (0,0),(0,2),(2,0),(2,2).
        var k = [Float](repeating: 0, count: 9); k[4] = 1
        let y2 = x.conv2d(weight: Tensor(shape: [1, 1, 3, 3], data: k), bias: nil, stride: 2, padding: 1)
        #expect(y2.shape == [1, 1, 2, 2] && y2.data == [1, 3, 7, 9])
    }

    struct Case: CustomStringConvertible, Sendable {
        var c: Int, o: Int, k: Int, stride: Int, padding: Int, bias: Bool
        var description: String { "C\(c) O\(o) k\(k) s\(stride) p\(padding) bias \(bias)" }
    }

    static let cases: [Case] = [
        Case(c: 3, o: 2, k: 3, stride: 1, padding: 1, bias: true),
        Case(c: 1, o: 4, k: 1, stride: 1, padding: 0, bias: false),
        Case(c: 2, o: 3, k: 3, stride: 2, padding: 0, bias: true),
        Case(c: 3, o: 1, k: 5, stride: 1, padding: 2, bias: true),
        Case(c: 4, o: 2, k: 5, stride: 2, padding: 2, bias: false),
        Case(c: 2, o: 2, k: 1, stride: 2, padding: 1, bias: true),
        Case(c: 5, o: 3, k: 3, stride: 2, padding: 1, bias: true),
    ]

    // ε = 1e-2, relative error ≤ 1e-2 for data, weight and bias gradients.
    @Test(arguments: cases)
    func gradients(_ c: Case) {
        let x = randomTensor([2, c.c, 5, 7], seed: 21)
        let w = randomTensor([c.o, c.c, c.k, c.k], seed: 22)
        let b = randomTensor([c.o], seed: 23)
        let r = checkGradients(of: { t in
            t[0].conv2d(weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding)
        }, at: c.bias ? [x, w, b] : [x, w], epsilon: 1e-2, tolerance: 1e-2)
        #expect(r.passed, "\(c): \(r)")
    }

    // The fused ReLU: ε = 1e-2, relative error ≤ 1e-2. Finite differences across the kink at 0 are meaningless, so
    // the inputs are the first seeds whose pre-activations all lie at least 0.05 from 0: a step of ε in one input,
    // weight or bias (all within ±1) enters each pre-activation at most once, times a value within ±1, so it moves
    // it by at most 0.01 and none crosses 0.
    @Test(arguments: [cases[0], cases[3], cases[6]])
    func fusedReLUGradients(_ c: Case) throws {
        let seed = try #require((UInt64(31)..<531).first { seed in
            let pre = randomTensor([2, c.c, 5, 7], seed: seed).conv2d(weight: randomTensor([c.o, c.c, c.k, c.k], seed: seed + 1000),
                                                                       bias: randomTensor([c.o], seed: seed + 2000),
                                                                       stride: c.stride, padding: c.padding)
            return pre.data.allSatisfy { abs($0) >= 0.05 } && pre.data.contains { $0 < 0 } && pre.data.contains { $0 > 0 }
        })
        let x = randomTensor([2, c.c, 5, 7], seed: seed)
        let w = randomTensor([c.o, c.c, c.k, c.k], seed: seed + 1000)
        let b = randomTensor([c.o], seed: seed + 2000)
        let r = checkGradients(of: { t in
            t[0].conv2d(weight: t[1], bias: t[2], stride: c.stride, padding: c.padding, relu: true)
        }, at: [x, w, b], epsilon: 1e-2, tolerance: 1e-2)
        #expect(r.passed, "\(c), seed \(seed): \(r)")
    }

    /// conv2d(relu: true) gives the same values and gradients as conv2d(…).relu() on every kernel path: Winograd 3×3
    /// (16 channels, 32 wide) and 5×5 (16 channels), and a few-channel conv (row-shift columns, ReLU applied after).
    /// Tolerance 0 for values (the same sums, then the same max) and for gradients (the same masked dy).
    @Test(arguments: [(16, 3, 34), (16, 5, 20), (3, 3, 20)])
    func fusedReLUMatchesConvThenReLU(_ shape: (channels: Int, kernel: Int, width: Int)) {
        let x1 = randomTensor([1, shape.channels, 12, shape.width], seed: 41, requiresGrad: true)
        let x2 = Tensor(shape: x1.shape, data: x1.data, requiresGrad: true)
        let w = randomTensor([16, shape.channels, shape.kernel, shape.kernel], seed: 42, requiresGrad: true)
        let b = randomTensor([16], seed: 43, requiresGrad: true)
        let fused = x1.conv2d(weight: w, bias: b, padding: shape.kernel / 2, relu: true)
        let plain = x2.conv2d(weight: w, bias: b, padding: shape.kernel / 2).relu()
        #expect(fused.data.map { $0 == 0 ? 0 : $0 } == plain.data.map { $0 == 0 ? 0 : $0 })   // +0 and −0 alike
        #expect(fused.data.contains { $0 > 0 } && fused.data.contains { $0 == 0 })
        let weights = randomTensor(fused.shape, seed: 44)
        (fused * weights).sum().backward()
        let fusedGrads = (x1.grad!, w.grad!, b.grad!)
        w.grad = nil; b.grad = nil
        (plain * weights).sum().backward()
        #expect(fusedGrads.0 == x2.grad! && fusedGrads.1 == w.grad! && fusedGrads.2 == b.grad!)
    }

    @Test func frozenWeightGetsNoGradientAndInputIsNotCaptured() {
        let x = randomTensor([1, 2, 5, 5], seed: 1, requiresGrad: true)
        let w = randomTensor([3, 2, 3, 3], seed: 2)           // frozen
        let y = x.conv2d(weight: w, bias: nil, padding: 1)
        let before = x.data.withUnsafeBufferPointer { $0.baseAddress }
        x.data[0] += 1   // would force a copy only if the pullback had kept x's array alive
        let after = x.data.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
        y.sum().backward()
        #expect(w.grad == nil && x.grad != nil)
    }

    @Test func biasOnlyGradient() {
        let x = randomTensor([2, 2, 4, 4], seed: 5)
        let w = randomTensor([3, 2, 3, 3], seed: 6)
        let b = Tensor(zeros: [3], requiresGrad: true)
        x.conv2d(weight: w, bias: b).sum().backward()
        // dL/db[o] = number of output positions = 2·2·2 (N·H'·W') = 8.
        #expect(b.grad == [8, 8, 8] && w.grad == nil)
    }
}
