{{ config(materialized='table') }}
-- Every gateway's customers, one contract (see _intermediate__models.yml): the
-- int_<gateway>__customers model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('customers') }}
