-- Every gateway's credit note lines, one contract (see _intermediate__models.yml); a new
-- gateway adds its conforming model to this list.
{{ union_gateways([
    ref('int_stripe__credit_note_lines'),
]) }}
