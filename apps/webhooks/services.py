"""Subscriptions and their delivery: the one place that writes them, and the worker's steps.

Delivery reads the changes feed from each subscription's cursor. A worker claims
a due subscription (``claim``: a short transaction, ``SKIP LOCKED`` on PostgreSQL,
setting a lease), posts its next matching changes one at a time, in feed order
(``deliver_batch``), moving the cursor after each 2xx, and lets go. The cursor moves
only after the receiver answered, so a worker killed at any point leaves the change
it was posting to be posted again, with the same ``webhook-id``, once its lease runs
out: duplicates are possible, losses and skips are not.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Q, Subquery
from django.http import QueryDict
from django.utils import timezone

from apps.core.api.serializers import ChangeSerializer
from apps.core.choices import ChangeKind, ChangeReason
from apps.core.models import Change
from apps.core.record.versions import history_model, model_for_resource, snapshot, version_data, version_pairs
from apps.webhooks.choices import DeliveryOutcome, SubscriptionState
from apps.webhooks.models import Delivery, Subscription

SECRET_PREFIX = "whsec_"
# Filters that say nothing about a single fact: a subscription refuses them rather than ignore them.
NOT_FILTERS = frozenset({"ordering", "page_size", "cursor", "as_of"})
USER_AGENT = "Factsapi-Webhooks/1"


# -- subscriptions --------------------------------------------------------------------------------


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def filterset_for(resource: str):
    """The resource's own list FilterSet (the one its API list applies), from the API's router."""
    from factsapi.api_urls import v1  # the project's map of resources to views; read lazily (it imports apps)

    for prefix, viewset, _ in v1.registry:
        if prefix == resource:
            return getattr(viewset, "filterset_class", None)
    return None


def filter_data(filters: dict) -> QueryDict:
    """Stored filters ({'speaker': ['putin']}) as the query string a list would have been given."""
    data = QueryDict(mutable=True)
    for name, values in filters.items():
        data.setlist(name, [str(v) for v in (values if isinstance(values, list) else [values])])
    return data


def resources() -> list[str]:
    from apps.core.record.versions import versioned_models

    return sorted(m.api_resource for m in versioned_models())


def validate_url(url: str) -> None:
    """https, and not an address inside this network, unless local targets are allowed (DEBUG, tests).

    Only literal addresses and ``localhost`` are refused here; a name is resolved, and each of its
    addresses checked, at every delivery (``resolve``), since what it resolves to can change.
    """
    parts = urlsplit(url)
    if settings.WEBHOOK_ALLOW_LOCAL_TARGETS:
        if parts.scheme not in ("http", "https"):
            raise ValidationError({"url": "Use an http or https URL."})
        return
    if parts.scheme != "https":
        raise ValidationError({"url": "Use an https URL: deliveries carry signed data."})
    host = (parts.hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise ValidationError({"url": "A webhook cannot target this server's own network."})
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    if not public_address(address):
        raise ValidationError({"url": "A webhook cannot target a private, loopback or link-local address."})


def validate_selection(*, resources_wanted: list, changes: list, filters: dict, reasons: list | None = None) -> None:
    """Known resources, change kinds and reasons; filters only for one resource, each valid for its list."""

    errors: dict[str, str] = {}
    known = resources()
    if unknown := [r for r in resources_wanted if r not in known]:
        errors["resources"] = f"Unknown resource(s): {', '.join(map(str, unknown))}. Use {', '.join(known)}."
    if unknown := [c for c in changes if c not in ChangeKind.values]:
        errors["changes"] = f"Unknown change kind(s): {', '.join(map(str, unknown))}."
    if unknown := [r for r in reasons or [] if r not in ChangeReason.values]:
        errors["reasons"] = f"Unknown reason(s): {', '.join(map(str, unknown))}."
    if filters and not errors:
        if len(resources_wanted) != 1:
            errors["filters"] = "Filters are those of one list: name exactly one resource with them."
        elif (filterset_class := filterset_for(resources_wanted[0])) is None:
            errors["filters"] = f"{resources_wanted[0]} has no filters."
        else:
            names = set(filterset_class.base_filters) - NOT_FILTERS
            if unknown := sorted(set(filters) - names):
                errors["filters"] = (
                    f"Not a filter of {resources_wanted[0]}: {', '.join(unknown)}. Use {', '.join(sorted(names))}."
                )
            else:
                model = model_for_resource(resources_wanted[0])
                filterset = filterset_class(filter_data(filters), queryset=model.objects.none())
                if not filterset.is_valid():
                    errors["filters"] = "; ".join(
                        f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in filterset.errors.items()
                    )
    if errors:
        raise ValidationError(errors)


SUBSCRIPTION_FIELDS = ("url", "description", "resources", "changes", "reasons", "filters")


def subscription_create(*, owner, data: dict, subscription: Subscription | None = None) -> Subscription:
    """A subscription to the changes from now on (its cursor at the feed's last entry), with a new secret.

    ``subscription``: an unsaved one to fill and save (the admin's form instance)."""
    subscription = subscription or Subscription()
    subscription.owner, subscription.secret = owner, new_secret()
    return _save(subscription, data, adding=True)


def subscription_update(subscription: Subscription, *, data: dict) -> Subscription:
    """Change what a subscription wants; ``state: active`` resumes a paused one at the change it stopped at."""
    return _save(subscription, data, adding=False)


def _save(subscription: Subscription, data: dict, *, adding: bool) -> Subscription:
    for name in SUBSCRIPTION_FIELDS:
        if name in data:
            setattr(subscription, name, data[name])
    validate_url(subscription.url)
    validate_selection(
        resources_wanted=subscription.resources,
        changes=subscription.changes,
        reasons=subscription.reasons,
        filters=subscription.filters,
    )
    resume = data.get("state") == SubscriptionState.ACTIVE and subscription.state == SubscriptionState.PAUSED
    if data.get("state") == SubscriptionState.PAUSED and subscription.state == SubscriptionState.ACTIVE:
        subscription.state, subscription.paused_reason = SubscriptionState.PAUSED, "Paused by its owner."
    if resume:
        subscription.state, subscription.paused_reason = SubscriptionState.ACTIVE, ""
        subscription.failures, subscription.next_attempt_at = 0, None
    subscription.full_clean(exclude=["owner", "secret"])
    with transaction.atomic():
        if adding:
            subscription.cursor = Change.objects.aggregate(last=Max("id"))["last"] or 0
            subscription.save(force_insert=True)
        else:
            # Not the worker's columns (cursor, failures, lease): a worker may be delivering right now.
            fields = [*SUBSCRIPTION_FIELDS, "state", "paused_reason", "updated_at"]
            if resume:
                fields += ["failures", "next_attempt_at"]
            subscription.save(update_fields=fields)
    return subscription


def rotate_secret(subscription: Subscription) -> Subscription:
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription


# -- which changes a subscription wants -----------------------------------------------------------


def candidates(subscription: Subscription, *, after: int, upto: int) -> models.QuerySet:
    """Feed entries after the cursor, up to ``upto``, of the wanted resources, kinds and reasons, in order."""
    queryset = Change.objects.filter(id__gt=after, id__lte=upto)
    if subscription.resources:
        queryset = queryset.filter(resource__in=subscription.resources)
    if subscription.changes:
        queryset = queryset.filter(change__in=subscription.changes)
    if subscription.reasons:
        queryset = queryset.filter(reason__in=subscription.reasons)
    return queryset.order_by("id")


def matches(subscription: Subscription, before, row) -> bool:
    """Whether the fact at this version (``row``), or at the one before (``before``: a fact leaving the
    filter), is one the subscription's filters select.

    The resource's own FilterSet is applied to a queryset of version rows narrowed to that one row: the
    lists' filters work on version tables unchanged (``as_of``), so a filter here means what it means
    on the list, with no second implementation of it.
    """
    if not subscription.filters:
        return True
    if row is None:
        return False
    filterset_class = filterset_for(subscription.resources[0])
    data = filter_data(subscription.filters)
    for version in (row, before):
        if version is None:
            continue
        one = type(version).objects.filter(pk=version.pk)
        filterset = filterset_class(data, queryset=one)
        if not filterset.is_valid():  # valid when made: a slug it names was deleted or renamed since
            raise InvalidFilters(
                "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in filterset.errors.items())
            )
        if filterset.qs.exists():
            return True
    return False


class InvalidFilters(Exception):
    """A subscription's filters no longer hold: it is paused rather than left to match nothing."""


# -- what is posted --------------------------------------------------------------------------------


class PublicRequest:
    """What ``ChangeSerializer`` needs of a request to build links: the server's public address."""

    def build_absolute_uri(self, path: str) -> str:
        return settings.API_PUBLIC_URL.rstrip("/") + path


def payload(change: Change, before, row) -> dict:
    """The Standard Webhooks body: ``type``, ``timestamp`` and ``data``: the feed entry (with its patch)
    and the item as it is now, or as its last version had it once deleted."""
    serializer = ChangeSerializer(change, context={"request": PublicRequest()})
    serializer.pairs = {change.pk: (before, row)}
    entry = serializer.data
    item = None
    if row is not None:
        model = type(row).instance_type
        live = model._base_manager.filter(pk=row.id).first()
        if live is not None:
            item = snapshot(live)
        else:
            last = history_model(model).objects.filter(id=row.id).order_by("-version").first()
            item = version_data(last)
    return {
        "type": f"{change.resource}.{change.change}",
        "timestamp": change.recorded_at.isoformat().replace("+00:00", "Z"),
        "data": {"change": entry, "item": item},
    }


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``.

    Written out rather than taken from the ``standardwebhooks`` package: it is these few lines of the
    specification, and the tests verify deliveries with that package as an independent reference.
    """
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# -- posting ---------------------------------------------------------------------------------------


class Refused(Exception):
    """The target may not be posted to (SSRF guard) or cannot be resolved."""


def public_address(address) -> bool:
    """An address on the public internet: not private, loopback, link-local, multicast or reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> str:
    """One address of ``host`` to connect to, every one of its addresses checked first.

    The request then goes to this address (not to the name again), so a name that resolves
    differently a moment later (DNS rebinding) cannot slip a private address past the check.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"Cannot resolve {host}: {exc}") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    blocked = [str(a) for a in addresses if not public_address(a)]
    if blocked and not settings.WEBHOOK_ALLOW_LOCAL_TARGETS:
        raise Refused(f"{host} resolves to a private, loopback or link-local address ({blocked[0]}).")
    return str(addresses[0])


@dataclass
class Attempt:
    ok: bool
    status_code: int | None
    error: str
    latency_ms: int


def post(client: httpx.Client, subscription: Subscription, change: Change, body: bytes) -> Attempt:
    """Post ``body`` to the subscription's URL, signed; 2xx is success, anything else a failure.

    Bounded in time: connect, each read and the whole answer (``WEBHOOK_TIMEOUT_SECONDS``), so a
    receiver that hangs or trickles holds its own subscription only. Redirects are not followed (a
    redirect could lead past the address check).
    """
    started = time.monotonic()
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    msg_id = str(change.pk)
    timestamp = int(time.time())
    parts = urlsplit(subscription.url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(subscription.secret, msg_id, timestamp, body),
        "host": parts.netloc.rpartition("@")[2],
    }

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        address = resolve(host, port)
        netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        # TLS is checked against the URL's host name, not the address connected to.
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        request = client.build_request("POST", url, content=body, headers=headers, extensions=extensions)
        response = client.send(request, stream=True)
        try:
            # Read at most a little of the answer, and not past the deadline: only its status matters.
            read = 0
            for chunk in response.iter_raw():
                read += len(chunk)
                if read > 4096 or time.monotonic() - started > timeout:
                    break
        finally:
            response.close()
    except Refused as exc:
        return Attempt(False, None, str(exc), elapsed())
    except httpx.HTTPError as exc:
        return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__, elapsed())
    ok = 200 <= response.status_code < 300
    return Attempt(ok, response.status_code, "" if ok else f"HTTP {response.status_code}", elapsed())


def http_client() -> httpx.Client:
    """One per worker thread (keeps connections to receivers open between posts)."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5)),
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment: the address check is about where we connect
    )


# -- the worker's steps ----------------------------------------------------------------------------


def lease_seconds() -> float:
    # Longer than one post can take, renewed after each: a live worker never loses its lease.
    return settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 1


def latest_change_id() -> int:
    return Change.objects.aggregate(last=Max("id"))["last"] or 0


def claim(token: str) -> Subscription | None:
    """Take one active, due subscription that is behind the feed and not held by a live worker.

    Several workers claim at once without waiting on each other: on PostgreSQL ``SKIP LOCKED`` passes
    over a row another worker is claiming; SQLite's writers take turns. The lease, not the row lock,
    then keeps the subscription this worker's for the batch, so no transaction stays open while posting.
    """
    now = timezone.now()
    last_change = Change.objects.order_by("-id").values("id")[:1]
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(state=SubscriptionState.ACTIVE, cursor__lt=Subquery(last_change))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
            .first()
        )
        if subscription is None:
            return None
        subscription.lease_until = now + timedelta(seconds=lease_seconds())
        subscription.lease_token = token
        subscription.save(update_fields=["lease_until", "lease_token"])
    return subscription


def _held(subscription: Subscription, token: str) -> models.QuerySet:
    return Subscription.objects.filter(pk=subscription.pk, lease_token=token)


def deliver_batch(subscription: Subscription, token: str, client: httpx.Client) -> int:
    """Post the subscription's next matching changes in order, at most ``WEBHOOK_BATCH`` of them;
    stop at the first failure (retried later from the same change). Returns how many were delivered."""
    try:
        return _deliver(subscription, token, client)
    finally:
        trim_log(subscription)


def _deliver(subscription: Subscription, token: str, client: httpx.Client) -> int:
    upto = latest_change_id()
    limit = settings.WEBHOOK_BATCH
    changes = list(candidates(subscription, after=subscription.cursor, upto=upto)[:limit])
    pairs = version_pairs(changes)
    delivered = 0
    cursor = subscription.cursor
    for change in changes:
        before, row = pairs.get(change.pk, (None, None))
        try:
            wanted = matches(subscription, before, row)
        except InvalidFilters as exc:
            _held(subscription, token).update(
                cursor=cursor,
                state=SubscriptionState.PAUSED,
                paused_reason=f"Its filters no longer hold ({exc}); change them to resume."[:500],
                lease_until=None,
                lease_token="",
            )
            return delivered
        if not wanted:
            cursor = change.pk  # passed over: moved with the next write
            continue
        body = json.dumps(payload(change, before, row), separators=(",", ":")).encode()
        attempt = post(client, subscription, change, body)
        now = timezone.now()
        with transaction.atomic():  # the log entry and the cursor in one commit
            Delivery.objects.create(
                subscription=subscription,
                change_id=change.pk,
                attempt=subscription.failures + 1,
                outcome=DeliveryOutcome.DELIVERED if attempt.ok else DeliveryOutcome.FAILED,
                status_code=attempt.status_code,
                latency_ms=attempt.latency_ms,
                error=attempt.error,
                attempted_at=now,
            )
            if not attempt.ok:
                _failed(subscription, token, change, attempt, cursor)
                return delivered
            moved = _held(subscription, token).update(
                cursor=change.pk,
                failures=0,
                last_delivered_at=now,
                lease_until=now + timedelta(seconds=lease_seconds()),
            )
        cursor = change.pk
        delivered += 1
        subscription.failures = 0
        if not moved:  # the lease ran out and another worker took over: it goes on from the cursor
            return delivered
    if len(changes) < limit:
        cursor = upto  # every entry up to ``upto`` was read: none matching is left before it
    _held(subscription, token).update(cursor=cursor, lease_until=None, lease_token="", next_attempt_at=timezone.now())
    return delivered


def _failed(subscription: Subscription, token: str, change: Change, attempt: Attempt, cursor: int) -> None:
    """Back off exponentially; after ``WEBHOOK_MAX_FAILURES`` consecutive failures, pause, saying why."""
    failures = subscription.failures + 1
    now = timezone.now()
    update: dict = {"cursor": cursor, "failures": failures, "lease_until": None, "lease_token": ""}
    if failures >= settings.WEBHOOK_MAX_FAILURES:
        update["state"] = SubscriptionState.PAUSED
        update["paused_reason"] = (
            f"Paused after {failures} consecutive failed attempts to deliver change {change.pk}; "
            f"the last at {now.isoformat(timespec='seconds')}: {attempt.error}"
        )[:500]
    else:
        delay = min(settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (failures - 1), settings.WEBHOOK_BACKOFF_MAX_SECONDS)
        update["next_attempt_at"] = now + timedelta(seconds=delay)
    _held(subscription, token).update(**update)


def trim_log(subscription: Subscription) -> None:
    """Keep the subscription's latest ``WEBHOOK_LOG_SIZE`` deliveries."""
    keep = settings.WEBHOOK_LOG_SIZE
    log = Delivery.objects.filter(subscription=subscription)
    oldest_kept = log.order_by("-id").values("id")[keep - 1 : keep]
    # One DELETE (Django's fast path: nothing refers to a delivery); the subquery is empty, and nothing is
    # deleted, while the log is shorter than ``keep``.
    log.filter(id__lt=Subquery(oldest_kept)).delete()


def backlog() -> dict:
    """For ``/health/ready``: active subscriptions behind the feed, and by how many entries at most."""
    upto = latest_change_id()
    behind = Subscription.objects.filter(state=SubscriptionState.ACTIVE, cursor__lt=upto)
    lowest = behind.aggregate(lowest=models.Min("cursor"))["lowest"]
    return {
        "subscriptions_behind": behind.count(),
        "most_entries_behind": upto - lowest if lowest is not None else 0,
        "paused": Subscription.objects.filter(state=SubscriptionState.PAUSED).count(),
    }
