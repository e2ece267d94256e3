#!/usr/bin/env python3
"""A stand-in for the AWS credential endpoints the instance chain asks, on
one port, handing out the credentials given on the command line:

  PUT  /latest/api/token                       IMDSv2 session token (needs the
                                               X-aws-ec2-metadata-token-ttl-seconds header);
                                               403 in v1only mode
  GET  /latest/meta-data/iam/security-credentials/[ROLE]
                                               refused (401) without that token, except
                                               in v1only mode (a wrong token is still 401)
  GET  /creds                                  the ECS/EKS container endpoint; refused
                                               (403) unless Authorization is the content
                                               of CONTAINER_TOKEN_FILE
  POST /                                       STS AssumeRoleWithWebIdentity; refused
                                               (AccessDenied) unless WebIdentityToken is
                                               the content of WEB_TOKEN_FILE
  GET  /__stats                                fetches served so far, per endpoint
  POST /__ttl?seconds=N                        Expiration of later answers: now + N s
  POST /__reset                                counters back to zero, TTL back to 3600,
                                               norole and v1only off
  POST /__norole                               IMDS lists no role from now on
  POST /__v1only                               IMDSv1 only from now on: the token call is
                                               refused (403, counted imds_token_refused) and
                                               the role and its credentials are served
                                               without a token (counted imds_v1_credentials;
                                               token-authenticated ones stay imds_credentials)

Usage: cred_server.py PORT AK SK TOKEN WEB_TOKEN_FILE CONTAINER_TOKEN_FILE
(stops by itself after 15 minutes)
"""
import datetime
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT, AK, SK, TOKEN, WEB_TOKEN_FILE, CONTAINER_TOKEN_FILE = sys.argv[1:7]
IMDS_TOKEN = "imds-session-token-0123456789"
ROLE = "s3fdw-instance-role"
state = {"ttl": 3600, "norole": False, "v1only": False, "stats": {}}
lock = threading.Lock()


def expiration():
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["ttl"])
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def count(name):
    with lock:
        state["stats"][name] = state["stats"].get(name, 0) + 1


def read(path):
    with open(path) as f:
        return f.read().strip()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def creds_json(self):
        return json.dumps({"Code": "Success", "LastUpdated": expiration(), "Type": "AWS-HMAC",
                           "AccessKeyId": AK, "SecretAccessKey": SK, "Token": TOKEN,
                           "Expiration": expiration()})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def do_PUT(self):
        self.body()
        if self.path == "/latest/api/token" and state["v1only"]:
            count("imds_token_refused")
            self.reply(403, "")
        elif self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            count("imds_token")
            self.reply(200, IMDS_TOKEN)
        else:
            self.reply(400, "bad token request")

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/__stats":
            with lock:
                text = " ".join(f"{k} {v}" for k, v in sorted(state["stats"].items())) or "none"
            self.reply(200, text + "\n")
        elif path.startswith("/latest/meta-data/iam/security-credentials/"):
            token = self.headers.get("X-aws-ec2-metadata-token")
            if token != IMDS_TOKEN and not (state["v1only"] and token is None):
                self.reply(401, "")
                return
            role = path[len("/latest/meta-data/iam/security-credentials/"):]
            if role == "":
                self.reply(200, "" if state["norole"] else ROLE)
            elif role == ROLE:
                count("imds_credentials" if token == IMDS_TOKEN else "imds_v1_credentials")
                self.reply(200, self.creds_json(), "application/json")
            else:
                self.reply(404, "")
        elif path == "/creds":
            if self.headers.get("Authorization") != read(CONTAINER_TOKEN_FILE + ".expected"):
                self.reply(403, json.dumps({"message": "bad authorization token"}), "application/json")
                return
            count("container_credentials")
            self.reply(200, self.creds_json(), "application/json")
        else:
            self.reply(404, "")

    def do_POST(self):
        parts = urlsplit(self.path)
        form = parse_qs(self.body())
        if parts.path == "/__ttl":
            state["ttl"] = int(parse_qs(parts.query)["seconds"][0])
            self.reply(200, "ok\n")
        elif parts.path == "/__reset":
            with lock:
                state.update(ttl=3600, norole=False, v1only=False, stats={})
            self.reply(200, "ok\n")
        elif parts.path == "/__norole":
            state["norole"] = True
            self.reply(200, "ok\n")
        elif parts.path == "/__v1only":
            state["v1only"] = True
            self.reply(200, "ok\n")
        elif parts.path == "/" and form.get("Action") == ["AssumeRoleWithWebIdentity"]:
            if form.get("WebIdentityToken") != [read(WEB_TOKEN_FILE + ".expected")]:
                self.reply(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                "<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>"
                                "</Error><RequestId>fake-sts-1</RequestId></ErrorResponse>", "text/xml")
                return
            count("sts_web_identity " + form.get("RoleSessionName", ["?"])[0])
            self.reply(200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
                            f"<Credentials><AccessKeyId>{AK}</AccessKeyId><SecretAccessKey>{SK}</SecretAccessKey>"
                            f"<SessionToken>{TOKEN}</SessionToken><Expiration>{expiration()}</Expiration>"
                            "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
                       "text/xml")
        else:
            self.reply(400, "unknown request")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(900)


if __name__ == "__main__":
    main()
