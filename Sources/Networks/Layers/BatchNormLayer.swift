// Batch normalisation (Ioffe & Szegedy 2015) with learned scale/shift and running statistics that are saved
// with the model ("running_mean", "running_var": not trainable, copied back from the op's stats before saving).
import NeuralCore

/// Normalises each channel of [N, C] or [N, C, H, W] over the batch (training) or with running statistics (inference).
public final class BatchNormLayer {
    public let scale: Tensor
    public let shift: Tensor
    /// Running statistics as stored in the weights file; `stats` is the live copy the op updates.
    let runningMean: Tensor
    let runningVariance: Tensor
    public let stats: BatchNormStats

    /// Reads (or creates: scale 1, shift 0, mean 0, variance 1) the four tensors of a `channels`-wide layer.
    public init(channels: Int, weights: WeightStore) throws {
        scale = try weights.tensor("scale", shape: [channels], initializer: .ones)
        shift = try weights.tensor("shift", shape: [channels], initializer: .zeros)
        runningMean = try weights.tensor("running_mean", shape: [channels], initializer: .zeros, trainable: false)
        runningVariance = try weights.tensor("running_var", shape: [channels], initializer: .ones, trainable: false)
        stats = BatchNormStats(channels: channels)
        stats.mean = runningMean.data
        stats.variance = runningVariance.data
    }

    public func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        x.batchNorm(scale: scale, shift: shift, stats: stats, mode: mode)
    }

    /// Copies the live running statistics into the stored tensors (call before saving).
    public func storeRunningStatistics() {
        runningMean.data = stats.mean
        runningVariance.data = stats.variance
    }
}
