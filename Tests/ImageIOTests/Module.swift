// ImageIOTests: see the files beside this one.
