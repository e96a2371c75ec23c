{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_stripe__charges'}}}) }}
-- Every gateway amount is a whole number of ISO 4217 minor units of its currency, so that
-- to_iso_minor() converts it exactly (DECISIONLOG.md, 2026-12-01: ISO 4217 minor units).
-- Stripe keeps ISK and UGX two-decimal with the decimals always 00: an ISK amount of 270050
-- is no whole krona, the intermediate contracts and the marts carry NULL for it, and this
-- test lists it (warn: real data can do it; nothing wrong is summed silently).
-- One row per (object, column) that does not convert: every money column the per-gateway
-- intermediate models convert, read from staging in the gateway's own units.
{%- set stripe_money = [
    ('charges', 'stg_stripe__charges', 'charge_id',
        ['amount_minor', 'amount_captured_minor', 'amount_refunded_minor']),
    ('refunds', 'stg_stripe__refunds', 'refund_id', ['amount_minor']),
    ('disputes', 'stg_stripe__disputes', 'dispute_id', ['amount_minor']),
    ('customers', 'stg_stripe__customers', 'customer_id', ['balance_minor']),
    ('subscription_items', 'stg_stripe__subscription_items', 'subscription_item_id',
        ['unit_amount_minor']),
    ('invoices', 'stg_stripe__invoices', 'invoice_id',
        ['subtotal_minor', 'discount_minor', 'legacy_tax_minor', 'total_minor',
         'amount_due_minor', 'amount_paid_minor', 'amount_remaining_minor']),
    ('invoice_lines', 'invoice_lines', 'invoice_line_id',
        ['amount_minor', 'discount_minor', 'tax_minor']),
    ('invoice_taxes', 'invoice_taxes', 'invoice_tax_id', ['taxable_minor', 'tax_minor']),
    ('credit_notes', 'stg_stripe__credit_notes', 'credit_note_id',
        ['subtotal_minor', 'discount_minor', 'tax_minor', 'total_minor', 'pre_payment_minor',
         'post_payment_minor', 'out_of_band_minor']),
    ('credit_note_lines', 'credit_note_lines', 'credit_note_line_id',
        ['amount_minor', 'discount_minor', 'tax_minor', 'unit_amount_minor']),
] %}
with

invoice_lines as (

    select
        account_id,
        invoice_id || ':' || invoice_line_id as invoice_line_id,
        currency,
        amount_minor,
        discount_minor,
        tax_minor
    from {{ ref('stg_stripe__invoice_lines') }}

),

-- Taxes and credit note lines are in their parent's currency.
invoice_taxes as (

    select
        invoice_taxes.account_id,
        invoice_taxes.invoice_tax_id,
        invoices.currency,
        invoice_taxes.taxable_minor,
        invoice_taxes.tax_minor
    from {{ ref('stg_stripe__invoice_taxes') }} as invoice_taxes
    inner join {{ ref('stg_stripe__invoices') }} as invoices
        on
            invoice_taxes.account_id = invoices.account_id
            and invoice_taxes.invoice_id = invoices.invoice_id

),

credit_note_lines as (

    select
        credit_note_lines.account_id,
        credit_note_lines.credit_note_id || ':' || credit_note_lines.credit_note_line_id
            as credit_note_line_id,
        credit_notes.currency,
        credit_note_lines.amount_minor,
        credit_note_lines.discount_minor,
        credit_note_lines.tax_minor,
        credit_note_lines.unit_amount_minor
    from {{ ref('stg_stripe__credit_note_lines') }} as credit_note_lines
    inner join {{ ref('stg_stripe__credit_notes') }} as credit_notes
        on
            credit_note_lines.account_id = credit_notes.account_id
            and credit_note_lines.credit_note_id = credit_notes.credit_note_id

),

gateway_amounts as (
    {%- for entity, relation, id_column, columns in stripe_money %}
        {%- set outer_loop = loop %}
        {%- set source_relation = ref(relation) if relation.startswith('stg_') else relation %}
        {%- for column in columns %}

            select
                'stripe' as gateway,
                account_id,
                '{{ entity }}' as entity,
                {{ id_column }} as object_id,
                '{{ column }}' as column_name,
                currency,
                {{ column }} as gateway_amount,
                {{ to_iso_minor(column, 'currency', 'stripe') }} as iso_minor
            from {{ source_relation }}
            {%- if not (outer_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

)

select
    gateway,
    account_id,
    entity,
    object_id,
    column_name,
    currency,
    gateway_amount
from gateway_amounts
where gateway_amount is not null and iso_minor is null
