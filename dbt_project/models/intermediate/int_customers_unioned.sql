-- Every gateway's customers, one contract (see _intermediate__models.yml); a new gateway adds
-- its conforming model to this list.
{{ union_gateways([
    ref('int_stripe__customers'),
]) }}
