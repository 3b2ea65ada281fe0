// Tests for Optimizers/Adam.swift: a hand-checked first step, Rosenbrock, and state export/import.
import Testing
@testable import NeuralCore

@Suite struct AdamTests {
    @Test func firstStepIsLearningRateTimesSign() {
        // After bias correction the first Adam step is lr·g/(|g| + ε') ≈ lr·sign(g). Tolerance 1e-6.
        let p = Tensor(shape: [2], data: [1, 1], requiresGrad: true)
        p.grad = [3, -0.5]
        let adam = Adam(parameters: [p], learningRate: 0.1)
        adam.step()
        #expect(abs(p.data[0] - 0.9) < 1e-6 && abs(p.data[1] - 1.1) < 1e-6 && adam.stepCount == 1)
    }

    @Test func rosenbrock() {
        // Adam with lr 0.02 for 5000 steps reaches (1, 1) within 2e-2 from (−1.5, 2).
        let p = Tensor(shape: [2], data: [-1.5, 2], requiresGrad: true)
        let adam = Adam(parameters: [p], learningRate: 0.02)
        var g: [Float] = [0, 0]
        for _ in 0..<5000 {
            _ = NeuralCoreTests.rosenbrock(p.data, &g)
            p.grad = g
            adam.step()
        }
        #expect(abs(p.data[0] - 1) < 2e-2 && abs(p.data[1] - 1) < 4e-2, "\(p.data)")
    }

    @Test func stateRoundTripResumesIdentically() throws {
        func run(_ steps: Range<Int>, _ adam: Adam, _ p: Tensor) {
            for s in steps { p.grad = p.data.map { $0 * Float(s + 1) - 0.3 }; adam.step() }
        }
        let a = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        let reference = Adam(parameters: [a], learningRate: 0.05)
        run(0..<10, reference, a)

        let b = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        let first = Adam(parameters: [b], learningRate: 0.05)
        run(0..<5, first, b)
        let saved = first.stateTensors()
        let resumed = Adam(parameters: [b], learningRate: 0.05)
        try resumed.loadState(saved)
        run(5..<10, resumed, b)
        #expect(b.data == a.data && resumed.stepCount == 10)
    }

    @Test func loadStateRejectsWrongShape() {
        let adam = Adam(parameters: [Tensor(zeros: [2, 2], requiresGrad: true)])
        var state = adam.stateTensors()
        state["m.0"] = Tensor(zeros: [3])
        #expect(throws: OptimizerStateError.self) { try adam.loadState(state) }
        #expect(throws: OptimizerStateError.self) { try adam.loadState([:]) }
    }
}

/// The eight-lane update against the scalar formula, on 37 elements (four full vectors and a 5-element tail),
/// with weight decay. Tolerance 0: the vector lanes do the same IEEE operations in the same order.
@Suite struct AdamVectorUpdateTests {
    @Test func vectorLanesMatchScalarFormula() {
        var rng = SeededGenerator(seed: 11)
        let n = 37
        var d = (0..<n).map { _ in rng.nextFloat(in: -1..<1) }, m = (0..<n).map { _ in rng.nextFloat(in: -0.1..<0.1) }
        var v = (0..<n).map { _ in rng.nextFloat(in: 0..<0.01) }
        let g = (0..<n).map { _ in rng.nextFloat(in: -1..<1) }
        var (de, me, ve) = (d, m, v)
        let b1: Float = 0.9, b2: Float = 0.999, wd: Float = 0.01, eps: Float = 1e-8, lr: Float = 0.003, rootC2: Float = 0.2
        for i in 0..<n {
            let gi = g[i] + wd * de[i]
            me[i] = b1 * me[i] + (1 - b1) * gi
            ve[i] = b2 * ve[i] + (1 - b2) * gi * gi
            de[i] -= lr * me[i] / (ve[i].squareRoot() / rootC2 + eps)
        }
        d.withUnsafeMutableBufferPointer { dp in m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in g.withUnsafeBufferPointer { gp in
                Adam.update(0..<n, d: dp.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!, g: gp.baseAddress!,
                            b1: b1, b2: b2, wd: wd, eps: eps, stepSize: lr, rootC2: rootC2)
            } }
        } }
        #expect(d == de && m == me && v == ve)
    }
}
