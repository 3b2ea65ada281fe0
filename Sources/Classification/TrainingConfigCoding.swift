// How a classifier's training settings are stored (JSON under the model file's `nst.training`): a file keeps only
// the optimiser settings its rule uses, so it says exactly what the run used, and reading fills in what files written
// before a setting existed, or by a rule that ignores it, leave out.
import NeuralCore

extension TrainingConfig {
    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, optimizer, learningRate, momentum, nesterov, alpha, epsilon, centered, schedule, stepEvery
        case gamma, weightDecay, validationSplit, seed, augment, maxShift
    }

    /// Reads settings saved by any version. Missing optimiser settings take PyTorch's defaults (no Nesterov momentum,
    /// α 0.99, no centring, the rule's ε), which every run before they existed used.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try c.decode(Int.self, forKey: .epochs)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        optimizer = try c.decode(OptimizerKind.self, forKey: .optimizer)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        momentum = try c.decode(Float.self, forKey: .momentum)
        nesterov = try c.decodeIfPresent(Bool.self, forKey: .nesterov) ?? false
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha) ?? RMSProp.defaultAlpha
        epsilon = try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? optimizer.defaultEpsilon
        centered = try c.decodeIfPresent(Bool.self, forKey: .centered) ?? false
        schedule = try c.decode(ScheduleKind.self, forKey: .schedule)
        stepEvery = try c.decode(Int.self, forKey: .stepEvery)
        gamma = try c.decode(Float.self, forKey: .gamma)
        weightDecay = try c.decode(Float.self, forKey: .weightDecay)
        validationSplit = try c.decode(Double.self, forKey: .validationSplit)
        seed = try c.decode(UInt64.self, forKey: .seed)
        augment = try c.decode(Bool.self, forKey: .augment)
        maxShift = try c.decode(Int.self, forKey: .maxShift)
    }

    /// Writes every setting, except the optimiser settings the chosen rule ignores.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(momentum, forKey: .momentum)
        if optimizer == .sgd { try c.encode(nesterov, forKey: .nesterov) }
        if optimizer == .rmsprop {
            try c.encode(alpha, forKey: .alpha)
            try c.encode(centered, forKey: .centered)
        }
        if optimizer != .sgd { try c.encodeIfPresent(epsilon, forKey: .epsilon) }
        try c.encode(schedule, forKey: .schedule)
        try c.encode(stepEvery, forKey: .stepEvery)
        try c.encode(gamma, forKey: .gamma)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(validationSplit, forKey: .validationSplit)
        try c.encode(seed, forKey: .seed)
        try c.encode(augment, forKey: .augment)
        try c.encode(maxShift, forKey: .maxShift)
    }
}
