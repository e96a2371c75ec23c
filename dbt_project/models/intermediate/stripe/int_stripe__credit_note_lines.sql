with

credit_note_lines as (

    select * from {{ ref('stg_stripe__credit_note_lines') }}

),

credit_notes as (

    select * from {{ ref('stg_stripe__credit_notes') }}

),

final as (

    select
        {{ scoped_id(
            'stripe',
            'credit_note_lines.account_id',
            "credit_note_lines.credit_note_id || ':' || credit_note_lines.credit_note_line_id"
        ) }} as credit_note_line_id,
        'stripe' as gateway,
        credit_note_lines.account_id,
        credit_note_lines.credit_note_line_id as source_credit_note_line_id,
        {{ scoped_id(
            'stripe', 'credit_note_lines.account_id', 'credit_note_lines.credit_note_id'
        ) }} as credit_note_id,
        -- The credited invoice line, keyed as int_invoice_lines_unioned keys it.
        {{ scoped_id(
            'stripe',
            'credit_note_lines.account_id',
            "credit_notes.invoice_id || ':' || credit_note_lines.invoice_line_id"
        ) }} as invoice_line_id,
        credit_note_lines.line_type,
        credit_note_lines.description,
        {{ to_iso_minor(
            'credit_note_lines.amount_minor', 'credit_notes.currency', 'stripe'
        ) }} as amount_minor,
        {{ to_iso_minor(
            'coalesce(credit_note_lines.discount_minor, 0)', 'credit_notes.currency', 'stripe'
        ) }} as discount_minor,
        {{ to_iso_minor(
            'credit_note_lines.tax_minor', 'credit_notes.currency', 'stripe'
        ) }} as tax_minor,
        credit_note_lines.quantity,
        {{ to_iso_minor(
            'credit_note_lines.unit_amount_minor', 'credit_notes.currency', 'stripe'
        ) }} as unit_amount_minor,
        credit_notes.currency,
        greatest(credit_note_lines.synced_at, credit_notes.synced_at) as synced_at

    from credit_note_lines
    inner join credit_notes
        on
            credit_note_lines.account_id = credit_notes.account_id
            and credit_note_lines.credit_note_id = credit_notes.credit_note_id

)

select * from final
