// ClassificationTests: see the files beside this one.
