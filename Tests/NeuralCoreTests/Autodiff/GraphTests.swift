// Tests for Autodiff/Graph.swift and GradientMode.swift: accumulation, reuse, freeing, frozen leaves, no-grad scopes.
import Testing
@testable import NeuralCore

@Suite struct GraphTests {
    @Test func valueUsedTwiceGetsBothContributions() {
        // L = Σ (a·a + a) ⇒ dL/da = 2a + 1 (exact in Float for these values).
        let a = Tensor(shape: [3], data: [1, -2, 0.5], requiresGrad: true)
        ((a * a) + a).sum().backward()
        #expect(a.grad == [3, -3, 2])
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let a = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        (a * 3).sum().backward()
        (a * 3).sum().backward()
        #expect(a.grad == [6, 6])
        a.zeroGrad()
        #expect(a.grad == nil)
    }

    @Test func frozenLeafGetsNoGradientAndNoGraphIsBuilt() {
        let w = Tensor(shape: [2], data: [1, 2])            // frozen
        let x = Tensor(shape: [2], data: [3, 4], requiresGrad: true)
        let y = w * w
        #expect(y.node == nil)                               // nothing recorded: no parent needs a gradient
        (y * x).sum().backward()
        #expect(w.grad == nil && x.grad == [1, 4])
    }

    @Test func closuresFreedAfterBackward() {
        let a = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let b = a * 2
        let l = b.sum()
        l.backward()
        #expect(b.node?.pullback == nil && l.node?.pullback == nil && !b.needsGradient)
    }

    @Test func withoutGradientsRecordsNothing() {
        let a = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let b = withoutGradients { (a * 2).relu() }
        #expect(b.node == nil && b.data == [2, 4])
    }

    @Test func deepChainDoesNotRecurse() {
        // 20 000 ops: a recursive topological sort would overflow the stack.
        let a = Tensor(shape: [1], data: [1], requiresGrad: true)
        var x = a
        for _ in 0..<20_000 { x = x + Tensor(shape: [1], data: [0]) }
        x.sum().backward()
        #expect(a.grad == [1])
    }
}
