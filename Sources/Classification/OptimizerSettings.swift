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
    /// Chooses `kind`, filling in its defaults for the settings not given and leaving the ones it ignores unset (nil),
    /// so the saved settings say exactly what the rule used.
    public mutating func useOptimizer(_ kind: OptimizerKind, learningRate: Float? = nil, momentum: Float? = nil,
                                      nesterov: Bool = false, alpha: Float? = nil, epsilon: Float? = nil, centered: Bool = false) {
        optimizer = kind
        self.learningRate = learningRate ?? kind.usualLearningRate
        self.momentum = momentum ?? kind.defaultMomentum
        self.nesterov = kind == .sgd ? nesterov : nil
        self.alpha = kind == .rmsprop ? alpha ?? RMSProp.defaultAlpha : nil
        self.centered = kind == .rmsprop ? centered : nil
        self.epsilon = epsilon ?? kind.defaultEpsilon
    }

    /// Nesterov momentum for SGD (files written before it existed: off).
    public var effectiveNesterov: Bool { nesterov ?? false }
    /// RMSProp's smoothing constant α (files written before it existed: PyTorch's 0.99).
    public var effectiveAlpha: Float { alpha ?? RMSProp.defaultAlpha }
    /// RMSProp's centring (files written before it existed: off).
    public var effectiveCentered: Bool { centered ?? false }
    /// The adaptive rules' ε (files written before it existed: the rule's PyTorch default); nil for SGD.
    public var effectiveEpsilon: Float? { optimizer == .sgd ? nil : epsilon ?? optimizer.defaultEpsilon }

    /// The optimiser these settings describe, over `parameters`.
    func makeOptimizer(parameters: [Tensor]) -> Optimizer {
        let eps = effectiveEpsilon ?? 0
        switch optimizer {
        case .sgd:
            return SGD(parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: effectiveNesterov,
                       weightDecay: weightDecay)
        case .adagrad:
            return AdaGrad(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, epsilon: eps)
        case .rmsprop:
            return RMSProp(parameters: parameters, learningRate: learningRate, alpha: effectiveAlpha, epsilon: eps,
                           weightDecay: weightDecay, momentum: momentum, centered: effectiveCentered)
        case .adam:
            return Adam(parameters: parameters, learningRate: learningRate, epsilon: eps, weightDecay: weightDecay)
        }
    }

    /// These settings with every default filled in and every setting the optimiser ignores cleared: two runs whose
    /// canonical settings agree take the same steps (a file from before a setting existed agrees with its default).
    var canonical: TrainingConfig {
        var c = self
        c.momentum = optimizer.usesMomentum ? momentum : 0
        c.nesterov = optimizer == .sgd ? effectiveNesterov : nil
        c.alpha = optimizer == .rmsprop ? effectiveAlpha : nil
        c.centered = optimizer == .rmsprop ? effectiveCentered : nil
        c.epsilon = effectiveEpsilon
        return c
    }

    /// "rmsprop (lr 0.001, alpha 0.99, eps 1e-08, momentum 0, centered)": the rule and the settings it uses.
    public var optimizerDescription: String {
        var parts = ["lr " + Self.number(learningRate)]
        if optimizer == .rmsprop { parts.append("alpha " + Self.number(effectiveAlpha)) }
        if let eps = effectiveEpsilon { parts.append("eps " + Self.number(eps)) }
        if optimizer.usesMomentum { parts.append("momentum " + Self.number(momentum)) }
        if optimizer == .sgd, effectiveNesterov { parts.append("Nesterov") }
        if optimizer == .rmsprop, effectiveCentered { parts.append("centered") }
        if weightDecay != 0 { parts.append("weight decay " + Self.number(weightDecay)) }
        return "\(optimizer.rawValue) (\(parts.joined(separator: ", ")))"
    }

    /// A setting as `nst info` and the CLI write it ("0.01", "1e-08").
    public static func number(_ x: Float) -> String { String(format: "%g", Double(x)) }
}
