{{ config(materialized='table') }}
-- Every gateway's disputes, one contract (see _intermediate__models.yml): the
-- int_<gateway>__disputes model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('disputes') }}
