// Tail (Polyak) averaging: the mean of the parameters' values over the last steps of training. A stochastic
// optimiser's weights jitter from step to step around where the loss is low; their mean sits nearer the middle, and
// often generalises better than whichever step came last. The running sum is kept in one contiguous buffer.
import COpenBLAS

public final class WeightAverage {
    /// Key prefix of the running sums in a checkpoint.
    public static let prefix = "average."
    /// Steps summed so far.
    public private(set) var steps = 0
    private let parameters: [(name: String, tensor: Tensor)]
    private var sum: [Float]

    /// An empty average over `parameters` (names as the model file stores them).
    public init(parameters: [(name: String, tensor: Tensor)]) {
        self.parameters = parameters
        sum = [Float](repeating: 0, count: parameters.reduce(0) { $0 + $1.tensor.count })
    }

    /// Adds the parameters' current values.
    public func add() {
        sum.withUnsafeMutableBufferPointer { s in
            var offset = 0
            for p in parameters {
                p.tensor.data.withUnsafeBufferPointer { x in cblas_saxpy(Int32(x.count), 1, x.baseAddress, 1, s.baseAddress! + offset, 1) }
                offset += p.tensor.count
            }
        }
        steps += 1
    }

    /// Sets each parameter to its mean over the summed steps (unchanged when none were).
    public func assignMean() {
        guard steps > 0 else { return }
        let scale = 1 / Float(steps)
        var offset = 0
        for p in parameters {
            let n = p.tensor.count
            p.tensor.data = sum.withUnsafeBufferPointer { s in (0..<n).map { s[offset + $0] * scale } }
            offset += n
        }
    }

    /// The running sums, keyed `average.<name>`, for a checkpoint (with `steps` kept beside them by the caller).
    public var checkpointTensors: [String: Tensor] {
        var out: [String: Tensor] = [:], offset = 0
        for p in parameters {
            out[Self.prefix + p.name] = Tensor(shape: p.tensor.shape, data: Array(sum[offset..<(offset + p.tensor.count)]))
            offset += p.tensor.count
        }
        return out
    }

    /// Restores the sums of `steps` steps from a checkpoint's tensors; a missing or misshapen sum is named in the error.
    public func restore(from tensors: [String: Tensor], steps: Int) throws {
        var restored = [Float](), problems: [String] = []
        restored.reserveCapacity(sum.count)
        for p in parameters {
            guard let t = tensors[Self.prefix + p.name], t.shape == p.tensor.shape else { problems.append(Self.prefix + p.name); continue }
            restored += t.data
        }
        guard problems.isEmpty else { throw WeightAverageError(problem: "weight average missing or misshapen: " + problems.joined(separator: ", ")) }
        sum = restored
        self.steps = steps
    }
}

public struct WeightAverageError: Error, CustomStringConvertible {
    public let problem: String
    public var description: String { problem }
}
