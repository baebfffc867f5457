"""Demo product catalogue and deal lines: ten products and lines on some open deals (their
amounts then follow the lines, as deals.services do), and draft proposals issued through
deals.services on some of those deals (each seller's first one among them). Deterministic
through ``rng``."""

from __future__ import annotations

import random
from decimal import Decimal

from deals.models import ApprovalStatus, Deal, DealLine, Product, StageKind
from deals.pricing import line_totals

# code, name, unit, list price, tax rate %, max discount %
CATALOGUE = [
    ("CRM-STD", "CRM licence, standard (per seat, year)", "seat", "480.00", "20", "10"),
    ("CRM-PRO", "CRM licence, professional (per seat, year)", "seat", "900.00", "20", "10"),
    ("CRM-ENT", "CRM licence, enterprise (per seat, year)", "seat", "1500.00", "20", "15"),
    ("IMPL-D", "Implementation, consultant day", "day", "650.00", "20", "5"),
    ("TRAIN-G", "User training, group session", "session", "1200.00", "20", "10"),
    ("INT-1C", "Integration with 1C", "pcs", "3500.00", "20", "5"),
    ("INT-API", "API integration package", "pcs", "2800.00", "20", "5"),
    ("SUP-PRM", "Premium support (year)", "year", "4000.00", "20", "10"),
    ("MIG-DATA", "Data migration", "pcs", "1800.00", "20", "10"),
    ("HW-TAB", "Field sales tablet", "pcs", "420.00", "20", "3"),
]


def unsaved_products(rows) -> list[Product]:
    """Unsaved products of catalogue rows (code, name, unit, price, tax %, discount limit %)."""
    return [
        Product(
            code=code,
            name=name,
            unit=unit,
            list_price=Decimal(price),
            tax_rate=Decimal(tax),
            max_discount_percent=Decimal(limit),
        )
        for code, name, unit, price, tax, limit in rows
    ]


def seed(*, rng: random.Random) -> list[Product]:
    codes = [row[0] for row in CATALOGUE]
    present = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
    # Seeding again (the deals seed run twice) keeps the catalogue it made the first time.
    Product.objects.bulk_create(unsaved_products(row for row in CATALOGUE if row[0] not in present))
    products = list(Product.objects.filter(code__in=codes).order_by("pk"))
    deals = list(Deal.objects.filter(stage__kind=StageKind.OPEN).order_by("pk"))
    chosen = [deal for deal in deals if rng.random() < 0.3]
    lines: list[DealLine] = []
    amounts: dict[int, Decimal] = {}
    for deal in chosen:
        for position, product in enumerate(rng.sample(products, rng.randint(1, 4)), start=1):
            quantity = Decimal(rng.choice([1, 2, 3, 5, 10, 20]))
            discount = Decimal(rng.choice([0, 0, 0, 5, 10])).min(product.max_discount_percent)
            totals = line_totals(
                quantity=quantity,
                unit_price=product.list_price,
                discount_percent=discount,
                tax_rate=product.tax_rate,
            )
            lines.append(
                DealLine(
                    deal=deal,
                    product=product,
                    name=product.name,
                    unit=product.unit,
                    position=position,
                    quantity=quantity,
                    unit_price=product.list_price,
                    discount_percent=discount,
                    tax_rate=product.tax_rate,
                    net=totals.net,
                    tax=totals.tax,
                    gross=totals.gross,
                    approval=ApprovalStatus.NOT_NEEDED,
                )
            )
            amounts[deal.pk] = amounts.get(deal.pk, Decimal("0")) + totals.net
    DealLine.objects.bulk_create(lines)
    for deal in chosen:
        deal.amount = amounts[deal.pk]
    Deal.objects.bulk_update(chosen, ["amount"], batch_size=500)
    _quotes(chosen, rng=rng)
    return products


def _quotes(deals: list[Deal], *, rng: random.Random) -> None:
    """A draft proposal, to the client's first contact, on each seller's first deal with lines
    and on a third of the others (the benchmark measures a rep's deal with lines and a
    proposal, and that proposal's page, at both sizes)."""
    from clients.models import Contact
    from deals.services import quote_create

    owners: set[int] = set()
    chosen = Deal.objects.filter(pk__in=[deal.pk for deal in deals]).select_related("owner", "client")
    for deal in chosen.order_by("pk"):
        first_of_owner = deal.owner_id not in owners
        owners.add(deal.owner_id)
        if not first_of_owner and rng.random() >= 1 / 3:
            continue
        contact = Contact.objects.filter(client_id=deal.client_id).order_by("pk").first()
        quote_create(by=deal.owner, deal=deal, contact=contact, language=rng.choice(["en", "en", "ru"]))
