"""The buckets the settings name, made ready for the site: `manage.py storage_setup`.

Run once per deploy, beside `migrate` (docs/deploy.md). It creates each bucket that is missing (the
media bucket, the private bucket, and the erasure log's and the backups' when they are buckets) and
gives the media bucket the one policy it needs: anyone may read (GET) its objects, nobody may list
or write them. The private bucket, the erasure log's and the backups' get no policy. Running it
again changes nothing. With local folders instead of buckets there is nothing to do.
"""

import json

from botocore.exceptions import ClientError
from django.core.files.storage import storages

# storage alias → what it holds, for the command's report
BUCKETS = {
    "default": "public media",
    "private": "private files",
    "erasure_log": "erasure log",
    "backups": "backups",
}


class BucketError(Exception):
    """A bucket could not be made ready; the message says why and what to do."""


def public_read_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadMedia",
                    "Effect": "Allow",
                    "Principal": {"AWS": ["*"]},
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{bucket}/*"],
                }
            ],
        }
    )


def buckets_setup() -> list[str]:
    """Create the missing buckets and set the media bucket's policy; returns what was done."""
    buckets = {}  # bucket name → the storage aliases that use it
    for alias in BUCKETS:
        bucket = getattr(storages[alias], "bucket_name", None)
        if bucket:
            buckets.setdefault(bucket, []).append(alias)
    if not buckets:
        return ["Files are kept in local folders: no bucket to set up."]
    media = getattr(storages["default"], "bucket_name", None)
    if media and buckets[media] != ["default"]:
        others = ", ".join(BUCKETS[alias] for alias in buckets[media] if alias != "default")
        raise BucketError(
            f"The media bucket {media} also holds the {others}: a public policy on it would expose them. "
            "Give them buckets of their own (docs/operations.md, 'Media and private buckets')."
        )
    # Every bucket is reached through the media's S3 connection (training/settings/base.py).
    first_alias = next(iter(buckets.values()))[0]
    client = storages[first_alias].connection.meta.client
    done = []
    for bucket, aliases in buckets.items():
        what = " and ".join(BUCKETS[alias] for alias in aliases)
        if bucket_exists(client, bucket):
            done.append(f"{bucket} ({what}): there already")
        else:
            client.create_bucket(Bucket=bucket, **location_constraint(client))
            done.append(f"{bucket} ({what}): created")
    if media:
        try:
            client.put_bucket_policy(Bucket=media, Policy=public_read_policy(media))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NotImplemented":
                raise
            # Stand-in servers without policies (s3rver) let anyone read every bucket.
            done.append(f"{media}: this store has no bucket policies; it must let anyone read it")
        else:
            done.append(f"{media}: anyone may read its objects (GET), nobody may list or write them")
    return done


def bucket_exists(client, bucket: str) -> bool:
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket"):
            return False
        raise BucketError(f"The bucket {bucket} cannot be reached: {error}") from error
    return True


def location_constraint(client) -> dict:
    region = client.meta.region_name
    if region and region != "us-east-1":  # S3's default region takes no constraint
        return {"CreateBucketConfiguration": {"LocationConstraint": region}}
    return {}
