// One scale of Gatys optimisation: fixed content and style targets, the loss and its gradient, and the optimiser loop.
import NeuralCore
import Networks

struct GatysProblem {
    typealias Terms = (content: Float, style: Float, tv: Float, total: Float)

    let contentTargets: [VGGLayer: Tensor]
    let styleTargets: StyleTargets
    let config: GatysConfig
    let vgg: VGG16Features
    let layers: Set<VGGLayer>

    init(content: Tensor, styles: [Tensor], blend: [Float], config: GatysConfig, vgg: VGG16Features) {
        self.config = config
        self.vgg = vgg
        self.layers = Set(config.contentLayers + config.styleLayers)
        self.contentTargets = withoutGradients { vgg.features(content, at: Set(config.contentLayers)) }
        self.styleTargets = StyleTargets(styles: styles, blend: blend, layers: config.styleLayers, vgg: vgg)
    }

    /// Loss at `x` without a gradient: the final figures (L-BFGS's last evaluation may be a rejected line-search trial).
    func losses(at x: Tensor) -> Terms {
        withoutGradients { terms(x) }
    }

    /// Loss at `x` (VGG space); fills `x.grad`.
    func evaluate(_ x: Tensor) -> Terms {
        terms(x, backward: true)
    }

    private func terms(_ x: Tensor, backward: Bool = false) -> Terms {
        let features = vgg.features(x, at: layers)
        let content = PerceptualLoss.content(features, targets: contentTargets)
        let style = PerceptualLoss.style(features, targets: styleTargets)
        var total = content * config.contentWeight + style * config.styleWeight
        var tvValue: Float = 0
        if config.tvWeight > 0 {
            let tv = x.meanTotalVariation()
            tvValue = tv.item()
            total = total + tv * config.tvWeight
        }
        if backward { total.backward() }
        return (content.item(), style.item(), tvValue, total.item())
    }

    /// Runs `config.iterations` optimiser iterations from `start`; calls `onIteration(i, terms, x)` after each (1-based).
    func optimize(from start: Tensor, onIteration: (Int, Terms, Tensor) -> Void) -> Tensor {
        let shape = start.shape
        switch config.optimizer {
        case .lbfgs:
            var flat = start.data
            var iteration = 0
            // Strong-Wolfe line search: the fixed-step variant (torch's default) starts with a step of 1/|g|₁, which
            // at these loss magnitudes is so small that the first curvature pairs are Float32 noise and it stalls.
            let lbfgs = LBFGS(historySize: config.historySize, learningRate: config.effectiveLearningRate,
                              lineSearch: .strongWolfe, toleranceGrad: -1, toleranceChange: -1)
            _ = lbfgs.minimize(&flat, maxEvaluations: config.iterations) { values, grad in
                let x = Tensor(shape: shape, data: values, requiresGrad: true)
                let terms = evaluate(x)
                grad = x.grad!
                iteration += 1
                onIteration(iteration, terms, x)
                return terms.total
            }
            return Tensor(shape: shape, data: flat)
        case .adam:
            let x = Tensor(shape: shape, data: start.data, requiresGrad: true)
            let adam = Adam(parameters: [x], learningRate: config.effectiveLearningRate)
            for iteration in 1...config.iterations {
                adam.zeroGrad()
                let terms = evaluate(x)
                adam.step()
                onIteration(iteration, terms, x)
            }
            return x.detached()
        }
    }
}
