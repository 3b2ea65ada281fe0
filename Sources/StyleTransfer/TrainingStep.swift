// The optimiser step both image-network trainers (stylizer, decoder) take: backward, scheduled rate, Adam, and a
// stop with a one-line error if the loss stopped being a number.
import NeuralCore

enum TrainingStep {
    /// Back-propagates `loss`, sets the scheduled rate for 0-based `step`, updates and clears the gradients.
    /// Throws `StyleTransferError.badConfig` naming the step when the loss is not finite (`hint` says what to lower).
    static func take(_ loss: Tensor, optimizer: Adam, schedule: LearningRateSchedule, base: Float, step: Int,
                     hint: String) throws {
        loss.backward()
        optimizer.learningRate = schedule.rate(base: base, step: step)
        optimizer.step()
        optimizer.zeroGrad()
        guard loss.item().isFinite else {
            throw StyleTransferError.badConfig("training diverged at step \(step + 1) (loss is not finite); lower \(hint)")
        }
    }
}

extension ModelFile {
    /// Restores Adam from a checkpoint's optimiser state; throws `StylizerFileError` naming `path`.
    func restoreOptimizer(_ optimizer: Adam, path: String) throws {
        do { try restoreOptimizer(optimizer) } catch { throw StylizerFileError(file: path, problem: "\(error)") }
    }
}
