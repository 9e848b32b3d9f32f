"""DynamoDB through boto3, the second client the issue names: the resource API (Table,
Key/Attr conditions, Decimal and set values, batch_writer, waiters) and the client API
(paginators, transactions, PartiQL, TTL) and the dynamodbstreams client, against the
endpoint in argv[1]. Prints one JSON object of what each flow saw, for
audit-boto3.test.ts to assert; anything boto3 raises unexpectedly fails the run."""
import json
import sys
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
config = Config(retries={"max_attempts": 1})
resource = session.resource("dynamodb", endpoint_url=endpoint, config=config)
client = session.client("dynamodb", endpoint_url=endpoint, config=config)
streams = session.client("dynamodbstreams", endpoint_url=endpoint, config=config)
out = {}


def plain(value):
    """The JSON form of what boto3 returns: Decimal as its string, sets sorted, bytes as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if isinstance(value, boto3.dynamodb.types.Binary):
        return list(value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def error_of(call):
    try:
        call()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"], "response": e.response}
    return None


# the resource API: a single-table design with a GSI
table = resource.create_table(
    TableName="boto-app",
    AttributeDefinitions=[
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
        {"AttributeName": "email", "AttributeType": "S"},
    ],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    GlobalSecondaryIndexes=[
        {
            "IndexName": "byEmail",
            "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
    BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
)
table.wait_until_exists()
table.reload()
out["table_status"] = table.table_status
out["table_gsis"] = [g["IndexName"] for g in table.global_secondary_indexes]

table.put_item(
    Item={
        "pk": "CUST#1",
        "sk": "PROFILE",
        "email": "ada@example.com",
        "balance": Decimal("10.50"),
        "big": Decimal("12345678901234567890.123456789"),
        "tags": {"a", "b"},
        "scores": {Decimal(1), Decimal(2)},
        "blob": b"\x00\x01\xff",
        "nested": {"list": [1, "two", {"three": True}], "none": None},
    }
)
out["get"] = plain(table.get_item(Key={"pk": "CUST#1", "sk": "PROFILE"})["Item"])
out["projected"] = plain(
    table.get_item(
        Key={"pk": "CUST#1", "sk": "PROFILE"},
        ProjectionExpression="#n.#l[1], email",
        ExpressionAttributeNames={"#n": "nested", "#l": "list"},
        ConsistentRead=True,
    )["Item"]
)

with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={"pk": "CUST#1", "sk": f"ORDER#{i:03d}", "n": i})
out["orders"] = [
    i["sk"]
    for i in table.query(
        KeyConditionExpression=Key("pk").eq("CUST#1") & Key("sk").begins_with("ORDER#"),
        ScanIndexForward=False,
        Limit=3,
    )["Items"]
]
out["by_email"] = plain(table.query(IndexName="byEmail", KeyConditionExpression=Key("email").eq("ada@example.com"))["Items"])
filtered = table.scan(FilterExpression=Attr("n").between(10, 12) & Attr("sk").begins_with("ORDER#"))
out["scan_filtered"] = sorted(i["sk"] for i in filtered["Items"])
out["scan_counts"] = [filtered["Count"], filtered["ScannedCount"]]

updated = table.update_item(
    Key={"pk": "CUST#1", "sk": "PROFILE"},
    UpdateExpression="SET balance = balance + :d, visits = if_not_exists(visits, :zero) + :one ADD tags :t REMOVE nested.#none",
    ExpressionAttributeNames={"#none": "none"},
    ExpressionAttributeValues={":d": Decimal("0.25"), ":zero": 0, ":one": 1, ":t": {"c"}},
    ConditionExpression=Attr("email").eq("ada@example.com"),
    ReturnValues="UPDATED_NEW",
)
out["updated"] = plain(updated["Attributes"])

failed = error_of(
    lambda: table.put_item(
        Item={"pk": "CUST#1", "sk": "PROFILE"},
        ConditionExpression=Attr("pk").not_exists(),
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
)
out["condition_failed"] = {
    "code": failed["code"],
    "message": failed["message"],
    "item_email": failed["response"].get("Item", {}).get("email"),
}

got = resource.batch_get_item(
    RequestItems={"boto-app": {"Keys": [{"pk": "CUST#1", "sk": "ORDER#001"}, {"pk": "CUST#1", "sk": "NONE"}]}}
)
out["batch_get"] = [plain(i) for i in got["Responses"]["boto-app"]]
out["batch_unprocessed"] = got["UnprocessedKeys"]

# the client API: paginators, transactions, PartiQL, TTL, waiters
pages = client.get_paginator("query").paginate(
    TableName="boto-app",
    KeyConditionExpression="pk = :p",
    ExpressionAttributeValues={":p": {"S": "CUST#1"}},
    PaginationConfig={"PageSize": 7},
)
out["query_pages"] = [len(p["Items"]) for p in pages]

cancelled = error_of(
    lambda: client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "boto-app", "Item": {"pk": {"S": "USER#2"}, "sk": {"S": "PROFILE"}}}},
            {
                "ConditionCheck": {
                    "TableName": "boto-app",
                    "Key": {"pk": {"S": "CUST#1"}, "sk": {"S": "PROFILE"}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
    )
)
out["transaction"] = {
    "code": cancelled["code"],
    "message": cancelled["message"],
    "reasons": [r["Code"] for r in cancelled["response"]["CancellationReasons"]],
    "reason_item_email": cancelled["response"]["CancellationReasons"][1].get("Item", {}).get("email"),
    "user_written": "Item" in client.get_item(TableName="boto-app", Key={"pk": {"S": "USER#2"}, "sk": {"S": "PROFILE"}}),
}

client.execute_statement(Statement="INSERT INTO \"boto-app\" VALUE {'pk': 'P#1', 'sk': 'S', 'v': ?}", Parameters=[{"N": "7"}])
out["partiql"] = client.execute_statement(
    Statement='SELECT v FROM "boto-app" WHERE pk = ? AND sk = ?', Parameters=[{"S": "P#1"}, {"S": "S"}]
)["Items"]

client.update_time_to_live(TableName="boto-app", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
out["ttl"] = client.describe_time_to_live(TableName="boto-app")["TimeToLiveDescription"]

out["list_tables"] = [
    name for page in client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1}) for name in page["TableNames"]
]

validation = error_of(lambda: client.get_item(TableName="boto-app", Key={"pk": {"S": "x"}}))
out["validation"] = {"code": validation["code"], "message": validation["message"]}
missing = error_of(lambda: client.describe_table(TableName="boto-none"))
out["missing"] = {"code": missing["code"], "message": missing["message"]}

# streams: the records the writes above made, in order
arn = client.describe_table(TableName="boto-app")["Table"]["LatestStreamArn"]
shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
records = streams.get_records(ShardIterator=iterator, Limit=5)["Records"]
out["stream_records"] = [
    {"event": r["eventName"], "keys": r["dynamodb"]["Keys"], "view": r["dynamodb"]["StreamViewType"]} for r in records
]

table.delete()
table.wait_until_not_exists()
out["deleted"] = "boto-app" not in client.list_tables()["TableNames"]

print(json.dumps(out))
