// Which optimiser a classifier run uses and with what settings: each rule's usual learning rate and PyTorch's
// defaults, the optimiser built from a TrainingConfig, and the one-line description `nst info` prints.
import Foundation
import NeuralCore

extension OptimizerKind {
    /// The rate each rule is usually run at on a small CNN, used when no rate is given: 0.01 for SGD (with or without
    /// momentum) and AdaGrad (PyTorch's default), 0.001 for RMSProp (Keras's default; PyTorch's 0.01 is too large for
    /// CNNs) and Adam (PyTorch's default).
    public var usualLearningRate: Float {
        switch self {
        case .sgd: return 0.01
        case .adagrad: return AdaGrad.defaultLearningRate
        case .rmsprop: return 0.001
        case .adam: return 1e-3
        }
    }

    /// Whether `TrainingConfig.momentum` means anything to this rule.
    public var usesMomentum: Bool { self == .sgd || self == .rmsprop }

    /// The momentum used when none is given: SGD's customary 0.9, none for RMSProp (PyTorch's default). AdaGrad and
    /// Adam ignore it; they keep the 0.9 every earlier model file holds.
    public var defaultMomentum: Float { self == .rmsprop ? 0 : 0.9 }

    /// PyTorch's denominator guard ε for the adaptive rules; nil for SGD, which has none.
    public var defaultEpsilon: Float? {
        switch self {
        case .sgd: return nil
        case .adagrad: return AdaGrad.defaultEpsilon
        case .rmsprop: return RMSProp.defaultEpsilon
        case .adam: return Adam.defaultEpsilon
        }
    }
}

extension TrainingConfig {
    /// Chooses `kind`, filling in its defaults for the settings not given and the defaults for those it ignores (which
    /// files do not store, so the saved settings say exactly what the rule used).
    public mutating func useOptimizer(_ kind: OptimizerKind, learningRate: Float? = nil, momentum: Float? = nil,
                                      nesterov: Bool = false, alpha: Float? = nil, epsilon: Float? = nil, centered: Bool = false) {
        optimizer = kind
        self.learningRate = learningRate ?? kind.usualLearningRate
        self.momentum = momentum ?? kind.defaultMomentum
        self.nesterov = kind == .sgd && nesterov
        self.alpha = kind == .rmsprop ? alpha ?? RMSProp.defaultAlpha : RMSProp.defaultAlpha
        self.centered = kind == .rmsprop && centered
        self.epsilon = epsilon ?? kind.defaultEpsilon
    }

    /// The optimiser these settings describe, over `parameters`.
    func makeOptimizer(parameters: [Tensor]) -> Optimizer {
        let eps = optimizer == .sgd ? 0 : epsilon ?? 0
        switch optimizer {
        case .sgd:
            return SGD(parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                       weightDecay: weightDecay)
        case .adagrad:
            return AdaGrad(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, epsilon: eps)
        case .rmsprop:
            return RMSProp(parameters: parameters, learningRate: learningRate, alpha: alpha, epsilon: eps,
                           weightDecay: weightDecay, momentum: momentum, centered: centered)
        case .adam:
            return Adam(parameters: parameters, learningRate: learningRate, epsilon: eps, weightDecay: weightDecay)
        }
    }

    /// These settings with every setting the optimiser ignores at its default: two runs whose canonical settings
    /// agree take the same steps.
    var canonical: TrainingConfig {
        var c = self
        c.momentum = optimizer.usesMomentum ? momentum : 0
        c.nesterov = optimizer == .sgd && nesterov
        c.alpha = optimizer == .rmsprop ? alpha : RMSProp.defaultAlpha
        c.centered = optimizer == .rmsprop && centered
        c.epsilon = optimizer == .sgd ? nil : epsilon
        return c
    }

    /// "rmsprop (lr 0.001, alpha 0.99, eps 1e-08, momentum 0, centered)": the rule and the settings it uses.
    public var optimizerDescription: String {
        var parts = ["lr " + Self.number(learningRate)]
        if optimizer == .rmsprop { parts.append("alpha " + Self.number(alpha)) }
        if optimizer != .sgd, let eps = epsilon { parts.append("eps " + Self.number(eps)) }
        if optimizer.usesMomentum { parts.append("momentum " + Self.number(momentum)) }
        if optimizer == .sgd, nesterov { parts.append("Nesterov") }
        if optimizer == .rmsprop, centered { parts.append("centered") }
        if weightDecay != 0 { parts.append("weight decay " + Self.number(weightDecay)) }
        return "\(optimizer.rawValue) (\(parts.joined(separator: ", ")))"
    }

    /// A setting as `nst info` and the CLI write it ("0.01", "1e-08").
    public static func number(_ x: Float) -> String { String(format: "%g", Double(x)) }
}
