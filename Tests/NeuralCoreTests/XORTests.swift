// End to end: a 2-8-1 MLP learns XOR (micrograd's demo problem) with the ops, backward() and Adam together.
import Testing
@testable import NeuralCore

@Suite struct XORTests {
    @Test func mlpLearnsXOR() throws {
        let store = WeightStore(seed: 7)
        let w1 = try store.tensor("fc1.weight", shape: [8, 2], initializer: .xavierUniform)
        let b1 = try store.tensor("fc1.bias", shape: [8], initializer: .zeros)
        let w2 = try store.tensor("fc2.weight", shape: [2, 8], initializer: .xavierUniform)
        let b2 = try store.tensor("fc2.bias", shape: [2], initializer: .zeros)
        let x = Tensor(shape: [4, 2], data: [0, 0, 0, 1, 1, 0, 1, 1])
        let labels = [0, 1, 1, 0]
        let adam = Adam(parameters: store.trainableParameters, learningRate: 0.05)
        var loss: Float = .infinity
        for _ in 0..<500 {
            adam.zeroGrad()
            let l = x.linear(weight: w1, bias: b1).tanh().linear(weight: w2, bias: b2).softmaxCrossEntropy(labels: labels)
            l.backward()
            adam.step()
            loss = l.item()
        }
        let logits = withoutGradients { x.linear(weight: w1, bias: b1).tanh().linear(weight: w2, bias: b2) }
        let predictions = (0..<4).map { logits.data[2 * $0 + 1] > logits.data[2 * $0] ? 1 : 0 }
        #expect(predictions == labels && loss < 0.05, "loss \(loss)")
    }
}
