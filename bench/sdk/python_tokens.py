"""Times the official Python SDK (PyPI `opentok`) minting client tokens on
one core: HS256 JWT (the default) and legacy T1 (use_jwt=False).
Usage: python python_tokens.py [jwt_iterations] [t1_iterations]; prints one
JSON object of tokens per second."""

import json
import sys
import time

from opentok import Client, Roles

API_KEY = "123456"
API_SECRET = "1234567890abcdef1234567890abcdef1234567890"
SESSION_ID = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4"


def rate(client, iterations, use_jwt):
    def mint():
        return client.generate_token(SESSION_ID, role=Roles.publisher, data="name=Alice", use_jwt=use_jwt)

    for _ in range(500):  # warm-up
        mint()
    start = time.perf_counter()
    total = 0
    for _ in range(iterations):
        total += len(mint())
    elapsed = time.perf_counter() - start
    if total == 0:
        raise RuntimeError("no tokens generated")
    return iterations / elapsed


def main():
    jwt_iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 90000
    t1_iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 130000
    client = Client(API_KEY, API_SECRET)
    rates = {"jwt": rate(client, jwt_iterations, True), "t1": rate(client, t1_iterations, False)}
    print(json.dumps(rates))


if __name__ == "__main__":
    main()
