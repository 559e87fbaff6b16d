"""Declares Shop's RabbitMQ topology (topology.json) through the management HTTP API, idempotently.

    RABBITMQ_MANAGEMENT_URI=https://USER:PASSWORD@HOST:15671/ python3 declare-topology.py [topology.json]

RABBITMQ_VHOST (default /) picks the vhost. Exchanges and queues are PUT (201 when created, 204 when an
identical one exists), bindings POSTed (RabbitMQ keeps one binding per source, destination, key and
arguments, however often it is posted). A queue or exchange that exists with other properties is refused
with 400 (PRECONDITION_FAILED): the script stops with that message and exit status 1, as the consumer's own
declare would. The user needs the `management` tag and configure, write and read permissions on the vhost.
Waits up to RABBITMQ_WAIT_SECONDS (default 300) for the API to answer. Python standard library only.

The names and arguments are those the code declares (shared/Messaging/RabbitMqConnection.cs,
DeclareConsumerQueueAsync; shared/Messaging/RabbitMqOptions.cs; functions/OrderFunctions/Notifications/
NotificationsRole.cs). scripts/validate-k8s.mjs checks topology.json against those sources, and the copy in
keda/55-rabbitmq-topology.yaml against this directory.
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "topology.json")
    uri = urllib.parse.urlsplit(os.environ["RABBITMQ_MANAGEMENT_URI"])
    vhost = urllib.parse.quote(os.environ.get("RABBITMQ_VHOST", "/"), safe="")
    port = f":{uri.port}" if uri.port else ""
    base = f"{uri.scheme}://{uri.hostname}{port}{uri.path.rstrip('/')}/api"
    user = urllib.parse.unquote(uri.username or "")
    password = urllib.parse.unquote(uri.password or "")
    auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)

    def call(method, api_path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": auth, "Content-Type": "application/json"}
        request = urllib.request.Request(base + api_path, method=method, headers=headers, data=data)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    deadline = time.monotonic() + int(os.environ.get("RABBITMQ_WAIT_SECONDS", "300"))
    while True:
        try:
            status, text = call("GET", "/overview")
            if status == 200:
                break
            if status in (401, 403):
                sys.exit(f"declare-topology: {base}: {status} {text} (user, password, `management` tag?)")
        except OSError as error:
            status, text = 0, str(error)
        if time.monotonic() > deadline:
            sys.exit(f"declare-topology: {base} did not answer: {status} {text}")
        time.sleep(3)

    def q(name):
        return urllib.parse.quote(name, safe="")

    steps = []
    for e in topology.get("exchanges", []):
        body = {k: e[k] for k in ("type", "durable", "auto_delete", "internal", "arguments")}
        steps.append(("PUT", f"/exchanges/{vhost}/{q(e['name'])}", body, f"exchange {e['name']}"))
    for x in topology.get("queues", []):
        body = {k: x[k] for k in ("durable", "auto_delete", "arguments")}
        steps.append(("PUT", f"/queues/{vhost}/{q(x['name'])}", body, f"queue {x['name']}"))
    for b in topology.get("bindings", []):
        kind = "q" if b["destination_type"] == "queue" else "e"
        api_path = f"/bindings/{vhost}/e/{q(b['source'])}/{kind}/{q(b['destination'])}"
        body = {"routing_key": b["routing_key"], "arguments": b.get("arguments", {})}
        steps.append(("POST", api_path, body, f"binding {b['source']} -> {b['destination']} ({b['routing_key']})"))
    for method, api_path, body, what in steps:
        status, text = call(method, api_path, body)
        if status not in (200, 201, 204):
            sys.exit(f"declare-topology: {what}: {status} {text}")
        done = "bound" if method == "POST" else "created" if status == 201 else "already as declared"
        print(f"declare-topology: {what}: {done}")
    print(f"declare-topology: {len(steps)} declarations on vhost {urllib.parse.unquote(vhost)} done")


if __name__ == "__main__":
    main()
