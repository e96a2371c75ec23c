-- Every gateway's credit notes, one contract (see _intermediate__models.yml); a new gateway
-- adds its conforming model to this list.
{{ union_gateways([
    ref('int_stripe__credit_notes'),
]) }}
