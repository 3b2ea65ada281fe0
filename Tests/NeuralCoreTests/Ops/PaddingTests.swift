// Tests for Ops/Padding.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct PaddingTests {
    @Test func forwardHandChecked() {
        // Row [1 2 3] padded by 2 reflects to [3 2 1 2 3 2 1] (torch.nn.ReflectionPad2d).
        let x = Tensor(shape: [1, 1, 3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = x.reflectionPadded(2)
        #expect(y.shape == [1, 1, 7, 7])
        #expect(Array(y.data[14..<21]) == [3, 2, 1, 2, 3, 2, 1])   // row 2 = source row 0
        #expect(Array(y.data[0..<7]) == [9, 8, 7, 8, 9, 8, 7])     // row 0 = source row 2
        #expect(x.reflectionPadded(1).data[0] == 5)
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test(arguments: [1, 2, 4])
    func gradients(p: Int) {
        let r = checkGradients(of: { $0[0].reflectionPadded(p) }, at: [randomTensor([2, 3, 5, 7], seed: 31)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
