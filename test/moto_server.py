#!/usr/bin/env python3
"""Run moto's S3/IAM/STS server the way moto_server does, but speaking
HTTP/1.1 with keep-alive, as S3 itself does.

moto_server's werkzeug handler answers HTTP/1.0 and closes every connection,
which would hide whether s3_fdw reuses its connections.  Usage:
    moto_server.py PORT [PIDFILE]
"""
import os
import sys

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, run_simple


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"


def main():
    port = int(sys.argv[1])
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, app, threaded=True,
               request_handler=KeepAliveHandler)


if __name__ == "__main__":
    main()
