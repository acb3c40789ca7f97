"""The stack's servers get loopback ports that are free and different from each other: two servers
given the same port would leave one unable to start, and a test of the whole stack failing for it."""
from __future__ import annotations

import socket

from bot import serve


def test_the_ports_picked_for_a_stack_are_all_different_and_free() -> None:
    for _ in range(200):
        ports = serve.free_ports(3)
        assert len(set(ports)) == 3
    with socket.socket() as s:   # still free once picked: a server can bind it
        s.bind(("127.0.0.1", ports[0]))
