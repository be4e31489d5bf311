"""A minimal keep-alive JSON client for the benchmark drivers (standard library only)."""
import http.client
import json
import urllib.parse


def connect(base, timeout=30):
    """A keep-alive connection to the node at `base` (http://host:port)."""
    url = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)


def call(conn, method, path, body=None, token=None):
    """Sends a request; answers (status, parsed JSON body or None)."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    return response.status, (json.loads(raw) if raw else None)
