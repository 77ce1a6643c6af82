"""The suite's own guard: sockets really are blocked inside tests."""

import socket
import urllib.request

import pytest


def test_offline_socket_connect_is_refused():
    with pytest.raises(RuntimeError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))


def test_offline_urlopen_is_refused():
    with pytest.raises(Exception, match="network access"):
        urllib.request.urlopen("http://example.invalid/", timeout=1)
