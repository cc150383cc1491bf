"""Demo data: a realistic, invented data set built from a fixed seed, for screenshots and the benchmark."""
