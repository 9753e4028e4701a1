"""Benchmarks: ingest throughput, query latency, memory, start-up and synthetic scale.

`python -m bench` runs everything; each measured stage runs in its own subprocess (`bench.stage`) so
its peak resident memory (max RSS) is its own. Every index is built in a fresh temporary home.
"""
