{{ config(materialized='table') }}
-- Every gateway's subscription items, one contract (see _intermediate__models.yml): the
-- int_<gateway>__subscription_items model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('subscription_items') }}
