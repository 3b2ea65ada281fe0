// Strong-Wolfe line search as in torch.optim.lbfgs._strong_wolfe (after Nocedal & Wright, Algorithms 3.5/3.6):
// bracket by extrapolating with safeguarded cubic interpolation, then zoom until
// f(t) ≤ f + c1·t·gtd and |g(t)·d| ≤ −c2·gtd.

enum StrongWolfe {
    struct Result { var f: Float; var g: [Float]; var t: Double }

    /// Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (default: [x1, x2]).
    static func cubicInterpolate(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                                 bounds: (Double, Double)? = nil) -> Double {
        let (lo, hi) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
        let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
        let d2Square = d1 * d1 - g1 * g2
        guard d2Square >= 0 else { return (lo + hi) / 2 }
        let d2 = d2Square.squareRoot()
        let minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                              : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(minPos, lo), hi)
    }

    /// Searches t along d from x (where the loss is f, gradient g, directional derivative gtd < 0).
    /// Uses at most `maxEvaluations` evaluations (torch's max_ls).
    static func search(evaluator: inout Evaluator, x: [Float], t initialT: Double, d: [Float], f: Float, g: [Float],
                       gtd: Double, c1: Double = 1e-4, c2: Double = 0.9, toleranceChange: Double = 1e-9,
                       maxEvaluations maxLS: Int) -> Result {
        let dNorm = Vector.maxAbs(d)
        var t = initialT
        func evaluate(_ t: Double) -> (Float, [Float], Double) {
            var point = x
            Vector.addScaled(&point, d, t)
            let (fNew, gNew) = evaluator.at(point)
            return (fNew, gNew, Vector.dot(gNew, d))
        }
        var (fNew, gNew, gtdNew) = evaluate(t)
        var evals = 1
        var tPrev = 0.0, fPrev = f, gPrev = g, gtdPrev = gtd
        var done = false
        var lsIter = 0
        // Bracket: [t, f, g, gtd] at both ends.
        var bT: [Double] = [], bF: [Float] = [], bG: [[Float]] = [], bGtd: [Double] = []
        let fD = Double(f)
        while lsIter < maxLS {
            if Double(fNew) > fD + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev) {
                bT = [tPrev, t]; bF = [fPrev, fNew]; bG = [gPrev, gNew]; bGtd = [gtdPrev, gtdNew]
                break
            }
            if abs(gtdNew) <= -c2 * gtd {
                bT = [t]; bF = [fNew]; bG = [gNew]; done = true
                break
            }
            if gtdNew >= 0 {
                bT = [tPrev, t]; bF = [fPrev, fNew]; bG = [gPrev, gNew]; bGtd = [gtdPrev, gtdNew]
                break
            }
            if evals >= maxLS { lsIter = maxLS; break }   // out of evaluations: bracket [0, t] below
            // Extrapolate: the next trial lies in [t + 0.01·(t − tPrev), 10·t].
            let minStep = t + 0.01 * (t - tPrev), maxStep = t * 10
            let tmp = t
            t = cubicInterpolate(tPrev, Double(fPrev), gtdPrev, t, Double(fNew), gtdNew, bounds: (minStep, maxStep))
            tPrev = tmp; fPrev = fNew; gPrev = gNew; gtdPrev = gtdNew
            (fNew, gNew, gtdNew) = evaluate(t)
            evals += 1
            lsIter += 1
        }
        if lsIter == maxLS && bT.isEmpty {
            bT = [0, t]; bF = [f, fNew]; bG = [g, gNew]; bGtd = [gtd, gtdNew]
        }

        // Zoom.
        var insufficientProgress = false
        var (low, high) = bF[0] <= bF[bF.count - 1] ? (0, 1) : (1, 0)
        while !done && lsIter < maxLS && evals < maxLS && bT.count == 2 {
            if abs(bT[1] - bT[0]) * dNorm < toleranceChange { break }
            t = cubicInterpolate(bT[0], Double(bF[0]), bGtd[0], bT[1], Double(bF[1]), bGtd[1])
            // Keep t away from the bracket ends; if progress stalls, move it to 10 % inside the bracket.
            let bMax = max(bT[0], bT[1]), bMin = min(bT[0], bT[1])
            let eps = 0.1 * (bMax - bMin)
            if min(bMax - t, t - bMin) < eps {
                if insufficientProgress || t >= bMax || t <= bMin {
                    t = abs(t - bMax) < abs(t - bMin) ? bMax - eps : bMin + eps
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            (fNew, gNew, gtdNew) = evaluate(t)
            evals += 1
            lsIter += 1
            if Double(fNew) > fD + c1 * t * gtd || fNew >= bF[low] {
                bT[high] = t; bF[high] = fNew; bG[high] = gNew; bGtd[high] = gtdNew
                (low, high) = bF[0] <= bF[1] ? (0, 1) : (1, 0)
            } else {
                if abs(gtdNew) <= -c2 * gtd {
                    done = true
                } else if gtdNew * (bT[high] - bT[low]) >= 0 {
                    bT[high] = bT[low]; bF[high] = bF[low]; bG[high] = bG[low]; bGtd[high] = bGtd[low]
                }
                bT[low] = t; bF[low] = fNew; bG[low] = gNew; bGtd[low] = gtdNew
            }
        }
        let i = bT.count == 1 ? 0 : low
        return Result(f: bF[i], g: bG[i], t: bT[i])
    }
}
