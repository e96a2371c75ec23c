-- Every gateway's subscription items (a price and a quantity of a subscription), one
-- contract (see _intermediate__models.yml); a new gateway adds its conforming model here.
{{ union_gateways([
    ref('int_stripe__subscription_items'),
]) }}
