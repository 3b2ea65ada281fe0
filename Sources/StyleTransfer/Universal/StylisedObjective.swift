// The stylised objective of `nst train-decoder --style-weight`: the decoder is given what `--fast` gives it, content
// features whitened and coloured with another image's (WCT), and is asked for an image whose features are those
// (feature term, at the decoder's level) and whose Gram matrices at every shallower block are the style image's (style
// term), as in the training of AdaIN's decoder (Huang & Belongie 2017) with WCT in place of AdaIN. No pixel target
// exists for a transformed feature map, so there is no pixel term.
import Foundation
import NeuralCore
import Networks

extension DecoderTraining {
    /// The layers whose Gram matrices the style term compares: the first ReLU of each block up to `level`.
    static func styleLayers(upTo level: VGGLayer) -> [VGGLayer] {
        [.relu1_1, .relu2_1, .relu3_1, .relu4_1, .relu5_1].filter { $0 <= level }
    }

    /// Each image's content features whitened and coloured with the same batch position's style features: [B, C, H, W]
    /// from two batches of one size (no gradient).
    static func transformed(content: Tensor, style: Tensor) throws -> Tensor {
        require(content.rank == 4 && style.rank == 4 && content.shape[0] == style.shape[0] && content.shape[1] == style.shape[1],
                "stylised objective: content \(content.shape) and style \(style.shape) features do not pair up")
        let batch = content.shape[0]
        return Tensor.concat(try (0..<batch).map { i in
            try WCT.transform(content: image(i, of: content), styles: [image(i, of: style)])
        }, axis: 0)
    }

    /// Image `i` of a batch [B, …] as [1, …], a copy without gradient (the transform's inputs need none).
    private static func image(_ i: Int, of batch: Tensor) -> Tensor {
        let width = batch.count / batch.shape[0]
        return Tensor(shape: [1] + batch.shape.dropFirst(), data: Array(batch.data[i * width..<(i + 1) * width]))
    }

    /// The two terms for content crops `x` and style crops `s` (VGG-space batches of one size): the feature MSE at the
    /// decoder's level between the decoded image and its transformed input, and Σ over `styleLayers` of the Gram MSE
    /// against the style crops.
    static func stylisedLoss(decoder: VGGDecoder, vgg: VGG16Features, content x: Tensor, style s: Tensor) throws
        -> (feature: Tensor, style: Tensor) {
        let level = decoder.level, layers = styleLayers(upTo: level)
        let (target, grams) = try withoutGradients { () throws -> (Tensor, [VGGLayer: Tensor]) in
            let styleFeatures = vgg.features(s, at: Set(layers))
            let contentFeatures = vgg.features(x, at: [level])[level]!
            return (try transformed(content: contentFeatures, style: styleFeatures[level]!),
                    styleFeatures.mapValues { $0.gram() })
        }
        let y = decoder(target)
        let features = vgg.features(y, at: Set(layers))
        let style = layers.dropFirst().reduce(features[layers[0]]!.gram().mseLoss(grams[layers[0]]!)) { sum, layer in
            sum + features[layer]!.gram().mseLoss(grams[layer]!)
        }
        return (features[level]!.mseLoss(target), style)
    }
}
