// NetworksTests: see the files beside this one.
