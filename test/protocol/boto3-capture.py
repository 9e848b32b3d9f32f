"""Prints, as a JSON list, the bodies botocore writes for [service, operation, params] calls
read as JSON from stdin. Nothing is sent: a before-send hook captures the request and stops
the call."""
import json
import sys

import boto3
from botocore.config import Config


class Captured(Exception):
    def __init__(self, body):
        super().__init__("captured")
        self.body = body.decode() if isinstance(body, bytes) else body


def capture(request, **_):
    raise Captured(request.body)


session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
# the tests' values are short: botocore's client-side length checks are not what is tested
config = Config(parameter_validation=False, retries={"max_attempts": 1})
bodies = []
for service, operation, params in json.load(sys.stdin):
    client = session.client(service, endpoint_url="http://localhost:4566", config=config)
    client.meta.events.register("before-send", capture)
    method = {api: py for py, api in client.meta.method_to_api_mapping.items()}[operation]
    try:
        getattr(client, method)(**params)
    except Captured as c:
        bodies.append(c.body)
    else:
        sys.exit(f"{operation} sent nothing")
print(json.dumps(bodies))
