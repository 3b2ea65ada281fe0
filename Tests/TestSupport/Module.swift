// Test support: gradient checks.
