// StyleTransferTests: see the files beside this one.
