// The one codec for optimiser state in checkpoint files: prefixed names out, the same state back in.
import Testing
@testable import NeuralCore

@Suite struct OptimizerCheckpointTests {
    @Test func adamStateRoundTripsThroughPrefixedNames() throws {
        let p = Tensor(shape: [2], data: [1, -2], requiresGrad: true)
        let adam = Adam(parameters: [p], learningRate: 0.1)
        for _ in 0..<3 { (p * p).sum().backward(); adam.step(); adam.zeroGrad() }
        let saved = OptimizerCheckpoint.tensors(of: adam)
        #expect(!saved.isEmpty && saved.keys.allSatisfy(OptimizerCheckpoint.isOptimizerTensor))
        // Model tensors beside them are ignored on the way back.
        var file = saved
        file["conv.weight"] = Tensor(shape: [1], data: [0])
        let q = Tensor(shape: [2], data: [1, -2], requiresGrad: true)
        let restored = Adam(parameters: [q], learningRate: 0.1)
        try OptimizerCheckpoint.restore(restored, from: file)
        #expect(OptimizerCheckpoint.tensors(of: restored).mapValues(\.data) == saved.mapValues(\.data))
    }

    @Test func oldSGDCheckpointsWithoutStateRestartMomentumAndMismatchesThrow() throws {
        let p = Tensor(shape: [2], data: [1, 1], requiresGrad: true)
        try OptimizerCheckpoint.restore(SGD(parameters: [p], learningRate: 0.1, momentum: 0.9), from: ["w": p])
        #expect(throws: OptimizerStateError.self) {
            try OptimizerCheckpoint.restore(Adam(parameters: [p]), from: ["optimizer.step": Tensor(scalar: 1)])
        }
    }
}
