{{ config(materialized='table') }}
-- Every gateway's payments, one contract (see _intermediate__models.yml): the
-- int_<gateway>__payments model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('payments') }}
