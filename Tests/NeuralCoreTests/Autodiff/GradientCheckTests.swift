// The gradient checker itself must fail on a wrong pullback, or every op test built on it could not fail.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct GradientCheckTests {
    @Test func detectsWrongPullback() {
        // y = 2x with a pullback that returns 2.1·dy: a 5 % error, far above the 1e-2 tolerance.
        let r = checkGradients(of: { t in
            Tensor(shape: t[0].shape, data: t[0].data.map { 2 * $0 }).recorded("bad", parents: [t[0]]) { _ in
                { dy in [dy.map { 2.1 * $0 }] }
            }
        }, at: [randomTensor([3, 4], seed: 1)], tolerance: 1e-2)
        #expect(!r.passed)
        #expect(r.errors[0] > 0.04 && r.errors[0] < 0.06)
    }
}
