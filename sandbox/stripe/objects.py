"""The Stripe objects writes create, with every key of Stripe's own examples (fixtures3.json)."""

from __future__ import annotations

from ledgerdesk.money import exponent, to_major

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$"}

# The tax id types the sandbox accepts, with the country Stripe derives from each.
TAX_ID_COUNTRIES: dict[str, str | None] = {
    "eu_vat": None,  # the country is the value's first two letters
    "gb_vat": "GB",
    "us_ein": "US",
    "ca_bn": "CA",
    "au_abn": "AU",
    "ch_vat": "CH",
    "no_vat": "NO",
    "jp_cn": "JP",
    "in_gst": "IN",
    "kw_vat": "KW",
}


def money(amount_minor: int, currency: str) -> str:
    """As Stripe writes amounts in messages: `$20.00`, `€7.00`, `¥500`, `1.500 KWD`."""
    major = f"{to_major(amount_minor, currency):,.{exponent(currency)}f}"
    symbol = _SYMBOLS.get(currency.lower())
    return f"{symbol}{major}" if symbol else f"{major} {currency.upper()}"


def balance_transaction(
    txn_id: str, created: int, amount: int, currency: str, source: str, kind: str
) -> dict:
    return {
        "id": txn_id,
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created,
        "balance_type": "payments",
        "created": created,
        "currency": currency,
        "description": "REFUND FOR CHARGE" if kind == "refund" else None,
        "exchange_rate": None,
        "fee": 0,
        "fee_details": [],
        "net": amount,
        "reporting_category": kind,
        "source": source,
        "status": "available",
        "type": kind,
    }


def refund(
    refund_id: str,
    created: int,
    amount: int,
    charge: dict,
    txn_id: str,
    reason: str | None,
    params: dict,
) -> dict:
    metadata = params.get("metadata")
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": txn_id,
        "charge": charge["id"],
        "created": created,
        "currency": charge["currency"],
        "destination_details": {"card": {"type": "refund"}, "type": "card"},
        "metadata": metadata if isinstance(metadata, dict) else {},
        "payment_intent": charge.get("payment_intent"),
        "payment_method": charge.get("payment_method"),
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


def tax_id(tax_id_id: str, created: int, customer: str, tax_type: str, value: str) -> dict:
    country = TAX_ID_COUNTRIES.get(tax_type) or value[:2].upper().replace("EL", "GR")
    return {
        "id": tax_id_id,
        "object": "tax_id",
        "country": country,
        "created": created,
        "customer": customer,
        "customer_account": None,
        "livemode": False,
        "owner": {"customer": customer, "type": "customer", "customer_account": None},
        "type": tax_type,
        "value": value,
        "verification": {"status": "pending", "verified_address": None, "verified_name": None},
    }
