// Settings of one classifier training run; saved as JSON in checkpoints and in the final model's metadata.
import NeuralCore

/// Which optimiser updates the weights.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case sgd, adagrad, rmsprop, adam }

/// How the learning rate changes over the run (evaluated per optimiser step).
public enum ScheduleKind: String, Codable, CaseIterable, Sendable {
    /// The same rate throughout.
    case constant
    /// Multiplied by `gamma` every `stepEvery` epochs.
    case step
    /// Cosine decay from the base rate to 1% of it over the whole run.
    case cosine
}

/// Hyper-parameters of a training run. Defaults suit the `seeds` CNN on Fashion-MNIST.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Passes over the training set.
    public var epochs = 10
    /// Samples per optimiser step.
    public var batchSize = 64
    public var optimizer: OptimizerKind = .adam
    /// Base step size.
    public var learningRate: Float = 1e-3
    /// Momentum of SGD and RMSProp (ignored by AdaGrad and Adam; `useOptimizer` sets each rule's default).
    public var momentum: Float = 0.9
    // The settings added with AdaGrad and RMSProp: files written before them do not store them, and files store only
    // those their rule uses (TrainingConfigCoding.swift fills in the rest on reading).
    /// SGD: Nesterov momentum.
    public var nesterov = false
    /// RMSProp's smoothing constant α.
    public var alpha: Float = RMSProp.defaultAlpha
    /// Denominator guard ε of AdaGrad, RMSProp and Adam; nil for SGD, which has none (`useOptimizer` sets each
    /// rule's default).
    public var epsilon: Float? = Adam.defaultEpsilon
    /// RMSProp: scale by the gradient's variance instead of its second moment.
    public var centered = false
    public var schedule: ScheduleKind = .constant
    /// Epochs between decays of the step schedule.
    public var stepEvery = 5
    /// Decay factor of the step schedule.
    public var gamma: Float = 0.1
    /// L2 penalty coefficient passed to the optimiser.
    public var weightDecay: Float = 0
    /// Fraction 0…<1 of the training data held out for validation.
    public var validationSplit = 0.1
    /// Seeds weights, the validation split, shuffling, augmentation and dropout.
    public var seed: UInt64 = 1
    /// Random horizontal flips and shifts of up to `maxShift` pixels (image samples only).
    public var augment = false
    /// Largest shift of the augmentation, in pixels.
    public var maxShift = 2

    public init() {}

    /// The core schedule for a run of `stepsPerEpoch` optimiser steps per epoch.
    public func learningRateSchedule(stepsPerEpoch: Int) -> LearningRateSchedule {
        switch schedule {
        case .constant: return .constant
        case .step: return .step(every: max(1, stepEvery * stepsPerEpoch), gamma: gamma)
        case .cosine: return .cosine(totalSteps: max(1, epochs * stepsPerEpoch), minimum: learningRate * 0.01)
        }
    }

    /// Whether a run with `other`'s settings can continue a checkpoint written with these (only `epochs` may differ;
    /// defaults and settings the optimiser ignores compare by the values used).
    public func isResumable(as other: TrainingConfig) -> Bool {
        var a = canonical, b = other.canonical
        a.epochs = 0; b.epochs = 0
        return a == b
    }
}

/// Metrics of one finished epoch.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    public var trainLoss: Float
    public var trainAccuracy: Float
    public var validationLoss: Float?
    public var validationAccuracy: Float?
    /// Learning rate at the end of the epoch.
    public var learningRate: Float
    /// Wall time of the epoch, in seconds (training plus validation).
    public var seconds: Double
}
