// nstTests: see the files beside this one.
