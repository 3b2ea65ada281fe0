// Inverted dropout (Srivastava et al. 2014): in training, zero each element with `probability` and scale the
// survivors by 1/(1 − p), so inference is the identity.

extension Tensor {
    /// Training: each element kept with probability 1 − p and scaled by 1/(1 − p), else 0; the mask comes from
    /// `generator`. Inference (or p == 0): returns `self`. Gradient: dy times the same mask.
    public func dropout(probability p: Float, mode: Mode, generator: inout some RandomNumberGenerator) -> Tensor {
        require(p >= 0 && p < 1, "dropout: probability \(p) must be in [0, 1)")
        guard mode == .training, p > 0 else { return self }
        let keep = 1 / (1 - p)
        let mask = (0..<count).map { _ in generator.nextFloat(in: 0..<1) < p ? Float(0) : keep }
        return Tensor(shape: shape, data: Elementwise.multiply(data, mask)).recorded("dropout", parents: [self]) { _ in
            { dy in [Elementwise.multiply(dy, mask)] }
        }
    }
}
