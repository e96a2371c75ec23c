{{ config(materialized='table') }}
-- Every gateway's subscriptions, one contract (see _intermediate__models.yml): the
-- int_<gateway>__subscriptions model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('subscriptions') }}
