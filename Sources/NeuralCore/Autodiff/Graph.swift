// Reverse-mode autodiff on a define-by-run graph (micrograd's scheme, one node per tensor rather than per scalar).
// Each op records a pullback right below its forward kernel; backward() orders nodes without recursion,
// accumulates gradients with +=, and frees every closure once it has run.

/// One recorded op result (interior node) or one leaf that wants its gradient.
/// Nodes hold their parents' nodes, never the parent tensors, so an activation's storage is kept
/// alive only if some pullback captured it.
final class GraphNode {
    /// One entry per op input; nil where that input needs no gradient.
    var parents: [GraphNode?]
    /// Maps the output gradient to one gradient per parent (nil where not needed). Nil for leaves and once run.
    var pullback: (([Float]) -> [[Float]?])?
    /// The leaf tensor that receives the gradient in `.grad` (leaves only).
    weak var leaf: Tensor?
    /// Element count of the tensor this node stands for, for checks.
    let count: Int
    /// Op name, for debugging.
    let op: String

    init(leaf: Tensor) {
        self.parents = []; self.leaf = leaf; self.count = leaf.count; self.op = "leaf"
    }

    init(op: String, count: Int, parents: [GraphNode?], pullback: @escaping ([Float]) -> [[Float]?]) {
        self.op = op; self.count = count; self.parents = parents; self.pullback = pullback
    }

    /// Dismantles an unused graph without recursion: releasing a long chain node by node would otherwise
    /// recurse once per node in the deinitialisers and could overflow the stack.
    deinit {
        var stack = parents.compactMap { $0 }
        parents = []
        while var node = stack.popLast() {
            // Only a node nobody else holds will be freed now; take its parents over so it dies without recursing.
            if isKnownUniquelyReferenced(&node) {
                stack.append(contentsOf: node.parents.compactMap { $0 })
                node.parents = []
                node.pullback = nil
            }
        }
    }
}

extension Tensor {
    /// The node a gradient should flow into, or nil when this tensor needs no gradient.
    var gradientNode: GraphNode? {
        if let node, node.pullback != nil { return node }
        guard requiresGrad else { return nil }
        if let node, node.leaf === self { return node }
        let leafNode = GraphNode(leaf: self)
        node = leafNode
        return leafNode
    }

    /// Attaches a pullback to `self` (an op's fresh output) if recording is on and some parent needs a gradient.
    /// `makePullback` runs only in that case and receives, per parent, whether its gradient is needed,
    /// so the returned closure captures only what those gradients require. Returns `self`.
    @discardableResult
    func recorded(_ op: String, parents: [Tensor],
                  _ makePullback: (_ needs: [Bool]) -> ([Float]) -> [[Float]?]) -> Tensor {
        guard GradientRecording.isEnabled else { return self }
        let nodes = parents.map { $0.gradientNode }
        guard nodes.contains(where: { $0 != nil }) else { return self }
        node = GraphNode(op: op, count: count, parents: nodes, pullback: makePullback(nodes.map { $0 != nil }))
        return self
    }

    /// Backpropagates from this one-element tensor: seeds 1, runs every pullback once in reverse
    /// topological order, and accumulates (+=) into `.grad` of each reachable leaf with requiresGrad.
    /// The graph's closures are freed afterwards, so a second call reaches only leaves directly.
    public func backward() {
        require(count == 1, "backward(): needs a one-element tensor, got shape \(shape)")
        backward(seed: [1])
    }

    /// Backpropagates a given output gradient `seed` (same element count as `self`): a vector-Jacobian product.
    public func backward(seed: [Float]) {
        require(seed.count == count, "backward(seed:): seed has \(seed.count) elements, tensor shape \(shape)")
        guard let root = gradientNode else { return }
        let order = GraphNode.topologicalOrder(from: root)
        var grads: [ObjectIdentifier: [Float]] = [ObjectIdentifier(root): seed]
        for node in order.reversed() {
            guard let g = grads.removeValue(forKey: ObjectIdentifier(node)) else {
                node.pullback = nil; node.parents = []
                continue
            }
            if let pullback = node.pullback {
                let parentGrads = pullback(g)
                let parents = node.parents
                // Free the closure (and the activations it captured) as soon as it has run.
                node.pullback = nil; node.parents = []
                for (i, parent) in parents.enumerated() {
                    guard let parent, let pg = parentGrads[i] else { continue }
                    require(pg.count == parent.count,
                                 "backward: op \(node.op) gave a gradient of \(pg.count) elements for a \(parent.count)-element input")
                    let key = ObjectIdentifier(parent)
                    if grads[key] == nil { grads[key] = pg } else { grads[key]!.addInPlace(pg) }
                }
            } else if let leaf = node.leaf, leaf.requiresGrad {
                if leaf.grad == nil { leaf.grad = g } else { leaf.grad!.addInPlace(g) }
            }
        }
    }
}

extension GraphNode {
    /// Post-order (parents before children) of every node reachable from `root`, by an explicit stack.
    static func topologicalOrder(from root: GraphNode) -> [GraphNode] {
        var order: [GraphNode] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var stack: [(node: GraphNode, next: Int)] = [(root, 0)]
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.parents.count {
                stack[stack.count - 1].next = next + 1
                if let parent = node.parents[next], visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }
}
