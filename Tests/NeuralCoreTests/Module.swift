// NeuralCoreTests: see the files beside this one.
