#!/usr/bin/env python3
"""A server that accepts connections, reads what is sent, and never answers:
the network fault that only an interruptible client survives.

Usage: hang_server.py PORT   (stops by itself after 15 minutes)
"""
import socket
import sys
import threading
import time


def hold(conn):
    conn.settimeout(900)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    finally:
        conn.close()


def main():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(sys.argv[1])))
    srv.listen(64)
    deadline = time.time() + 900
    srv.settimeout(1)
    while time.time() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=hold, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
