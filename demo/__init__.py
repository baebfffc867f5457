"""Demo and department-scale data, and the benchmark.

The top layer: it imports every app to build a realistic department; nothing imports it."""
