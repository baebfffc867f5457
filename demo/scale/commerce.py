"""The department-scale commerce: the product catalogue, deal lines, proposals (quotes) with
their lines and numbers, contracts and client requests.

Written as the services would have written them (deals.services.lines and .quotes,
documents.services): a line's net / tax / gross come from deals.pricing and a deal with
lines has its lines' net total as its amount; a quote copies its deal's lines and totals,
is numbered ``Q-<year>-<NNNN>`` in the order quotes were issued in the year (the year's
QuoteCounter holds the last number) and a sent one whose validity passed is expired (as the
nightly run leaves it); a contract is numbered ``C-<year>-<NNNN>`` by its date, and a won
deal's is approved by the owner's lead; a client request is due ``response_time(kind)``
after it was logged. No discount awaits approval (the demo has none either: the home's
approvals panel reads the same rows at both sizes).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from demo.deals.catalogue import CATALOGUE, unsaved_products
from demo.scale.common import Clients, say, timestamp
from demo.scale.writer import TableWriter, next_id, reset_sequences

# code, name, unit, list price, tax rate %, max discount % (the small demo's ten, then these)
LARGE_CATALOGUE = [
    *CATALOGUE,
    ("CRM-ENT-50", "CRM enterprise, 50-seat pack (year)", "pack", "67500.00", "20", "15"),
    ("CRM-ENT-200", "CRM enterprise, 200-seat pack (year)", "pack", "240000.00", "20", "15"),
    ("IMPL-S", "Implementation package S", "pcs", "8000.00", "20", "5"),
    ("IMPL-M", "Implementation package M", "pcs", "25000.00", "20", "5"),
    ("IMPL-L", "Implementation package L", "pcs", "60000.00", "20", "5"),
    ("SUP-STD", "Standard support (year)", "year", "1500.00", "20", "10"),
    ("SUP-ENT", "Enterprise support (year)", "year", "12000.00", "20", "10"),
    ("SUP-247", "Support 24/7 with a dedicated engineer (year)", "year", "30000.00", "20", "5"),
    ("TRAIN-A", "Administrator training course", "seat", "950.00", "20", "10"),
    ("TRAIN-ONS", "On-site training week", "week", "7500.00", "20", "10"),
    ("HW-SCN", "Barcode scanner", "pcs", "310.00", "20", "3"),
    ("HW-PRN", "Label printer", "pcs", "640.00", "20", "3"),
    ("HW-SRV", "On-premise server", "pcs", "9800.00", "20", "3"),
    ("CLOUD-STO", "Cloud storage, 1 TB (year)", "TB", "220.00", "20", "10"),
    ("CLOUD-BKP", "Cloud backup (year)", "year", "1900.00", "20", "10"),
    ("CONS-H", "Consulting, hour", "hour", "95.00", "20", "10"),
    ("AUDIT", "Sales process audit", "pcs", "5200.00", "20", "5"),
]
for _module, _code, _base in (
    ("Analytics", "ANL", 2400),
    ("Telephony", "TEL", 1800),
    ("Marketing", "MKT", 3100),
    ("Service desk", "SRV", 2700),
    ("Warehouse", "WHS", 4200),
    ("Field service", "FLD", 3600),
):
    for _tier, _factor in (("S", 1), ("M", 3), ("L", 9)):
        LARGE_CATALOGUE.append(
            (
                f"{_code}-{_tier}",
                f"{_module} module, tier {_tier} (year)",
                "year",
                f"{_base * _factor}.00",
                "20",
                "10",
            )
        )

QUANTITIES = [1, 1, 2, 3, 5, 10, 20, 50]
LANGUAGES = ["en"] * 7 + ["ru"] * 2 + ["zh-hans"]
PAYMENT_TERMS = ["", "100% prepayment.", "50% on signing, 50% on delivery.", "Net 30 days after delivery."]
DELIVERY_TERMS = ["", "Within 10 working days of payment.", "Licences delivered electronically."]
CLAUSES = [
    "",
    "Payment in two parts: 50% on signing, 50% on delivery.",
    "Penalty for late delivery: 0.1% of the amount a day, at most 10%.",
    "Warranty extended to 24 months.",
]
REQUEST_TEXTS = {
    "question": "Asked how to add users to their licence.",
    "complaint": "The last delivery arrived three days late.",
    "service": "Needs the quarterly maintenance visit scheduled.",
    "return": "One unit failed in the first week; asks for a replacement.",
}
REQUEST_KINDS = ["question"] * 4 + ["complaint"] * 2 + ["service"] * 3 + ["return"]
REQUEST_PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]
WITH_LINES = 0.55  # of the deals that reached the proposal stage: about a third of all deals
WITH_QUOTE = 0.6  # of the deals with lines
WON_WITH_CONTRACT = 0.35
CONTRACT_STAGE_WITH_CONTRACT = 0.7
CLIENTS_WITH_REQUESTS = 0.15


def seed_large_catalogue() -> list:
    """The catalogue (the small demo's ten products and 35 more), cheapest first."""
    from deals.models import Product

    Product.objects.bulk_create(unsaved_products(LARGE_CATALOGUE))
    return list(Product.objects.order_by("list_price", "pk"))


@dataclass
class Quoted:
    """What the quotes need of a deal with lines."""

    deal_id: int
    client_index: int
    owner: int
    start: datetime.datetime  # when it reached the proposal stage
    end: datetime.datetime  # when it closed, or now
    final: str  # the final (or current) stage's name
    lines: list[tuple]  # (code, name, unit, quantity, unit price, discount, tax rate, net, tax, gross)


@dataclass
class ContractCandidate:
    deal_id: int
    owner: int
    amount: Decimal
    day: datetime.date  # the contract's date
    closed_at: datetime.date | None
    service_start: datetime.date | None
    service_end: datetime.date | None


@dataclass
class Commerce:
    """The deal maker's share of the commerce: the lines it wrote (their deals' amounts follow
    them) and the deals the proposals and contracts are made for."""

    products: list
    lead_of_owner: dict[int, int]
    quoted: list[Quoted] = field(default_factory=list)
    contracts: list[ContractCandidate] = field(default_factory=list)

    def lines(
        self,
        rng: random.Random,
        rows: list[tuple],
        *,
        deal_id: int,
        owner: int,
        amount: Decimal,
        created: datetime.datetime,
    ) -> tuple[Decimal, list[tuple]]:
        """One to four product lines near ``amount`` (each line's share of it in at most 50
        units of a product that fits); the answer is the lines' net total, the deal's amount."""
        from deals.pricing import line_totals

        count = rng.randint(1, 4)
        share = amount / count
        fitting = [p for p in self.products if p.list_price <= share <= p.list_price * 50]
        if len(fitting) < count:
            fitting = [p for p in self.products if p.list_price <= share] or self.products[:count]
        chosen = rng.sample(fitting[-12:], min(count, len(fitting[-12:])))
        net_total = Decimal("0")
        copied = []
        for position, product in enumerate(chosen, start=1):
            quantity = Decimal(max(1, min(50, int(share / product.list_price))))
            if rng.random() < 0.3:
                quantity = Decimal(rng.choice(QUANTITIES))
            approval, approved_by, approved_at = "not_needed", None, None
            discount = Decimal(rng.choice([0, 0, 0, 5, 10])).min(product.max_discount_percent)
            if rng.random() < 0.05:  # above the limit, approved by the owner's lead when written
                discount = product.max_discount_percent + 5
                approval, approved_by, approved_at = "approved", self.lead_of_owner[owner], created
            totals = line_totals(
                quantity=quantity,
                unit_price=product.list_price,
                discount_percent=discount,
                tax_rate=product.tax_rate,
            )
            # what a proposal copies of the line (its QuoteLine columns)
            line = (
                product.name,
                product.unit,
                quantity,
                product.list_price,
                discount,
                product.tax_rate,
                totals.net,
                totals.tax,
                totals.gross,
            )
            name_unit, figures = line[:2], line[2:]
            rows.append(
                (
                    deal_id,
                    product.pk,
                    *name_unit,
                    position,
                    *figures,
                    approval,
                    approved_by,
                    approved_at,
                    created,
                )
            )
            copied.append((product.code, *line))
            net_total += totals.net
        return net_total, copied


# A line's quantity, price, discount, tax and totals, as a deal line and its copy on a
# proposal both hold them (in this order in the rows below).
PRICED_COLUMNS = [
    "quantity",
    "unit_price",
    "discount_percent",
    "tax_rate",
    "net",
    "tax",
    "gross",
]

LINE_COLUMNS = [
    "deal",
    "product",
    "name",
    "unit",
    "position",
    *PRICED_COLUMNS,
    "approval",
    "approved_by",
    "approved_at",
    "created_at",
]


def _between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    if end <= start:
        return start
    return start + datetime.timedelta(seconds=rng.randrange(int((end - start).total_seconds()) + 1))


def seed_large_quotes(
    *,
    rng: random.Random,
    commerce: Commerce,
    clients: Clients,
    now: datetime.datetime,
    today: datetime.date,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Proposals on a share of the deals with lines: one to three versions each, the earlier
    ones rejected (or left drafts), the last as the deal ended (won: accepted; lost: rejected
    or expired; open: a draft, sent, expired, or accepted at the contract stage)."""
    from clients.models import Client, Contact
    from deals.models import Quote, QuoteCounter, QuoteLine

    names = dict(Client.objects.filter(pk__gte=clients.start).values_list("pk", "name"))
    contacts: dict[int, tuple[int, str, str]] = {}
    for client_id, pk, name, email in Contact.objects.order_by("pk").values_list(
        "client_id", "pk", "name", "email"
    ):
        contacts.setdefault(client_id, (pk, name, email))
    valid_days = datetime.timedelta(days=settings.QUOTE_VALID_DAYS)
    quotes: list[list] = []  # made in deal order, numbered below in the order they were issued
    for deal in commerce.quoted:
        if rng.random() >= WITH_QUOTE:
            continue
        client_id = clients.start + deal.client_index
        contact = contacts.get(client_id)
        versions = rng.choice([1, 1, 1, 1, 2, 2, 3])
        first = deal.start + datetime.timedelta(hours=rng.randrange(2, 72))
        if first >= deal.end:
            first, versions = deal.start, 1
        moments = sorted(_between(rng, first, deal.end) for _ in range(versions - 1))
        moments = [first, *moments]
        for version, created in enumerate(moments, start=1):
            valid_until = created.date() + valid_days
            latest = version == versions
            sent_at = decided_at = None
            following = moments[version] if not latest else deal.end
            if not latest:
                status = "rejected" if rng.random() < 0.8 else "draft"
            elif deal.final == "Won":
                status = "accepted"
            elif deal.final == "Lost":
                status = "rejected" if rng.random() < 0.7 else "sent"
            elif deal.final == "Contract" and rng.random() < 0.6:
                status = "accepted"
            else:
                status = "draft" if rng.random() < 0.35 else "sent"
            if status != "draft":
                sent_at = _between(rng, created, min(following, created + datetime.timedelta(days=2)))
            if status in ("accepted", "rejected"):
                decided_at = _between(rng, sent_at, following)
            if status == "sent" and valid_until < today:  # the nightly run has expired it
                status = "expired"
                expired_on = timestamp(valid_until + datetime.timedelta(days=1), rng).replace(hour=3)
                decided_at = min(now, expired_on)
            language = rng.choice(LANGUAGES)
            quotes.append(
                [
                    created,
                    deal.deal_id,
                    version,
                    names[client_id],
                    contact[0] if contact else None,
                    contact[1] if contact else "",
                    contact[2] if contact else "",
                    language,
                    valid_until,
                    rng.choice(PAYMENT_TERMS),
                    rng.choice(DELIVERY_TERMS),
                    status,
                    sum((line[7] for line in deal.lines), Decimal("0")),
                    sum((line[8] for line in deal.lines), Decimal("0")),
                    sum((line[9] for line in deal.lines), Decimal("0")),
                    deal.owner,
                    sent_at,
                    decided_at,
                    deal.lines,
                ]
            )
    quotes.sort(key=lambda quote: (quote[0], quote[1], quote[2]))
    quote_start = next_id(Quote)
    last_of_year: dict[int, int] = {}
    quote_rows, line_rows = [], []
    for offset, quote in enumerate(quotes):
        created, lines = quote[0], quote[-1]
        year = created.date().year
        last_of_year[year] = last_of_year.get(year, 0) + 1
        quote_id = quote_start + offset
        quote_rows.append((quote_id, f"Q-{year}-{last_of_year[year]:04d}", *quote[1:-1], created))
        for position, line in enumerate(lines, start=1):
            line_rows.append((quote_id, position, *line))
    TableWriter(
        Quote,
        [
            "id",
            "number",
            "deal",
            "version",
            "client_name",
            "contact",
            "contact_name",
            "contact_email",
            "language",
            "valid_until",
            "payment_terms",
            "delivery_terms",
            "status",
            "net",
            "tax",
            "gross",
            "created_by",
            "sent_at",
            "decided_at",
            "created_at",
        ],
        now,
    ).write(quote_rows)
    TableWriter(
        QuoteLine,
        [
            "quote",
            "position",
            "code",
            "name",
            "unit",
            *PRICED_COLUMNS,
        ],
        now,
    ).write(line_rows)
    QuoteCounter.objects.bulk_create(
        QuoteCounter(year=year, last=last) for year, last in last_of_year.items()
    )
    reset_sequences(Quote, QuoteLine, QuoteCounter)
    say(out, started, f"quotes: {len(quote_rows):,} with {len(line_rows):,} lines")


def _morning(day: datetime.date) -> datetime.datetime:
    """09:00 of ``day``: no seeded stage change is earlier in its day (common.timestamp)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def seed_large_contracts(
    *,
    rng: random.Random,
    commerce: Commerce,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Contracts on a share of the won deals (approved by the owner's lead before the deal
    was won) and of the open deals at the contract stage (a draft, submitted, returned for
    changes or approved)."""
    from documents.models import Contract

    contracts = []
    for deal in commerce.contracts:
        won = deal.closed_at is not None
        if rng.random() >= (WON_WITH_CONTRACT if won else CONTRACT_STAGE_WITH_CONTRACT):
            continue
        status = (
            "approved" if won else rng.choice(["draft", "submitted", "submitted", "returned", "approved"])
        )
        # written, submitted and reviewed in that order, none of it after now nor, for a won
        # deal, after the morning it was won (the seed closes deals from 09:00 on)
        latest = now if not won else min(now, _morning(deal.closed_at))
        created = min(latest, timestamp(deal.day, rng))
        version = 2 if status != "draft" and rng.random() < 0.2 else 1
        submitted_at = reviewed_at = reviewed_by = None
        comment = ""
        if status != "draft":
            submitted_at = min(latest, created + datetime.timedelta(hours=rng.randrange(1, 48)))
        if status in ("approved", "returned"):
            reviewed_at = min(latest, submitted_at + datetime.timedelta(hours=rng.randrange(1, 72)))
            reviewed_by = commerce.lead_of_owner[deal.owner]
            comment = "Lower the penalty to 0.1% a day." if status == "returned" else ""
        start = deal.service_start or deal.closed_at
        contracts.append(
            [
                deal.day,
                deal.deal_id,
                start,
                deal.service_end or (start + datetime.timedelta(days=365) if start else None),
                12,
                deal.amount,
                rng.choice(CLAUSES),
                status,
                version,
                comment,
                submitted_at,
                reviewed_by,
                reviewed_at,
                deal.owner,
                created,
            ]
        )
    contracts.sort(key=lambda contract: (contract[0], contract[1]))
    contract_start = next_id(Contract)
    last_of_year: dict[int, int] = {}
    rows = []
    for offset, contract in enumerate(contracts):
        year = contract[0].year
        last_of_year[year] = last_of_year.get(year, 0) + 1
        rows.append((contract_start + offset, f"C-{year}-{last_of_year[year]:04d}", *contract))
    writer = TableWriter(
        Contract,
        [
            "id",
            "number",
            "date",
            "deal",
            "start_date",
            "end_date",
            "term_months",
            "amount",
            "special_clauses",
            "status",
            "version",
            "review_comment",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "created_by",
            "created_at",
        ],
        now,
    )
    writer.write(rows)
    reset_sequences(Contract)
    say(out, started, f"contracts: {writer.count:,}")


def seed_large_requests(
    *,
    rng: random.Random,
    clients: Clients,
    client_deals: dict[int, list[tuple[datetime.date, int]]],
    first_day: datetime.date,
    today: datetime.date,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Requests and complaints on a share of the clients, owned by the client's owner: the
    old ones resolved (most with the client's satisfaction) or rejected, the last fortnight's
    open or in progress (some past their answer time)."""
    from documents.models import ClientRequest
    from documents.services.requests import response_time

    span = (today - first_day).days
    rows = []
    for index, owner in enumerate(clients.owner):
        if rng.random() >= CLIENTS_WITH_REQUESTS:
            continue
        deals = client_deals.get(index, [])
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(REQUEST_KINDS)
            created = min(now, timestamp(first_day + datetime.timedelta(days=rng.randrange(span + 1)), rng))
            about = [deal_id for day, deal_id in deals if day <= created.date()]
            deal = rng.choice(about) if about and rng.random() < 0.4 else None
            due_by = created + response_time(kind)
            resolution, satisfaction, closed_at = "", None, None
            if (today - created.date()).days <= 14:
                status = rng.choice(["open", "open", "in_progress"])
            else:
                status = "resolved" if rng.random() < 0.85 else "rejected"
                closed_at = created + datetime.timedelta(hours=rng.randrange(1, 240))
                if status == "resolved":
                    resolution = "Done."
                    satisfaction = rng.randint(2, 5) if rng.random() < 0.7 else None
                else:
                    resolution = "Not covered by the contract."
            rows.append(
                (
                    kind,
                    clients.start + index,
                    deal,
                    REQUEST_TEXTS[kind],
                    rng.choice(REQUEST_PRIORITIES),
                    owner,
                    status,
                    due_by,
                    resolution,
                    satisfaction,
                    closed_at,
                    owner,
                    created,
                )
            )
    writer = TableWriter(
        ClientRequest,
        [
            "kind",
            "client",
            "deal",
            "description",
            "priority",
            "owner",
            "status",
            "due_by",
            "resolution",
            "satisfaction",
            "closed_at",
            "created_by",
            "created_at",
        ],
        now,
    )
    writer.write(rows)
    reset_sequences(ClientRequest)
    say(out, started, f"client requests: {writer.count:,}")
